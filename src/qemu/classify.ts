/**
 * The classifier of known divergences (QDIFF-CLASS-1): given a program and the two final states
 * that differ, name the recorded QEMU deviation (QDEV-n, spec/qemu-deviations.md) or platform
 * difference that explains the first point of divergence, or return null (a failure).
 *
 * Every rule looks at what ended the program (the first trap: its cause, pc, value, and the
 * instruction there), at the instruction in the body that the rule is about, and at which fields
 * differ. Rules that change control flow (QEMU does not trap where popek does) can only explain
 * the divergence point; everything after it is QEMU running on.
 */
import { decode } from '../isa/decode.js';
import type { Inst } from '../isa/inst.js';
import type { BatchImage, TestProgram } from './program.js';
import { SSTUB } from './program.js';
import type { FieldDiff, FinalState } from './dump.js';

export interface Divergence {
  prog: TestProgram;
  img: BatchImage;
  /** Index of the program in `img`. */
  k: number;
  popek: FinalState;
  qemu: FinalState;
  diffs: FieldDiff[];
}

/** The trap that ended a program: a trap delegated to S reaches M as an ECALL from the S stub. */
export interface Trap { cause: number; epc: number; tval: number; viaS: boolean }
export function trapOf(s: FinalState): Trap {
  const c = s.csrs;
  const viaS = c['mcause'] === 9 && (c['mepc']! >>> 0) >= SSTUB && (c['mepc']! >>> 0) < SSTUB + 128;
  return viaS
    ? { cause: c['scause']!, epc: c['sepc']!, tval: c['stval']!, viaS }
    : { cause: c['mcause']!, epc: c['mepc']!, tval: c['mtval']!, viaS };
}

/** The instruction of program k at `pc` (body or prologue entry), if the image has it. */
export function instAt(d: Divergence, pc: number): Inst | null {
  const p = d.img.placements[d.k]!;
  const words = d.img.bodyWords[d.k]!;
  const off = (pc >>> 0) - p.body;
  if (off >= 0 && off % 4 === 0 && off / 4 < words.length) return decode(words[off / 4]!);
  if ((pc >>> 0) === p.enter) return decode(d.prog.priv === 3 ? 0x6f : 0x30200073);
  return null;
}

const INT = 0x80000000;
const irq = (n: number): number => (INT | n) >>> 0;
const same = (a: Trap, b: Trap): boolean => a.cause === b.cause && a.epc === b.epc;
const only = (d: Divergence, fields: readonly string[]): boolean => d.diffs.every((f) => fields.includes(f.field));
const isAmo = (i: Inst | null): boolean => i !== null && i.op.startsWith('amo');
const reg = (s: FinalState, r: number): number => (r === 0 ? 0 : s.x[r - 1]!);

/** CSR numbers QEMU 7.2 (as configured) does not implement although popek must (QDEV-17..19). */
export function qemuMissingCsr(n: number): boolean {
  return (n >= 0x3a4 && n <= 0x3af) || (n >= 0x3c0 && n <= 0x3ef) || n === 0x312
    || (n >= 0xb03 && n <= 0xb1f) || (n >= 0xb83 && n <= 0xb9f) || (n >= 0xc03 && n <= 0xc1f) || (n >= 0xc83 && n <= 0xc9f);
}

/** Physical regions QEMU's virt machine decodes but popek's platform does not model (QDEV-PLAT-1). */
export const QEMU_ONLY_REGIONS: ReadonlyArray<readonly [number, number, string]> = [
  [0x0000_1000, 0x0001_0000, 'mrom'],
  [0x0010_1000, 0x0010_1024, 'goldfish_rtc'],
  [0x0300_0000, 0x0301_0000, 'gpex_ioport_window'],
  [0x1000_1000, 0x1000_8200, 'virtio-mmio'],
  [0x1010_0000, 0x1010_0018, 'fw_cfg'],
  [0x2000_0000, 0x2400_0000, 'flash'],
  [0x3000_0000, 0x8000_0000, 'pcie'],
];
const qemuOnly = (a: number): boolean => QEMU_ONLY_REGIONS.some(([lo, hi]) => (a >>> 0) >= lo && (a >>> 0) < hi);

/** Bits of CSRs in which QEMU holds values popek (correctly) does not, per written CSR (QDEV-14..16, QDEV-8). */
const WARL_BITS: ReadonlyArray<readonly [readonly number[], number, string]> = [
  [[0x302], 0x00f0_0c00, 'QDEV-14'],
  [[0x303, 0x304, 0x344, 0x104, 0x144], 0x0000_2444, 'QDEV-14'],
  [[0x30a, 0x10a], 0x0000_00f0, 'QDEV-14'],
  [[0x31a], 0xc000_0000, 'QDEV-14'],
  [[0x310], 0x0000_00c0, 'QDEV-14'],
  [[0x300], 0x0000_1800, 'QDEV-15'],
  [[0x3a0, 0x3a1, 0x3a2, 0x3a3], 0x6262_6262, 'QDEV-16'],
  [[0x341, 0x141], 0x0000_0003, 'QDEV-8'],
  // Choices the manual allows both ways (QDEV-18).
  [[0x300, 0x100], 0x8000_0600, 'QDEV-18'],
  [[0x306, 0x106], 0xffff_fff8, 'QDEV-18'],
  [[0x320], 0xffff_fffa, 'QDEV-18'],
  [[0x305, 0x105], 0x0000_001f, 'QDEV-18'],
  [[...Array.from({ length: 29 }, (_, n) => 0x323 + n)], 0xffff_ffff, 'QDEV-18'],
];

/** The CSRs a body writes (any CSR instruction that is not a pure read). */
function writtenCsrs(d: Divergence): Set<number> {
  const out = new Set<number>();
  for (const w of d.img.bodyWords[d.k]!) {
    const i = decode(w);
    if ((i.op === 'csrrw' || i.op === 'csrrwi')
      || ((i.op === 'csrrs' || i.op === 'csrrc') && i.rs1 !== 0)
      || ((i.op === 'csrrsi' || i.op === 'csrrci') && i.uimm !== 0)) out.add(i.csr);
  }
  return out;
}

interface Rule { id: string; test(d: Divergence, p: Trap, q: Trap): boolean }

const RULES: Rule[] = [
  {
    // Misaligned AMO: store/AMO-address-misaligned (6) in popek, load-address-misaligned (4) in QEMU.
    id: 'QDEV-1',
    test: (d, p, q) => p.cause === 6 && q.cause === 4 && p.epc === q.epc && isAmo(instAt(d, p.epc)),
  },
  {
    // Misaligned SC.W: popek traps (6); QEMU fails the SC (rd = 1) and goes on.
    id: 'QDEV-2',
    test: (d, p, q) => p.cause === 6 && instAt(d, p.epc)?.op === 'sc.w' && !same(p, q),
  },
  {
    // A counter written by a CSR instruction reads back one higher in QEMU.
    id: 'QDEV-3',
    test: (d) => [...writtenCsrs(d)].some((c) => [0xb00, 0xb02, 0xb80, 0xb82].includes(c))
      && d.diffs.every((f) => /^x\d+$/.test(f.field) && f.popek !== null && f.qemu !== null && ((f.qemu - f.popek) >>> 0) === 1),
  },
  {
    // CSRRS/CSRRC with rs1 != x0 holding 0 on a read-only CSR: illegal in popek, a plain read in QEMU.
    id: 'QDEV-4',
    test: (d, p, q) => {
      const i = instAt(d, p.epc);
      return p.cause === 2 && !same(p, q) && i !== null && (i.op === 'csrrs' || i.op === 'csrrc')
        && i.rs1 !== 0 && reg(d.popek, i.rs1) === 0 && (i.csr >>> 10) === 3;
    },
  },
  {
    // Misaligned jump/branch target: xtval is the target in popek; QEMU writes a stale pc (that of
    // the first instruction of its translation block, at or before the jump).
    id: 'QDEV-5',
    test: (d, p, q) => {
      const i = instAt(d, p.epc);
      return p.cause === 0 && same(p, q) && q.tval !== p.tval && (q.tval >>> 0) <= (q.epc >>> 0) && i !== null
        && (i.op === 'jal' || i.op === 'jalr' || ['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'].includes(i.op))
        && only(d, ['mtval', 'stval']);
    },
  },
  {
    // AMO access or page fault: store/AMO fault (7, 15) in popek, the load fault (5, 13) in QEMU.
    id: 'QDEV-6',
    test: (d, p, q) => (p.cause === 7 || p.cause === 15) && q.cause === p.cause - 2 && p.epc === q.epc && isAmo(instAt(d, p.epc)),
  },
  {
    // The AMO's load half: on a page that is readable but not writable, QEMU's translation for the
    // load sets A before the store/AMO page fault; popek's translation of the AMO fails first.
    id: 'QDEV-6',
    test: (d, p, q) => same(p, q) && p.cause === 15 && isAmo(instAt(d, p.epc)) && d.diffs.length > 0
      && d.diffs.every((f) => f.field.startsWith('mem[') && f.popek === null && f.qemu !== null && (((f.qemu ^ pristine(d, f.field)) & ~0x40) === 0)),
  },
  {
    // SC.W to an address other than the reserved one (or with no reservation): popek translates and
    // checks the address first (page fault, access fault); QEMU fails the SC without looking at it.
    id: 'QDEV-7',
    test: (d, p, q) => [5, 7, 13, 15].includes(p.cause) && instAt(d, p.epc)?.op === 'sc.w' && !same(p, q),
  },
  {
    // mepc/sepc keep bits 1:0 in QEMU: register values that read them differ in those bits, or
    // an xRET to such an address raises instruction-address-misaligned in QEMU.
    id: 'QDEV-8',
    test: (d, p, q) => {
      const w = writtenCsrs(d);
      if (!w.has(0x341) && !w.has(0x141)) return false;
      const xret = instAt(d, q.epc);
      if (q.cause === 0 && (xret?.op === 'mret' || xret?.op === 'sret') && !same(p, q)) return true;
      return d.diffs.every((f) => f.popek !== null && f.qemu !== null && ((f.popek ^ f.qemu) & ~3) === 0);
    },
  },
  {
    // MRET to S/U-mode while no PMP entry is active: illegal instruction in QEMU.
    id: 'QDEV-9',
    test: (d, p, q) => q.cause === 2 && q.tval === 0x30200073 && !same(p, q) && noActivePmp(d.prog),
  },
  {
    // MRET/SRET into S or U leaves MPRV set in QEMU.
    id: 'QDEV-10',
    test: (d) => d.diffs.length === 1 && d.diffs[0]!.field === 'mstatus'
      && ((d.diffs[0]!.popek! ^ d.diffs[0]!.qemu!) >>> 0) === 0x20000 && (d.diffs[0]!.popek! & 0x20000) === 0,
  },
  {
    // Simultaneous S-level interrupts: popek takes SEI first (the manual's order), QEMU SSI or STI.
    id: 'QDEV-11',
    test: (d, p, q) => p.cause === irq(9) && (q.cause === irq(1) || q.cause === irq(5)) && p.epc === q.epc
      && only(d, p.viaS ? ['mcause', 'scause', 'mepc'] : ['mcause', 'scause']),
  },
  {
    // Misaligned load that faults: popek reports the load's address, QEMU the address rounded down.
    id: 'QDEV-12',
    test: (d, p, q) => same(p, q) && (p.cause === 5 || p.cause === 13) && (q.tval === ((p.tval & ~3) >>> 0) || q.tval === ((p.tval & ~1) >>> 0)) && p.tval !== q.tval
      && only(d, ['mtval', 'stval']),
  },
  {
    // PMP ranges beyond 4 GiB: QEMU computes PMP addresses modulo 2^32 on RV32.
    id: 'QDEV-13',
    test: (d, p, q) => !same(p, q) && pmpBeyond4G(d.prog) && ([1, 5, 7].includes(p.cause) || [1, 5, 7].includes(q.cause)),
  },
  {
    // The same, seen in the page table: popek's translation of a failing SC.W sets A (and D), QEMU's
    // untranslated failure does not. Every difference is an A/D bit of a watched page-table word.
    id: 'QDEV-7',
    test: (d) => d.img.bodyWords[d.k]!.some((w) => decode(w).op === 'sc.w') && d.diffs.length > 0
      && d.diffs.every((f) => f.field.startsWith('mem[') && f.popek !== null && (((f.popek ^ (f.qemu ?? pristine(d, f.field))) & ~0xc0) === 0)),
  },
  {
    // A store to the body's own code without FENCE.I: popek fetches the new word, QEMU may execute
    // its stale translation (both allowed by Zifencei).
    id: 'QDEV-20',
    test: (d, p, q) => {
      const i = instAt(d, p.epc);
      const off = ((p.epc >>> 0) - d.img.placements[d.k]!.body) / 4;
      return p.cause === 2 && !same(p, q) && i !== null && i.op !== 'illegal' && d.img.bodyWords[d.k]![off] !== (p.tval >>> 0);
    },
  },
  {
    // M-mode load/store with MPRV = 1 (MPP = S/U) to a page M-mode has fetched from: QEMU reuses its
    // M-mode translation of that page and skips the S/U translation and checks.
    id: 'QDEV-19',
    test: (d, p, q) => d.prog.priv === 3 && [5, 7, 13, 15].includes(p.cause) && !same(p, q)
      && ((p.tval & ~0xfff) >>> 0) === ((d.img.placements[d.k]!.body & ~0xfff) >>> 0)
      && ((d.prog.mstatus & 0x20000) !== 0 || writtenCsrs(d).has(0x300)),
  },
  {
    // A page-table walk that reads a PTE from an address without memory: access fault (for the
    // original access type) in popek, page fault in QEMU.
    id: 'QDEV-21',
    test: (_d, p, q) => p.epc === q.epc && p.tval === q.tval && ((p.cause === 1 && q.cause === 12)
      || (p.cause === 5 && q.cause === 13) || (p.cause === 7 && q.cause === 15)),
  },
  {
    // CSRs popek implements and QEMU does not (PMP entries 16..63, medelegh, hpm counters).
    id: 'QDEV-17',
    test: (d, p, q) => {
      const i = instAt(d, q.epc);
      return q.cause === 2 && !same(p, q) && i !== null && 'csr' in i && qemuMissingCsr(i.csr);
    },
  },
  {
    // Platform: an access to a device region of QEMU virt that popek does not model.
    id: 'QDEV-PLAT-1',
    test: (_d, p, q) => [1, 5, 7].includes(p.cause) && !same(p, q) && qemuOnly(p.tval),
  },
  {
    // EBREAK: popek writes the EBREAK's address to xtval, QEMU writes 0 (both allowed).
    id: 'QDEV-18',
    test: (d, p, q) => p.cause === 3 && same(p, q) && q.tval === 0 && only(d, ['mtval', 'stval']),
  },
  {
    // Platform: LR/SC/AMO on a device region. popek's devices support no atomics (an access fault);
    // QEMU performs them.
    id: 'QDEV-PLAT-2',
    test: (d, p, q) => {
      const i = instAt(d, p.epc);
      return [5, 7].includes(p.cause) && !same(p, q) && i !== null && (i.op === 'lr.w' || i.op === 'sc.w' || isAmo(i))
        && !((p.tval >>> 0) >= 0x8000_0000 && (p.tval >>> 0) < 0x8800_0000);
    },
  },
];

/** The initial value of a watched word named by a FieldDiff (`mem[0x...]`). */
function pristine(d: Divergence, field: string): number {
  const a = parseInt(field.slice(4, -1), 16);
  const m = new Map(d.img.watched[d.k]!);
  return m.get(a) ?? 0;
}

/** No PMP entry is active (all OFF), so QEMU's MRET rule applies. */
function noActivePmp(p: TestProgram): boolean {
  return p.pmp === 'off' || (Array.isArray(p.pmp) && p.pmp.every((e) => ((e.cfg >>> 3) & 3) === 0));
}

/** Some generated PMP entry covers addresses at or above 2^32. */
function pmpBeyond4G(p: TestProgram): boolean {
  if (!Array.isArray(p.pmp)) return false;
  return p.pmp.some((e) => {
    const a = (e.cfg >>> 3) & 3;
    if (a === 0 || e.addr === 0xffffffff) return false;
    return a === 1 || a === 2 ? e.addr >= 0x4000_0000 : e.addr >= 0x2000_0000;
  });
}

/**
 * QDIFF-CLASS-2: a program that popek finished and QEMU did not (QEMU went on where popek trapped,
 * then waited in WFI or looped): explained when popek's trap is one that a recorded deviation makes
 * QEMU skip.
 */
export function classifyUnfinished(d: { prog: TestProgram; img: BatchImage; k: number; popek: FinalState }): string | null {
  const p = trapOf(d.popek);
  const full: Divergence = { ...d, qemu: d.popek, diffs: [] };
  const i = instAt(full, p.epc);
  if ([1, 5, 7].includes(p.cause) && qemuOnly(p.tval)) return 'QDEV-PLAT-1';
  if ([5, 7].includes(p.cause) && i !== null && (i.op === 'lr.w' || isAmo(i)) && (p.tval >>> 0) < 0x8000_0000) return 'QDEV-PLAT-2';
  if (i?.op === 'sc.w' && [5, 6, 7, 13, 15].includes(p.cause)) return p.cause === 6 ? 'QDEV-2' : 'QDEV-7';
  if (p.cause === 2 && i !== null && (i.op === 'csrrs' || i.op === 'csrrc') && i.rs1 !== 0 && reg(d.popek, i.rs1) === 0 && (i.csr >>> 10) === 3) return 'QDEV-4';
  if (pmpBeyond4G(d.prog) || noActivePmp(d.prog)) return pmpBeyond4G(d.prog) ? 'QDEV-13' : 'QDEV-9';
  return null;
}

/** QDIFF-CLASS-1: the ID of the recorded deviation that explains `d`, or null. */
export function classify(d: Divergence): string | null {
  const p = trapOf(d.popek), q = trapOf(d.qemu);
  for (const r of RULES) if (r.test(d, p, q)) return r.id;
  // WARL differences: every differing value differs only in bits that QEMU keeps in a CSR the
  // program wrote (or that the dump reads back).
  const w = writtenCsrs(d);
  let mask = 0;
  const ids: string[] = [];
  for (const [csrs, bits, id] of WARL_BITS) {
    if (csrs.some((c) => w.has(c))) { mask |= bits; ids.push(id); }
  }
  if (mask !== 0 && d.diffs.every((f) => f.popek !== null && f.qemu !== null && ((f.popek ^ f.qemu) & ~mask) === 0)) {
    // Name the group whose bits explain the first difference.
    const f = d.diffs[0]!;
    const x = (f.popek! ^ f.qemu!) >>> 0;
    for (const [csrs, bits, id] of WARL_BITS) if (csrs.some((c) => w.has(c)) && (x & ~bits) === 0) return id;
    return ids[0]!;
  }
  return null;
}
