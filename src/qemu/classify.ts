/**
 * The classifier of known divergences (QDIFF-CLASS-1): given a program and the two final states
 * that differ, name the recorded QEMU deviation (QDEV-n, spec/qemu-deviations.md) or platform
 * difference that explains the first point of divergence, or return null (a failure).
 *
 * Every rule looks at what ended the program (the first trap: its cause, pc, value, and the
 * instruction there), at the instruction in the body that the rule is about, and at which fields
 * differ. Rules that change control flow (QEMU does not trap where popek does) can only explain
 * the divergence point; everything after it is QEMU running on.
 *
 * H batches (QDIFF-H-CLASS-1): the trap is found through the S and VS stubs (`trapOf`); single
 * fields that a recorded difference explains on its own (FIELD_RULES) and fields that differ only in
 * WARL bits are set aside first, then the H rules (QDEV-H-n) and the base rules look at the rest.
 */
import { decode } from '../isa/decode.js';
import type { Inst } from '../isa/inst.js';
import type { BatchImage, TestProgram } from './program.js';
import { SSTUB, VSTUB } from './program.js';
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

/**
 * The trap that ended a program: a trap delegated to S reaches M as an ECALL from the S stub; in H
 * batches (QDIFF-H-CLASS-1) a trap taken in VS-mode reaches M or HS as an ECALL from VS (10) on a
 * stub (vstvec points at the VS stub or the S stub), and HS as above. `to` is the mode that took
 * the original trap; `tval2`/`tinst` are mtval2/mtinst or htval/htinst (0 for VS and base batches).
 */
export interface Trap { cause: number; epc: number; tval: number; viaS: boolean; to: 'M' | 'HS' | 'VS'; tval2: number; tinst: number }
const onStub = (a: number | undefined): boolean => a !== undefined && (((a >>> 0) >= SSTUB && (a >>> 0) < SSTUB + 128) || ((a >>> 0) >= VSTUB && (a >>> 0) < VSTUB + 128));
export function trapOf(s: FinalState): Trap {
  const c = s.csrs;
  let t: Trap = { cause: c['mcause']!, epc: c['mepc']!, tval: c['mtval']!, viaS: false, to: 'M', tval2: c['mtval2'] ?? 0, tinst: c['mtinst'] ?? 0 };
  if (t.cause === 9 && onStub(t.epc)) t = { cause: c['scause']!, epc: c['sepc']!, tval: c['stval']!, viaS: true, to: 'HS', tval2: c['htval'] ?? 0, tinst: c['htinst'] ?? 0 };
  if (t.cause === 10 && onStub(t.epc) && c['vscause'] !== undefined) t = { cause: c['vscause']!, epc: c['vsepc']!, tval: c['vstval']!, viaS: true, to: 'VS', tval2: 0, tinst: 0 };
  return t;
}

/** The instruction of program k at `pc` (body or prologue entry), if the image has it. */
export function instAt(d: Divergence, pc: number): Inst | null {
  const p = d.img.placements[d.k]!;
  const words = d.img.bodyWords[d.k]!;
  const off = (pc >>> 0) - p.body;
  if (off >= 0 && off % 4 === 0 && off / 4 < words.length) return decode(words[off / 4]!);
  if ((pc >>> 0) === p.enter) return decode(d.prog.priv === 3 ? 0x6f : 0x30200073);
  if ((pc >>> 0) === p.enter + 4 && d.prog.h?.v === 1 && d.prog.h.entry === 'sret') return decode(0x10200073);
  return null;
}

const INT = 0x80000000;
const irq = (n: number): number => (INT | n) >>> 0;
const same = (a: Trap, b: Trap): boolean => a.cause === b.cause && a.epc === b.epc;
const only = (d: Divergence, fields: readonly string[]): boolean => d.diffs.every((f) => fields.includes(f.field));
/** `only`, and also hstatus/mstatush differing in GVA alone (GVA follows whether tval holds an address). */
const onlyOrGva = (d: Divergence, fields: readonly string[]): boolean => d.diffs.every((f) => fields.includes(f.field)
  || ((f.field === 'hstatus' || f.field === 'mstatush') && f.popek !== null && f.qemu !== null && ((f.popek ^ f.qemu) >>> 0) === 0x40));
const isAmo = (i: Inst | null): boolean => i !== null && i.op.startsWith('amo');
const reg = (s: FinalState, r: number): number => (r === 0 ? 0 : s.x[r - 1]!);
/** x1..x31 agree (the program ran the same up to the trap that differs). */
const regsEqual = (d: Divergence): boolean => d.diffs.every((f) => !/^x\d+$/.test(f.field));
/**
 * Where one simulator went on past the other's trap, registers may differ afterwards; accept that,
 * but not register differences when both trapped at the same instruction.
 */
const regsEqualBefore = (d: Divergence, p: Trap, q: Trap): boolean => p.epc !== q.epc || regsEqual(d);

/** CSR numbers QEMU 7.2 (as configured) does not implement although popek must (QDEV-17..19). */
export function qemuMissingCsr(n: number): boolean {
  return (n >= 0x3a4 && n <= 0x3af) || (n >= 0x3c0 && n <= 0x3ef) || n === 0x312 || n === 0x612
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

/**
 * Bits of CSRs in which QEMU holds values popek (correctly) does not, per written CSR (QDEV-14..16,
 * QDEV-8; QDEV-H-*). The fourth element marks entries for H batches only (true; with V = 1 the S
 * CSR numbers name the VS CSRs) or base batches only (false).
 */
const WARL_BITS: ReadonlyArray<readonly [readonly number[], number, string, boolean?]> = [
  [[0x302], 0x00f0_0c00, 'QDEV-14'],
  [[0x303, 0x304, 0x344, 0x104, 0x144], 0x0000_2444, 'QDEV-14', false],
  [[0x303, 0x304, 0x344, 0x104, 0x144], 0x0000_2000, 'QDEV-14', true],
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
  // H batches.
  [[0x600], 0xff8f_fc1f, 'QDEV-H-1', true],
  [[0x680], 0x6000_0003, 'QDEV-H-2', true],
  [[0x200, 0x100], 0xfff3_fedd, 'QDEV-H-3', true],
  [[0x205, 0x105], 0x0000_0003, 'QDEV-H-4', true],
  [[0x344], 0x0000_0660, 'QDEV-H-5', true],
  [[0x104, 0x144, 0x204, 0x244], 0x0000_0666, 'QDEV-H-12', true],
  [[0x241, 0x141], 0x0000_0003, 'QDEV-8', true],
  [[0x606], 0xffff_fff8, 'QDEV-18', true],
  [[0x60a], 0x0000_00f0, 'QDEV-14', true],
  [[0x61a], 0xc000_0000, 'QDEV-14', true],
];

/** H batches: bits in which QEMU reads a CSR differently, per CSR read (with V = 1, sip names vsip). */
const READ_BITS: ReadonlyArray<readonly [readonly number[], number, string]> = [
  [[0x244, 0x144], 0x0000_0220, 'QDEV-H-12'],
  [[0x104], 0x0000_0222, 'QDEV-H-12'],
];

/** The CSRs a body reads into a register (rd != x0). */
function readCsrs(d: Divergence): Set<number> {
  const out = new Set<number>();
  for (const w of d.img.bodyWords[d.k]!) {
    const i = decode(w);
    if ('csr' in i && i.rd !== 0) out.add(i.csr);
  }
  return out;
}

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

/** A rule about the whole divergence; `h`: only for H batches. */
interface Rule { id: string; h?: boolean; test(d: Divergence, p: Trap, q: Trap): boolean }

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
        && onlyOrGva(d, ['mtval', 'stval', 'vstval']);
    },
  },
  {
    // AMO access, page or guest-page fault: store/AMO fault (7, 15, 23) in popek, the load fault
    // (5, 13, 21) in QEMU.
    id: 'QDEV-6',
    test: (d, p, q) => (p.cause === 7 || p.cause === 15 || p.cause === 23) && q.cause === p.cause - 2 && p.epc === q.epc && isAmo(instAt(d, p.epc)),
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
    test: (d, p, q) => [5, 7, 13, 15, 21, 23].includes(p.cause) && instAt(d, p.epc)?.op === 'sc.w' && !same(p, q),
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
    // The same in H batches, for HS- and VS-level interrupts: QEMU takes the lowest-numbered of the
    // pending interrupts of one destination (popek: SEI, SSI, STI, SGEI, VSEI, VSSI, VSTI; for VS,
    // VSEI, VSSI, VSTI). A vectored stvec/vstvec makes the stub address differ too.
    id: 'QDEV-11', h: true,
    test: (d, p, q) => (p.cause & INT) !== 0 && (q.cause & INT) !== 0 && p.to === q.to && p.epc === q.epc
      && (q.cause & 0x1f) < (p.cause & 0x1f) && only(d, ['mcause', 'scause', 'vscause', 'mepc', 'sepc']),
  },
  {
    // Misaligned load that faults: popek reports the load's address, QEMU the address rounded down.
    id: 'QDEV-12',
    test: (d, p, q) => same(p, q) && (p.cause === 5 || p.cause === 13) && (q.tval === ((p.tval & ~3) >>> 0) || q.tval === ((p.tval & ~1) >>> 0)) && p.tval !== q.tval
      && only(d, ['mtval', 'stval', 'vstval']),
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
      // (or popek ran past the body's closing ECALL, which a store replaced)
      const past = off >= d.img.bodyWords[d.k]!.length && off < 0x200 / 4;
      return p.cause === 2 && !same(p, q) && ((i !== null && i.op !== 'illegal' && d.img.bodyWords[d.k]![off] !== (p.tval >>> 0)) || past);
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
    test: (d, p, q) => p.cause === 3 && same(p, q) && q.tval === 0 && onlyOrGva(d, ['mtval', 'stval', 'vstval']),
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

/** QDIFF-H-CLASS-1: rules for H batches (QDEV-H-*). */
const H_RULES: Rule[] = [
  {
    // VU-mode: a supervisor CSR that HS-mode could access, SRET, SFENCE.VMA: virtual instruction
    // (22) in popek, illegal instruction (2) in QEMU.
    id: 'QDEV-H-8', h: true,
    test: (d, p, q) => {
      const i = instAt(d, p.epc);
      return p.cause === 22 && q.cause === 2 && p.epc === q.epc && p.tval === q.tval && i !== null && regsEqual(d)
        && (('csr' in i && ((i.csr >>> 8) & 3) === 1) || ['sret', 'sfence.vma', 'hfence.vvma', 'hfence.gvma'].includes(i.op)
          || i.op.startsWith('hlv') || i.op.startsWith('hsv'));
    },
  },
  {
    // mstatus.TVM and TSR, which affect only HS-mode, make SFENCE.VMA, satp accesses and SRET
    // illegal in VS-mode in QEMU.
    id: 'QDEV-H-15', h: true,
    test: (d, p, q) => {
      const i = instAt(d, q.epc);
      if (q.cause !== 2 || i === null || (same(p, q) && p.tval === q.tval)) return false;
      const ms = d.prog.mstatus | (writtenCsrs(d).has(0x300) ? 0xffffffff : 0);
      const tvm = (ms & (1 << 20)) !== 0, tsr = (ms & (1 << 22)) !== 0;
      return (tvm && (i.op === 'sfence.vma' || ('csr' in i && i.csr === 0x180))) || (tsr && i.op === 'sret');
    },
  },
  {
    // HLV/HLVX/HSV that raise an illegal- or virtual-instruction exception: QEMU's xtval is not the
    // instruction (a stale value, or 0).
    id: 'QDEV-H-11', h: true,
    test: (d, p, q) => {
      const i = instAt(d, p.epc);
      return (p.cause === 2 || p.cause === 22) && same(p, q) && i !== null && (i.op.startsWith('hlv') || i.op.startsWith('hsv'))
        && only(d, ['mtval', 'stval']);
    },
  },
  {
    // A PMP (or PMA) refusal in two-stage translation — of a G-stage PTE read, or of the resulting
    // supervisor physical address: access fault (1, 5, 7) in popek, guest-page fault (20, 21, 23)
    // with htval/mtval2 in QEMU.
    id: 'QDEV-H-13', h: true,
    test: (d, p, q) => [1, 5, 7].includes(p.cause) && [20, 21, 23].includes(q.cause)
      && p.epc === q.epc && p.tval === q.tval && regsEqual(d),
  },
  {
    // A VS-stage page fault of an access made with V = 0 as though V = 1 (HLV, HLVX, HSV; M-mode
    // with MPRV = 1, MPV = 1): QEMU reports an access fault while the HS-level satp is Bare.
    id: 'QDEV-H-14', h: true,
    test: (d, p, q) => {
      const i = instAt(d, p.epc);
      return ((p.cause === 13 && q.cause === 5) || (p.cause === 15 && q.cause === 7)) && p.epc === q.epc && p.tval === q.tval
        && (d.qemu.csrs['satp']! >>> 31) === 0 && i !== null
        && (i.op.startsWith('hlv') || i.op.startsWith('hsv') || (d.prog.priv === 3 && !['jal', 'jalr'].includes(i.op))) && regsEqual(d);
    },
  },
  {
    // The same for G-stage faults of M-mode accesses with MPRV = 1 and MPV = 1: guest-page fault
    // (20, 21, 23) in popek, page fault (12, 13, 15) in QEMU.
    id: 'QDEV-H-14', h: true,
    test: (d, p, q) => [21, 23].includes(p.cause) && q.cause === p.cause - 8 && p.epc === q.epc && p.tval === q.tval
      && d.prog.priv === 3 && isLoadStore(instAt(d, p.epc)) && mayHaveMpv(d) && mayHave(d, 0x300, 1 << 17) && regsEqual(d),
  },
  {
    // Guest physical addresses at or above 4 GiB (Sv32x4 has 34-bit GPAs): QEMU raises a
    // guest-page fault (mtval2/htval = the GPA >> 2) where popek translates them.
    id: 'QDEV-H-16', h: true,
    test: (_d, p, q) => [20, 21, 23].includes(q.cause) && (q.tval2 >>> 0) >= 0x4000_0000 && !(same(p, q) && p.tval2 === q.tval2),
  },
  {
    // HLVX.HU/HLVX.WU: QEMU checks read permission, as for HLV, where the manual wants execute
    // permission (in both stages): it reads R-only pages and faults on X-only ones.
    id: 'QDEV-H-22', h: true,
    test: (d, p, q) => { const x = divergeAt(d, p, q) ?? { i: instAt(d, p.epc) }; return x.i !== null && x.i.op.startsWith('hlvx') && regsEqualBefore(d, p, q); },
  },
  {
    // An access made with V = 0 as though V = 1 at VS level (HLV/HLVX/HSV with SPVP = 1, M-mode MPRV
    // with MPV = 1 and MPP = S) to a VS-stage page with U = 1: vsstatus.SUM decides in popek; QEMU
    // lets the access through with vsstatus.SUM = 0.
    id: 'QDEV-H-23', h: true,
    test: (d, p, q) => {
      // QEMU goes on past popek's page fault, or faults later in the same translation.
      const x = divergeAt(d, p, q) ?? (p.cause !== q.cause ? { side: 'popek' as const, t: p, i: instAt(d, p.epc) } : null);
      return x !== null && x.side === 'popek' && [13, 15].includes(x.t.cause) && (isHyperLs(x.i) || (d.prog.priv === 3 && isLoadStore(x.i)))
        && someLeaf(d, (b) => (b & 0x10) !== 0, 'vs') && regsEqualBefore(d, p, q);
    },
  },
  {
    // MXR in two-stage translation: QEMU applies the MXR bit in effect (vsstatus.MXR with V = 1, the
    // HS-level MXR with V = 0) to both stages, the G-stage of implicit VS-table reads included, where
    // the manual has the VS-stage obey either and the G-stage of the explicit access only the
    // HS-level MXR (implicit reads need R).
    id: 'QDEV-H-24', h: true,
    test: (d, p, q) => {
      const x = divergeAt(d, p, q) ?? (same(p, q) ? null : { t: p, i: instAt(d, p.epc) });
      if (x === null || ![1, 5, 7, 12, 13, 15, 20, 21, 23].includes(x.t.cause)) return false;
      return (mayHave(d, 0x300, 1 << 19) || mayHave(d, 0x200, 1 << 19)) && someLeaf(d, (b) => (b & 0xa) === 0x8 || (b & 0x3) === 0x1)
        && regsEqualBefore(d, p, q);
    },
  },
  {
    // The A/D update of a PTE that PMP does not let the walk store: access fault (for the original
    // access type) in popek; QEMU writes the PTE and goes on.
    id: 'QDEV-H-28', h: true,
    test: (d, p, q) => {
      const deny = d.prog.h?.pmpDeny;
      if (deny === undefined || deny === null || (deny.perm & 2) !== 0 || !['groot', 'gl0', 'vsroot', 'vsl0'].includes(deny.region)) return false;
      const x = divergeAt(d, p, q) ?? (p.cause !== q.cause ? { side: 'popek' as const, t: p } : null);
      return x !== null && x.side === 'popek' && [1, 5, 7].includes(x.t.cause) && regsEqualBefore(d, p, q);
    },
  },
  {
    // A VS-level interrupt that QEMU takes and popek does not: QEMU also takes a value written to
    // vsip/vsie in bits 2, 6, 10 (no fields there) as the VS-level bits (QDEV-H-12).
    id: 'QDEV-H-12', h: true,
    test: (d, p, q) => (q.cause & INT) !== 0 && [1, 2, 5, 6, 9, 10].includes(q.cause & 0x1f) && !(same(p, q))
      && [0x104, 0x144, 0x204, 0x244].some((c) => writtenCsrs(d).has(c)),
  },
  {
    // M-mode load, store or AMO with MPRV = 1, MPP = M and MPV = 1: an M-level access without
    // translation in popek (MPV is ignored when MPP = M); QEMU translates it by the G-stage.
    id: 'QDEV-H-26', h: true,
    test: (d, p, q) => {
      if (d.prog.priv !== 3 || !mayHaveMpv(d) || !mayHave(d, 0x300, 1 << 17) || !mppMayBeM(d)) return false;
      // Where they part (one simulator's access faults), or the same end with the access gone
      // elsewhere (memory words and loaded registers differ).
      const x = divergeAt(d, p, q) ?? (same(p, q) ? null : { i: instAt(d, p.epc) });
      if (x !== null) return isLoadStore(x.i) && regsEqualBefore(d, p, q);
      return d.img.bodyWords[d.k]!.some((w) => isLoadStore(decode(w))) && d.diffs.every((f) => f.field.startsWith('mem[') || /^x\d+$/.test(f.field));
    },
  },
  {
    // MRET with MPP = M and MPV = 1: popek stays in M-mode with V = 0 (MPV is ignored when MPP = M);
    // QEMU sets V = 1 in M-mode, which swaps the VS CSRs into the S CSRs' places.
    id: 'QDEV-H-27', h: true,
    test: (d, p, q) => d.prog.priv === 3 && mayHaveMpv(d) && mppMayBeM(d)
      && d.img.bodyWords[d.k]!.some((w) => decode(w).op === 'mret')
      && (!same(p, q) || d.diffs.some((f) => ['sstatus', 'sie', 'sip', 'stvec', 'sscratch', 'sepc', 'scause', 'stval', 'satp', 'mstatus'].includes(f.field)
        || (f.field === 'mstatush' && ((f.qemu ?? 0) & 0x80) !== 0 && ((f.popek ?? 0) & 0x80) === 0))),
  },
  {
    // VU-mode WFI with mstatus.TW = 1: illegal instruction in popek, virtual instruction in QEMU.
    id: 'QDEV-H-17', h: true,
    test: (d, p, q) => p.cause === 2 && q.cause === 22 && p.epc === q.epc && instAt(d, p.epc)?.op === 'wfi' && regsEqual(d),
  },
  {
    // Exceptions 2 (illegal instruction) and 6 (store/AMO misaligned) delegated to VS-mode: QEMU
    // writes vscause 1 and 5, translating them as if they were the VS-level interrupt codes.
    id: 'QDEV-H-18', h: true,
    test: (d, p, q) => p.to === 'VS' && q.to === 'VS' && (p.cause === 2 || p.cause === 6) && q.cause === p.cause - 1 && p.epc === q.epc
      && p.tval === q.tval && regsEqual(d),
  },
  {
    // VS-mode access to satp with hstatus.VTVM = 1: virtual instruction in popek; QEMU performs it.
    id: 'QDEV-H-19', h: true,
    test: (d, p, q) => {
      const i = instAt(d, p.epc);
      return p.cause === 22 && !same(p, q) && i !== null && 'csr' in i && i.csr === 0x180;
    },
  },
  {
    // HS-mode access to hgatp with mstatus.TVM = 1: illegal instruction in popek; QEMU performs it.
    id: 'QDEV-H-20', h: true,
    test: (d, p, q) => {
      const i = instAt(d, p.epc);
      return p.cause === 2 && !same(p, q) && i !== null && 'csr' in i && i.csr === 0x680;
    },
  },
  {
    // A guest-page fault of an implicit VS-stage access (a VS-level PTE read) for an instruction
    // fetch or a store: instruction (20) or store/AMO (23) guest-page fault in popek — the original
    // access type — and load guest-page fault (21) in QEMU.
    id: 'QDEV-H-9', h: true,
    test: (d, p, q) => (p.cause === 20 || p.cause === 23) && q.cause === 21 && p.epc === q.epc && p.tval === q.tval && p.tinst === 0x2000 && regsEqual(d),
  },
  {
    // The A/D update of a VS-level PTE: popek checks it in the G-stage as a store (guest-page fault
    // with the write pseudoinstruction when the G-stage leaf of the page table forbids the store;
    // D set in that leaf); QEMU writes the PTE without a G-stage store check.
    id: 'QDEV-H-10', h: true,
    // QEMU goes on past that point: it ends elsewhere, or with a later fault of the same access.
    test: (d, p, q) => (p.cause === 20 || p.cause === 21 || p.cause === 23) && p.tinst === 0x2020
      && (!same(p, q) || p.tval2 !== q.tval2 || q.tinst !== 0x2020) && regsEqualBefore(d, p, q),
  },
  {
    // A/D bits of an access that faults later in its translation (the G-stage of the final guest
    // physical address) or in PMP: QEMU has already set them; popek sets A/D only for an access
    // that translates and passes PMP (MEM-ACCESS-1) — both readings of the manual are possible.
    id: 'QDEV-H-25', h: true,
    test: (d, p, q) => same(p, q) && [1, 5, 7, 12, 13, 15, 20, 21, 23].includes(p.cause) && d.diffs.length > 0
      && d.diffs.every((f) => f.field.startsWith('mem[') && f.popek === null && f.qemu !== null
        && (((f.qemu ^ pristine(d, f.field)) & ~0xc0) === 0) && isPte(d, f.field)),
  },
  {
    id: 'QDEV-H-10', h: true,
    test: (d) => d.diffs.length > 0 && d.diffs.every((f) => f.field.startsWith('mem[') && f.popek !== null
      && (((f.popek ^ (f.qemu ?? pristine(d, f.field))) >>> 0) === 0x80) && (f.popek & 0x80) !== 0 && isGLeaf(d, f.field)),
  },
];

/**
 * Where two runs part: the trap with the lower pc (the other simulator went on past that
 * instruction), its instruction, and which side took it; null when both trapped at the same pc.
 */
function divergeAt(d: Divergence, p: Trap, q: Trap): { side: 'popek' | 'qemu'; t: Trap; i: Inst | null } | null {
  if (p.epc === q.epc) return null;
  const body = d.img.placements[d.k]!.body;
  const inBody = (t: Trap): boolean => (t.epc >>> 0) >= body && (t.epc >>> 0) < body + 4 * d.img.bodyWords[d.k]!.length;
  // Bodies branch only forward; a trap outside the body came after a jump away from it.
  const first = inBody(p) && (!inBody(q) || (p.epc >>> 0) < (q.epc >>> 0)) ? 'popek' : inBody(q) ? 'qemu' : null;
  if (first === null) return null;
  const t = first === 'popek' ? p : q;
  return { side: first, t, i: instAt(d, t.epc) };
}
const isHyperLs = (i: Inst | null): boolean => i !== null && (i.op.startsWith('hlv') || i.op.startsWith('hsv'));
const isLoadStore = (i: Inst | null): boolean => i !== null && (['lb', 'lh', 'lw', 'lbu', 'lhu', 'sb', 'sh', 'sw', 'lr.w', 'sc.w'].includes(i.op) || i.op.startsWith('amo'));
/** mstatus/vsstatus bits the program may have had set (initially, or by a write in the body). */
function mayHave(d: Divergence, csr: 0x300 | 0x200, bit: number): boolean {
  const w = writtenCsrs(d);
  if (csr === 0x300) return (d.prog.mstatus & bit) !== 0 || w.has(0x300) || w.has(0x100);
  return ((d.prog.h?.csrs.find(([n]) => n === 0x200)?.[1] ?? 0) & bit) !== 0 || w.has(0x200) || w.has(0x100);
}

/**
 * QDEV-H-18: the cause of a QEMU trap into VS-mode as raised: vscause 1 with a trap value that is
 * not the pc was an illegal instruction (2); vscause 5 at a store or AMO was a store/AMO-address-
 * misaligned exception (6).
 */
function vsCauseRaised(d: Divergence, q: Trap): Trap {
  if (q.to !== 'VS') return q;
  if (q.cause === 1 && q.tval !== q.epc) return { ...q, cause: 2 };
  const i = instAt(d, q.epc);
  if (q.cause === 5 && i !== null && (['sb', 'sh', 'sw', 'sc.w'].includes(i.op) || i.op.startsWith('amo') || i.op.startsWith('hsv'))) return { ...q, cause: 6 };
  return q;
}

/**
 * Is `v` a transformed instruction ("Transformed Instruction or Pseudoinstruction") of the
 * instruction at `pc`: a load with imm = 0, a store with its offset fields 0, an AMO/LR/SC or HLV/HSV
 * as it is; each with rs1 replaced by the faulting address's offset (0..3)?
 */
function isTransformed(d: Divergence, pc: number, v: number): boolean {
  const p = d.img.placements[d.k]!;
  const off = ((pc >>> 0) - p.body) / 4;
  const w = d.img.bodyWords[d.k]![off];
  if (w === undefined || !Number.isInteger(off)) return false;
  const op = w & 0x7f;
  const base = op === 0x03 ? w & 0x0000_7fff : op === 0x23 ? w & 0x01f0_707f : op === 0x2f || (op === 0x73 && ((w >>> 12) & 7) === 4) ? w & ~0x000f_8000 : null;
  if (base === null) return false;
  return [0, 1, 2, 3].some((o) => ((base | (o << 15)) >>> 0) === (v >>> 0));
}

/** Does some generated leaf of the program's tables (both stages, or one) have bits `ok`? */
function someLeaf(d: Divergence, ok: (bits: number) => boolean, stage?: 'g' | 'vs'): boolean {
  const h = d.prog.h;
  if (h === undefined) return false;
  const g = stage !== 'vs' && h.g !== null ? [h.g.code, h.g.data4k, h.g.alias, h.g.data, h.g.pt, h.g.high, h.g.mega, h.g.odd] : [];
  const vs = stage !== 'g' && h.vs !== null ? [h.vs.code, h.vs.data4k, h.vs.alias, h.vs.mega, h.vs.odd] : [];
  return [...g, ...vs].some((b) => ok(b & 0xff));
}

/** mstatush.MPV may be 1 (initially, or by a write in the body). */
const mayHaveMpv = (d: Divergence): boolean =>
  ((d.prog.h?.csrs.find(([n]) => n === 0x310)?.[1] ?? 0) & 0x80) !== 0 || writtenCsrs(d).has(0x310);
/** mstatus.MPP may be M (initially, or by a write in the body). */
const mppMayBeM = (d: Divergence): boolean => ((d.prog.mstatus >>> 11) & 3) === 3 || writtenCsrs(d).has(0x300);

/** Does the body hold an instruction with property `ok`? */
const bodyHas = (d: Divergence, ok: (i: Inst) => boolean): boolean => d.img.bodyWords[d.k]!.some((w) => ok(decode(w)));

/** Is the watched word a page-table word of the program (either stage)? */
function isPte(d: Divergence, field: string): boolean {
  const a = parseInt(field.slice(4, -1), 16);
  const pt = d.img.placements[d.k]!.pt;
  return d.img.flavour === 'h' && a >= pt && a < pt + 0x7000;
}

/** Is the watched word a G-stage PTE of the program (its G root or level-0 table)? */
function isGLeaf(d: Divergence, field: string): boolean {
  const a = parseInt(field.slice(4, -1), 16);
  const pt = d.img.placements[d.k]!.pt;
  return d.img.flavour === 'h' && a >= pt && a < pt + 0x5000;
}

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
  if (i?.op === 'sc.w' && [5, 6, 7, 13, 15, 21, 23].includes(p.cause)) return p.cause === 6 ? 'QDEV-2' : 'QDEV-7';
  if (p.cause === 2 && i !== null && (i.op === 'csrrs' || i.op === 'csrrc') && i.rs1 !== 0 && reg(d.popek, i.rs1) === 0 && (i.csr >>> 10) === 3) return 'QDEV-4';
  if (pmpBeyond4G(d.prog) || noActivePmp(d.prog)) return pmpBeyond4G(d.prog) ? 'QDEV-13' : 'QDEV-9';
  if (d.img.flavour === 'h') {
    // QDIFF-H-CLASS-1: traps of popek that QEMU does not take (and then runs on).
    if (p.cause === 22 && i !== null && 'csr' in i && i.csr === 0x180) return 'QDEV-H-19';
    if (p.cause === 2 && i !== null && 'csr' in i && i.csr === 0x680) return 'QDEV-H-20';
    if (p.tinst === 0x2020) return 'QDEV-H-10';
    if (i !== null && i.op.startsWith('hlvx')) return 'QDEV-H-22';
    if ([13, 15].includes(p.cause) && (isHyperLs(i) || (d.prog.priv === 3 && isLoadStore(i))) && someLeaf(full, (b) => (b & 0x10) !== 0, 'vs')) return 'QDEV-H-23';
    if ([1, 5, 7, 12, 13, 15, 20, 21, 23].includes(p.cause) && (mayHave(full, 0x300, 1 << 19) || mayHave(full, 0x200, 1 << 19))
      && someLeaf(full, (b) => (b & 0xa) === 0x8 || (b & 0x3) === 0x1)) return 'QDEV-H-24';
  }
  return null;
}

/**
 * QDIFF-H-CLASS-1: differences of single fields that a recorded deviation explains whatever else
 * differs (H batches only): they are set aside before the rules look at the rest.
 */
interface FieldRule { id: string; explains(d: Divergence, f: FieldDiff): boolean }
const FIELD_RULES: FieldRule[] = [
  {
    // QEMU ignores writes to htinst (it holds what the last trap into HS or VS wrote, possibly in
    // an earlier program: 0 or a pseudoinstruction), and does not keep it on a trap into VS.
    id: 'QDEV-H-6',
    explains: (_d, f) => f.field === 'htinst' && (f.qemu === 0 || f.qemu === 0x2000 || f.qemu === 0x2020),
  },
  {
    // QEMU's hstatus.GVA on a trap into HS: 0 for instruction-address-misaligned traps from V = 1,
    // although stval holds a guest virtual address.
    id: 'QDEV-H-7',
    explains: (d, f) => f.field === 'hstatus' && f.popek !== null && f.qemu !== null && ((f.popek ^ f.qemu) >>> 0) === 0x40
      && (f.qemu & 0x40) === 0 && trapOf(d.popek).to === 'HS' && trapOf(d.popek).cause === 0,
  },
  {
    // mtinst/htinst: popek writes 0 where the manual also allows a transformed instruction (explicit
    // loads, stores, AMOs, HLV/HSV); a QEMU that writes one makes an allowed choice.
    id: 'QDEV-18',
    explains: (d, f) => (f.field === 'mtinst' || f.field === 'htinst') && f.popek === 0 && f.qemu !== null
      && isTransformed(d, f.field === 'mtinst' ? trapOf(d.qemu).epc : d.qemu.csrs['sepc']!, f.qemu),
  },
  {
    // A PTE word whose A/D bits popek's translation of a failing SC.W set and QEMU's untranslated
    // SC.W did not (QDEV-7), whatever else ends the program.
    id: 'QDEV-7',
    explains: (d, f) => f.field.startsWith('mem[') && f.popek !== null && isPte(d, f.field)
      && (((f.popek ^ (f.qemu ?? pristine(d, f.field))) & ~0xc0) === 0) && bodyHas(d, (i) => i.op === 'sc.w'),
  },
  {
    // A G-stage leaf whose D bit popek set for the A/D store of a VS-level PTE and QEMU did not (QDEV-H-10).
    id: 'QDEV-H-10',
    explains: (d, f) => f.field.startsWith('mem[') && f.popek !== null && (f.popek & 0x80) !== 0 && isGLeaf(d, f.field)
      && ((f.popek ^ (f.qemu ?? pristine(d, f.field))) >>> 0) === 0x80,
  },
  {
    // A register that read htinst (QEMU: 0 or the pseudoinstruction its last trap wrote).
    id: 'QDEV-H-6',
    explains: (d, f) => /^x\d+$/.test(f.field) && (f.qemu === 0 || f.qemu === 0x2000 || f.qemu === 0x2020)
      && d.img.bodyWords[d.k]!.some((w) => { const i = decode(w); return 'csr' in i && i.csr === 0x64a && `x${i.rd}` === f.field; }),
  },
  {
    // A trap into VS-mode: QEMU also writes htval (0 or a guest physical address >> 2) and clears
    // hstatus.GVA, which belong to HS-mode.
    id: 'QDEV-H-21',
    explains: (d, f) => trapOf(d.qemu).to === 'VS' && ((f.field === 'htval' && f.qemu !== null)
      || (f.field === 'hstatus' && f.popek !== null && f.qemu !== null && ((f.popek ^ f.qemu) >>> 0) === 0x40 && (f.qemu & 0x40) === 0)),
  },
  {
    // QEMU's vsip reads STIP and SEIP as 0 (popek: hip.VSTIP, VSEIP where hideleg delegates them).
    id: 'QDEV-H-12',
    explains: (_d, f) => f.field === 'vsip' && f.popek !== null && f.qemu !== null && ((f.popek ^ f.qemu) & ~0x220) === 0 && (f.qemu & 0x220) === 0,
  },
  {
    // QEMU's mstatush.GVA on a trap into M: 1 when V was 1 and mtval is nonzero, else unchanged.
    id: 'QDEV-H-7',
    explains: (d, f) => f.field === 'mstatush' && f.popek !== null && f.qemu !== null && ((f.popek ^ f.qemu) >>> 0) === 0x40
      && qemuGvaM(d, (f.qemu >>> 6) & 1),
  },
];

/**
 * QDEV-H-7: can QEMU 7.2's rule for mstatush.GVA on a trap into M-mode (GVA <- 1 when V = 1 before
 * the trap and mtval != 0; otherwise GVA keeps its value) give `gva` at the end of program d? The
 * value before the trap is 1 only if the prologue set it or the body wrote mstatush.
 */
function qemuGvaM(d: Divergence, gva: number): boolean {
  const c = d.qemu.csrs;
  const sets = (c['mstatush']! & 0x80) !== 0 && c['mtval'] !== 0;
  const before1 = ((d.prog.h?.csrs.find(([n]) => n === 0x310)?.[1] ?? 0) & 0x40) !== 0 || writtenCsrs(d).has(0x310);
  return gva === 1 ? sets || before1 : !sets;
}

/** QDIFF-CLASS-1: the ID of the recorded deviation that explains `d`, or null. */
export function classify(d0: Divergence): string | null {
  const h = d0.img.flavour === 'h';
  let d = d0;
  let setAside: string | null = null;
  if (h) {
    // QDIFF-H-CLASS-1: first set aside the fields that field rules explain, then the fields whose
    // values differ only in WARL bits; the rules look at what is left.
    const rest = d0.diffs.filter((f) => {
      const r = FIELD_RULES.find((x) => x.explains(d0, f));
      if (r !== undefined && setAside === null) setAside = r.id;
      return r === undefined;
    });
    const warl = warlMask(d0);
    const rest2 = rest.filter((f) => {
      const id = warl.explain(f);
      if (id !== null && setAside === null) setAside = id;
      return id === null;
    });
    if (rest2.length === 0) return setAside;
    d = { ...d0, diffs: rest2 };
  }
  const p = trapOf(d.popek), q = trapOf(d.qemu);
  // QDEV-H-18 changes the cause QEMU writes for illegal-instruction and store-misaligned traps into
  // VS-mode; the other rules see the cause QEMU raised.
  const qn = h ? vsCauseRaised(d, q) : q;
  for (const r of [...H_RULES, ...RULES]) if ((r.h !== true || h) && r.test(d, p, r.id === 'QDEV-H-18' ? q : qn)) return r.id;
  if (h) return null;
  // WARL differences: every differing value differs only in bits that QEMU keeps in a CSR the
  // program wrote (or that the dump reads back).
  const warl = warlMask(d);
  if (d.diffs.every((f) => warl.explain(f) !== null)) return warl.explain(d.diffs[0]!);
  return null;
}

/**
 * The WARL bits (QDEV-8, QDEV-14..18, QDEV-H-*) that QEMU may hold differently in the CSRs program d
 * writes (and, in H batches, reads): `explain(f)` names the group whose bits explain the
 * difference of field f, or null.
 */
function warlMask(d: Divergence): { explain(f: FieldDiff): string | null } {
  const h = d.img.flavour === 'h';
  const w = writtenCsrs(d);
  const groups: Array<[number, string]> = [];
  for (const [csrs, bits, id, only] of WARL_BITS) {
    if ((only === undefined || only === h) && csrs.some((c) => w.has(c))) groups.push([bits, id]);
  }
  if (h) {
    const r = readCsrs(d);
    for (const [csrs, bits, id] of READ_BITS) if (csrs.some((c) => r.has(c))) groups.push([bits, id]);
  }
  const mask = groups.reduce((m, [b]) => m | b, 0);
  return {
    explain: (f) => {
      if (mask === 0 || f.popek === null || f.qemu === null) return null;
      const x = (f.popek ^ f.qemu) >>> 0;
      if ((x & ~mask) !== 0) return null;
      return groups.find(([b]) => (x & ~b) === 0)?.[1] ?? groups[0]![1];
    },
  };
}
