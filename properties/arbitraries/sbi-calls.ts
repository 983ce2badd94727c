/**
 * Generated SBI call sequences (HX-SBI-*) and the S-mode program that makes them, for the
 * differential property "popek's SBI firmware (guests/sbi/fw.elf) = the TS service (src/vmm/sbi.ts)".
 *
 * The constants come from the SBI specification v2.0 as guests/sbi/sbi.h and guests/sbi/README.md
 * spell them, not from the implementation under test.
 *
 * Program layout (S-mode, RAM at 0x8000_0000, the firmware owns 0x8000_0000-0x8000_ffff):
 *   0x8040_0000  code: set every register, then for each op: load a7, a6, a0-a5, ECALL, store
 *                a0-a7 and sip into the op's result slot, then a marker; finally `j .` (`end`)
 *   0x8050_0000  result slots, SLOT bytes each (gp points at the next one)
 *   0x8060_0000  DATA_SIZE random bytes (DBCN write buffers)
 *   0x8070_0000  DBCN read buffers (zero)
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { Asm } from '../../src/qemu/asm.js';

export const PROG = 0x80400000;
export const RESULT = 0x80500000;
export const DATA = 0x80600000;
export const DATA_SIZE = 256;
export const READBUF = 0x80700000;
const RAM_BASE = 0x80000000, RAM_END = 0x88000000, FW_END = 0x80010000;

/** One result slot: a0..a7 after the call, sip, and a marker proving the call returned. */
export const SLOT = 40;
export const SLOT_FIELDS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'sip', 'marker'] as const;
export const MARKER = 0x5b100000;

/** Extension ids (a7), SBI v2.0. */
export const EID = {
  LEGACY_PUTCHAR: 0x01, BASE: 0x10, TIME: 0x54494d45, IPI: 0x735049, RFENCE: 0x52464e43, HSM: 0x48534d,
  SRST: 0x53525354, DBCN: 0x4442434e,
} as const;
const KNOWN: readonly number[] = Object.values(EID);
/** Extensions this firmware does not implement: other legacy ones, PMU, SUSP, CPPC, NACL, STA, FWFT, vendor, firmware. */
const UNIMPLEMENTED = [0x00, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0f, 0x504d55, 0x53555350, 0x43505043,
  0x4e41434c, 0x535441, 0x46574654, 0x09000000, 0x09ffffff, 0x0a000000, 0x0affffff, 0xffffffff];

const EID_NAME = new Map<number, string>(Object.entries(EID).map(([k, v]) => [v, k]));
const FID_NAME: Record<number, readonly string[]> = {
  [EID.BASE]: ['get_spec_version', 'get_impl_id', 'get_impl_version', 'probe_extension', 'get_mvendorid', 'get_marchid', 'get_mimpid'],
  [EID.TIME]: ['set_timer'],
  [EID.IPI]: ['send_ipi'],
  [EID.RFENCE]: ['remote_fence_i', 'remote_sfence_vma', 'remote_sfence_vma_asid', 'hfence_gvma_vmid', 'hfence_gvma', 'hfence_vvma_asid', 'hfence_vvma'],
  [EID.HSM]: ['hart_start', 'hart_stop', 'hart_get_status', 'hart_suspend'],
  [EID.SRST]: ['system_reset'],
  [EID.DBCN]: ['console_write', 'console_read', 'console_write_byte'],
};

export const SUSPEND_RETENTIVE = 0x00000000;
export const SUSPEND_NON_RETENTIVE = 0x80000000;
const SSIE = 1 << 1, STIE = 1 << 5, SEIE = 1 << 9;

/**
 * A set_timer argument relative to the time the call certainly happens at in both runs: `past`
 * (<= every possible mtime then, so it fires on the return), `future` (beyond any run's end, but
 * reachable by a WFI's jump to the next timer event), `never` (>= 2^62: the kernel waits forever).
 */
export interface TimerArg { cls: 'past' | 'future' | 'never'; r: number }

export interface Call {
  k: 'call';
  eid: number;
  fid: number;
  /** a0-a5. */
  a: number[];
  /** TIME set_timer: a0/a1 are computed from this when the sequence is planned. */
  timer?: TimerArg;
  /** HSM suspend: a1 = the address after this ECALL + `resume` (0: the program just continues). */
  resume?: number;
}
/**
 * Besides calls: writes of sie, of satp (MODE = Bare, other fields random: a non-retentive resume
 * clears it) and of sstatus (SPIE, SPP, SUM, MXR; never SIE), and clearing sip.SSIP.
 */
export type Op = Call | { k: 'sie' | 'satp' | 'sstatus'; v: number } | { k: 'clearSsip' };

export interface SbiCase {
  /** Initial values of x1..x31 (index 0 unused; a0-a7 and gp are overwritten). */
  regs: number[];
  ops: Op[];
  /** Bytes the UART will receive. */
  input: number[];
  /** DATA_SIZE bytes at DATA. */
  data: number[];
}

// ---- argument generators ---------------------------------------------------------------------

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const args6 = fc.array(u32, { minLength: 6, maxLength: 6 });
const withArgs = (a: number[], first: readonly number[]): number[] => [...first, ...a.slice(first.length)];
const call = (eid: number, fid: number, a: number[], extra: Partial<Call> = {}): Call => ({ k: 'call', eid, fid, a, ...extra });

/** (hart_mask, hart_mask_base): this hart, every hart, no hart, other harts, wrap-arounds, anything. */
export const hartMask: Arbitrary<[number, number]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<[number, number]>([1, 0]) },
  { weight: 2, arbitrary: fc.tuple(u32, fc.constant(0xffffffff)) },
  fc.tuple(fc.constant(0), u32),
  fc.tuple(fc.integer({ min: 1, max: 31 }).map((i) => (1 << i) >>> 0), fc.constant(0)),
  fc.tuple(fc.constant(1), fc.constantFrom(1, 2, 0x7fffffff, 0xfffffffe)),
  fc.tuple(fc.constantFrom(1, 3, 4, 0x80000000, 0xffffffff), fc.constantFrom(0, 1, 0xfffffffe, 0xfffffff0, 0xffffffe1)),
  fc.tuple(u32, u32),
);

/** What a hart mask names for hart 0: 1 this hart, 0 no hart, -1 a hart that does not exist (SBI "Hart list"). */
export function selectsHart0(mask: number, base: number): number {
  if (base === 0xffffffff) return 1;
  let me = 0;
  for (let i = 0; i < 32; i++) {
    if (((mask >>> i) & 1) === 0) continue;
    if (base + i !== 0) return -1;
    me = 1;
  }
  return me;
}

const baseCall: Arbitrary<Call> = fc.tuple(fc.oneof(fc.integer({ min: 0, max: 7 }), u32), fc.oneof(
  fc.constantFrom(...KNOWN, ...UNIMPLEMENTED), u32), args6)
  .map(([fid, probe, a]) => call(EID.BASE, fid, fid === 3 ? withArgs(a, [probe]) : a));

const timerArg: Arbitrary<TimerArg> = fc.record({ cls: fc.constantFrom('past', 'past', 'future', 'future', 'never'), r: u32 });
export const timerCall: Arbitrary<Call> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(timerArg, args6).map(([t, a]) => call(EID.TIME, 0, a, { timer: t })) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.constant(1), u32.filter((f) => f !== 0)), args6).map(([f, a]) => call(EID.TIME, f, a)) },
);

export const ipiCall: Arbitrary<Call> = fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: u32 }), hartMask, args6)
  .map(([fid, m, a]) => call(EID.IPI, fid, withArgs(a, m)));

const fenceStart = fc.oneof(fc.constantFrom(0, 0x1000, 0x80400000, 0xfffff000, 0xffffffff, 0x123), u32);
const fenceSize = fc.oneof(fc.constantFrom<number | 'fit' | 'over'>(0, 1, 0xfff, 0x1000, 0x40000, 0x41000, 0xffffffff, 0x80000000, 'fit', 'over', 'fit', 'over'), u32);
export const rfenceCall: Arbitrary<Call> = fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 7 }) }, { weight: 1, arbitrary: u32 }),
  hartMask, fenceStart, fenceSize, args6)
  .map(([fid, m, start, sz, a]) => {
    const size = sz === 'fit' ? (0x100000000 - start) >>> 0 : sz === 'over' ? (0x100000000 - start + 1) >>> 0 : sz;
    return call(EID.RFENCE, fid, withArgs(a, [m[0], m[1], start, size]));
  });

const hartId = fc.oneof(fc.constantFrom(0, 0, 1, 2, 0xffffffff), u32);
const suspendType = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(SUSPEND_RETENTIVE, SUSPEND_NON_RETENTIVE) },
  { weight: 2, arbitrary: fc.constantFrom(1, 0x0fffffff, 0x10000000, 0x7fffffff, 0x80000001, 0x8fffffff, 0x90000000, 0xffffffff) },
  { weight: 1, arbitrary: u32 },
);
/** A non-retentive resume address: the ECALL's successor (good) or bad ones (misaligned, firmware, outside RAM). */
const resume = fc.oneof(
  { weight: 3, arbitrary: fc.constant<{ rel: number } | { abs: number }>({ rel: 0 }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 2, 3).map((rel) => ({ rel })) },
  { weight: 2, arbitrary: fc.constantFrom(0, 0x80000000, 0x8000fffc, 0x7ffffffc, 0x88000000, 0x87fffffe, 0x10000000, 0xfffffffc).map((abs) => ({ abs })) },
);
export const hsmCall: Arbitrary<Call> = fc.oneof(
  fc.tuple(hartId, args6).map(([h, a]) => call(EID.HSM, 0, withArgs(a, [h]))),
  fc.tuple(hartId, args6).map(([h, a]) => call(EID.HSM, 2, withArgs(a, [h]))),
  { weight: 3, arbitrary: fc.tuple(suspendType, resume, args6).map(([t, r, a]) => 'rel' in r
    ? call(EID.HSM, 3, withArgs(a, [t]), { resume: r.rel })
    : call(EID.HSM, 3, withArgs(a, [t, r.abs]))) },
  // Never HART_STOP (FID 1): it does not return.
  fc.tuple(fc.oneof(fc.constantFrom(4, 5, 0x7fffffff), u32.filter((f) => f > 3)), args6).map(([f, a]) => call(EID.HSM, f, a)),
);

/** SRST: valid (type <= 2, reason <= 1: ends the run) or not (reserved, vendor-specific types and reasons). */
export const srstCall = (validWeight: number): Arbitrary<Call> => fc.oneof(
  { weight: validWeight, arbitrary: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 }), args6).map(([t, r, a]) => call(EID.SRST, 0, withArgs(a, [t, r]))) },
  { weight: 3, arbitrary: fc.tuple(fc.oneof(fc.constantFrom(0, 1, 2, 3, 0xefffffff, 0xf0000000, 0xffffffff), u32),
    fc.oneof(fc.constantFrom(0, 1, 2, 0xdfffffff, 0xe0000000, 0xf0000000, 0xffffffff), u32), args6)
    .filter(([t, r]) => t > 2 || r > 1).map(([t, r, a]) => call(EID.SRST, 0, withArgs(a, [t, r]))) },
  { weight: 1, arbitrary: fc.tuple(u32.filter((f) => f !== 0), args6).map(([f, a]) => call(EID.SRST, f, a)) },
);

/** DBCN buffers (num_bytes, base_addr_lo, base_addr_hi): in RAM, in the firmware, across RAM's end, outside RAM, hi != 0. */
const buffer = (ramBuf: number): Arbitrary<[number, number, number]> => fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 192 })).map(([n, o]): [number, number, number] => [n, ramBuf + o, 0]) },
  fc.integer({ min: 1, max: 16 }).chain((k) => fc.constantFrom<[number, number, number]>([k, RAM_END - k, 0], [k + 1, RAM_END - k, 0])),
  fc.constantFrom<[number, number, number]>([0, RAM_BASE, 0], [1, RAM_BASE, 0], [0x10, FW_END - 0x10, 0], [0x11, FW_END - 0x10, 0],
    [1, FW_END - 1, 0], [8, FW_END, 0], [0, FW_END - 4, 0], [0x20, RAM_BASE - 0x10, 0], [0x10, RAM_BASE - 0x10, 0]),
  fc.tuple(fc.integer({ min: 0, max: 64 }), fc.constantFrom(0, 0x10000000, 0x02000000, 0x90000000, 0xfffffff0, 0x7fffffff)).map(([n, lo]): [number, number, number] => [n, lo, 0]),
  fc.tuple(fc.integer({ min: 0, max: 16 }), u32.filter((h) => h !== 0)).map(([n, hi]): [number, number, number] => [n, ramBuf, hi]),
  fc.integer({ min: 0x08000001, max: 0xffffffff }).map((n): [number, number, number] => [n, ramBuf, 0]),
);
export const dbcnCall: Arbitrary<Call> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(buffer(DATA), args6).map(([b, a]) => call(EID.DBCN, 0, withArgs(a, b))) },
  { weight: 3, arbitrary: fc.tuple(buffer(READBUF), args6).map(([b, a]) => call(EID.DBCN, 1, withArgs(a, b))) },
  { weight: 2, arbitrary: fc.tuple(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), u32), args6).map(([c, a]) => call(EID.DBCN, 2, withArgs(a, [c]))) },
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.constant(3), u32.filter((f) => f > 2)), args6).map(([f, a]) => call(EID.DBCN, f, a)) },
);
export const legacyCall: Arbitrary<Call> = fc.tuple(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), u32), u32, args6)
  .map(([c, fid, a]) => call(EID.LEGACY_PUTCHAR, fid, withArgs(a, [c])));

export const unknownCall: Arbitrary<Call> = fc.tuple(fc.oneof(fc.constantFrom(...UNIMPLEMENTED), u32.filter((e) => !KNOWN.includes(e))), u32, args6)
  .map(([eid, fid, a]) => call(eid, fid, a));

const sieOp: Arbitrary<Op> = fc.constantFrom(0, SSIE, STIE, SSIE | STIE, SSIE | STIE | SEIE, SEIE).map((v) => ({ k: 'sie', v }));
const clearSsipOp: Arbitrary<Op> = fc.constant({ k: 'clearSsip' });
const satpOp: Arbitrary<Op> = u32.map((v) => ({ k: 'satp', v: v & 0x7fffffff }));
const sstatusOp: Arbitrary<Op> = fc.subarray([1 << 5, 1 << 8, 1 << 18, 1 << 19]).map((bits) => ({ k: 'sstatus', v: bits.reduce((x, b) => x | b, 0) }));

/** Weights of each family of ops in a generated sequence. */
export interface Mix {
  base?: number; timer?: number; ipi?: number; rfence?: number; hsm?: number; srst?: number; dbcn?: number;
  legacy?: number; unknown?: number; sie?: number; clearSsip?: number; satp?: number; sstatus?: number;
  /** Weight of valid (run-ending) resets among SRST calls. */
  srstValid?: number;
}

export function opArb(m: Mix): Arbitrary<Op> {
  const parts: Array<{ weight: number; arbitrary: Arbitrary<Op> }> = [];
  const add = (w: number | undefined, a: Arbitrary<Op>): void => { if (w !== undefined && w > 0) parts.push({ weight: w, arbitrary: a }); };
  add(m.base, baseCall); add(m.timer, timerCall); add(m.ipi, ipiCall); add(m.rfence, rfenceCall); add(m.hsm, hsmCall);
  add(m.srst, srstCall(m.srstValid ?? 1)); add(m.dbcn, dbcnCall); add(m.legacy, legacyCall); add(m.unknown, unknownCall);
  add(m.sie, sieOp); add(m.clearSsip, clearSsipOp); add(m.satp, satpOp); add(m.sstatus, sstatusOp);
  return fc.oneof(...parts);
}

/** Cases print (in fast-check's counterexamples) as the program's call list. */
export function caseArb(m: Mix, maxOps = 14, maxInput = 24): Arbitrary<SbiCase> {
  return fc.record({
    regs: fc.array(u32, { minLength: 32, maxLength: 32 }),
    ops: fc.array(opArb(m), { minLength: 1, maxLength: maxOps }),
    input: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: maxInput }),
    data: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: DATA_SIZE, maxLength: DATA_SIZE }),
  }).map((c) => Object.assign(c, { [fc.toStringMethod]: () => `\n${showProgram(assemble(c), c.input)}\n` }));
}

// ---- planning: a model of the pending interrupts, so no call waits forever --------------------

interface Model { ssip: boolean; stip: boolean; sie: number; mtie: 'off' | 'never' | bigint; floor: bigint }

/**
 * The ops as the program makes them: set_timer values made concrete, nothing after a valid
 * SRST, and a suspend that nothing could wake preceded by `sie.SSIE = 1` and an IPI to this hart,
 * or by a set_timer in the future (the WFI then lets time jump to it).
 * `floor` is a time every run has certainly reached at any later call (the program's prologue is
 * longer than 16 instructions; after a WFI jumped to a timer event at V, time >= V).
 */
export function plan(ops: readonly Op[]): Op[] {
  const s: Model = { ssip: false, stip: false, sie: 0, mtie: 'off', floor: 16n };
  const out: Op[] = [];
  for (const op of ops) {
    if (op.k !== 'call') {
      if (op.k === 'sie') s.sie = op.v & (SSIE | STIE | SEIE);
      if (op.k === 'clearSsip') s.ssip = false;
      out.push(op);
      continue;
    }
    let c: Call = { ...op, a: op.a.slice() };
    if (c.eid === EID.HSM && c.fid === 1) c = { ...c, fid: 4 };
    if (c.eid === EID.TIME && c.fid === 0 && c.timer !== undefined) {
      const r = BigInt(c.timer.r >>> 0);
      const v = c.timer.cls === 'past' ? r % (s.floor + 1n)
        : c.timer.cls === 'future' ? s.floor + (1n << 24n) + r
          : [(1n << 64n) - 1n, (1n << 64n) - 2n, (1n << 63n) + r][c.timer.r % 3]!;
      c.a[0] = Number(v & 0xffffffffn);
      c.a[1] = Number(v >> 32n);
      if (c.timer.cls === 'past') { s.stip = true; s.mtie = 'off'; } else { s.stip = false; s.mtie = c.timer.cls === 'never' ? 'never' : v; }
    }
    if (c.eid === EID.IPI && c.fid === 0 && selectsHart0(c.a[0]!, c.a[1]!) > 0) s.ssip = true;
    if (c.eid === EID.HSM && c.fid === 3) {
      const t = c.a[0]!;
      if (t === SUSPEND_NON_RETENTIVE && c.resume === undefined && goodResume(c.a[1]!)) c = { ...c, resume: 0 };
      const waits = t === SUSPEND_RETENTIVE || (t === SUSPEND_NON_RETENTIVE && c.resume === 0);
      if (waits) {
        const sSource = (s.ssip && (s.sie & SSIE) !== 0) || (s.stip && (s.sie & STIE) !== 0);
        if (!sSource && typeof s.mtie !== 'bigint' && (c.a[3]! & 1) === 0) {
          s.sie |= SSIE;
          s.ssip = true;
          out.push({ k: 'sie', v: s.sie }, call(EID.IPI, 0, [1, 0, 0, 0, 0, 0]));
        } else if (!sSource && typeof s.mtie !== 'bigint') {
          // Or arm the timer in the future: the suspend ends with a jump to it.
          const v = s.floor + (1n << 24n) + BigInt(c.a[4]! >>> 0);
          out.push(call(EID.TIME, 0, [Number(v & 0xffffffffn), Number(v >> 32n), 0, 0, 0, 0]));
          s.floor = v;
          s.stip = true;
          s.mtie = 'off';
        } else if (!sSource && typeof s.mtie === 'bigint') {
          // Woken by the machine timer: WFI lets time jump to mtimecmp, which then fires.
          s.floor = s.mtie;
          s.stip = true;
          s.mtie = 'off';
        }
      }
    }
    out.push(c);
    if (c.eid === EID.SRST && c.fid === 0 && c.a[0]! <= 2 && c.a[1]! <= 1) break;
  }
  return out;
}

/** A resume address the firmware accepts: word-aligned S-mode RAM (inside RAM, outside the firmware). */
const goodResume = (a: number): boolean => (a & 3) === 0 && a >= FW_END && a + 4 <= RAM_END;

// ---- the program -------------------------------------------------------------------------------

/** Registers the prologue sets and nothing but the firmware could change: ra, sp, tp, t0-t2, s0-s11, t3-t6. */
export const KEPT_REGS = [1, 2, 4, 5, 6, 7, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31];
const GP = 3, A0 = 10, A6 = 16, A7 = 17;
const CSR_SSTATUS = 0x100, CSR_SIE = 0x104, CSR_SIP = 0x144, CSR_SATP = 0x180;

export interface CallInfo { index: number; eid: number; fid: number; a: number[]; ecall: number; slot: number }
export interface Program {
  segments: Array<{ addr: number; bytes: Uint8Array }>;
  /** The final `j .`. */
  end: number;
  calls: CallInfo[];
  ops: Op[];
  regs: number[];
}

export function assemble(c: SbiCase, ops: readonly Op[] = plan(c.ops)): Program {
  const asm = new Asm(PROG);
  const regs = c.regs.map((v) => v >>> 0);
  for (const r of KEPT_REGS) asm.li(r, regs[r]!);
  asm.li(GP, RESULT);
  const calls: CallInfo[] = [];
  for (const op of ops) {
    if (op.k === 'clearSsip') { asm.i({ op: 'csrrci', rd: 0, uimm: 2, csr: CSR_SIP }); continue; }
    if (op.k !== 'call') {
      asm.li(A0, op.v);
      asm.i({ op: 'csrrw', rd: 0, rs1: A0, csr: op.k === 'sie' ? CSR_SIE : op.k === 'satp' ? CSR_SATP : CSR_SSTATUS });
      continue;
    }
    const a = op.a.map((v) => v >>> 0);
    asm.li(A7, op.eid);
    asm.li(A6, op.fid);
    // 12 words (li a0-a5) from here to the ECALL.
    const ecall = asm.pc + 4 * 12;
    if (op.resume !== undefined) a[1] = (ecall + 4 + op.resume) >>> 0;
    for (let k = 0; k < 6; k++) asm.li(A0 + k, a[k]!);
    if (asm.pc !== ecall) throw new Error('assemble: layout');
    asm.i({ op: 'ecall' });
    const index = calls.length;
    for (let k = 0; k < 8; k++) asm.i({ op: 'sw', rs1: GP, rs2: A0 + k, imm: 4 * k });
    asm.csrr(A0, CSR_SIP);
    asm.i({ op: 'sw', rs1: GP, rs2: A0, imm: 32 });
    asm.li(A0, MARKER + index);
    asm.i({ op: 'sw', rs1: GP, rs2: A0, imm: 36 });
    asm.i({ op: 'addi', rd: GP, rs1: GP, imm: SLOT });
    calls.push({ index, eid: op.eid, fid: op.fid, a, ecall, slot: RESULT + SLOT * index });
  }
  const end = asm.pc;
  asm.i({ op: 'jal', rd: 0, imm: 0 });
  return {
    segments: [{ addr: PROG, bytes: asm.bytes() }, { addr: DATA, bytes: Uint8Array.from(c.data) }],
    end, calls, ops: [...ops], regs,
  };
}

// ---- readable counterexamples ------------------------------------------------------------------

export const hex = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

export function callName(eid: number, fid: number): string {
  const e = EID_NAME.get(eid >>> 0);
  if (e === undefined) return `EID ${hex(eid)} (unknown) FID ${hex(fid)}`;
  if (eid === EID.LEGACY_PUTCHAR) return `LEGACY_PUTCHAR (a6 ${hex(fid)} ignored)`;
  const f = FID_NAME[eid]?.[fid];
  return `${e}/${fid >>> 0 < 0x10000 ? fid >>> 0 : hex(fid)} ${f ?? '(unknown FID)'}`;
}

/** The program's ops, one a line: calls with EID/FID and a0-a5 as hex, and the sie/sip writes between them. */
export function showProgram(p: Program, input: readonly number[]): string {
  const lines: string[] = [];
  let k = 0;
  for (const op of p.ops) {
    if (op.k === 'clearSsip') { lines.push('      csrc sip, SSIP'); continue; }
    if (op.k !== 'call') { lines.push(`      csrw ${op.k}, ${hex(op.v)}`); continue; }
    const c = p.calls[k]!;
    const note = op.resume !== undefined ? ` (a1 = resume at ECALL+4${op.resume ? `+${op.resume}` : ''})` : '';
    lines.push(`  #${String(k).padEnd(2)} ${callName(c.eid, c.fid)}  a0-a5 = ${c.a.map(hex).join(' ')}  [ECALL at ${hex(c.ecall)}]${note}`);
    k++;
  }
  lines.push(`  UART input: ${input.length === 0 ? '(none)' : input.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  return lines.join('\n');
}
