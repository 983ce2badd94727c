/**
 * Test programs for differential testing against QEMU (QDIFF-PROG): what a generated program is,
 * and how a batch of them becomes one ELF that both popek and `qemu-system-riscv32 -M virt` run.
 *
 * Memory map of a batch image (all physical, in the 128 MiB RAM of QEMU virt):
 *
 *   0x8000_0000  trampoline to the harness entry (QEMU's reset vector jumps to the start of RAM)
 *   0x8100_0000  harness page: entry, M-mode trap vector (HVEC, 32 slots), trap handler, state dump,
 *                UART output, finisher
 *   0x8100_1000  S-mode stub page (SSTUB, 32 slots of `ecall`): stvec always points here, so a
 *                trap delegated to S ends the program with an ecall from S (never delegated)
 *   0x8100_2000  the handler's save area and variables
 *   0x8100_3000  per program, one 4 KiB cell per slot: the prologue (M-mode) that sets up the
 *                initial state at +0, the body (the generated instructions, then an `ecall`
 *                epilogue) at +0x800, the program's descriptor and table of watched words at +0xA00
 *   0x8140_0000  per program: 256-byte data area (1 KiB apart, 384 bytes into its KiB)
 *   0x8180_0000  per paging program: an Sv32 root table and one level-0 table (8 KiB)
 *
 * A program ends at its first trap into M-mode (a trap delegated to S reaches M through the S stub);
 * the handler then prints x1..x31, a fixed list of CSRs and the watched words that changed, and
 * jumps to the next program's prologue. The last one ends with the SiFive test finisher.
 *
 * H batches (QDIFF-H-PROG-1: every program has an `h` setup; the hart has the H extension) add a VS
 * stub (32 `ecall`s at SSTUB + 0x800; vstvec always points there, so a trap taken in VS-mode ends
 * with an ECALL from VS), the hypervisor and VS CSRs in the prologue and the dump, and per program
 * 32 KiB of page tables from PT_BASE: the G-stage (Sv32x4) root (16 KiB, 16 KiB aligned), one
 * G-stage level-0 table, and the VS-stage (Sv32) root and level-0 table, whose guest physical
 * addresses equal their physical ones (the G-stage maps their megapage to itself).
 */
import type { BranchOp, Inst } from '../isa/inst.js';
import { Asm, hiLo } from './asm.js';
import { writeElf } from '../formats/elf-writer.js';

export type Priv = 0 | 1 | 3;
/** Which hart a batch is for: the default RV32IMA one, or one with the H extension. */
export type Flavour = 'base' | 'h';

export const RAM_BASE = 0x8000_0000;
/**
 * Everything lives 16 MiB into RAM: addresses near 0x8000_0000 (INT_MIN, 0x7fffffff + small offsets)
 * are common generated values, and a stray store there must not hit the handler.
 */
export const HARNESS = RAM_BASE + 0x100_0000;
export const HVEC = HARNESS + 0x100;
export const SSTUB = HARNESS + 0x1000;
/** The handler's save area and variables: a page of their own (stores into a page that holds
 * code make QEMU throw away its translations of that page). */
export const SAVE = HARNESS + 0x2000;
export const HV_CUR = SAVE + 0x80;
export const HV_DUMMY = SAVE + 0x84;
export const CELL_BASE = HARNESS + 0x3000;
export const CELL_SIZE = 0x1000;
export const BODY_OFF = 0x800;
export const BODY_SIZE = 0x200;
export const DESC_OFF = 0xa00;
/** Cells end below the virtual windows VA_ALIAS / VA_DATA4K of the level-0 table. */
export const MAX_SLOTS = (HARNESS + 0x3f_0000 - CELL_BASE) / CELL_SIZE;
export const DATA_BASE = HARNESS + 0x40_0000;
export const DATA_SIZE = 256;
/**
 * Data areas are DATA_STRIDE apart, each DATA_GAP into its stride, so that the stray stores of one
 * program (offsets a little outside its area) do not land in its neighbours' watched words.
 */
export const DATA_STRIDE = 1024;
export const DATA_GAP = 384;
export const DATA_WORDS = DATA_SIZE / 4;
export const PT_BASE = HARNESS + 0x80_0000;
export const PT_LIMIT = RAM_BASE + 0x780_0000;
export const UART = 0x1000_0000;
export const FINISHER = 0x10_0000;
export const CLINT_MTIMECMP = 0x200_4000;

/** Virtual windows of the paging variant (see `Paging`). */
export const VA_DATA4K = HARNESS + 0x3f_f000;
export const VA_ALIAS = HARNESS + 0x3f_e000;
export const VA_MEGA = 0xc000_0000;
export const VA_ODD = 0xc040_0000;
/** H batches: the VS stub (32 `ecall`s; vstvec always points here), in the S stub's page. */
export const VSTUB = SSTUB + 0x800;
/** H batches: a guest physical window above 4 GiB that the G-stage maps onto the data region. */
export const GPA_HIGH = 0x3_0040_0000;
/** H batches: page tables per slot (G root 16 KiB, G level 0, VS root, VS level 0). */
export const H_PT_STRIDE = 0x8000;

/** PTE bits (Sv32). */
export const PTE = { V: 1, R: 2, W: 4, X: 8, U: 16, G: 32, A: 64, D: 128 } as const;

/** Where a register's (or xEPC's) initial value comes from. */
export type Value =
  | { k: 'v'; v: number }
  /** An address in this program's data area, seen through one of its windows. */
  | { k: 'data'; view: 'pa' | 'v4k' | 'alias' | 'mega' | 'odd'; off: number }
  /** The address of body item `item` (clamped to the epilogue) plus `off`. */
  | { k: 'code'; item: number; off: number }
  /** satp naming this program's page table with translation on (0 without paging). */
  | { k: 'satp'; asid: number }
  /** H: vsatp naming this program's VS-stage root (Sv32), or hgatp naming its G-stage root (Sv32x4). */
  | { k: 'vsatp'; asid: number }
  | { k: 'hgatp'; vmid: number };

/** One element of a program body. Branch and jump targets are forward, counted in items. */
export type Item =
  | { k: 'i'; inst: Inst }
  /** A conditional branch to the item `skip` ahead (1 = the next one); `odd` adds 2 to the target. */
  | { k: 'br'; op: BranchOp; rs1: number; rs2: number; skip: number; odd: boolean }
  | { k: 'jal'; rd: number; skip: number; odd: boolean }
  /** `lui tmp; addi tmp; csrrX rd, csr, tmp`: a CSR write whose operand the generator controls. */
  | { k: 'csr'; op: 'csrrw' | 'csrrs' | 'csrrc'; rd: number; tmp: number; csr: number; value: Value };

export interface Paging {
  /** satp.ASID. */
  asid: number;
  /** Leaf bits of the body's 4 KiB page (identity mapped). */
  code: number;
  /** Leaf bits of the 4 KiB page at VA_DATA4K and at VA_ALIAS (both map the data area's page). */
  data4k: number;
  alias: number;
  /** Leaf bits of the megapage at VA_MEGA (maps DATA_BASE, the data region). */
  mega: number;
  /** The root PTE at VA_ODD: whatever the generator likes (misaligned megapage, reserved bits...). */
  odd: number;
}

export interface PmpEntry { cfg: number; addr: number }

/**
 * H: the G-stage (Sv32x4) tables of a program, as leaf bits (and the PPNs the layout fixes). The
 * root maps GPA 0x8100_0000.. through a level-0 table (the S/VS stub page, identity, V|R|X|U|A; the
 * body's page, identity, `code`; GPA VA_ALIAS and VA_DATA4K onto the data page, `alias`, `data4k`),
 * the data region's megapage onto itself (`data`), the megapage of the VS tables onto itself
 * (`pt`), GPA_HIGH and VA_MEGA onto the data region (`high`, `mega`), and the root PTE for GPA
 * VA_ODD is anything (`odd`).
 */
export interface GStage {
  vmid: number;
  code: number;
  data4k: number;
  alias: number;
  data: number;
  pt: number;
  high: number;
  mega: number;
  odd: number;
}

/**
 * H: the VS-stage (Sv32) tables, in guest physical memory: the body's page (identity), the stub page
 * (identity, V|R|X|A), VA_DATA4K and VA_ALIAS onto the data page, the megapage at VA_MEGA onto the
 * data region at GPA DATA_BASE or GPA_HIGH, and the root PTE at VA_ODD is anything.
 */
export interface VsStage {
  asid: number;
  code: number;
  data4k: number;
  alias: number;
  mega: number;
  megaHigh: boolean;
  odd: number;
}

/** H: what a program of an H batch sets up besides the base state. */
export interface HSetup {
  /** The body runs with V = 1 (VS for priv 1, VU for priv 0). */
  v: 0 | 1;
  /** How V = 1 is entered: MRET with MPV = 1, or MRET into HS and then SRET with SPV = 1. */
  entry: 'mret' | 'sret';
  /** Hypervisor, VS and machine H CSRs set by the prologue (0 unless given): [number, value]. */
  csrs: ReadonlyArray<readonly [number, number]>;
  /** hgatp: Sv32x4 with these tables, or Bare (0). */
  g: GStage | null;
  /** vsatp: Sv32 with these tables, or Bare (0). */
  vs: VsStage | null;
  /** vsepc's initial value. */
  vsepc: Value;
  /**
   * PMP: null for entry 0 RWX over everything; else entry 0 is a NAPOT region over one of the
   * program's pages (its data page, a table of either stage, its code page) with `perm` (R/W/X
   * bits) and entry 1 RWX over everything.
   */
  pmpDeny: { perm: number; region: PmpRegion } | null;
}
export type PmpRegion = 'data' | 'code' | 'vsroot' | 'vsl0' | 'groot' | 'gl0';

export interface TestProgram {
  /** The privilege mode the body starts in. */
  priv: Priv;
  /** Initial mstatus (MPP is replaced by `priv` for S and U; MIE by `mie` below). */
  mstatus: number;
  /** mstatus.MIE when the body starts (for M-mode bodies; S/U bodies get MPIE). */
  mie: boolean;
  /** Other CSRs set by the prologue, in order: [csr number, value]. */
  csrs: ReadonlyArray<readonly [number, number]>;
  mepc: Value;
  sepc: Value;
  /** x1..x31. */
  regs: readonly Value[];
  /** The data area's initial words. */
  data: readonly number[];
  /** Sv32 translation (satp = root | ASID | MODE), or none (satp = 0). */
  paging: Paging | null;
  /**
   * PMP entries 0..7 (cfg byte, pmpaddr). 'all': entry 0 is NAPOT over everything with RWX.
   * 'off': every entry OFF. Entries 13..15 are the handler's scratch registers and stay OFF.
   */
  pmp: 'all' | 'off' | readonly PmpEntry[];
  body: readonly Item[];
  /** Present in (and only in) the programs of an H batch (QDIFF-H-PROG-1). */
  h?: HSetup;
}

/** CSRs that the dump prints after x1..x31, in this order (mstatus as it was at the trap). */
export const DUMP_CSRS: ReadonlyArray<readonly [string, number]> = [
  ['mstatus', 0x300], ['mcause', 0x342], ['mepc', 0x341], ['mtval', 0x343], ['mscratch', 0x340],
  ['mtvec', 0x305], ['medeleg', 0x302], ['mideleg', 0x303], ['mie', 0x304], ['mip', 0x344],
  ['mcounteren', 0x306], ['scounteren', 0x106], ['sstatus', 0x100], ['sie', 0x104], ['sip', 0x144],
  ['stvec', 0x105], ['sscratch', 0x140], ['sepc', 0x141], ['scause', 0x142], ['stval', 0x143],
  ['satp', 0x180], ['misa', 0x301], ['menvcfg', 0x30a], ['mcountinhibit', 0x320],
  ['pmpcfg0', 0x3a0], ['pmpcfg1', 0x3a1],
  ['pmpaddr0', 0x3b0], ['pmpaddr1', 0x3b1], ['pmpaddr2', 0x3b2], ['pmpaddr3', 0x3b3],
  ['pmpaddr4', 0x3b4], ['pmpaddr5', 0x3b5], ['pmpaddr6', 0x3b6], ['pmpaddr7', 0x3b7],
];

/**
 * CSRs every prologue writes (0 unless the program's `csrs` say otherwise), so that nothing leaks
 * from one program of a batch into the next.
 */
export const PROLOGUE_CSRS: readonly number[] = [
  0x302, 0x303, 0x304, 0x344, 0x340, 0x140, 0x342, 0x343, 0x142, 0x143, 0x306, 0x106, 0x30a, 0x10a, 0x320,
];

/** H batches: the hypervisor, VS and machine H CSRs the dump prints after DUMP_CSRS (QDIFF-H-DUMP-1). */
export const DUMP_CSRS_H_EXTRA: ReadonlyArray<readonly [string, number]> = [
  ['mstatush', 0x310], ['mtval2', 0x34b], ['mtinst', 0x34a],
  ['hstatus', 0x600], ['hedeleg', 0x602], ['hideleg', 0x603], ['hie', 0x604], ['hip', 0x644], ['hvip', 0x645],
  ['hcounteren', 0x606], ['hgeie', 0x607], ['hgeip', 0xe12], ['htimedelta', 0x605], ['htimedeltah', 0x615],
  ['htval', 0x643], ['htinst', 0x64a], ['hgatp', 0x680], ['henvcfg', 0x60a], ['henvcfgh', 0x61a],
  ['vsstatus', 0x200], ['vsie', 0x204], ['vsip', 0x244], ['vstvec', 0x205], ['vsscratch', 0x240],
  ['vsepc', 0x241], ['vscause', 0x242], ['vstval', 0x243], ['vsatp', 0x280],
];
export const DUMP_CSRS_H: ReadonlyArray<readonly [string, number]> = [...DUMP_CSRS, ...DUMP_CSRS_H_EXTRA];
/** The dump's CSR list of a flavour. */
export const dumpCsrs = (f: Flavour): ReadonlyArray<readonly [string, number]> => (f === 'h' ? DUMP_CSRS_H : DUMP_CSRS);

/**
 * H batches: CSRs the prologue writes besides PROLOGUE_CSRS (0 unless the program's `h.csrs` say
 * otherwise), in this order: mip is written before hvip (mip.VSSIP is an alias of hvip.VSSIP).
 */
export const PROLOGUE_CSRS_H: readonly number[] = [
  0x645, 0x602, 0x603, 0x606, 0x607, 0x60a, 0x61a, 0x605, 0x615, 0x643, 0x64a,
  0x200, 0x240, 0x241, 0x242, 0x243, 0x34a, 0x34b, 0x310, 0x600,
];

/** misa as both simulators report it: RV32 I M A S U (and H). */
export const misaOf = (f: Flavour): number => (f === 'h' ? 0x40141181 : 0x40141101);

/** The flavour of a batch: 'h' when its programs have an H setup (all or none of them must). */
export function flavourOf(programs: readonly TestProgram[]): Flavour {
  const n = programs.filter((p) => p.h !== undefined).length;
  if (n !== 0 && n !== programs.length) throw new Error('a batch mixes H and base programs');
  return n > 0 ? 'h' : 'base';
}

/** Where one program of a batch lives. */
export interface Placement {
  slot: number;
  prologue: number;
  body: number;
  data: number;
  /** Root table (level-0 table at root + 4096), or 0. H batches: the G-stage root (see hTables). */
  pt: number;
  /** Address of the prologue's last instruction (MRET into S/U, or the jump into an M body). */
  enter: number;
}

export interface BatchImage {
  flavour: Flavour;
  elf: Uint8Array;
  entry: number;
  placements: Placement[];
  /** Address of every body item (and, last, of the epilogue), per program. */
  itemAddrs: number[][];
  /** The instruction words of each body (including the epilogue `ecall`), for disassembly. */
  bodyWords: number[][];
  /** Per program: the values of x1..x31 and DUMP_CSRS that the dump leaves out when unchanged. */
  expected: number[][];
  /** Per program: the watched words and their initial values. */
  watched: Array<Array<[number, number]>>;
  /** Handler entry (HCOMMON) and its end, for pre-screening. */
  handler: number;
  segments: Array<{ addr: number; bytes: Uint8Array }>;
}

const X = { zero: 0, ra: 1, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9, a0: 10, s2: 18, s3: 19, t3: 28, t4: 29 } as const;

/** Number of instructions an item assembles to. */
export const itemLength = (it: Item): number => (it.k === 'csr' ? 3 : 1);

/** The longest body (items × instructions, plus the epilogue) that fits a body slot. */
export const MAX_BODY_WORDS = BODY_SIZE / 4;

/** Physical address of the data area of `slot`, and its addresses in the windows of the paging variant. */
export function dataAddress(p: Placement, view: 'pa' | 'v4k' | 'alias' | 'mega' | 'odd', off: number): number {
  const pa = p.data + off;
  switch (view) {
    case 'pa': return pa >>> 0;
    case 'v4k': return (VA_DATA4K + (pa & 0xfff)) >>> 0;
    case 'alias': return (VA_ALIAS + (pa & 0xfff)) >>> 0;
    case 'mega': return (VA_MEGA + (pa - DATA_BASE)) >>> 0;
    default: return (VA_ODD + (pa - DATA_BASE)) >>> 0;
  }
}

function resolveValue(v: Value, p: Placement, items: readonly number[], paging: Paging | null): number {
  switch (v.k) {
    case 'v': return v.v >>> 0;
    case 'data': return dataAddress(p, v.view, v.off);
    case 'satp': return paging === null ? 0 : satpOf(p, { ...paging, asid: v.asid });
    case 'vsatp': return vsatpOf(p, v.asid);
    case 'hgatp': return hgatpOf(p, v.vmid);
    default: return (items[Math.max(0, Math.min(v.item, items.length - 1))]! + v.off) >>> 0;
  }
}

/** The page-table words of a paging program: [physical address, value] (all other words are 0). */
export function pageTableWords(p: Placement, pg: Paging): Array<[number, number]> {
  const root = p.pt, l0 = p.pt + 4096;
  const leaf = (pa: number, bits: number): number => (((pa >>> 12) << 10) | (bits & 0x3ff)) >>> 0;
  const dataPage = p.data & ~0xfff;
  const words: Array<[number, number]> = [
    [root + 4 * (HARNESS >>> 22), leaf(l0, PTE.V)],
    [root + 4 * (VA_MEGA >>> 22), leaf(DATA_BASE, pg.mega)],
    [root + 4 * (VA_ODD >>> 22), pg.odd >>> 0],
    [l0 + 4 * ((SSTUB >>> 12) & 0x3ff), leaf(SSTUB, PTE.V | PTE.R | PTE.X | PTE.A)],
    [l0 + 4 * ((p.body >>> 12) & 0x3ff), leaf(p.body & ~0xfff, pg.code)],
    [l0 + 4 * ((VA_ALIAS >>> 12) & 0x3ff), leaf(dataPage, pg.alias)],
    [l0 + 4 * ((VA_DATA4K >>> 12) & 0x3ff), leaf(dataPage, pg.data4k)],
  ];
  return words;
}

/** H: where the four tables of a program are (guest physical = physical for the VS ones). */
export const hTables = (p: Placement): { gRoot: number; gL0: number; vsRoot: number; vsL0: number } =>
  ({ gRoot: p.pt, gL0: p.pt + 0x4000, vsRoot: p.pt + 0x5000, vsL0: p.pt + 0x6000 });
/** H: vsatp (Sv32) naming the program's VS-stage root; hgatp (Sv32x4) naming its G-stage root. */
export const vsatpOf = (p: Placement, asid: number): number => ((1 << 31) | ((asid & 0x1ff) << 22) | (hTables(p).vsRoot >>> 12)) >>> 0;
export const hgatpOf = (p: Placement, vmid: number): number => ((1 << 31) | ((vmid & 0x7f) << 22) | (hTables(p).gRoot >>> 12)) >>> 0;

/** H: the page-table words of both stages: [physical address, value] (all other words are 0). */
export function hPageTableWords(p: Placement, h: HSetup): Array<[number, number]> {
  const t = hTables(p);
  // Physical addresses up to 34 bits (GPA_HIGH); `x & ~0xfff` values may come in negative.
  const leaf = (pa: number, bits: number): number => ((Math.floor((pa < 0 ? pa + 2 ** 32 : pa) / 4096) * 1024 + (bits & 0x3ff)) >>> 0);
  const ptr = (pa: number): number => leaf(pa, PTE.V);
  const dataPage = p.data & ~0xfff;
  const l0 = (table: number, va: number): number => table + 4 * ((va >>> 12) & 0x3ff);
  const root = (table: number, gpa: number): number => table + 4 * Math.floor(gpa / 2 ** 22);
  const words: Array<[number, number]> = [];
  const g = h.g;
  if (g !== null) {
    const ptMega = Math.floor(t.vsRoot / 2 ** 22) * 2 ** 22;
    words.push(
      [root(t.gRoot, HARNESS), ptr(t.gL0)],
      [root(t.gRoot, DATA_BASE), leaf(DATA_BASE, g.data)],
      [root(t.gRoot, ptMega), leaf(ptMega, g.pt)],
      [root(t.gRoot, VA_MEGA), leaf(DATA_BASE, g.mega)],
      [root(t.gRoot, VA_ODD), g.odd >>> 0],
      [root(t.gRoot, GPA_HIGH), leaf(DATA_BASE, g.high)],
      [l0(t.gL0, SSTUB), leaf(SSTUB, PTE.V | PTE.R | PTE.X | PTE.U | PTE.A)],
      [l0(t.gL0, p.body), leaf(p.body & ~0xfff, g.code)],
      [l0(t.gL0, VA_ALIAS), leaf(dataPage, g.alias)],
      [l0(t.gL0, VA_DATA4K), leaf(dataPage, g.data4k)],
    );
  }
  const vs = h.vs;
  if (vs !== null) {
    words.push(
      [root(t.vsRoot, HARNESS), ptr(t.vsL0)],
      [root(t.vsRoot, VA_MEGA), leaf(vs.megaHigh ? GPA_HIGH : DATA_BASE, vs.mega)],
      [root(t.vsRoot, VA_ODD), vs.odd >>> 0],
      [l0(t.vsL0, SSTUB), leaf(SSTUB, PTE.V | PTE.R | PTE.X | PTE.A)],
      [l0(t.vsL0, p.body), leaf(p.body & ~0xfff, vs.code)],
      [l0(t.vsL0, VA_ALIAS), leaf(dataPage, vs.alias)],
      [l0(t.vsL0, VA_DATA4K), leaf(dataPage, vs.data4k)],
    );
  }
  return words;
}

/** H: PMP entries 0 (NAPOT over one page, or the 16 KiB G root, with `perm`) and 1 (everything RWX). */
export function hPmpEntries(p: Placement, region: PmpRegion, perm: number): PmpEntry[] {
  const t = hTables(p);
  const page = region === 'data' ? p.data & ~0xfff : region === 'code' ? p.body & ~0xfff
    : region === 'vsroot' ? t.vsRoot : region === 'vsl0' ? t.vsL0 : region === 'gl0' ? t.gL0 : t.gRoot;
  const ones = region === 'groot' ? 0x7ff : 0x1ff;
  return [{ cfg: (3 << 3) | (perm & 7), addr: ((page >>> 2) | ones) >>> 0 }, { cfg: 0x1f, addr: 0xffffffff }];
}

/** satp of a paging program. */
export const satpOf = (p: Placement, pg: Paging): number => ((1 << 31) | ((pg.asid & 0x1ff) << 22) | (p.pt >>> 12)) >>> 0;

const MPP_SHIFT = 11;

/** QDIFF-PROG-1: assemble a batch of programs into one ELF (program k in slot `slots[k]`, default k). */
export function buildBatch(programs: readonly TestProgram[], slots?: readonly number[], opts: { haltOnTrap?: boolean } = {}): BatchImage {
  const flavour = flavourOf(programs);
  const DUMP = dumpCsrs(flavour);
  const h = new Asm(HARNESS);
  const s = X;
  // ---- entry: park mtimecmp at the far future (no timer interrupt, MTIP clear), then program 0.
  h.li(s.t0, CLINT_MTIMECMP);
  h.i({ op: 'addi', rd: s.t1, rs1: 0, imm: -1 });
  h.i({ op: 'sw', rs1: s.t0, rs2: s.t1, imm: 0 });
  h.i({ op: 'sw', rs1: s.t0, rs2: s.t1, imm: 4 });
  h.la(s.t0, 'first');
  h.i({ op: 'jalr', rd: 0, rs1: s.t0, imm: 0 });
  h.align(0x100);
  // ---- HVEC: every vector slot goes to the common handler.
  if (h.pc !== HVEC) throw new Error('harness layout: HVEC');
  // (For pre-screening, QDIFF-RUN-2, every slot halts instead.)
  for (let k = 0; k < 32; k++) h.j(opts.haltOnTrap === true ? 'phalt' : 'hcommon');
  const handler = h.label('hcommon');
  // Save x1, x2 and the trap-time mstatus in PMP address registers 15, 14, 13 (entries that stay
  // OFF), clear MPRV so that the handler's loads and stores are physical, then save x3..x31.
  h.csrw(0x3bf, 1);
  h.csrw(0x3be, 2);
  h.csrr(1, 0x300);
  h.csrw(0x3bd, 1);
  h.i({ op: 'lui', rd: 2, imm: 0x20000 });
  h.i({ op: 'csrrc', rd: 0, rs1: 2, csr: 0x300 });
  h.li(2, SAVE);
  for (let r = 3; r < 32; r++) h.i({ op: 'sw', rs1: 2, rs2: r, imm: 4 * r });
  h.csrr(1, 0x3bf); h.i({ op: 'sw', rs1: 2, rs2: 1, imm: 4 });
  h.csrr(1, 0x3be); h.i({ op: 'sw', rs1: 2, rs2: 1, imm: 8 });
  h.csrr(1, 0x3bd); h.i({ op: 'sw', rs1: 2, rs2: 1, imm: 0 });
  // ---- dump: "\n@<index>" then " <id>=<value>" for each of x1..x31 and DUMP_CSRS whose value
  // differs from the program's expected value (its initial one), " |", then " <addr>:<value>" for
  // each watched word that changed, then " $\n". Printing only changes keeps the UART traffic,
  // which dominates QEMU's time, small.
  h.li(s.s0, HV_CUR);
  h.i({ op: 'lw', rd: s.s0, rs1: s.s0, imm: 0 });
  h.i({ op: 'lw', rd: 20, rs1: s.s0, imm: 16 }); // s4: expected values
  h.li(s.s1, SAVE);
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 10 }); h.call('putc');
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 64 }); h.call('putc');
  h.i({ op: 'lw', rd: s.a0, rs1: s.s0, imm: 0 });
  h.i({ op: 'addi', rd: 12, rs1: 0, imm: 8 }); h.call('puthexn');
  for (let r = 1; r < 32; r++) {
    h.i({ op: 'lw', rd: s.a0, rs1: s.s1, imm: 4 * r });
    h.i({ op: 'addi', rd: 11, rs1: 0, imm: r - 1 }); h.call('putitem');
  }
  DUMP.forEach(([name, num], n) => {
    if (name === 'mstatus') h.i({ op: 'lw', rd: s.a0, rs1: s.s1, imm: 0 });
    else h.csrr(s.a0, num);
    h.i({ op: 'addi', rd: 11, rs1: 0, imm: 31 + n }); h.call('putitem');
  });
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 32 }); h.call('putc');
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 124 }); h.call('putc'); // '|'
  h.i({ op: 'lw', rd: s.s2, rs1: s.s0, imm: 4 });
  h.i({ op: 'lw', rd: s.s3, rs1: s.s0, imm: 8 });
  h.label('wloop');
  h.branch('beq', s.s2, 0, 'wdone');
  h.i({ op: 'lw', rd: s.t0, rs1: s.s3, imm: 0 });
  h.i({ op: 'lw', rd: s.t1, rs1: s.t0, imm: 0 });
  h.i({ op: 'lw', rd: s.t2, rs1: s.s3, imm: 4 });
  h.branch('beq', s.t1, s.t2, 'wnext');
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 32 }); h.call('putc');
  h.i({ op: 'lw', rd: s.a0, rs1: s.s3, imm: 0 });
  h.i({ op: 'addi', rd: 12, rs1: 0, imm: 8 }); h.call('puthexn');
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 58 }); h.call('putc'); // ':'
  h.i({ op: 'lw', rd: s.t0, rs1: s.s3, imm: 0 });
  h.i({ op: 'lw', rd: s.a0, rs1: s.t0, imm: 0 });
  h.i({ op: 'addi', rd: 12, rs1: 0, imm: 8 }); h.call('puthexn');
  h.label('wnext');
  h.i({ op: 'addi', rd: s.s3, rs1: s.s3, imm: 8 });
  h.i({ op: 'addi', rd: s.s2, rs1: s.s2, imm: -1 });
  h.j('wloop');
  h.label('wdone');
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 32 }); h.call('putc');
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 36 }); h.call('putc'); // '$'
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 10 }); h.call('putc');
  // Drop any LR reservation so it cannot leak into the next program.
  h.li(s.t0, HV_DUMMY);
  h.i({ op: 'sc.w', rd: 0, rs1: s.t0, rs2: 0, aq: 0, rl: 0 });
  h.i({ op: 'lw', rd: s.t0, rs1: s.s0, imm: 12 });
  h.i({ op: 'jalr', rd: 0, rs1: s.t0, imm: 0 });
  // ---- putitem(a0 = value, a1 = item id): print " <id>=<value>" unless value = expected[id].
  // Uses s5, s6 and what putc/puthexn use.
  h.label('putitem');
  h.i({ op: 'slli', rd: s.t0, rs1: 11, shamt: 2 });
  h.i({ op: 'add', rd: s.t0, rs1: s.t0, rs2: 20 });
  h.i({ op: 'lw', rd: s.t0, rs1: s.t0, imm: 0 });
  h.branch('bne', s.t0, s.a0, 'pitem');
  h.ret();
  h.label('pitem');
  h.i({ op: 'addi', rd: 21, rs1: 1, imm: 0 });
  h.i({ op: 'addi', rd: 22, rs1: s.a0, imm: 0 });
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 32 }); h.call('putc');
  h.i({ op: 'slli', rd: s.a0, rs1: 11, shamt: 24 });
  h.i({ op: 'addi', rd: 12, rs1: 0, imm: 2 }); h.call('puthexn');
  h.i({ op: 'addi', rd: s.a0, rs1: 0, imm: 61 }); h.call('putc'); // '='
  h.i({ op: 'addi', rd: s.a0, rs1: 22, imm: 0 });
  h.i({ op: 'addi', rd: 12, rs1: 0, imm: 8 }); h.call('puthexn');
  h.i({ op: 'jalr', rd: 0, rs1: 21, imm: 0 });
  // ---- puthexn(a0, a2 = n): the top n hex digits of a0. Uses t0..t4; return address in t2.
  h.label('puthexn');
  h.i({ op: 'addi', rd: s.t2, rs1: 1, imm: 0 });
  h.i({ op: 'addi', rd: s.t0, rs1: s.a0, imm: 0 });
  h.i({ op: 'addi', rd: s.t1, rs1: 12, imm: 0 });
  h.label('hloop');
  h.i({ op: 'srli', rd: s.a0, rs1: s.t0, shamt: 28 });
  h.i({ op: 'addi', rd: s.a0, rs1: s.a0, imm: 48 });
  h.i({ op: 'addi', rd: s.t3, rs1: 0, imm: 58 });
  h.branch('blt', s.a0, s.t3, 'hdigit');
  h.i({ op: 'addi', rd: s.a0, rs1: s.a0, imm: 39 });
  h.label('hdigit');
  h.call('putc');
  h.i({ op: 'slli', rd: s.t0, rs1: s.t0, shamt: 4 });
  h.i({ op: 'addi', rd: s.t1, rs1: s.t1, imm: -1 });
  h.branch('bne', s.t1, 0, 'hloop');
  h.i({ op: 'jalr', rd: 0, rs1: s.t2, imm: 0 });
  // ---- putc(a0): wait for THR empty (LSR bit 5), then write. Uses t3, t4.
  h.label('putc');
  h.i({ op: 'lui', rd: s.t4, imm: UART });
  h.label('pwait');
  h.i({ op: 'lbu', rd: s.t3, rs1: s.t4, imm: 5 });
  h.i({ op: 'andi', rd: s.t3, rs1: s.t3, imm: 0x20 });
  h.branch('beq', s.t3, 0, 'pwait');
  h.i({ op: 'sb', rs1: s.t4, rs2: s.a0, imm: 0 });
  h.ret();
  // ---- finish: the SiFive test finisher's PASS.
  h.label('finish');
  h.i({ op: 'lui', rd: s.t0, imm: FINISHER });
  h.li(s.t1, 0x5555);
  h.i({ op: 'sw', rs1: s.t0, rs2: s.t1, imm: 0 });
  h.label('hang');
  h.j('hang');
  h.label('phalt');
  h.i({ op: 'lui', rd: 2, imm: 0x20000 });
  h.i({ op: 'csrrc', rd: 0, rs1: 2, csr: 0x300 });
  h.j('finish');
  if (h.pc > SSTUB) throw new Error('harness layout: handler overlaps the S stub');

  // ---- S stub page.
  const stub = new Asm(SSTUB);
  for (let k = 0; k < 32; k++) stub.i({ op: 'ecall' });
  if (flavour === 'h') {
    // QDIFF-H-PROG-1: the VS stub (vstvec's only target).
    stub.align(VSTUB - SSTUB);
    for (let k = 0; k < 32; k++) stub.i({ op: 'ecall' });
  }

  // ---- programs, one cell each.
  const cells: Array<{ addr: number; bytes: Uint8Array }> = [];
  const dataSegWords: number[] = [];
  const ptWords: Array<[number, number]> = [];
  const placements: Placement[] = [];
  const itemAddrs: number[][] = [];
  const bodyWords: number[][] = [];
  const expected: number[][] = [];
  const watched: Array<Array<[number, number]>> = [];
  const slotOf = (k: number): number => slots?.[k] ?? k;
  let maxSlot = -1;
  programs.forEach((prog, k) => {
    const slot = slotOf(k);
    if (!(slot >= 0 && slot < MAX_SLOTS)) throw new Error(`slot ${slot} out of range`);
    maxSlot = Math.max(maxSlot, slot);
    const cell = CELL_BASE + slot * CELL_SIZE;
    const hs = prog.h;
    const p: Placement = {
      slot, prologue: cell, body: cell + BODY_OFF, data: DATA_BASE + slot * DATA_STRIDE + DATA_GAP,
      pt: hs !== undefined ? PT_BASE + slot * H_PT_STRIDE : prog.paging !== null ? PT_BASE + slot * 8192 : 0, enter: 0,
    };
    if (p.pt + (hs !== undefined ? H_PT_STRIDE : 8192) > PT_LIMIT) throw new Error(`slot ${slot}: page tables out of range`);
    placements.push(p);
    // Body: item addresses first (branch targets and 'code' values need them).
    const addrs: number[] = [];
    let a = p.body;
    for (const it of prog.body) { addrs.push(a); a += 4 * itemLength(it); }
    addrs.push(a); // the epilogue
    if ((a - p.body) / 4 > MAX_BODY_WORDS) throw new Error(`body of program ${k} is too long`);
    itemAddrs.push(addrs);
    const b = new Asm(p.body);
    prog.body.forEach((it, n) => {
      const target = (skip: number, odd: boolean): number => addrs[Math.min(n + Math.max(1, skip), addrs.length - 1)]! + (odd ? 2 : 0);
      switch (it.k) {
        case 'i': b.i(it.inst); break;
        case 'br': b.fix((pc) => ({ op: it.op, rs1: it.rs1, rs2: it.rs2, imm: target(it.skip, it.odd) - pc })); break;
        case 'jal': b.fix((pc) => ({ op: 'jal', rd: it.rd, imm: target(it.skip, it.odd) - pc })); break;
        default:
          b.li(it.tmp, resolveValue(it.value, p, addrs, prog.paging));
          b.i({ op: it.op, rd: it.rd, rs1: it.tmp, csr: it.csr } as Inst);
      }
    });
    b.i({ op: 'ecall' });
    const bb = b.bytes();
    const words: number[] = [];
    const dv = new DataView(bb.buffer);
    for (let o = 0; o < bb.length; o += 4) words.push(dv.getUint32(o, true));
    bodyWords.push(words);
    // Data area and page tables; the watched words are both.
    for (let w = 0; w < DATA_WORDS; w++) dataSegWords[(p.data - DATA_BASE) / 4 + w] = (prog.data[w] ?? 0) >>> 0;
    const watch: Array<[number, number]> = [];
    for (let w = 0; w < DATA_WORDS; w++) watch.push([p.data + 4 * w, (prog.data[w] ?? 0) >>> 0]);
    if (hs !== undefined) {
      for (const pw of hPageTableWords(p, hs)) { ptWords.push(pw); watch.push(pw); }
    } else if (prog.paging !== null) {
      for (const pw of pageTableWords(p, prog.paging)) { ptWords.push(pw); watch.push(pw); }
    }
    // Prologue. First the watched words get their initial values again: a program that QEMU runs
    // on past a recorded deviation may have stored into its neighbours' data.
    const pro = new Asm(cell);
    const watchAt = cell + DESC_OFF + 20 + 4 * (31 + DUMP.length);
    pro.li(s.t0, watchAt);
    pro.li(s.t1, watch.length);
    pro.label('restore');
    pro.i({ op: 'lw', rd: s.t2, rs1: s.t0, imm: 0 });
    pro.i({ op: 'lw', rd: s.t3, rs1: s.t0, imm: 4 });
    pro.i({ op: 'sw', rs1: s.t2, rs2: s.t3, imm: 0 });
    pro.i({ op: 'addi', rd: s.t0, rs1: s.t0, imm: 8 });
    pro.i({ op: 'addi', rd: s.t1, rs1: s.t1, imm: -1 });
    pro.branch('bne', s.t1, 0, 'restore');
    pro.li(s.t0, cell + DESC_OFF);
    pro.li(s.t1, HV_CUR);
    pro.i({ op: 'sw', rs1: s.t1, rs2: s.t0, imm: 0 });
    // PMP: everything off first, then addresses, then the configuration of entries 0..7.
    for (let r = 0; r < 4; r++) pro.csrw(0x3a0 + r, 0);
    const entries: PmpEntry[] = hs?.pmpDeny ? hPmpEntries(p, hs.pmpDeny.region, hs.pmpDeny.perm)
      : prog.pmp === 'all' ? [{ cfg: 0x1f, addr: 0xffffffff }] : prog.pmp === 'off' ? [] : prog.pmp.slice(0, 8);
    for (let e = 0; e < 8; e++) { pro.li(s.t0, entries[e]?.addr ?? 0); pro.csrw(0x3b0 + e, s.t0); }
    let cfg0 = 0, cfg1 = 0;
    entries.forEach((e, n) => { if (n < 4) cfg0 |= (e.cfg & 0x7f) << (8 * n); else cfg1 |= (e.cfg & 0x7f) << (8 * (n - 4)); });
    pro.li(s.t0, cfg0 >>> 0); pro.csrw(0x3a0, s.t0);
    pro.li(s.t0, cfg1 >>> 0); pro.csrw(0x3a1, s.t0);
    // Translation.
    const satpVal = hs === undefined && prog.paging !== null ? satpOf(p, prog.paging) : 0;
    pro.li(s.t0, satpVal);
    pro.csrw(0x180, s.t0);
    const hgatpVal = hs?.g ? hgatpOf(p, hs.g.vmid) : 0;
    const vsatpVal = hs?.vs ? vsatpOf(p, hs.vs.asid) : 0;
    if (hs !== undefined) {
      pro.li(s.t0, hgatpVal); pro.csrw(0x680, s.t0);
      pro.li(s.t0, vsatpVal); pro.csrw(0x280, s.t0);
      pro.i({ op: 'hfence.gvma', rs1: 0, rs2: 0 });
      pro.i({ op: 'hfence.vvma', rs1: 0, rs2: 0 });
    }
    pro.i({ op: 'sfence.vma', rs1: 0, rs2: 0 });
    // Trap vectors and the other CSRs.
    pro.li(s.t0, HVEC); pro.csrw(0x305, s.t0);
    pro.li(s.t0, SSTUB); pro.csrw(0x105, s.t0);
    const csrInit = new Map<number, number>(PROLOGUE_CSRS.map((c) => [c, 0]));
    for (const [num, v] of prog.csrs) csrInit.set(num, v);
    for (const [num, v] of csrInit) { pro.li(s.t0, v); pro.csrw(num, s.t0); }
    const start = addrs[0]!;
    // H: V = 1 is entered by MRET with MPV = 1, or by MRET into HS at the SRET that follows the
    // prologue's MRET, with hstatus.SPV = 1, sstatus.SPP = the body's mode and sepc = the body.
    const viaSret = hs !== undefined && hs.v === 1 && hs.entry === 'sret';
    const hInit = new Map<number, number>();
    if (hs !== undefined) {
      for (const c of PROLOGUE_CSRS_H) hInit.set(c, 0);
      hInit.set(0x205, VSTUB);
      for (const [num, v] of hs.csrs) hInit.set(num, v >>> 0);
      hInit.set(0x241, resolveValue(hs.vsepc, p, addrs, null));
      // mstatush.MPV: 1 to enter V = 1 by MRET, 0 to enter HS or U (an M-mode body keeps the
      // program's value: with MPRV it makes M-mode loads and stores two-stage).
      const mpv = hs.v === 1 && !viaSret;
      if (prog.priv !== 3) hInit.set(0x310, ((hInit.get(0x310)! & ~0x80) | (mpv ? 0x80 : 0)) >>> 0);
      hInit.set(0x600, ((hInit.get(0x600)! & ~0x80) | (viaSret ? 0x80 : 0)) >>> 0);
      for (const [num, v] of hInit) { pro.li(s.t0, v); pro.csrw(num, s.t0); }
    }
    const sepcVal = viaSret ? start : resolveValue(prog.sepc, p, addrs, prog.paging);
    pro.li(s.t0, sepcVal); pro.csrw(0x141, s.t0);
    const mepcVal = prog.priv === 3 ? resolveValue(prog.mepc, p, addrs, prog.paging) : viaSret ? 0 : start;
    let ms = prog.mstatus & ~(1 << 3);
    if (prog.priv !== 3) ms = (ms & ~(3 << MPP_SHIFT)) | ((viaSret ? 1 : prog.priv) << MPP_SHIFT);
    if (viaSret) ms = (ms & ~(1 << 8)) | (prog.priv === 1 ? 1 << 8 : 0);
    pro.li(s.t0, ms >>> 0); pro.csrw(0x300, s.t0);
    // For the SRET entry, mepc is the address of the SRET after the MRET (known once placed).
    if (viaSret) {
      pro.fix(() => ({ op: 'lui', rd: s.t0, imm: hiLo(p.enter + 4).hi }));
      pro.fix(() => ({ op: 'addi', rd: s.t0, rs1: s.t0, imm: hiLo(p.enter + 4).lo }));
    } else pro.li(s.t0, mepcVal);
    pro.csrw(0x341, s.t0);
    const regVals = Array.from({ length: 31 }, (_, r) => resolveValue(prog.regs[r] ?? { k: 'v', v: 0 }, p, addrs, prog.paging));
    regVals.forEach((v, r) => pro.li(r + 1, v));
    let mepcFinal = mepcVal;
    if (prog.priv === 3) {
      if (prog.mie) pro.i({ op: 'csrrsi', rd: 0, uimm: 8, csr: 0x300 });
      p.enter = pro.pc;
      pro.fix((pc) => ({ op: 'jal', rd: 0, imm: start - pc }));
    } else {
      p.enter = pro.pc;
      pro.i({ op: 'mret' });
      if (viaSret) {
        pro.i({ op: 'sret' });
        mepcFinal = p.enter + 4;
      }
    }
    if (pro.pc > p.body) throw new Error(`prologue of program ${k} is too long`);
    // Descriptor: index, number of watched words, their table, the next prologue, the expected
    // values of x1..x31 and DUMP_CSRS (what the prologue set; the dump prints only differences).
    const next = k + 1 < programs.length ? CELL_BASE + slotOf(k + 1) * CELL_SIZE : h.addr('finish');
    const exp = [...regVals, ...DUMP.map(([name, num]) => (name === 'mstatus' ? ms >>> 0 : name === 'misa' ? misaOf(flavour)
      : name === 'mepc' ? mepcFinal : name === 'sepc' ? sepcVal : name === 'satp' ? satpVal : name === 'mtvec' ? csrInit.get(0x305) ?? HVEC
        : name === 'stvec' ? csrInit.get(0x105) ?? SSTUB : name === 'hgatp' ? hgatpVal : name === 'vsatp' ? vsatpVal
          : csrInit.get(num) ?? hInit.get(num) ?? 0) >>> 0)];
    const expAt = cell + DESC_OFF + 20;
    if (watchAt !== expAt + 4 * exp.length) throw new Error('descriptor layout');
    const desc = [k, watch.length, watchAt, next, expAt, ...exp, ...watch.flat()];
    expected.push(exp);
    watched.push(watch);
    if (DESC_OFF + 4 * desc.length > CELL_SIZE) throw new Error(`program ${k}: too many watched words`);
    const db = new Uint8Array(4 * desc.length);
    const cv = new DataView(db.buffer);
    desc.forEach((w, n) => cv.setUint32(4 * n, w >>> 0, true));
    // Three segments per cell (prologue, body, descriptor): the gaps stay out of the file.
    cells.push({ addr: cell, bytes: pro.bytes() }, { addr: p.body, bytes: bb }, { addr: cell + DESC_OFF, bytes: db });
  });
  h.labelAt('first', placements.length > 0 ? placements[0]!.prologue : h.addr('finish'));

  // QEMU's reset vector (with -bios none) jumps to the start of RAM, not to the ELF entry: a
  // two-instruction trampoline there, which is also the ELF entry.
  const tramp = new Asm(RAM_BASE);
  tramp.i({ op: 'lui', rd: s.t0, imm: HARNESS });
  tramp.i({ op: 'jalr', rd: 0, rs1: s.t0, imm: 0 });
  const segments: Array<{ addr: number; bytes: Uint8Array }> = [
    { addr: RAM_BASE, bytes: tramp.bytes() },
    { addr: HARNESS, bytes: h.bytes() },
    { addr: SSTUB, bytes: stub.bytes() },
  ];
  if (programs.length > 0) {
    const seen = new Set<number>();
    for (const c of cells) {
      if (c.addr % CELL_SIZE === CELL_BASE % CELL_SIZE && seen.has(c.addr)) throw new Error(`slot used twice: ${c.addr.toString(16)}`);
      seen.add(c.addr);
      segments.push(c);
    }
    const dataSeg = new Uint8Array(DATA_STRIDE * (maxSlot + 1));
    const ddv = new DataView(dataSeg.buffer);
    dataSegWords.forEach((w, n) => { ddv.setUint32(4 * n, w ?? 0, true); });
    segments.push({ addr: DATA_BASE, bytes: dataSeg });
  }
  // Page tables: only their non-zero words, as runs of adjacent words (loading megabytes of zeros
  // costs popek's loader more than the whole run).
  const sortedPt = [...ptWords].sort((x, y) => x[0] - y[0]);
  for (let i = 0; i < sortedPt.length;) {
    let j = i + 1;
    while (j < sortedPt.length && sortedPt[j]![0] === sortedPt[j - 1]![0] + 4) j++;
    const bytes = new Uint8Array(4 * (j - i));
    const bv = new DataView(bytes.buffer);
    for (let n = i; n < j; n++) bv.setUint32(4 * (n - i), sortedPt[n]![1], true);
    segments.push({ addr: sortedPt[i]![0], bytes });
    i = j;
  }
  const elf = writeElf({ entry: RAM_BASE, segments });
  return { flavour, elf, entry: RAM_BASE, placements, itemAddrs, bodyWords, expected, watched, handler, segments };
}
