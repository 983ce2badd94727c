/**
 * Test machines for the privileged, translation and PMP properties: build a machine from
 * instruction words with a chosen privilege, CSR state, memory contents and interrupt lines;
 * convert between a hart and the oracle's `Model`; and describe programs readably (disassembly).
 */
import { machineFromWords } from '../../src/machine/program.js';
import { DEFAULT_CONFIG, type Config } from '../../src/machine/config.js';
import type { Machine } from '../../src/machine/machine.js';
import type { HartState } from '../../src/hart/state.js';
import { readLE, withBytes } from '../../src/memory/store.js';
import { decode } from '../../src/isa/decode.js';
import { disassemble } from '../../src/isa/disasm.js';
import { encode } from '../../src/isa/encode.js';
import type { Inst } from '../../src/isa/inst.js';
import type { Model, Priv } from '../oracles/priv.js';

export const RAM = 0x80000000;
/** A physical address with nothing behind it (no RAM, no device): accesses raise access faults. */
export const HOLE = 0x40000000;
export const MAX_TIME = { lo: 0xffffffff, hi: 0xffffffff };

export const enc = (i: Inst): number => encode(i) >>> 0;
export const WORD = {
  ecall: 0x00000073, ebreak: 0x00100073, mret: 0x30200073, sret: 0x10200073, wfi: 0x10500073, nop: 0x00000013,
} as const;

/** Interrupt lines driven by devices. */
export interface Lines { msip?: boolean; mtip?: boolean; meip?: boolean; seip?: boolean }

export interface Setup {
  regs?: Readonly<Record<number, number>>;
  config?: Partial<Config>;
  priv?: Priv;
  pc?: number;
  /** Edit hart 0 (a fresh value nobody else holds) before the first step. */
  edit?: (h: HartState) => void;
  /** Extra 32-bit words in physical memory. */
  mem?: ReadonlyArray<readonly [number, number]>;
  /** Device interrupt lines; the default is all low (mtimecmp at its maximum). */
  lines?: Lines;
}

/** A machine whose RAM starts with `words` (at 0x80000000), prepared as `s` says. */
export function build(words: readonly number[], s: Setup = {}): Machine {
  const config: Config = { ...DEFAULT_CONFIG, ...s.config };
  let m = machineFromWords(words, s.regs ?? {}, config);
  const h = m.harts[0]!;
  if (s.priv !== undefined) h.priv = s.priv;
  if (s.pc !== undefined) h.pc = s.pc >>> 0;
  s.edit?.(h);
  if (s.mem !== undefined) m = poke(m, s.mem);
  return withLines(m, s.lines ?? {});
}

/** Store 32-bit words into a machine's physical memory (a new machine value). */
export function poke(m: Machine, words: ReadonlyArray<readonly [number, number]>): Machine {
  let mem = m.mem;
  for (const [pa, w] of words) {
    mem = withBytes(mem, pa, new Uint8Array([w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff]));
  }
  return { ...m, mem };
}

export const peek = (m: Machine, pa: number): number => readLE(m.mem, pa, 4);

/** Set the device interrupt lines of hart 0 through the CLINT and PLIC models. */
export function withLines(m: Machine, l: Lines): Machine {
  const clint = {
    ...m.dev.clint,
    msip: m.dev.clint.msip.map((v, i) => (i === 0 ? (l.msip ? 1 : 0) : v)),
    mtimecmp: m.dev.clint.mtimecmp.map((t, i) => (i === 0 ? (l.mtip ? { lo: 0, hi: 0 } : MAX_TIME) : t)),
  };
  const p = m.dev.plic;
  // Source 1 pending for the M-mode context of hart 0, source 2 for its S-mode context.
  const priority = p.priority.map((v, i) => (i === 1 || i === 2 ? 1 : v));
  const pending = p.pending.map((v, i) => (i === 0 ? ((v & ~6) | (l.meip ? 2 : 0) | (l.seip ? 4 : 0)) >>> 0 : v));
  const enable = p.enable.map((ws, ctx) => (ctx === 0 ? ws.map((w, i) => (i === 0 ? (w | 2) >>> 0 : w))
    : ctx === 1 ? ws.map((w, i) => (i === 0 ? (w | 4) >>> 0 : w)) : ws));
  return { ...m, dev: { ...m.dev, clint, plic: { ...p, priority, pending, enable } } };
}

/** mip bits of a `Lines` value. */
export const linesBits = (l: Lines): number =>
  ((l.msip ? 1 << 3 : 0) | (l.mtip ? 1 << 7 : 0) | (l.meip ? 1 << 11 : 0) | (l.seip ? 1 << 9 : 0)) >>> 0;

/** PMP entry 0 as NAPOT over the whole 34-bit space with R, W and X, so S and U code can run. */
export function pmpAllowAll(h: HartState): void {
  const cfg = [...h.csr.pmpcfg];
  const addr = [...h.csr.pmpaddr];
  cfg[0] = 0x1f;
  addr[0] = 0xffffffff;
  h.csr.pmpcfg = cfg;
  h.csr.pmpaddr = addr;
}

/** The oracle's view of hart 0. */
export function modelOf(m: Machine): Model {
  const h = m.harts[0]!;
  const c = h.csr;
  return {
    priv: h.priv, mstatus: c.mstatus, medeleg: c.medeleg, mideleg: c.mideleg, mie: c.mie, mipSw: c.mipSw,
    mtvec: c.mtvec, mcounteren: c.mcounteren, mcountinhibit: c.mcountinhibit, mscratch: c.mscratch,
    mepc: c.mepc, mcause: c.mcause, mtval: c.mtval, menvcfg: c.menvcfg, stvec: c.stvec,
    scounteren: c.scounteren, senvcfg: c.senvcfg, sscratch: c.sscratch, sepc: c.sepc, scause: c.scause,
    stval: c.stval, satp: c.satp,
    pmp: { cfg: [...c.pmpcfg], addr: [...c.pmpaddr], entries: m.config.pmpEntries, g: m.config.pmpGranularity },
    instret: [h.instretLo, h.instretHi], cycle: [h.cycleLo, h.cycleHi],
  };
}

/** Write a model's state into a (fresh) hart. */
export function applyModel(h: HartState, s: Model): void {
  const c = h.csr;
  h.priv = s.priv;
  Object.assign(c, {
    mstatus: s.mstatus, medeleg: s.medeleg, mideleg: s.mideleg, mie: s.mie, mipSw: s.mipSw, mtvec: s.mtvec,
    mcounteren: s.mcounteren, mcountinhibit: s.mcountinhibit, mscratch: s.mscratch, mepc: s.mepc,
    mcause: s.mcause, mtval: s.mtval, menvcfg: s.menvcfg, stvec: s.stvec, scounteren: s.scounteren,
    senvcfg: s.senvcfg, sscratch: s.sscratch, sepc: s.sepc, scause: s.scause, stval: s.stval, satp: s.satp,
  });
  const cfg = [...c.pmpcfg], addr = [...c.pmpaddr];
  s.pmp.cfg.forEach((v, i) => { if (i < cfg.length) cfg[i] = v; });
  s.pmp.addr.forEach((v, i) => { if (i < addr.length) addr[i] = v; });
  c.pmpcfg = cfg;
  c.pmpaddr = addr;
  [h.instretLo, h.instretHi] = s.instret;
  [h.cycleLo, h.cycleHi] = s.cycle;
}

/** The CSR fields of a model that differ from another (for readable failures). */
export function diffModels(want: Model, got: Model): string[] {
  const out: string[] = [];
  for (const k of Object.keys(want) as Array<keyof Model>) {
    const a = JSON.stringify(want[k]), b = JSON.stringify(got[k]);
    if (a !== b) out.push(`${k}: want ${a}, got ${b}`);
  }
  return out;
}

export const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/** A program listing: address, word and objdump-style disassembly per line. */
export function listing(words: readonly number[], base = RAM): string {
  return words.map((w, i) => `${hex(base + 4 * i)}: ${hex(w)}  ${disassemble(decode(w >>> 0), base + 4 * i)}`).join('\n');
}

/** One instruction, readably. */
export const dis = (w: number, pc = RAM): string => `${hex(w)} (${disassemble(decode(w >>> 0), pc)})`;

export const PRIV_NAME: Record<number, string> = { 0: 'U', 1: 'S', 3: 'M' };
