/**
 * Running an S-mode program two ways, for the differential SBI properties (HX-SBI-*, HX-SEE-*):
 * natively, under popek's SBI firmware (guests/sbi/fw.elf, as `popek run --bios`), and under the
 * TS service (src/vmm/see.ts: `seeMachine` + `seeStep`); and what of the two runs is compared.
 */
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadProgram, machineOf, type Loaded } from '../../src/machine/boot.js';
import { DEFAULT_CONFIG, type Config } from '../../src/machine/config.js';
import { parseIsa } from '../../src/machine/isa-string.js';
import { type Core, freeze, thaw } from '../../src/machine/core.js';
import type { Halt, Machine } from '../../src/machine/machine.js';
import { stepCore } from '../../src/engines/reference.js';
import { mipOf } from '../../src/machine/step.js';
import { newRecord } from '../../src/machine/commit-record.js';
import { observeCsrs } from '../../src/machine/observe.js';
import { chunkAt, chunkOffsets, CHUNK_SIZE } from '../../src/memory/store.js';
import { seeMachine, seeStep } from '../../src/vmm/see.js';
import { PRV_M, PRV_S } from '../../src/hart/state.js';

const ROOT = join(import.meta.dirname, '..', '..');
export const FIRMWARE = join(ROOT, 'guests', 'sbi', 'fw.elf');
/** The firmware's region (guests/sbi/link.ld), closed to S-mode: never compared. */
export const FW_BASE = 0x80000000, FW_END = 0x80010000;

const fwCache = new Map<string, Loaded>();
/** guests/sbi/fw.elf, loaded as `popek run` loads an ELF (for `config`). */
export function firmware(config: Config = DEFAULT_CONFIG): Loaded {
  const key = JSON.stringify(config);
  let l = fwCache.get(key);
  if (l === undefined) {
    const r = loadProgram({ kernel: FIRMWARE });
    if (isLeft(r)) throw new Error(r.left);
    l = { ...r.right, config };
    fwCache.set(key, l);
  }
  return l;
}

export type Segments = ReadonlyArray<{ addr: number; bytes: Uint8Array }>;

/** As loadProgram({ bios: fw.elf, kernel }) builds it: both images, the firmware's entry, next = the kernel's. */
export function nativeLoaded(segments: Segments, entry: number, config: Config = DEFAULT_CONFIG): Loaded {
  const fw = firmware(config);
  return { ...fw, image: { ...fw.image, segments: [...fw.image.segments, ...segments] }, next: entry, symbols: new Map() };
}

/** The kernel alone, for seeMachine. */
export function kernelLoaded(segments: Segments, entry: number, config: Config = DEFAULT_CONFIG): Loaded {
  const isa = parseIsa(config.isa);
  if (!isa.ok) throw new Error(isa.error);
  return { config, isa: isa.isa, image: { segments: [...segments], entry }, symbols: new Map() };
}

export const nativeMachine = (l: Loaded, input: Uint8Array): Machine => {
  const m = machineOf(l, input);
  if (isLeft(m)) throw new Error(m.left);
  return m.right;
};

export const serviceMachine = (l: Loaded, input: Uint8Array): Machine => {
  const m = seeMachine(l, input);
  if (isLeft(m)) throw new Error(m.left);
  return m.right;
};

/** What the SBI's M-mode did for a trap from S-mode, seen when the hart is back in S-mode. */
export interface TrapEntry {
  cause: string;
  pc: string;
  /** mie.MTIE, mip.STIP, mip.SSIP and CLINT msip on the return to S-mode (absent if the run ended in M-mode). */
  after?: { mtie: number; stip: number; ssip: number; msip: number };
}

export interface Run {
  core: Core;
  stop: 'end' | 'halt' | 'bound';
  steps: number;
  /** Every trap from S-mode to M-mode, in order. */
  traps: TrapEntry[];
  /** The fw_dynamic_info block the native boot passes in a2 (24 bytes; 0 for the service). */
  dynInfo: number;
}

const hx = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');
const after = (c: Core): NonNullable<TrapEntry['after']> => {
  const mip = mipOf(c);
  return { mtie: (c.hart.csr.mie >>> 7) & 1, stip: (mip >>> 5) & 1, ssip: (mip >>> 1) & 1, msip: c.dev.clint.msip[0] ?? 0 };
};
const atEnd = (c: Core, end: number): boolean => c.hart.priv === PRV_S && c.hart.pc === end && !c.hart.waiting;

/** The firmware run: the reference engine's step, until halt, the S-mode program's `end`, or `maxSteps`. */
export function runNative(m: Machine, end: number, maxSteps: number): Run {
  const c = thaw(m);
  const dynInfo = m.harts[0]!.x[12]! >>> 0;
  const traps: TrapEntry[] = [];
  let open: TrapEntry | null = null, steps = 0;
  while (c.halt === null && !atEnd(c, end) && steps < maxSteps) {
    const was = c.hart.priv;
    stepCore(c);
    steps++;
    const now = c.hart.priv;
    if (was !== PRV_M && now === PRV_M) {
      open = { cause: hx(c.hart.csr.mcause), pc: hx(c.hart.csr.mepc) };
      traps.push(open);
    } else if (was === PRV_M && now !== PRV_M && open !== null) {
      open.after = after(c);
      open = null;
    }
  }
  return { core: c, stop: c.halt !== null ? 'halt' : atEnd(c, end) ? 'end' : 'bound', steps, traps, dynInfo };
}

/** The service run: `seeStep` (a hart step, and the service of a trap it took to M-mode). */
export function runService(m: Machine, end: number, maxSteps: number): Run {
  const c = thaw(m);
  const traps: TrapEntry[] = [];
  let steps = 0;
  while (c.halt === null && !atEnd(c, end) && steps < maxSteps) {
    const h = c.hart;
    c.rec = newRecord(h.id, h.priv, h.pc);
    seeStep(c);
    steps++;
    const r = c.rec;
    c.rec = null;
    if (r.trap !== null && r.priv !== PRV_M) {
      const cause = r.trap.cause >>> 0, interrupt = (cause & 0x80000000) !== 0;
      const deleg = interrupt ? h.csr.mideleg : h.csr.medeleg;
      if (((deleg >>> (cause & 31)) & 1) === 0) traps.push({ cause: hx(cause), pc: hx(r.pc), ...(c.halt === null ? { after: after(c) } : {}) });
    }
  }
  return { core: c, stop: c.halt !== null ? 'halt' : atEnd(c, end) ? 'end' : 'bound', steps, traps, dynInfo: 0 };
}

/** CSRs whose values depend on how many instructions ran, or that only the firmware's code uses. */
const TIMING_CSRS = new Set(['cycle', 'cycleh', 'time', 'timeh', 'instret', 'instreth', 'mcycle', 'mcycleh', 'minstret', 'minstreth']);
const FIRMWARE_PRIVATE_CSRS = new Set(['mscratch', 'mtvec']);

export interface Obs {
  stop: Run['stop'];
  halt: Halt | null;
  out: string;
  traps: TrapEntry[];
  hart?: { pc: string; priv: number; waiting: boolean; x: Record<string, string>; csrs: Record<string, string> };
  clint: { msip: number; mtimecmp: string };
  uart: Record<string, unknown>;
}

const XNAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
  's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

/**
 * What is compared: the stop reason and halt, the output, the traps into the SBI, the CLINT and
 * UART, and (when the run stopped in S-mode) pc, privilege, x registers and every CSR but the
 * counters and the firmware's own mscratch/mtvec. Memory is compared by `memDiff`.
 */
export function observeRun(r: Run): Obs {
  const c = r.core, h = c.hart, m = freeze(c);
  const { input: _input, ...uart } = c.dev.uart;
  const t = c.dev.clint.mtimecmp[0]!;
  const o: Obs = {
    stop: r.stop, halt: c.halt, out: c.out, traps: r.traps,
    clint: { msip: c.dev.clint.msip[0] ?? 0, mtimecmp: `0x${(t.hi >>> 0).toString(16).padStart(8, '0')}_${(t.lo >>> 0).toString(16).padStart(8, '0')}` },
    uart,
  };
  if (r.stop !== 'halt') {
    const csrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(observeCsrs(m, m.harts[0]!))) if (!TIMING_CSRS.has(k) && !FIRMWARE_PRIVATE_CSRS.has(k)) csrs[k] = hx(v);
    const x: Record<string, string> = {};
    XNAMES.forEach((n, i) => { x[n] = hx(h.x[i]!); });
    o.hart = { pc: hx(h.pc), priv: h.priv, waiting: h.waiting, x, csrs };
  }
  return o;
}

/** The first difference between two JSON-able values: a path and both values. */
export function firstDiff(a: unknown, b: unknown, path = '$'): string | null {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path}: firmware ${JSON.stringify(a)}, service ${JSON.stringify(b)}`;
  }
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d !== null) return d;
  }
  return null;
}

/**
 * The first RAM byte (outside the firmware's region, and with the native boot's fw_dynamic_info
 * block read as zeros) where the two runs' memories differ, or null. `where` names an address.
 */
export function memDiff(a: Run, b: Run, where: (addr: number) => string = hx): string | null {
  const ma = freeze(a.core).mem, mb = freeze(b.core).mem;
  const cfg = a.core.config, lo = cfg.ramBase, hi = cfg.ramBase + cfg.ramSize;
  const offs = new Set<number>([...chunkOffsets(ma), ...chunkOffsets(mb)]);
  const masked = (r: Run, addr: number, v: number): number => (r.dynInfo !== 0 && addr >= r.dynInfo && addr < r.dynInfo + 24 ? 0 : v);
  for (const off of [...offs].sort((x, y) => x - y)) {
    if (off < lo || off >= hi || (off >= FW_BASE && off < FW_END)) continue;
    const ca = chunkAt(ma, off), cb = chunkAt(mb, off);
    for (let i = 0; i < CHUNK_SIZE; i++) {
      const va = masked(a, off + i, ca[i]!), vb = masked(b, off + i, cb[i]!);
      if (va !== vb) {
        const wi = i & ~3, w = off + wi;
        const word = (x: Uint8Array): string => hx(x[wi]! | (x[wi + 1]! << 8) | (x[wi + 2]! << 16) | (x[wi + 3]! << 24));
        return `memory at ${where(off + i)}: firmware byte 0x${va.toString(16)}, service byte 0x${vb.toString(16)} (words at ${hx(w)}: ${word(ca)} / ${word(cb)})`;
      }
    }
  }
  return null;
}
