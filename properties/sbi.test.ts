/**
 * The SBI service against the SBI firmware (HX-SBI-*, HX-SEE-*): an S-mode program making random
 * SBI calls runs natively under popek's firmware (guests/sbi/fw.elf, as `popek run --bios`) and
 * under the TS service (src/vmm/see.ts, src/vmm/sbi.ts); both runs must end alike: every call's
 * a0-a7 and sip (the result slots), memory, registers, CSRs, the CLINT, the UART output (banner
 * included) and the halt, and the same traps into M-mode in the same order.
 *
 * Timing is not compared: the firmware executes instructions where the service executes none, so
 * mtime, the counters and where a timer interrupt lands differ. The programs run with sstatus.SIE
 * = 0 and observe pending supervisor interrupts by reading sip; timer values are chosen either in
 * the past or far in the future of both runs (see `plan` in arbitraries/sbi-calls.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_CONFIG, type Config } from '../src/machine/config.js';
import { thaw } from '../src/machine/core.js';
import { stepCore } from '../src/engines/reference.js';
import { dtbAddress, platformDtb } from '../src/machine/devicetree.js';
import { wordsToBytes } from '../src/machine/program.js';
import { readLE } from '../src/memory/store.js';
import { Asm } from '../src/qemu/asm.js';
import { PRV_S } from '../src/hart/state.js';
import { runs } from './support/runs.js';
import {
  assemble, callName, caseArb, EID, hex, KEPT_REGS, MARKER, plan, PROG, RESULT, SLOT, SLOT_FIELDS, selectsHart0, showProgram,
  SUSPEND_NON_RETENTIVE, type Mix, type Program, type SbiCase,
} from './arbitraries/sbi-calls.js';
import {
  firstDiff, kernelLoaded, memDiff, nativeLoaded, nativeMachine, observeRun, runNative, runService, serviceMachine, type Run,
} from './support/sbi-harness.js';

const SUCCESS = 0, INVALID_PARAM = -3;

/** Names an address for a difference: a result slot's call and field, or just the address. */
const where = (p: Program) => (addr: number): string => {
  const k = Math.floor((addr - RESULT) / SLOT);
  if (addr < RESULT || k >= p.calls.length) return hex(addr);
  const c = p.calls[k]!;
  return `${hex(addr)} = result of call #${k} ${callName(c.eid, c.fid)}, field ${SLOT_FIELDS[Math.floor((addr - c.slot) / 4)]}`;
};

const word = (r: Run, addr: number): number => r.core.mem.read(addr, 4) >>> 0;

/**
 * HX-SBI-CALL, absolute part: each call that returned left a2-a7 as loaded (and a1 for the legacy
 * putchar; a non-retentive resume has a0 = hart id, a1 = opaque), and the registers the program
 * does not pass to the SBI are as the prologue set them.
 */
function preservation(r: Run, p: Program): string | null {
  for (const c of p.calls) {
    if (word(r, c.slot + 36) !== MARKER + c.index) continue;
    const got = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => word(r, c.slot + 4 * i));
    const loaded = [...c.a, c.fid >>> 0, c.eid >>> 0];
    const op = p.ops.filter((o) => o.k === 'call')[c.index]!;
    const resumed = op.k === 'call' && c.eid === EID.HSM && c.fid === 3 && c.a[0] === SUSPEND_NON_RETENTIVE && op.resume === 0;
    for (let i = 2; i < 8; i++) if (got[i] !== loaded[i]) return `call #${c.index} ${callName(c.eid, c.fid)} changed a${i}: ${hex(loaded[i]!)} -> ${hex(got[i]!)}`;
    if (c.eid === EID.LEGACY_PUTCHAR && got[1] !== loaded[1]) return `call #${c.index} legacy putchar changed a1: ${hex(loaded[1]!)} -> ${hex(got[1]!)}`;
    if (resumed && (got[0] !== 0 || got[1] !== loaded[2])) return `call #${c.index} non-retentive resume: a0 = ${hex(got[0]!)} (hart 0), a1 = ${hex(got[1]!)} (opaque ${hex(loaded[2]!)})`;
  }
  if (r.stop === 'end') {
    const x = r.core.hart.x;
    for (const i of KEPT_REGS) if ((x[i]! >>> 0) !== p.regs[i]) return `x${i} = ${hex(x[i]!)} at the end, the prologue set ${hex(p.regs[i]!)}`;
    if ((x[3]! >>> 0) !== RESULT + SLOT * p.calls.length) return `gp = ${hex(x[3]!)}: not every call returned`;
  }
  return null;
}

interface Both { n: Run; s: Run; p: Program; fail: (what: string) => never }

/** Run the case both ways; throw with the call list and the first difference if the runs differ. */
function differential(rule: string, c: SbiCase): Both {
  const p = assemble(c);
  const input = Uint8Array.from(c.input);
  const bound = 30000 + 3000 * p.ops.length;
  const n = runNative(nativeMachine(nativeLoaded(p.segments, PROG), input), p.end, bound);
  const s = runService(serviceMachine(kernelLoaded(p.segments, PROG), input), p.end, bound);
  const fail = (what: string): never => {
    throw new Error(`${rule}: ${what}\n${showProgram(p, c.input)}\n(firmware run: ${n.steps} steps, ${n.stop}; service run: ${s.steps} steps, ${s.stop})`);
  };
  if (n.stop === 'bound' || s.stop === 'bound') fail(`a run did not finish within ${bound} steps (${n.core.hart.waiting || s.core.hart.waiting ? 'waiting' : 'running'})`);
  const on = observeRun(n), os = observeRun(s);
  const d = firstDiff({ stop: on.stop, halt: on.halt }, { stop: os.stop, halt: os.halt }) ?? memDiff(n, s, where(p)) ?? firstDiff(on, os);
  if (d !== null) fail(`first difference: ${d}`);
  for (const [name, r] of [['firmware', n], ['service', s]] as const) {
    const e = preservation(r, p);
    if (e !== null) fail(`${name} run: ${e}`);
  }
  return { n, s, p, fail };
}

const prop = (rule: string, mix: Mix, check?: (b: Both, c: SbiCase) => void, maxOps?: number) =>
  fc.property(caseArb(mix, maxOps), (c) => {
    const b = differential(rule, c);
    check?.(b, c);
  });

describe('HX-SBI: the SBI service = the SBI firmware (guests/sbi/fw.elf)', () => {
  it('HX-SBI-CALL: random call sequences over every extension return the same a0/a1, preserve the other registers, change the same state', () => {
    // Falsified by a sequence of calls (any EID including unknown ones, any FID, random a0-a5: hart
    // masks, fence ranges past 2^32, DBCN buffers in and out of RAM) after which the service's
    // results (a0-a7 and sip stored after each call), memory, registers, CSRs, CLINT, UART output or
    // halt differ from the firmware's, or either changes a register other than a0/a1.
    fc.assert(prop('HX-SBI-CALL', {
      base: 3, timer: 2, ipi: 2, rfence: 3, hsm: 2, srst: 1, srstValid: 1, dbcn: 2, legacy: 1, unknown: 2, sie: 1, clearSsip: 1, satp: 1, sstatus: 1,
    }), { numRuns: runs(200) });
  });

  it('HX-SBI-TIMER: set_timer and send_ipi give the same STIP/SSIP, mtimecmp and MTIE', () => {
    // Falsified if after some set_timer (a past value, which fires on the return; a future one; one
    // that never fires), send_ipi (this hart, all harts, other harts, no hart) or sip.SSIP clear,
    // sip, mie.MTIE or mtimecmp differ between the runs; or if a past timer does not show
    // sip.STIP right after the call, a later one does, or a selecting IPI does not show sip.SSIP.
    fc.assert(prop('HX-SBI-TIMER', { timer: 5, ipi: 3, sie: 2, clearSsip: 2, hsm: 1, base: 1 }, ({ n, p, fail }) => {
      const calls = p.ops.filter((o) => o.k === 'call');
      p.calls.forEach((c, k) => {
        const sip = word(n, c.slot + 32), op = calls[k]!;
        if (op.k !== 'call' || word(n, c.slot) !== SUCCESS) return;
        if (c.eid === EID.TIME && c.fid === 0 && op.timer !== undefined && ((sip >>> 5) & 1) !== (op.timer.cls === 'past' ? 1 : 0)) {
          fail(`call #${k}: set_timer (${op.timer.cls}) then sip = ${hex(sip)}`);
        }
        if (c.eid === EID.IPI && c.fid === 0 && selectsHart0(c.a[0]!, c.a[1]!) > 0 && ((sip >>> 1) & 1) !== 1) fail(`call #${k}: send_ipi to this hart then sip = ${hex(sip)}`);
      });
    }), { numRuns: runs(120) });
  });

  it('HX-SBI-HSM: hart_start, hart_get_status and hart_suspend (retentive, non-retentive, bad types and addresses)', () => {
    // Falsified if an HSM call returns differently (ALREADY_AVAILABLE / INVALID_PARAM for hart ids,
    // STARTED for this hart, INVALID_ADDRESS for bad resume addresses, INVALID_PARAM for reserved
    // suspend types), a suspend wakes differently (S interrupt enabled in sie, or the machine timer),
    // or a non-retentive suspend resumes elsewhere or with other a0/a1. Never HART_STOP, and never a
    // suspend nothing could wake.
    fc.assert(prop('HX-SBI-HSM', { hsm: 6, timer: 2, ipi: 2, sie: 2, clearSsip: 1, satp: 1, sstatus: 1 }), { numRuns: runs(150) });
  });

  it('HX-SBI-HSM: hart_stop never returns, in both', () => {
    // Falsified if, after hart_stop, either run executes another instruction of the program (its
    // result slot gets written), halts, prints, or leaves an interrupt enabled that could wake it
    // (mie != 0). (The firmware waits in M-mode, the service in S-mode: the kernel cannot tell.)
    fc.assert(fc.property(caseArb({ base: 1, timer: 1, ipi: 1, sie: 1 }, 4), fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 6, maxLength: 6 }), (c, a) => {
      const ops = [...plan(c.ops).filter((o) => !(o.k === 'call' && o.eid === EID.HSM)), { k: 'call' as const, eid: EID.HSM, fid: 1, a }];
      const p = assemble(c, ops);
      const stop = p.calls[p.calls.length - 1]!;
      const n = runNative(nativeMachine(nativeLoaded(p.segments, PROG), new Uint8Array()), p.end, 20000);
      const s = runService(serviceMachine(kernelLoaded(p.segments, PROG), new Uint8Array()), p.end, 20000);
      const fail = (what: string): never => { throw new Error(`HX-SBI-HSM (hart_stop): ${what}\n${showProgram(p, [])}`); };
      for (const [name, r] of [['firmware', n], ['service', s]] as const) {
        if (r.stop !== 'bound' || !r.core.hart.waiting || r.core.hart.csr.mie !== 0) fail(`${name} run: ${r.stop}, waiting ${r.core.hart.waiting}, mie ${hex(r.core.hart.csr.mie)}`);
        if (word(r, stop.slot + 36) !== 0) fail(`${name} run: hart_stop returned`);
      }
      const d = memDiff(n, s, where(p)) ?? firstDiff(n.core.out, s.core.out) ?? firstDiff(n.traps.map((t) => t.cause + '@' + t.pc), s.traps.map((t) => t.cause + '@' + t.pc));
      if (d !== null) fail(`first difference: ${d}`);
    }), { numRuns: runs(20) });
  });

  it('HX-SBI-SRST: valid system_reset ends the run with the same finisher write; invalid ones return INVALID_PARAM', () => {
    // Falsified if a valid reset (type 0-2, reason 0-1) halts differently from the firmware (shutdown
    // exit 0 / 1, reboot = reset) or other than the README's table says, or a reserved or vendor type
    // or reason does not return INVALID_PARAM in both.
    fc.assert(prop('HX-SBI-SRST', { srst: 4, srstValid: 2, base: 1, dbcn: 1, legacy: 1, timer: 1 }, ({ n, p, fail }) => {
      const last = p.calls[p.calls.length - 1]!;
      const valid = last.eid === EID.SRST && last.fid === 0 && last.a[0]! <= 2 && last.a[1]! <= 1;
      if (valid) {
        const want = last.a[0] !== 0 ? { reason: 'reset' } : { reason: 'exit', code: last.a[1], via: 'finisher' };
        if (firstDiff(n.core.halt, want) !== null) fail(`system_reset(${hex(last.a[0]!)}, ${hex(last.a[1]!)}) halted ${JSON.stringify(n.core.halt)}`);
      } else if (n.stop !== 'end') fail('the run halted without a valid system_reset');
      for (const c of p.calls) {
        if (c.eid !== EID.SRST || c.fid !== 0 || (c.a[0]! <= 2 && c.a[1]! <= 1)) continue;
        if ((word(n, c.slot) | 0) !== INVALID_PARAM) fail(`call #${c.index} system_reset(${hex(c.a[0]!)}, ${hex(c.a[1]!)}) returned ${hex(word(n, c.slot))}`);
      }
    }), { numRuns: runs(100) });
  });

  it('HX-SBI-CONSOLE: debug console write/read/write_byte and legacy putchar print and read the same bytes', () => {
    // Falsified if the UART output, the bytes read into RAM, the UART's receive position or a
    // DBCN result (num_bytes written; bytes read; INVALID_PARAM for buffers outside RAM, touching
    // the firmware, past RAM's end or with base_addr_hi != 0) differ between the runs.
    fc.assert(prop('HX-SBI-CONSOLE', { dbcn: 6, legacy: 2, base: 1 }, ({ n, p, fail }) => {
      for (const c of p.calls) {
        if (c.eid === EID.DBCN && c.fid === 2 && word(n, c.slot) !== SUCCESS) fail(`call #${c.index} console_write_byte returned ${hex(word(n, c.slot))}`);
      }
    }), { numRuns: runs(150) });
  });
});

describe('HX-SEE: the supervisor execution environment = the firmware as the kernel sees it', () => {
  it('HX-SEE-BOOT: the state at the kernel\'s first instruction equals the firmware\'s when it enters the kernel', () => {
    // Falsified if, for some kernel entry and RAM size, the service's machine after seeMachine
    // differs from the native machine at the first step where the hart is in S-mode: pc, privilege,
    // x registers, any CSR but the counters and the firmware's mscratch/mtvec (S CSRs, mstatus,
    // medeleg, mideleg, mcounteren, mie, mip, PMP, menvcfg...), CLINT, UART state, output (the
    // banner), memory outside the firmware; or if that state is not the README's (a0 = hart,
    // a1 = DTB, PMP entries 0/1, delegation, mie = MSIE, mtimecmp all ones).
    const arb = fc.record({
      ramMiB: fc.constantFrom(128, 128, 64, 256, 32),
      frac: fc.double({ min: 0, max: 0.9, noNaN: true }),
      input: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 4 }),
    });
    fc.assert(fc.property(arb, ({ ramMiB, frac, input }) => {
      const config: Config = { ...DEFAULT_CONFIG, ramSize: ramMiB * 1024 * 1024 };
      const entry = (0x80010000 + Math.floor(frac * (config.ramSize / 2 - 0x10000))) & ~3;
      const seg = [{ addr: entry >>> 0, bytes: wordsToBytes([0x0000006f]) }];
      const bytes = Uint8Array.from(input);
      const native0 = nativeMachine(nativeLoaded(seg, entry >>> 0, config), bytes);
      const c = thaw(native0);
      let steps = 0;
      while (c.hart.priv !== PRV_S && c.halt === null && steps < 20000) { stepCore(c); steps++; }
      const s = thaw(serviceMachine(kernelLoaded(seg, entry >>> 0, config), bytes));
      const n: Run = { core: c, stop: 'end', steps, traps: [], dynInfo: native0.harts[0]!.x[12]! >>> 0 };
      const sr: Run = { core: s, stop: 'end', steps: 0, traps: [], dynInfo: 0 };
      const ctx = `(entry ${hex(entry)}, RAM ${ramMiB} MiB, firmware entered S-mode after ${steps} steps)`;
      const d = memDiff(n, sr) ?? firstDiff(observeRun(n), observeRun(sr));
      if (d !== null) throw new Error(`HX-SEE-BOOT: first difference: ${d} ${ctx}`);
      const h = c.hart, csr = h.csr;
      const dtb = dtbAddress(config, platformDtb(config).length);
      const got = {
        pc: h.pc >>> 0, priv: h.priv, a0: h.x[10], a1: h.x[11]! >>> 0, others: [...h.x].filter((v, i) => i !== 10 && i !== 11 && v !== 0).length,
        satp: csr.satp, sie: (csr.mstatus >>> 1) & 1, medeleg: csr.medeleg, mideleg: csr.mideleg, mcounteren: csr.mcounteren, mie: csr.mie,
        pmpcfg0: (csr.pmpcfg[0]! | (csr.pmpcfg[1]! << 8)) >>> 0, pmpaddr0: csr.pmpaddr[0]! >>> 0, pmpaddr1: csr.pmpaddr[1]! >>> 0,
        mtimecmp: c.dev.clint.mtimecmp[0], msip: c.dev.clint.msip[0], bannerLines: c.out.split('\n').length - 1,
      };
      const want = {
        pc: entry >>> 0, priv: PRV_S, a0: 0, a1: dtb, others: 0, satp: 0, sie: 0, medeleg: 0xb1ff, mideleg: 0x222, mcounteren: 7, mie: 8,
        pmpcfg0: 0x1f18, pmpaddr0: (0x80000000 >>> 2) | 0x1fff, pmpaddr1: 0xffffffff,
        mtimecmp: { lo: 0xffffffff, hi: 0xffffffff }, msip: 0, bannerLines: 4,
      };
      const e = firstDiff(got, want);
      if (e !== null) throw new Error(`HX-SEE-BOOT: the firmware's kernel entry is not the README's: ${e.replace('service', 'README')} ${ctx}`);
      expect(readLE(native0.mem, n.dynInfo, 4)).toBe(0x4942534f);
    }), { numRuns: runs(15) });
  });

  it('HX-SEE-TRAP: the machine timer becomes STIP with MTIE cleared; the machine software interrupt becomes SSIP with msip cleared', () => {
    // Falsified if, in a program that arms the timer at rdtime + delta and spins reading sip (or
    // waits in hart_suspend with sie.STIE), and sends itself IPIs, all with sstatus.SIE = 0: a
    // machine timer interrupt, once served, leaves mie.MTIE set or mip.STIP clear; a machine
    // software interrupt leaves msip set or mip.SSIP clear; the traps into M-mode (causes, order)
    // or the final state differ between the firmware and the service.
    type Step = { k: 'spin' | 'suspend'; delta: number } | { k: 'ipi'; mask: [number, number]; suspend: boolean } | { k: 'clear' };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ k: fc.constantFrom<'spin' | 'suspend'>('spin', 'suspend'), delta: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 5000 })) }),
      fc.record({ k: fc.constant<'ipi'>('ipi'), mask: fc.constantFrom<[number, number]>([1, 0], [0, 0xffffffff], [0xffffffff, 0xffffffff]), suspend: fc.boolean() }),
      fc.constant<Step>({ k: 'clear' }),
    );
    fc.assert(fc.property(fc.array(stepArb, { minLength: 1, maxLength: 6 }), (steps) => {
      const T0 = 5, T1 = 6, T2 = 7, GP = 3, A0 = 10, A1 = 11, A6 = 16, A7 = 17;
      const asm = new Asm(PROG);
      asm.li(GP, RESULT);
      let timers = 0, ipis = 0, slot = 0;
      const storeSip = (): void => { asm.csrr(T2, 0x144); asm.i({ op: 'sw', rs1: GP, rs2: T2, imm: 4 * slot++ }); };
      const sbi = (eid: number, fid: number, a0: number, a1: number): void => {
        asm.li(A7, eid); asm.li(A6, fid); asm.li(A0, a0); asm.li(A1, a1); asm.i({ op: 'ecall' });
      };
      steps.forEach((st, i) => {
        if (st.k === 'clear') { asm.i({ op: 'csrrci', rd: 0, uimm: 2, csr: 0x144 }); return; }
        if (st.k === 'ipi') {
          if (st.suspend) { asm.li(A0, 2); asm.i({ op: 'csrrw', rd: 0, rs1: A0, csr: 0x104 }); }
          sbi(EID.IPI, 0, st.mask[0], st.mask[1]);
          if (st.suspend) sbi(EID.HSM, 3, 0, 0);
          ipis++;
          storeSip();
          return;
        }
        // a0/a1 = time + delta (64-bit), then set_timer.
        asm.li(A7, EID.TIME); asm.li(A6, 0);
        asm.csrr(A0, 0xc01); asm.csrr(A1, 0xc81);
        asm.li(T0, st.delta); asm.i({ op: 'add', rd: A0, rs1: A0, rs2: T0 }); asm.i({ op: 'sltu', rd: T1, rs1: A0, rs2: T0 }); asm.i({ op: 'add', rd: A1, rs1: A1, rs2: T1 });
        asm.i({ op: 'ecall' });
        timers++;
        if (st.k === 'suspend') {
          // Only STIE: the suspend must end with the timer, whatever else is pending.
          asm.li(A0, 0x20); asm.i({ op: 'csrrw', rd: 0, rs1: A0, csr: 0x104 });
          sbi(EID.HSM, 3, 0, 0);
        } else {
          asm.label(`spin${i}`);
          asm.csrr(T2, 0x144); asm.i({ op: 'andi', rd: T2, rs1: T2, imm: 0x20 }); asm.branch('beq', T2, 0, `spin${i}`);
        }
        storeSip();
      });
      const end = asm.pc;
      asm.i({ op: 'jal', rd: 0, imm: 0 });
      const seg = [{ addr: PROG, bytes: asm.bytes() }];
      const none = new Uint8Array(0);
      const n = runNative(nativeMachine(nativeLoaded(seg, PROG), none), end, 200000);
      const s = runService(serviceMachine(kernelLoaded(seg, PROG), none), end, 200000);
      const show = `program: ${JSON.stringify(steps)} (firmware ${n.steps} steps ${n.stop}, service ${s.steps} steps ${s.stop})`;
      const on = observeRun(n), os = observeRun(s);
      // When the timer interrupt comes (before or after the next ECALL, at which pc), and so mepc, mcause,
      // the state after each trap and the deadline itself (rdtime + delta), depend on timing:
      // compare the ECALLs in order and the interrupts by cause (their effect is checked below).
      for (const o of [on, os]) {
        const ecalls = o.traps.filter((t) => !t.cause.startsWith('0x8')).map((t) => ({ cause: t.cause, pc: t.pc }));
        const irqs = o.traps.filter((t) => t.cause.startsWith('0x8')).map((t) => ({ cause: t.cause, pc: '(timing)' })).sort((a, b) => a.cause.localeCompare(b.cause));
        o.traps = [...ecalls, ...irqs];
        o.clint.mtimecmp = '(timing)';
        if (o.hart !== undefined) o.hart.csrs['mepc'] = o.hart.csrs['mcause'] = '(timing)';
      }
      const d = firstDiff({ stop: on.stop }, { stop: os.stop }) ?? memDiff(n, s) ?? firstDiff(on, os);
      if (d !== null) throw new Error(`HX-SEE-TRAP: first difference: ${d}\n${show}`);
      for (const [name, r] of [['firmware', n], ['service', s]] as const) {
        const mti = r.traps.filter((t) => t.cause === '0x80000007'), msi = r.traps.filter((t) => t.cause === '0x80000003');
        const bad = mti.find((t) => t.after?.mtie !== 0 || t.after.stip !== 1) ?? msi.find((t) => t.after?.msip !== 0 || t.after.ssip !== 1);
        if (bad !== undefined) throw new Error(`HX-SEE-TRAP: ${name} run: after serving ${bad.cause}: ${JSON.stringify(bad.after)}\n${show}`);
        if (mti.length !== timers || msi.length !== ipis) throw new Error(`HX-SEE-TRAP: ${name} run: ${mti.length} timer and ${msi.length} software interrupts for ${timers} timers and ${ipis} IPIs\n${show}`);
      }
    }), { numRuns: runs(50) });
  });
});
