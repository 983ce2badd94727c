/**
 * Co-simulation (ORA-COSIM-*): popek as a step-by-step oracle beside another implementation (a
 * DUT). The testbench loads the same program, steps both, and compares commit records; it
 * forwards what the reference cannot know — interrupt lines, the values MMIO loads return, and
 * whether an SC succeeded — through the override methods.
 *
 * The oracle's state is plain data: a machine (kept as the engine's working copy, `thaw`, for
 * speed; `machine()` returns an immutable value) plus the pending overrides. The overrides are
 * applied by wrapping the step function, not by changing it (spec/oracle.md):
 *  - interrupt lines: before each step, hart 0's device lines are replaced by the forced bits;
 *  - MMIO load value: after a step whose commit record shows a load from a physical address
 *    outside RAM, the destination register is rewritten with the forced value (extended as the
 *    load instruction extends it), and the record with it;
 *  - SC result: before a step that will execute an SC, the hart's reservation is set to the
 *    target word's physical address (success) or cleared (failure), so the step's own SC logic
 *    yields the forced result.
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import type { ArchState } from '../formats/arch-state.js';
import { privName } from '../formats/arch-state.js';
import { elfImage, parseElf } from '../formats/elf.js';
import type { CommitRecord } from '../machine/commit-record.js';
import { newRecord } from '../machine/commit-record.js';
import type { Config } from '../machine/config.js';
import { freeze, refreshLines, thaw, type Core } from '../machine/core.js';
import { createMachine, type Image, type Machine } from '../machine/machine.js';
import { csrEnv, decodeCached, mipOf, stepHart } from '../machine/step.js';
import { effectiveMode, inRam } from '../machine/access.js';
import { csrRead } from '../hart/csrs.js';
import { pendingInterrupt } from '../hart/interrupts.js';
import { MSTATUS } from '../hart/csr-bits.js';
import { PRV_M } from '../hart/state.js';
import { walkSv32 } from '../translation/sv32.js';
import type { Access } from '../memory/pmp.js';
import { CSR_NUMBERS, machineFromState, platformOf, type Platform } from './state.js';

/** Interrupt lines a testbench can drive: MSIP, MTIP, SEIP, MEIP (mip bit positions). */
export const IRQ_LINES = (1 << 3) | (1 << 7) | (1 << 9) | (1 << 11);

/** The architectural state of hart 0 as the oracle reports it (ORA-COSIM-1). */
export interface OracleState {
  pc: number;
  priv: 'M' | 'S' | 'U';
  v: 0 | 1;
  x: number[];
  /** Every implemented CSR by name, read as M-mode reads it. */
  csrs: Record<string, number>;
  out: string;
  halt: Machine['halt'];
}

export interface Oracle {
  /** Load an ELF (bytes or a path) into a machine at reset, as `popek run` does. */
  load(elf: Uint8Array | string): Either<string, { entry: number }>;
  /** Restart from an architectural state (memory regions over the last loaded image, if any). */
  reset(state: ArchState): Either<string, null>;
  /** Step hart 0 once; the commit record, or null when the machine has halted. */
  step(): CommitRecord | null;
  state(): OracleState;
  /** ORA-COSIM-4: force the interrupt lines (bits of IRQ_LINES) from now on, or null to use popek's devices again. */
  setInterruptPending(bits: number | null): void;
  /** The value the next MMIO load returns (a load from a physical address outside RAM). */
  overrideMmioLoad(value: number): void;
  /** Whether the next SC succeeds. */
  forceScResult(success: boolean): void;
  /** Bytes of physical memory. */
  read(addr: number, len: number): Uint8Array;
  /** The current machine, as an immutable value. */
  machine(): Machine;
}

interface Pending { irq: number | null; mmio: number | null; sc: boolean | null }

/** The physical address of `va` for an access, without side effects (no A/D update, no PMP), or null. */
function peekTranslate(c: Core, va: number, acc: Access): number | null {
  const h = c.hart;
  const priv = acc === 'x' ? h.priv : effectiveMode(c, acc).priv;
  const satp = h.csr.satp;
  if (priv === PRV_M || (satp >>> 31) === 0) return va >>> 0;
  const r = walkSv32({
    rootPpn: satp & 0x3fffff, priv,
    sum: (h.csr.mstatus & MSTATUS.SUM) !== 0, mxr: (h.csr.mstatus & MSTATUS.MXR) !== 0,
    ad: 'hardware',
    readPte: (pa) => (inRam(c, pa, 4) ? c.mem.read(pa, 4) : null),
  }, va >>> 0, acc);
  return r.ok ? r.pa : null;
}

const LOAD_SIZE: Readonly<Record<string, [number, boolean]>> = { lb: [1, true], lh: [2, true], lw: [4, true], lbu: [1, false], lhu: [2, false] };

/** ORA-COSIM-3: before the step, make an SC that is about to execute succeed or fail as forced. */
function applySc(c: Core, success: boolean): boolean {
  const h = c.hart;
  if (h.waiting || pendingInterrupt(h, mipOf(c)) >= 0) return false;
  const pa = peekTranslate(c, h.pc, 'x');
  if (pa === null || !inRam(c, pa, 4)) return false;
  const d = decodeCached(c.mem.read(pa, 4));
  if (d.inst.op !== 'sc.w') return false;
  if (success) {
    const target = peekTranslate(c, h.x[d.inst.rs1]! >>> 0, 'w');
    if (target !== null) h.reservation = target - (target % 4);
  } else h.reservation = -1;
  return true;
}

/** ORA-COSIM-2: after the step, replace the value of an MMIO load. Returns whether it applied. */
function applyMmio(c: Core, rec: CommitRecord, value: number): boolean {
  if (rec.trap !== null) return false;
  const acc = rec.mem.find((m) => m.op === 'r');
  if (acc === undefined) return false;
  const inst = decodeCached(rec.word).inst;
  const ls = LOAD_SIZE[inst.op];
  if (ls === undefined || !('rd' in inst)) return false;
  const pa = peekTranslate(c, acc.addr, 'r');
  if (pa === null || inRam(c, pa, acc.size)) return false;
  const [size, signed] = ls;
  const raw = size === 4 ? value >>> 0 : value & (size === 2 ? 0xffff : 0xff);
  const v = signed ? (size === 1 ? (raw << 24) >> 24 : size === 2 ? (raw << 16) >> 16 : raw | 0) : raw;
  acc.value = raw;
  if (inst.rd !== 0) {
    c.hart.x[inst.rd] = v | 0;
    const w = rec.regs.find(([r]) => r === inst.rd);
    if (w !== undefined) w[1] = v | 0;
  }
  return true;
}

class CosimOracle implements Oracle {
  private image: Image | null = null;
  private core: Core;
  private pending: Pending = { irq: null, mmio: null, sc: null };

  constructor(private readonly p: Platform) {
    this.core = thaw(createMachine(p.config, p.isa, { segments: [], entry: p.config.ramBase }));
  }

  load(elf: Uint8Array | string): Either<string, { entry: number }> {
    let bytes: Uint8Array;
    if (typeof elf === 'string') {
      try { bytes = readFileSync(elf); } catch (e) { return left(`cannot read ${elf}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`); }
    } else bytes = elf;
    const parsed = parseElf(bytes);
    if (isLeft(parsed)) return left(parsed.left);
    const img = elfImage(parsed.right, this.p.config);
    if (isLeft(img)) return left(img.left);
    this.image = img.right;
    this.core = thaw(createMachine(this.p.config, this.p.isa, img.right));
    this.pending = { irq: null, mmio: null, sc: null };
    return right({ entry: img.right.entry });
  }

  reset(state: ArchState): Either<string, null> {
    const m = machineFromState(this.p, state, this.image ?? undefined, '$.state');
    if (isLeft(m)) return m;
    this.core = thaw(m.right);
    this.pending = { irq: null, mmio: null, sc: null };
    return right(null);
  }

  step(): CommitRecord | null {
    const c = this.core;
    if (c.halt !== null) return null;
    const h = c.harts[0]!;
    c.hart = h;
    const pend = this.pending;
    if (pend.irq !== null) c.lines[0] = pend.irq;
    if (pend.sc !== null && applySc(c, pend.sc)) pend.sc = null;
    c.rec = newRecord(h.id, h.priv, h.pc);
    stepHart(c);
    const rec = c.rec; // stepHart starts its own record
    c.rec = null;
    // Other harts (if configured) step too, as one machine step does (STEP-SCHED).
    for (let i = 1; i < c.harts.length; i++) { c.hart = c.harts[i]!; stepHart(c); }
    c.hart = h;
    if (pend.mmio !== null && applyMmio(c, rec, pend.mmio)) pend.mmio = null;
    if (pend.irq !== null) c.lines[0] = pend.irq;
    return rec;
  }

  state(): OracleState {
    const c = this.core;
    const h = c.harts[0]!;
    c.hart = h;
    const env = { ...csrEnv(c), lines: this.pending.irq ?? c.lines[0] ?? 0 };
    const csrs: Record<string, number> = {};
    const asM = h.v === 0 ? h : { ...h, v: 0 as const }; // read as M-mode reads (time is mtime, HV-TIME)
    for (const [name, n] of CSR_NUMBERS) csrs[name] = csrRead(asM, n, env);
    return { pc: h.pc >>> 0, priv: privName(h.priv), v: h.v, x: [...h.x].map((v) => v >>> 0), csrs, out: c.out, halt: c.halt };
  }

  setInterruptPending(bits: number | null): void {
    this.pending.irq = bits === null ? null : (bits & IRQ_LINES) >>> 0;
    if (bits === null) refreshLines(this.core);
  }

  overrideMmioLoad(value: number): void { this.pending.mmio = value >>> 0; }
  forceScResult(success: boolean): void { this.pending.sc = success; }

  read(addr: number, len: number): Uint8Array {
    const b = new Uint8Array(len);
    for (let i = 0; i < len; i++) b[i] = this.core.mem.read(addr + i, 1);
    return b;
  }

  machine(): Machine { return freeze(this.core); }
}

/** ORA-COSIM-1: an oracle for a (partial) platform config; Left names what is wrong with it. */
export function tryCreateOracle(config: unknown = {}): Either<string, Oracle> {
  const p = platformOf(config);
  if (isLeft(p)) return p;
  return right(new CosimOracle(p.right));
}

/** ORA-COSIM-1: an oracle for a config (a full `Config` or a partial one); throws on an invalid config. */
export function createOracle(config: Partial<Config> | Config = {}): Oracle {
  const o = tryCreateOracle(config);
  if (isLeft(o)) throw new Error(o.left);
  return o.right;
}
