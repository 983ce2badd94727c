/**
 * Adversarial guests for the isolation and resource-control properties (ISO-*, PG-RESOURCE-1), and
 * small helpers the VMM properties share (hand assembly, observation diffs, shadow-table walks).
 *
 * An adversary is a guest "B" that tries to reach what is not its own:
 *   - wild page tables: PTEs (leaves, megapages and pointers) aimed anywhere — at B's own pages,
 *     at the host-physical addresses of the other VM's RAM and shadow pool and of B's own region and
 *     pool (guest-physical to B, so they must land in B's RAM or fault), at devices, at holes and
 *     above 4 GiB (Sv32 PPNs reach 34 bits);
 *   - every MMIO range probed: loads, stores and atomics at the CLINT, PLIC, UART and finisher
 *     registers, at unaligned offsets and in the holes between and after them;
 *   - random privileged instructions: any CSR number, satp values (pointing at wild roots, any ASID),
 *     pmpcfg/pmpaddr writes, xRET, WFI, ECALL, EBREAK, SFENCE.VMA with random operands.
 *
 * Guest-physical layout of B (RAM at 0x8000_0000, 32–256 KiB):
 *   0x8000_0000 code (looping back to its start; mtvec and stvec point into it)   0x8000_1000 data   0x8000_2000 root table   0x8000_3000 L2   0x8000_4000 L2b
 * The root maps VA 0x8000_0000.. through L2 (code, data and table pages identity mapped); L2b is
 * reachable from a random root slot; wild PTEs are then written over random slots of all three.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import type { Inst } from '../../src/isa/inst.js';
import { encode } from '../../src/isa/encode.js';
import { decode } from '../../src/isa/decode.js';
import { disassemble } from '../../src/isa/disasm.js';
import { machineFromWords, wordsToBytes } from '../../src/machine/program.js';
import type { Machine } from '../../src/machine/machine.js';
import { DEFAULT_CONFIG } from '../../src/machine/config.js';
import { withBytes } from '../../src/memory/store.js';
import { setPrivState } from './programs.js';
import { csrNum } from './inst.js';

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** The first difference between two JSON-able values, as a path and the two values (see vmm-equivalence). */
export function firstDiff(a: unknown, b: unknown, path = '$', names: [string, string] = ['native', 'virtual']): string | null {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path}: ${names[0]} ${JSON.stringify(a)}, ${names[1]} ${JSON.stringify(b)}`;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, names);
    if (d !== null) return d;
  }
  return null;
}

/** Hand assembly: each helper returns instruction words (encoded with `encode`). */
export const asm = {
  i: (i: Inst): number => encode(i),
  nop: (): number => encode({ op: 'addi', rd: 0, rs1: 0, imm: 0 }),
  addi: (rd: number, rs1: number, imm: number): number => encode({ op: 'addi', rd, rs1, imm }),
  add: (rd: number, rs1: number, rs2: number): number => encode({ op: 'add', rd, rs1, rs2 }),
  /** Load a 32-bit constant (lui + addi, or one addi). */
  li: (rd: number, v: number): number[] => {
    const s = v | 0;
    if (s >= -2048 && s < 2048) return [encode({ op: 'addi', rd, rs1: 0, imm: s })];
    const lo = (s << 20) >> 20;
    const hi = (s - lo) | 0;
    return lo === 0 ? [encode({ op: 'lui', rd, imm: hi })] : [encode({ op: 'lui', rd, imm: hi }), encode({ op: 'addi', rd, rs1: rd, imm: lo })];
  },
  lw: (rd: number, rs1: number, imm: number): number => encode({ op: 'lw', rd, rs1, imm }),
  sw: (rs2: number, rs1: number, imm: number): number => encode({ op: 'sw', rs1, rs2, imm }),
  sb: (rs2: number, rs1: number, imm: number): number => encode({ op: 'sb', rs1, rs2, imm }),
  csrrw: (rd: number, csr: number, rs1: number): number => encode({ op: 'csrrw', rd, rs1, csr }),
  csrrs: (rd: number, csr: number, rs1: number): number => encode({ op: 'csrrs', rd, rs1, csr }),
  csrrc: (rd: number, csr: number, rs1: number): number => encode({ op: 'csrrc', rd, rs1, csr }),
  /** jal rd, offset (bytes, relative to this instruction). */
  jal: (rd: number, imm: number): number => encode({ op: 'jal', rd, imm }),
  bne: (rs1: number, rs2: number, imm: number): number => encode({ op: 'bne', rs1, rs2, imm }),
  mret: (): number => encode({ op: 'mret' }),
  sret: (): number => encode({ op: 'sret' }),
  ecall: (): number => encode({ op: 'ecall' }),
  ebreak: (): number => encode({ op: 'ebreak' }),
  wfi: (): number => encode({ op: 'wfi' }),
  sfence: (): number => encode({ op: 'sfence.vma', rs1: 0, rs2: 0 }),
  /** `j .` — spin forever without a VMM entry. */
  spin: (): number => encode({ op: 'jal', rd: 0, imm: 0 }),
};

/** Disassembly of `words` placed at `base`, one line each (nops elided). */
export function showWords(words: readonly number[], base = 0x80000000): string {
  return words.flatMap((w, i) => (w === 0x13 ? [] : [`  ${(base + 4 * i).toString(16)}: ${disassemble(decode(w), base + 4 * i)}`])).join('\n');
}

/** An Sv32 PTE for physical address `pa` (34-bit) with flag bits `f`. */
export const pteFor = (pa: number, f: number): number => ((Math.floor(pa / 4096) & 0x3fffff) * 1024 + (f & 0x3ff)) >>> 0;

export interface ShadowTable { readonly level: 1 | 0; readonly hpa: number }
export interface ShadowLeaf { readonly va: number; readonly pte: number; readonly hpa: number; readonly level: 1 | 0 }

/**
 * Walk one shadow page table in host memory (`read` = a 4-byte little-endian read of host-physical
 * memory) from its root: every table it reaches and every valid leaf it contains. A pointer at
 * level 0 is reported as a table too (the hardware walk would page-fault on it).
 */
export function walkShadow(read: (pa: number) => number, root: number): { tables: ShadowTable[]; leaves: ShadowLeaf[]; bad: string[] } {
  const tables: ShadowTable[] = [{ level: 1, hpa: root }];
  const leaves: ShadowLeaf[] = [];
  const bad: string[] = [];
  for (let i = 0; i < 1024; i++) {
    const pte = read(root + 4 * i);
    if ((pte & 1) === 0) continue;
    const va1 = (i * 0x400000) >>> 0;
    if ((pte & 0xa) !== 0) { leaves.push({ va: va1, pte, hpa: Math.floor(pte / 1024) * 4096, level: 1 }); continue; }
    const t = Math.floor(pte / 1024) * 4096;
    tables.push({ level: 0, hpa: t });
    for (let j = 0; j < 1024; j++) {
      const p = read(t + 4 * j);
      if ((p & 1) === 0) continue;
      const va = (va1 + j * 4096) >>> 0;
      if ((p & 0xa) === 0) { bad.push(`non-leaf PTE 0x${p.toString(16)} at level 0 for va 0x${va.toString(16)}`); tables.push({ level: 0, hpa: Math.floor(p / 1024) * 4096 }); continue; }
      leaves.push({ va, pte: p, hpa: Math.floor(p / 1024) * 4096, level: 0 });
    }
  }
  return { tables, leaves, bad };
}

// ---------------------------------------------------------------------------------------------
// The adversary

export const ADV_BASE = 0x80000000;
export const ADV_DATA = 0x80001000;
export const ADV_ROOT = 0x80002000;
export const ADV_L2 = 0x80003000;
export const ADV_L2B = 0x80004000;
const CLINT = 0x02000000, PLIC = 0x0c000000, UART = 0x10000000, FINISHER = 0x00100000;
const SHADOW_POOL = 1 << 20;

/** Host-physical addresses of the VM map when a VM with `aRam` bytes of RAM was created before B. */
export function hostLayout(aRam: number, bRam: number): { aRam: number; aPool: number; bRam: number; bPool: number } {
  const aPool = ADV_BASE + aRam;
  const bBase = aPool + SHADOW_POOL;
  return { aRam: ADV_BASE, aPool, bRam: bBase, bPool: bBase + bRam };
}

export interface Adversary {
  ramSize: number;
  code: number[];
  data: number[];
  /** Wild PTEs: table 0 = root, 1 = L2, 2 = L2b; slot index; value. */
  wild: Array<{ table: 0 | 1 | 2; index: number; pte: number }>;
  /** Root slot that points at L2b. */
  l2bSlot: number;
  priv: 0 | 1 | 3;
  mstatus: number;
  medeleg: number;
  mideleg: number;
  mie: number;
  satp: number;
  mtimecmp: number;
  /** x1..x15 (x0 stays 0). */
  regs: number[];
  mtvecOff: number;
  stvecOff: number;
}

/** Physical targets worth aiming at, given the other VM's RAM size (see `hostLayout`). */
function targets(aRam: number, bRam: number): number[] {
  const L = hostLayout(aRam, bRam);
  const edges = (b: number, s: number): number[] => [b, b + 0x1000, b + s - 0x1000, b + s];
  return [
    ...edges(L.aRam, aRam), ...edges(L.aPool, SHADOW_POOL), ...edges(L.bRam, bRam), ...edges(L.bPool, SHADOW_POOL),
    ADV_BASE, ADV_DATA, ADV_ROOT, ADV_L2, ADV_L2B, ADV_BASE + bRam - 0x1000, ADV_BASE + bRam,
    CLINT, CLINT + 0x4000, CLINT + 0xb000, PLIC, PLIC + 0x200000, UART, FINISHER,
    0, 0x1000, 0x20000000, 0x40000000, 0x7ffff000, 0xfffff000, 0x100000000, 0x380000000, 0x3fffff000,
  ];
}

/** Device registers and holes, for the MMIO probes (physical addresses). */
const MMIO: number[] = [
  CLINT, CLINT + 4, CLINT + 0x4000, CLINT + 0x4004, CLINT + 0xbff8, CLINT + 0xbffc, CLINT + 0x8000, CLINT + 0xfffc, CLINT + 0x10000,
  PLIC, PLIC + 4, PLIC + 0x28, PLIC + 0x1000, PLIC + 0x2000, PLIC + 0x2080, PLIC + 0x200000, PLIC + 0x200004, PLIC + 0x201000, PLIC + 0x201004, PLIC + 0x5ffffc, PLIC + 0x600000,
  UART, UART + 1, UART + 2, UART + 3, UART + 4, UART + 5, UART + 7, UART + 0xff, UART + 0x100,
  FINISHER, FINISHER + 2, FINISHER + 4, FINISHER + 0xffc, FINISHER + 0x1000,
  0, 0x1000, 0x00101000, 0x02010000, 0x0c600000, 0x10000100, 0x10001000, 0x30000000, 0x7ffffffc,
];

const SATP_MODE = 0x80000000;

/** An adversarial guest for a host where a VM with `aRam` bytes of RAM precedes it. */
export function adversary(aRam: number): Arbitrary<Adversary> {
  return fc.constantFrom(0x8000, 0x10000, 0x20000, 0x40000).chain((ramSize) => {
    const tg = targets(aRam, ramSize);
    const target = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...tg) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x3fffff }).map((p) => p * 4096) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: ramSize / 4096 - 1 }).map((p) => ADV_BASE + p * 4096) },
    );
    const flags = fc.oneof(fc.constantFrom(0xcf, 0xdf, 0xc7, 0xd7, 0xcb, 0xdb, 0x01, 0x11, 0xff), fc.integer({ min: 0, max: 0x3ff }));
    const wildPte = fc.tuple(target, flags).map(([t, f]) => pteFor(t, f));
    const wild = fc.record({ table: fc.constantFrom<0 | 1 | 2>(0, 1, 2), index: fc.oneof(fc.integer({ min: 0, max: 1023 }), fc.constantFrom(0, 1, 2, 3, 4, 0x200, 0x40, 0x8, 0x3ff)), pte: wildPte });
    // Virtual addresses that the wild PTEs (and the identity map) make interesting.
    const va = fc.oneof(
      fc.integer({ min: 0, max: 1023 }).map((i) => (ADV_BASE + i * 4096) >>> 0),
      fc.integer({ min: 0, max: 1023 }).map((i) => (i * 0x400000) >>> 0),
      fc.constantFrom(0, 1, 2, 3, 4, 0x3ff).map((i) => (ADV_BASE + i * 4096) >>> 0),
    );
    const mmio = fc.constantFrom(...MMIO);
    const ptrValue = fc.oneof(
      { weight: 3, arbitrary: mmio },
      { weight: 3, arbitrary: target.map((t) => t >>> 0) },
      { weight: 3, arbitrary: va },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
    );
    const satpValue = fc.oneof(
      fc.tuple(target, fc.integer({ min: 0, max: 511 })).map(([t, asid]) => (SATP_MODE | (asid << 22) | (Math.floor(t / 4096) & 0x3fffff)) >>> 0),
      fc.constantFrom((SATP_MODE | (ADV_ROOT >>> 12)) >>> 0, (SATP_MODE | (ADV_L2B >>> 12)) >>> 0, 0),
    );
    const value = fc.oneof(
      fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      wildPte.map((p) => p | 0),
      satpValue.map((s) => s | 0),
      fc.constantFrom(0, 1, -1, 0x5555, 0x3333, 0x7777, 0x1800, 0x800, 0x20000, 0x40000, 0x80000, 0x1f, 0x18, 0x0f0f0f0f),
    );
    const r = fc.integer({ min: 1, max: 15 });
    const ptr = fc.integer({ min: 5, max: 9 });
    const off = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(0, 0, 0, 4, -4, 8, 1, 2, 3) },
      { weight: 2, arbitrary: fc.integer({ min: -8, max: 8 }).map((x) => x * 4) },
      { weight: 1, arbitrary: fc.integer({ min: -2048, max: 2047 }) },
    );
    const pmpCsr = fc.oneof(fc.integer({ min: 0x3a0, max: 0x3a3 }), fc.integer({ min: 0x3b0, max: 0x3bf }));
    const inst: Arbitrary<Inst> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('lw', 'lh', 'lb', 'lbu', 'lhu'), rd: r, rs1: ptr, imm: off }) as Arbitrary<Inst> },
      { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('sw', 'sh', 'sb'), rs1: ptr, rs2: r, imm: off }) as Arbitrary<Inst> },
      { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('amoswap.w', 'amoadd.w', 'amoor.w', 'sc.w'), rd: r, rs1: ptr, rs2: r, aq: fc.constant(0), rl: fc.constant(0) }) as Arbitrary<Inst> },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('lr.w' as const), rd: r, rs1: ptr, aq: fc.constant(0), rl: fc.constant(0) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('csrrw' as const), rd: r, rs1: r, csr: fc.constant(0x180) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('csrrw', 'csrrs', 'csrrc'), rd: r, rs1: r, csr: pmpCsr }) as Arbitrary<Inst> },
      { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('csrrw', 'csrrs', 'csrrc'), rd: r, rs1: fc.integer({ min: 0, max: 15 }), csr: fc.oneof(csrNum, fc.constantFrom(0x300, 0x100, 0x302, 0x303, 0x304, 0x305, 0x341, 0x105, 0x141, 0x7c0, 0xc01)) }) as Arbitrary<Inst> },
      { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('csrrwi', 'csrrsi', 'csrrci'), rd: r, uimm: fc.integer({ min: 0, max: 31 }), csr: fc.constantFrom(0x300, 0x100, 0x3a0, 0x180, 0x304) }) as Arbitrary<Inst> },
      { weight: 2, arbitrary: fc.constantFrom<Inst>({ op: 'mret' }, { op: 'sret' }, { op: 'ecall' }, { op: 'ebreak' }, { op: 'wfi' }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('sfence.vma' as const), rs1: fc.integer({ min: 0, max: 15 }), rs2: fc.integer({ min: 0, max: 15 }) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('addi', 'xori'), rd: r, rs1: r, imm: fc.integer({ min: -2048, max: 2047 }) }) as Arbitrary<Inst> },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('lui' as const), rd: ptr, imm: target.map((t) => (t & 0xfffff000) | 0) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('jalr' as const), rd: r, rs1: ptr, imm: fc.constantFrom(0, 4, -4) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('jal' as const), rd: r, imm: fc.integer({ min: -8, max: 16 }).map((x) => x * 4) }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }).map((word): Inst => decode(word)) },
    );
    // An MMIO probe: x15 = a device register (or hole) address, then an access of a size that
    // device accepts (or, less often, any size): lui/addi/op.
    const probe: Arbitrary<number[]> = fc.tuple(
      mmio,
      fc.oneof({ weight: 3, arbitrary: fc.constant('fit' as const) }, { weight: 1, arbitrary: fc.constantFrom('lw', 'lh', 'lb', 'lbu', 'sw', 'sh', 'sb', 'amoswap.w') }),
      fc.boolean(), r, fc.integer({ min: 10, max: 14 }),
    ).map(([addr, how, isStore, rd, rs2]) => {
      const dev = addr >= UART && addr < UART + 0x100 ? 1 : addr >= FINISHER && addr < FINISHER + 0x1000 ? 2 : 4;
      const op = how !== 'fit' ? how : isStore ? (dev === 1 ? 'sb' : dev === 2 ? 'sh' : 'sw') : (dev === 1 ? 'lbu' : dev === 2 ? 'lhu' : 'lw');
      const lo = (addr << 20) >> 20, hi = (addr - lo) | 0;
      const access: Inst = op === 'amoswap.w' ? { op, rd, rs1: 15, rs2, aq: 0, rl: 0 }
        : op.startsWith('s') ? { op: op as 'sw', rs1: 15, rs2, imm: 0 } : { op: op as 'lw', rd, rs1: 15, imm: 0 };
      return [encode({ op: 'lui', rd: 15, imm: hi }), encode({ op: 'addi', rd: 15, rs1: 15, imm: lo }), encode(access)];
    });
    return fc.record({
      ramSize: fc.constant(ramSize),
      code: fc.array(fc.oneof({ weight: 4, arbitrary: inst.map((i) => [encode(i)]) }, { weight: 1, arbitrary: probe }), { minLength: 12, maxLength: 48 })
        .map((is) => is.flat().slice(0, 96)),
      data: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 4, maxLength: 16 }),
      wild: fc.array(wild, { minLength: 1, maxLength: 24 }),
      l2bSlot: fc.oneof(fc.integer({ min: 0, max: 1023 }), fc.constantFrom(0, 0x201, 0x3ff)),
      priv: fc.constantFrom<0 | 1 | 3>(0, 1, 3),
      mstatus: fc.oneof(fc.constant(0), fc.constant(0x1888), fc.constant(0x60000), fc.integer({ min: 0, max: 0x7fffff })),
      medeleg: fc.oneof(fc.constant(0), fc.constant(0xb1ff), fc.integer({ min: 0, max: 0xffff })),
      mideleg: fc.oneof(fc.constant(0), fc.constant(0x222)),
      mie: fc.oneof(fc.constant(0), fc.constant(0xaaa), fc.integer({ min: 0, max: 0xfff })),
      satp: fc.oneof(satpValue, fc.constant((SATP_MODE | (ADV_ROOT >>> 12)) >>> 0)),
      mtimecmp: fc.integer({ min: 0, max: 400 }),
      // x5 and x8 mostly device registers, x6 a wild virtual address, x7 a physical target, x9 any.
      regs: fc.tuple(
        fc.array(value, { minLength: 4, maxLength: 4 }),
        fc.oneof({ weight: 3, arbitrary: mmio }, { weight: 1, arbitrary: ptrValue }), va, target.map((t) => t >>> 0),
        fc.oneof({ weight: 3, arbitrary: mmio }, { weight: 1, arbitrary: ptrValue }), ptrValue,
        fc.array(value, { minLength: 6, maxLength: 6 }),
      ).map(([lo, x5, x6, x7, x8, x9, hi]) => [...lo, x5, x6, x7, x8, x9, ...hi].map((v) => v | 0)),
      mtvecOff: fc.integer({ min: 0, max: 63 }).map((x) => x * 4),
      stvecOff: fc.integer({ min: 0, max: 63 }).map((x) => x * 4),
    });
  });
}

/** The machine value of an adversary (its own platform config with `ramSize` bytes of RAM). */
export function adversaryMachine(a: Adversary, secret: { data?: number[]; regs?: number[] } = {}): Machine {
  const config = { ...DEFAULT_CONFIG, ramSize: a.ramSize };
  // The code loops forever (a final jump back to its start), and the trap vectors point into it.
  const n = a.code.length;
  const code = [...a.code, encode({ op: 'jal', rd: 0, imm: -4 * n })];
  const regs: Record<number, number> = {};
  a.regs.forEach((v, i) => { regs[i + 1] = v; });
  (secret.regs ?? []).forEach((v, i) => { regs[10 + i] = v; });
  let m = machineFromWords(code, regs, config);
  const root = new Array<number>(1024).fill(0);
  const l2 = new Array<number>(1024).fill(0);
  const l2b = new Array<number>(1024).fill(0);
  root[0x200] = pteFor(ADV_L2, 1);
  root[a.l2bSlot] = pteFor(ADV_L2B, 1);
  l2[0] = pteFor(ADV_BASE, 0xdf);
  l2[1] = pteFor(ADV_DATA, 0xd7);
  l2[2] = pteFor(ADV_ROOT, 0xc7);
  l2[3] = pteFor(ADV_L2, 0xc7);
  l2[4] = pteFor(ADV_L2B, 0xc7);
  const tables = [root, l2, l2b];
  for (const w of a.wild) tables[w.table]![w.index] = w.pte;
  const data = [...a.data, ...(secret.data ?? [])];
  m = {
    ...m,
    mem: withBytes(withBytes(withBytes(withBytes(m.mem, ADV_DATA, wordsToBytes(data)), ADV_ROOT, wordsToBytes(root)), ADV_L2, wordsToBytes(l2)), ADV_L2B, wordsToBytes(l2b)),
  };
  const h = m.harts[0]!;
  setPrivState(h, a);
  h.csr.mtvec = ADV_BASE + (a.mtvecOff % (4 * n));
  h.csr.stvec = ADV_BASE + (a.stvecOff % (4 * n));
  h.csr.satp = a.satp >>> 0;
  h.csr.pmpaddr = Object.assign([...h.csr.pmpaddr], { 0: 0xffffffff });
  h.csr.pmpcfg = Object.assign([...h.csr.pmpcfg], { 0: 0x1f });
  return { ...m, dev: { ...m.dev, clint: { ...m.dev.clint, mtimecmp: [{ lo: a.mtimecmp, hi: 0 }] } } };
}

/** The adversary as assembly and its wild PTEs, for counterexamples. */
export function showAdversary(a: Adversary): string {
  const hx = (v: number): string => '0x' + (v >>> 0).toString(16);
  return [
    `adversary ram=${hx(a.ramSize)} priv=${a.priv} mstatus=${hx(a.mstatus & 0x7e19aa)} satp=${hx(a.satp)} medeleg=${hx(a.medeleg & 0xb3ff)} mie=${hx(a.mie & 0xaaa)} mtimecmp=${a.mtimecmp}`,
    `  regs x1..x15: ${a.regs.map(hx).join(' ')}`,
    `  wild PTEs: ${a.wild.map((w) => `${['root', 'l2', 'l2b'][w.table]}[${hx(w.index)}]=${hx(w.pte)}`).join(' ')}; l2b at root[${hx(a.l2bSlot)}]`,
    `  mtvec=0x${(ADV_BASE + (a.mtvecOff % (4 * a.code.length))).toString(16)} stvec=0x${(ADV_BASE + (a.stvecOff % (4 * a.code.length))).toString(16)}`,
    showWords([...a.code, encode({ op: 'jal', rd: 0, imm: -4 * a.code.length })]),
  ].join('\n');
}
