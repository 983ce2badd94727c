/**
 * The platform-level interrupt controller (DEV-PLIC-*) with the geometry of QEMU's `virt` machine:
 * 96 source slots (IDs 1..95; 0 means "no interrupt"), 3 priority bits, two contexts per hart
 * (2h = M-mode, 2h+1 = S-mode) and level-triggered gateways. Bit sets are arrays of 32-bit words
 * laid out as the pending/enable registers are (ID n is bit n%32 of word n/32).
 */

/** DEV-PLIC-1: size of the PLIC region, QEMU virt's VIRT_PLIC_SIZE(VIRT_CPUS_MAX * 2). */
export const SIZE = 0x600000;
/** DEV-PLIC-1: source slots including the non-existent source 0 (QEMU VIRT_IRQCHIP_NUM_SOURCES). */
export const NUM_SOURCES = 96;
/** DEV-PLIC-2: priorities and thresholds hold 3 bits (QEMU VIRT_IRQCHIP_NUM_PRIO_BITS). */
export const PRIORITY_MASK = 7;

const WORDS = (NUM_SOURCES + 31) >>> 5;
const PENDING_BASE = 0x1000;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x200000;
const CONTEXT_STRIDE = 0x1000;

export interface PlicState {
  /** Per source ID (index 0 stays 0). */
  readonly priority: readonly number[];
  /** IP bits: a request the gateway forwarded and no claim has taken yet. */
  readonly pending: readonly number[];
  /** In service: claimed and not yet completed; the gateway holds further requests back. */
  readonly claimed: readonly number[];
  /** The current level of each source's interrupt line. */
  readonly level: readonly number[];
  /** Per context: its enable words. */
  readonly enable: readonly (readonly number[])[];
  /** Per context: its priority threshold. */
  readonly threshold: readonly number[];
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

/** DEV-PLIC-10: the state after reset: everything zero, for 2 contexts per hart. */
export function reset(harts: number): PlicState {
  const contexts = Number.isSafeInteger(harts) && harts > 0 ? 2 * harts : 0;
  return {
    priority: zeros(NUM_SOURCES),
    pending: zeros(WORDS),
    claimed: zeros(WORDS),
    level: zeros(WORDS),
    enable: Array.from({ length: contexts }, () => zeros(WORDS)),
    threshold: zeros(contexts),
  };
}

/** DEV-PLIC-1: the context number of `hart` in privilege mode `mode` (QEMU virt, no H extension). */
export const context = (hart: number, mode: 'M' | 'S'): number => 2 * hart + (mode === 'S' ? 1 : 0);

const isSource = (id: number): boolean => Number.isInteger(id) && id >= 1 && id < NUM_SOURCES;
const bitOf = (words: readonly number[], id: number): boolean => (((words[id >>> 5] ?? 0) >>> (id & 31)) & 1) !== 0;
/** The words with bit `id` set to `on` (a copy). */
const withBit = (words: readonly number[], id: number, on: boolean): readonly number[] => {
  const ws = words.slice();
  const w = id >>> 5, m = 1 << (id & 31);
  ws[w] = (on ? (ws[w] ?? 0) | m : (ws[w] ?? 0) & ~m) >>> 0;
  return ws;
};
const replaceAt = <T>(xs: readonly T[], i: number, x: T): readonly T[] => {
  const ys = xs.slice();
  ys[i] = x;
  return ys;
};

/** DEV-PLIC-6: drive source `irq`'s line; a high line becomes a request unless the source is in service. */
export function setSource(s: PlicState, irq: number, level: boolean): PlicState {
  if (!isSource(irq)) return s;
  const pend = level && !bitOf(s.claimed, irq) && !bitOf(s.pending, irq);
  // Called after every UART access: keep the same object when nothing changes.
  if (bitOf(s.level, irq) === level && !pend) return s;
  return {
    ...s,
    level: withBit(s.level, irq, level),
    // A low line never retracts a forwarded request (the gateway cannot).
    pending: pend ? withBit(s.pending, irq, true) : s.pending,
  };
}

/** DEV-PLIC-7: the ID a claim by context `ctx` would return now (0 if none). */
function best(s: PlicState, ctx: number): number {
  const en = s.enable[ctx];
  if (en === undefined) return 0;
  let id = 0, prio = s.threshold[ctx] ?? 0;
  for (let w = 0; w < WORDS; w++) {
    let cand = ((s.pending[w] ?? 0) & ~(s.claimed[w] ?? 0) & (en[w] ?? 0)) >>> 0;
    while (cand !== 0) {
      const b = 31 - Math.clz32(cand & -cand);
      cand = (cand & (cand - 1)) >>> 0;
      const i = (w << 5) + b;
      const p = s.priority[i] ?? 0;
      // Strictly greater, scanning upwards: ties go to the lowest ID.
      if (p > prio) { id = i; prio = p; }
    }
  }
  return id;
}

/** DEV-PLIC-9: context `ctx`'s external interrupt line: a claim would return a source. */
export const eip = (s: PlicState, ctx: number): boolean => best(s, ctx) !== 0;

/** DEV-PLIC-1: an aligned 32-bit access inside the region. */
const accepted = (off: number, size: number): boolean =>
  size === 4 && Number.isInteger(off) && off >= 0 && off + size <= SIZE && off % size === 0;

type Reg =
  | { kind: 'priority'; id: number }
  | { kind: 'pending'; word: number }
  | { kind: 'enable'; ctx: number; word: number }
  | { kind: 'threshold'; ctx: number }
  | { kind: 'claim'; ctx: number }
  | { kind: 'none' };

/** Decode an accepted offset into the register it names (DEV-PLIC-1). */
function decode(s: PlicState, off: number): Reg {
  const contexts = s.threshold.length;
  if (off < PENDING_BASE) {
    const id = off >>> 2;
    return id < NUM_SOURCES ? { kind: 'priority', id } : { kind: 'none' };
  }
  if (off < ENABLE_BASE) {
    const word = (off - PENDING_BASE) >>> 2;
    return word < WORDS ? { kind: 'pending', word } : { kind: 'none' };
  }
  if (off < CONTEXT_BASE) {
    const ctx = Math.floor((off - ENABLE_BASE) / ENABLE_STRIDE), word = (off % ENABLE_STRIDE) >>> 2;
    return ctx < contexts && word < WORDS ? { kind: 'enable', ctx, word } : { kind: 'none' };
  }
  const ctx = Math.floor((off - CONTEXT_BASE) / CONTEXT_STRIDE), reg = off % CONTEXT_STRIDE;
  if (ctx >= contexts) return { kind: 'none' };
  return reg === 0 ? { kind: 'threshold', ctx } : reg === 4 ? { kind: 'claim', ctx } : { kind: 'none' };
}

/** DEV-PLIC-1..5, 7: an MMIO load (a claim-register load claims); null for a non-32-bit or misaligned access. */
export function read(s: PlicState, off: number, size: number): { s: PlicState; v: number } | null {
  if (!accepted(off, size)) return null;
  const r = decode(s, off);
  switch (r.kind) {
    case 'priority': return { s, v: s.priority[r.id] ?? 0 };
    case 'pending': return { s, v: (s.pending[r.word] ?? 0) >>> 0 };
    case 'enable': return { s, v: (s.enable[r.ctx]?.[r.word] ?? 0) >>> 0 };
    case 'threshold': return { s, v: s.threshold[r.ctx] ?? 0 };
    case 'claim': {
      const id = best(s, r.ctx);
      if (id === 0) return { s, v: 0 };
      return { s: { ...s, pending: withBit(s.pending, id, false), claimed: withBit(s.claimed, id, true) }, v: id };
    }
    // DEV-PLIC-1: QEMU reads unmapped offsets inside the region as 0 instead of faulting.
    case 'none': return { s, v: 0 };
  }
}

/** DEV-PLIC-8: end service of `id` for `ctx`; a still-high line makes it pending again. */
function complete(s: PlicState, ctx: number, id: number): PlicState {
  // The spec ignores completions of sources not enabled for the completing context.
  if (!isSource(id) || !bitOf(s.enable[ctx] ?? [], id)) return s;
  const high = bitOf(s.level, id);
  return {
    ...s,
    claimed: withBit(s.claimed, id, false),
    pending: high ? withBit(s.pending, id, true) : s.pending,
  };
}

/** DEV-PLIC-1..5, 8: an MMIO store; null for a non-32-bit or misaligned access. */
export function write(s: PlicState, off: number, size: number, v: number): PlicState | null {
  if (!accepted(off, size)) return null;
  const w = v >>> 0;
  const r = decode(s, off);
  switch (r.kind) {
    // DEV-PLIC-2: WARL, only the low 3 bits exist; source 0 is hardwired to 0.
    case 'priority': return r.id === 0 ? s : { ...s, priority: replaceAt(s.priority, r.id, w & PRIORITY_MASK) };
    // DEV-PLIC-3: the pending array is read-only.
    case 'pending': return s;
    case 'enable': {
      const en = s.enable[r.ctx] ?? zeros(WORDS);
      // DEV-PLIC-4: the enable bit of the non-existent source 0 is hardwired to 0.
      const word = r.word === 0 ? (w & ~1) >>> 0 : w;
      return { ...s, enable: replaceAt(s.enable, r.ctx, replaceAt(en, r.word, word)) };
    }
    case 'threshold': return { ...s, threshold: replaceAt(s.threshold, r.ctx, w & PRIORITY_MASK) };
    case 'claim': return complete(s, r.ctx, w);
    // DEV-PLIC-1: QEMU drops stores to unmapped offsets inside the region.
    case 'none': return s;
  }
}
