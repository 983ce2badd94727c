/**
 * Properties of the virt platform's device models (DEV-CLINT-*, DEV-PLIC-*, DEV-UART-*, DEV-FIN-*),
 * checked against independent oracles written directly from spec/devices.md.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as clint from '../src/devices/clint.js';
import * as plic from '../src/devices/plic.js';
import * as uart from '../src/devices/uart.js';
import * as finisher from '../src/devices/finisher.js';
import type { Time } from '../src/devices/time.js';

// ---------------------------------------------------------------------------------------------
// Helpers

/** Freeze a value and everything it holds (typed arrays cannot be frozen and are skipped). */
function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !ArrayBuffer.isView(x) && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

const big = (t: Time): bigint => (BigInt(t.hi) << 32n) | BigInt(t.lo);
const time = (b: bigint): Time => ({ lo: Number(b & 0xffffffffn), hi: Number((b >> 32n) & 0xffffffffn) });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const isU32 = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

/** Offsets, sizes and values that include garbage: totality must hold for all of them. */
const anyOffset = (size: number) => fc.oneof(
  fc.integer({ min: -16, max: size + 16 }), fc.integer({ min: 0, max: size - 1 }), fc.integer(),
  fc.double(), fc.constantFrom(NaN, Infinity, -0),
);
const anySize = fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 8), fc.integer(), fc.double());
const anyValue = fc.oneof(uint32, fc.integer(), fc.double(), fc.constantFrom(NaN, -1, 2 ** 40));

// ---------------------------------------------------------------------------------------------
// CLINT

const ZERO: Time = { lo: 0, hi: 0 };
const MTIMECMP = 0x4000;
const MTIME = 0xbff8;

function cw(s: clint.ClintState, off: number, v: number, t: Time = ZERO): { s: clint.ClintState; time: Time } {
  const r = clint.write(s, off, 4, v, t);
  if (r === null) throw new Error(`clint write ${off.toString(16)} faulted`);
  return r;
}

/** A CLINT whose mtimecmp values are `cmps`, set through MMIO writes of the two halves. */
function clintWith(cmps: readonly bigint[]): clint.ClintState {
  let s = clint.reset(cmps.length);
  cmps.forEach((c, h) => {
    const t = time(c);
    s = cw(s, MTIMECMP + 8 * h, t.lo).s;
    s = cw(s, MTIMECMP + 8 * h + 4, t.hi).s;
  });
  return s;
}

describe('CLINT', () => {
  it('DEV-CLINT-5: mtip exactly when mtime >= mtimecmp as unsigned 64-bit numbers', () => {
    // Falsified by a signed or 32-bit comparison, or halves written into the wrong place.
    const near = (c: bigint) => fc.oneof(u64, fc.constantFrom(c, c + 1n, c - 1n, c ^ (1n << 63n), c ^ 0x80000000n))
      .map((x) => ((x % (1n << 64n)) + (1n << 64n)) % (1n << 64n));
    fc.assert(fc.property(
      fc.array(u64, { minLength: 1, maxLength: 4 }).chain((cmps) =>
        fc.tuple(fc.constant(cmps), fc.nat(cmps.length - 1), near(cmps[0] ?? 0n))),
      ([cmps, h, now]) => {
        const s = clintWith(cmps);
        const t = time(now);
        const cmp = cmps[h] ?? 0n;
        expect(clint.mtip(s, h, t)).toBe(now >= cmp);
        // DEV-CLINT-3: the halves read back.
        expect(clint.read(s, MTIMECMP + 8 * h, 4, t)).toBe(Number(cmp & 0xffffffffn));
        expect(clint.read(s, MTIMECMP + 8 * h + 4, 4, t)).toBe(Number(cmp >> 32n));
      },
    ));
  });

  it('DEV-CLINT-7: nextEvent is the least mtimecmp strictly after now, or null', () => {
    // Falsified by returning a deadline that is not in the future, or not the earliest one.
    fc.assert(fc.property(
      fc.array(fc.oneof(u64, fc.bigInt({ min: 0n, max: 20n })), { minLength: 1, maxLength: 8 }),
      fc.oneof(u64, fc.bigInt({ min: 0n, max: 20n })),
      (cmps, now) => {
        const future = cmps.filter((c) => c > now);
        const want = future.length === 0 ? null : future.reduce((a, b) => (b < a ? b : a));
        const got = clint.nextEvent(clintWith(cmps), time(now));
        expect(got === null ? null : big(got)).toBe(want);
      },
    ));
  });

  it('DEV-CLINT-4: mtime reads as the current time; a write replaces one half and returns the new time', () => {
    // Falsified by a write that leaves time unchanged, touches the other half or changes the state.
    fc.assert(fc.property(u64, uint32, fc.boolean(), (now, v, hi) => {
      const s = deepFreeze(clint.reset(2));
      const t = time(now);
      expect(clint.read(s, MTIME, 4, t)).toBe(t.lo);
      expect(clint.read(s, MTIME + 4, 4, t)).toBe(t.hi);
      const r = cw(s, MTIME + (hi ? 4 : 0), v, t);
      expect(r.time).toEqual(hi ? { lo: t.lo, hi: v } : { lo: v, hi: t.hi });
      expect(r.s).toEqual(s);
    }));
  });

  it('DEV-CLINT-2: msip holds bit 0 only and drives the software interrupt of its hart alone', () => {
    // Falsified by other bits reading back, or by a write reaching another hart.
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1))), uint32,
      ([n, h], v) => {
        const s = cw(clint.reset(n), 4 * h, v).s;
        for (let k = 0; k < n; k++) {
          const want = k === h ? v & 1 : 0;
          expect(clint.read(s, 4 * k, 4, ZERO)).toBe(want);
          expect(clint.msip(s, k)).toBe(want === 1);
        }
      }));
  });

  it('DEV-CLINT-8: after reset msip is clear and mtimecmp is 0, so the timer is pending at time 0', () => {
    // Falsified by resetting mtimecmp to all ones (the choice QEMU does not make).
    const s = clint.reset(3);
    for (let h = 0; h < 3; h++) {
      expect(clint.msip(s, h)).toBe(false);
      expect(clint.mtip(s, h, ZERO)).toBe(true);
      expect(clint.read(s, MTIMECMP + 8 * h + 4, 4, ZERO)).toBe(0);
    }
    expect(clint.nextEvent(s, ZERO)).toBeNull();
  });

  it('DEV-CLINT-1, DEV-CLINT-6: only aligned 32-bit accesses; unmapped offsets read 0 and ignore writes', () => {
    // Falsified by accepting byte/halfword accesses, or by an unmapped store changing anything.
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.nat(clint.SIZE / 4 - 1), uint32, u64, (n, w, v, now) => {
      const off = 4 * w;
      const t = time(now);
      const s = deepFreeze(clint.reset(n));
      const mapped = off < 4 * n || (off >= MTIMECMP && off < MTIMECMP + 8 * n) || off === MTIME || off === MTIME + 4;
      for (const size of [1, 2, 8]) {
        expect(clint.read(s, off, size, t)).toBeNull();
        expect(clint.write(s, off, size, v, t)).toBeNull();
      }
      expect(clint.read(s, off + 1, 4, t)).toBeNull();
      if (!mapped) {
        expect(clint.read(s, off, 4, t)).toBe(0);
        expect(clint.write(s, off, 4, v, t)).toEqual({ s, time: t });
      }
    }));
  });
});

// ---------------------------------------------------------------------------------------------
// PLIC

const N = plic.NUM_SOURCES;
const ENABLE = (ctx: number, w: number) => 0x2000 + 0x80 * ctx + 4 * w;
const THRESHOLD = (ctx: number) => 0x200000 + 0x1000 * ctx;
const CLAIM = (ctx: number) => 0x200004 + 0x1000 * ctx;

function pw(s: plic.PlicState, off: number, v: number): plic.PlicState {
  const r = plic.write(s, off, 4, v);
  if (r === null) throw new Error(`plic write ${off.toString(16)} faulted`);
  return r;
}
function pr(s: plic.PlicState, off: number): { s: plic.PlicState; v: number } {
  const r = plic.read(s, off, 4);
  if (r === null) throw new Error(`plic read ${off.toString(16)} faulted`);
  return r;
}
const pendingBit = (s: plic.PlicState, id: number): boolean => ((pr(s, 0x1000 + 4 * (id >>> 5)).v >>> (id & 31)) & 1) === 1;

/** Enable words for a context from a set of IDs. */
function enableWords(ids: readonly number[]): number[] {
  const ws = [0, 0, 0];
  for (const id of ids) ws[id >>> 5] = ((ws[id >>> 5] ?? 0) | (1 << (id & 31))) >>> 0;
  return ws;
}

interface PlicScenario {
  harts: number; ctx: number;
  prio: number[]; // index = source ID
  enabled: boolean[][]; // [ctx][id]
  threshold: number; high: boolean[];
}

const plicScenario: fc.Arbitrary<PlicScenario> = fc.integer({ min: 1, max: 3 }).chain((harts) => fc.record({
  harts: fc.constant(harts),
  ctx: fc.nat(2 * harts - 1),
  prio: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: N, maxLength: N }),
  enabled: fc.array(fc.array(fc.boolean(), { minLength: N, maxLength: N }), { minLength: 2 * harts, maxLength: 2 * harts }),
  threshold: fc.integer({ min: 0, max: 7 }),
  high: fc.array(fc.boolean(), { minLength: N, maxLength: N }),
}));

/** Build a scenario's state through the MMIO interface and the source lines. */
function buildPlic(sc: PlicScenario): plic.PlicState {
  let s = plic.reset(sc.harts);
  for (let id = 1; id < N; id++) s = pw(s, 4 * id, sc.prio[id] ?? 0);
  sc.enabled.forEach((en, c) => {
    enableWords(en.flatMap((e, id) => (e && id > 0 ? [id] : []))).forEach((w, i) => { s = pw(s, ENABLE(c, i), w); });
  });
  s = pw(s, THRESHOLD(sc.ctx), sc.threshold);
  for (let id = 1; id < N; id++) if (sc.high[id]) s = plic.setSource(s, id, true);
  return s;
}

/** The order in which the spec says repeated claims by the scenario's context drain its sources. */
function claimOrder(sc: PlicScenario): number[] {
  const en = sc.enabled[sc.ctx] ?? [];
  const ids: number[] = [];
  for (let id = 1; id < N; id++) if (sc.high[id] && en[id] && (sc.prio[id] ?? 0) > sc.threshold) ids.push(id);
  return ids.sort((a, b) => (sc.prio[b] ?? 0) - (sc.prio[a] ?? 0) || a - b);
}

describe('PLIC', () => {
  it('DEV-PLIC-7, DEV-PLIC-9: claims return the highest-priority enabled pending source above threshold, lowest ID first', () => {
    // Falsified by ignoring enables/threshold, breaking ties upwards, not clearing pending on claim,
    // or eip disagreeing with what a claim would return.
    fc.assert(fc.property(plicScenario, (sc) => {
      let s = buildPlic(sc);
      const order = claimOrder(sc);
      for (const want of order) {
        expect(plic.eip(s, sc.ctx)).toBe(true);
        const r = pr(s, CLAIM(sc.ctx));
        expect(r.v).toBe(want);
        expect(pendingBit(s, want)).toBe(true);
        expect(pendingBit(r.s, want)).toBe(false);
        s = r.s;
      }
      expect(plic.eip(s, sc.ctx)).toBe(false);
      expect(pr(s, CLAIM(sc.ctx)).v).toBe(0);
    }), { numRuns: 200 });
  });

  it('DEV-PLIC-8, DEV-PLIC-6: completing a source whose line is still high makes it pending again; a low one not', () => {
    // Falsified by a lost level interrupt after completion, a spurious one after the line dropped,
    // or the gateway forwarding a request while the source is in service.
    fc.assert(fc.property(fc.integer({ min: 1, max: N - 1 }), fc.integer({ min: 1, max: 7 }), fc.boolean(), fc.nat(1),
      (id, p, stillHigh, ctx) => {
        let s = pw(plic.reset(1), 4 * id, p);
        s = pw(s, ENABLE(ctx, id >>> 5), (1 << (id & 31)) >>> 0);
        s = plic.setSource(s, id, true);
        const c = pr(s, CLAIM(ctx));
        expect(c.v).toBe(id);
        s = plic.setSource(c.s, id, true);
        expect(pendingBit(s, id)).toBe(false);
        expect(plic.eip(s, ctx)).toBe(false);
        if (!stillHigh) s = plic.setSource(s, id, false);
        s = pw(s, CLAIM(ctx), id);
        expect(pendingBit(s, id)).toBe(stillHigh);
        expect(pr(s, CLAIM(ctx)).v).toBe(stillHigh ? id : 0);
      }));
  });

  it('DEV-PLIC-6: a line that drops before the claim does not retract the request', () => {
    // Falsified by pending following the level instead of latching it.
    fc.assert(fc.property(fc.integer({ min: 1, max: N - 1 }), (id) => {
      let s = pw(plic.reset(1), 4 * id, 1);
      s = pw(s, ENABLE(0, id >>> 5), (1 << (id & 31)) >>> 0);
      s = plic.setSource(plic.setSource(s, id, true), id, false);
      expect(pendingBit(s, id)).toBe(true);
      expect(pr(s, CLAIM(0)).v).toBe(id);
    }));
  });

  it('DEV-PLIC-8: a completion for a source not enabled for the context is ignored', () => {
    // Falsified by the completion ending service anyway (QEMU's behaviour, not the spec's).
    fc.assert(fc.property(fc.integer({ min: 1, max: N - 1 }), (id) => {
      let s = pw(plic.reset(1), 4 * id, 3);
      s = pw(s, ENABLE(0, id >>> 5), (1 << (id & 31)) >>> 0);
      s = plic.setSource(s, id, true);
      s = pr(s, CLAIM(0)).s;
      s = pw(s, ENABLE(0, id >>> 5), 0);
      s = pw(s, CLAIM(0), id);
      s = pw(s, ENABLE(0, id >>> 5), (1 << (id & 31)) >>> 0);
      expect(pendingBit(s, id)).toBe(false);
      expect(pr(s, CLAIM(0)).v).toBe(0);
      s = pw(s, CLAIM(0), id);
      expect(pr(s, CLAIM(0)).v).toBe(id);
    }));
  });

  it('DEV-PLIC-2, DEV-PLIC-3, DEV-PLIC-4, DEV-PLIC-5: WARL priority/threshold, read-only pending, source 0 hardwired', () => {
    // Falsified by more than 3 priority bits, a writable source 0 or pending array, or enable bit 0 sticking.
    fc.assert(fc.property(fc.integer({ min: 0, max: N - 1 }), uint32, uint32, (id, v, e) => {
      let s = plic.reset(1);
      s = pw(s, 4 * id, v);
      expect(pr(s, 4 * id).v).toBe(id === 0 ? 0 : v & 7);
      s = pw(s, THRESHOLD(1), v);
      expect(pr(s, THRESHOLD(1)).v).toBe(v & 7);
      s = pw(s, ENABLE(1, 0), e);
      expect(pr(s, ENABLE(1, 0)).v).toBe((e & ~1) >>> 0);
      s = pw(s, ENABLE(1, 2), e);
      expect(pr(s, ENABLE(1, 2)).v).toBe(e);
      const t = pw(s, 0x1000, v);
      expect(t).toEqual(s);
      expect(pr(t, 0x1000).v).toBe(0);
    }));
  });

  it('DEV-PLIC-10: after reset every register reads 0 and no context has an interrupt', () => {
    // Falsified by any non-zero reset value, or an interrupt line high out of reset.
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), (n) => {
      const s = plic.reset(n);
      for (let id = 0; id < N; id++) expect(pr(s, 4 * id).v).toBe(0);
      for (let w = 0; w < 3; w++) expect(pr(s, 0x1000 + 4 * w).v).toBe(0);
      for (let c = 0; c < 2 * n; c++) {
        for (let w = 0; w < 3; w++) expect(pr(s, ENABLE(c, w)).v).toBe(0);
        expect(pr(s, THRESHOLD(c)).v).toBe(0);
        expect(pr(s, CLAIM(c)).v).toBe(0);
        expect(plic.eip(s, c)).toBe(false);
      }
    }), { numRuns: 8 });
  });

  it('DEV-PLIC-1: only aligned 32-bit accesses; unmapped offsets inside the region read 0 and ignore writes', () => {
    // Falsified by accepting narrow accesses, or by a store to a reserved offset changing the state.
    const s = deepFreeze(plic.reset(2));
    for (const off of [0x180, 0xffc, 0x100c, 0x1ffc, ENABLE(0, 3), ENABLE(4, 0), 0x1ffffc, THRESHOLD(0) + 8, THRESHOLD(4), plic.SIZE - 4]) {
      expect(pr(s, off).v).toBe(0);
      expect(pw(s, off, 0xffffffff)).toEqual(s);
    }
    for (const size of [1, 2, 8]) expect(plic.read(s, 4, size)).toBeNull();
    expect(plic.read(s, 2, 4)).toBeNull();
    expect(plic.read(s, plic.SIZE, 4)).toBeNull();
    expect(plic.context(3, 'M')).toBe(6);
    expect(plic.context(3, 'S')).toBe(7);
  });
});

// ---------------------------------------------------------------------------------------------
// UART

function ur(s: uart.UartState, off: number): { s: uart.UartState; v: number } {
  const r = uart.read(s, off, 1);
  if (r === null) throw new Error(`uart read ${off} faulted`);
  return r;
}
function uw(s: uart.UartState, off: number, v: number): { s: uart.UartState; out?: string } {
  const r = uart.write(s, off, 1, v);
  if (r === null) throw new Error(`uart write ${off} faulted`);
  return r;
}

describe('UART', () => {
  it('DEV-UART-2: input bytes are read back in order through RBR, with LSR.DR set exactly while bytes remain', () => {
    // Falsified by reordering, skipping or repeating bytes, a wrong DR bit, or mutating the input.
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (input, fifo) => {
      const copy = Uint8Array.from(input);
      let s = uart.reset(input);
      if (fifo) s = uw(s, 2, 0x07).s;
      const got: number[] = [];
      for (let i = 0; i <= input.length + 1; i++) {
        const l = ur(s, 5).v;
        expect((l & 1) === 1).toBe(i < input.length);
        expect(l & 0x60).toBe(0x60);
        if ((l & 1) === 0) break;
        const r = ur(deepFreeze(s), 0);
        got.push(r.v);
        s = r.s;
      }
      expect(got).toEqual([...input]);
      // Empty receiver: 0 with FIFOs, else the last byte again; nothing is consumed.
      const e = ur(s, 0);
      expect(e.v).toBe(fifo || input.length === 0 ? 0 : input[input.length - 1]);
      expect(e.s).toBe(s);
      expect(input).toEqual(copy);
    }));
  });

  it('DEV-UART-3: bytes written to THR come out in order as latin1 characters; LSR keeps THRE and TEMT', () => {
    // Falsified by lost or reordered output, wrong character mapping, or THRE/TEMT ever clearing.
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffff })), (vs) => {
      let s = uart.reset(new Uint8Array(0));
      let out = '';
      for (const v of vs) {
        const r = uw(s, 0, v);
        out += r.out ?? '<none>';
        s = r.s;
        expect(ur(s, 5).v & 0x60).toBe(0x60);
      }
      expect(out).toBe(Buffer.from(vs.map((v) => v & 0xff)).toString('latin1'));
    }));
  });

  it('DEV-UART-4: with LCR.DLAB set, offsets 0 and 1 are the divisor latch and nothing is transmitted', () => {
    // Falsified by a divisor write reaching THR/IER, or the latch not reading back.
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 15 }),
      (lo, hi, ier) => {
        let s = uw(uart.reset(new Uint8Array([1, 2])), 1, ier).s;
        s = uw(s, 3, 0x83).s;
        const w = uw(s, 0, lo);
        expect(w.out).toBeUndefined();
        s = uw(w.s, 1, hi).s;
        expect(ur(s, 0).v).toBe(lo);
        expect(ur(s, 1).v).toBe(hi);
        expect(ur(s, 0).s.inPos).toBe(0);
        s = uw(s, 3, 0x03).s;
        expect(ur(s, 1).v).toBe(ier);
        expect(ur(s, 0).v).toBe(1);
      }));
  });

  it('DEV-UART-7, DEV-UART-8, DEV-UART-9: THR-empty interrupt is acknowledged by reading IIR and re-armed by THR or an ETBEI change', () => {
    // Falsified by the THRE interrupt never clearing, not coming back after a THR write, or IER
    // writes that leave ETBEI unchanged re-arming it (QEMU re-arms only on a change).
    let s = uart.reset(new Uint8Array(0));
    expect(uart.irq(s)).toBe(false);
    expect(ur(s, 2).v).toBe(0x01);
    s = uw(s, 1, 0x02).s;
    expect(uart.irq(s)).toBe(true);
    const r = ur(s, 2);
    expect(r.v).toBe(0x02);
    s = r.s;
    expect(uart.irq(s)).toBe(false);
    expect(ur(s, 2).v).toBe(0x01);
    s = uw(s, 1, 0x03).s;
    expect(uart.irq(s)).toBe(false);
    s = uw(s, 0, 0x41).s;
    expect(uart.irq(s)).toBe(true);
    s = ur(s, 2).s;
    s = uw(uw(s, 1, 0x00).s, 1, 0x02).s;
    expect(uart.irq(s)).toBe(true);
    s = uw(s, 1, 0x00).s;
    expect(uart.irq(s)).toBe(false);
  });

  it('DEV-UART-7, DEV-UART-9, DEV-UART-6: received data outranks THRE in IIR; FIFO mode sets IIR bits 7:6; OUT2 does not gate', () => {
    // Falsified by the wrong interrupt priority, missing FIFO bits, or an OUT2-gated interrupt line.
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.boolean(), (input, fifo) => {
      let s = uart.reset(input);
      if (fifo) s = uw(s, 2, 0x01).s;
      s = uw(s, 4, 0x00).s;
      const hi = fifo ? 0xc0 : 0;
      expect(uart.irq(s)).toBe(false);
      s = uw(s, 1, 0x03).s;
      expect(uart.irq(s)).toBe(true);
      expect(ur(s, 2).v).toBe(hi | 0x04);
      for (let i = 0; i < input.length; i++) s = ur(s, 0).s;
      expect(ur(s, 2).v).toBe(hi | 0x02);
      s = ur(s, 2).s;
      expect(ur(s, 2).v).toBe(hi | 0x01);
      expect(uart.irq(s)).toBe(false);
    }));
  });

  it('DEV-UART-11, DEV-UART-10, DEV-UART-5: reset values, MSR with and without loopback, read-only LSR/MSR', () => {
    // Falsified by reset values differing from QEMU's, or the loopback MSR mapping being wrong.
    const s = deepFreeze(uart.reset(new Uint8Array(0)));
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((o) => ur(s, o).v)).toEqual([0, 0, 0x01, 0, 0x08, 0x60, 0xb0, 0]);
    expect(ur(uw(s, 3, 0x80).s, 0).v).toBe(0x0c);
    expect(uw(s, 5, 0).s).toEqual(s);
    expect(uw(s, 6, 0).s).toEqual(s);
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x0f }), fc.integer({ min: 0, max: 255 }), (m, b) => {
      const l = uw(s, 4, 0x10 | m);
      const want = ((m & 8) ? 0x80 : 0) | ((m & 4) ? 0x40 : 0) | ((m & 1) ? 0x20 : 0) | ((m & 2) ? 0x10 : 0);
      expect(ur(l.s, 6).v).toBe(want);
      expect(ur(l.s, 4).v).toBe(0x10 | m);
      expect(uw(l.s, 0, b).out).toBeUndefined();
    }));
  });

  it('DEV-UART-6: FIFO control never discards input that has not been read', () => {
    // Falsified by an FCR receive-FIFO reset dropping bytes of the (host-side) input.
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 255 }), (input, fcr) => {
      const s = uw(uart.reset(input), 2, fcr).s;
      expect(ur(s, 0).v).toBe(input[0]);
    }));
  });

  it('DEV-UART-1: only byte accesses to offsets 0..7', () => {
    // Falsified by accepting wider accesses or offsets beyond the eight registers.
    const s = uart.reset(new Uint8Array([7]));
    for (const size of [2, 4, 8]) expect(uart.read(s, 0, size)).toBeNull();
    for (const off of [8, 0x10, 0xff, -1]) expect(uart.write(s, off, 1, 0x41)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Test finisher

describe('finisher', () => {
  it('DEV-FIN-2: 0x5555 passes, (code << 16) | 0x3333 fails with code, 0x7777 resets, anything else does nothing', () => {
    // Falsified by a wrong exit code, a missed command, or an action from another offset/value.
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), uint32, fc.nat(0x3ff), (code, v, w) => {
      expect(finisher.write(0, 4, ((code << 16) | 0x3333) >>> 0)).toEqual({ kind: 'exit', code });
      expect(finisher.write(0, 4, ((code << 16) | 0x5555) >>> 0)).toEqual({ kind: 'exit', code: 0 });
      expect(finisher.write(0, 4, ((code << 16) | 0x7777) >>> 0)).toEqual({ kind: 'reset' });
      expect(finisher.write(0, 2, ((code << 16) | 0x3333) >>> 0)).toEqual({ kind: 'exit', code: 0 });
      const low = v & 0xffff;
      if (low !== 0x3333 && low !== 0x5555 && low !== 0x7777) expect(finisher.write(0, 4, v)).toEqual({ kind: 'none' });
      if (w > 0) expect(finisher.write(4 * w, 4, 0x5555)).toEqual({ kind: 'none' });
    }));
  });

  it('DEV-FIN-1: reads return 0; only 16- and 32-bit aligned accesses are accepted', () => {
    // Falsified by a non-zero read, or by accepting byte or 64-bit accesses.
    expect(finisher.read(0, 4)).toBe(0);
    expect(finisher.read(0x10, 2)).toBe(0);
    expect(finisher.read(0, 1)).toBeNull();
    expect(finisher.read(0, 8)).toBeNull();
    expect(finisher.write(0, 1, 0x55)).toBeNull();
    expect(finisher.write(2, 4, 0x5555)).toBeNull();
    expect(finisher.write(finisher.SIZE, 4, 0x5555)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Totality and immutability of every entry point

describe('totality and immutability', () => {
  it('DEV-CLINT-1, DEV-CLINT-6: CLINT read/write never throw, return uint32 or null, and never mutate their input', () => {
    // Falsified by an exception (frozen inputs make mutation throw), or a malformed result.
    const op = fc.tuple(fc.boolean(), anyOffset(clint.SIZE), anySize, anyValue, u64);
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 20 }), (n, ops) => {
      let s = clint.reset(n);
      for (const [isRead, off, size, v, now] of ops) {
        const prev = deepFreeze(s);
        const before = JSON.stringify(prev);
        const t = deepFreeze(time(now));
        if (isRead) {
          const r = clint.read(s, off, size, t);
          if (r !== null) expect(isU32(r)).toBe(true);
        } else {
          const r = clint.write(s, off, size, v, t);
          if (r !== null) {
            expect(isU32(r.time.lo) && isU32(r.time.hi)).toBe(true);
            s = r.s;
          }
        }
        expect(JSON.stringify(prev)).toBe(before);
        for (let h = 0; h < n; h++) { clint.msip(s, h); clint.mtip(s, h, t); }
        clint.nextEvent(s, t);
      }
    }));
  });

  it('DEV-PLIC-1: PLIC read/write/setSource never throw, return uint32 or null, and never mutate their input', () => {
    // Falsified by an exception (frozen inputs make mutation throw), or a malformed result.
    const op = fc.oneof(
      fc.tuple(fc.constant('r' as const), anyOffset(plic.SIZE), anySize, anyValue),
      fc.tuple(fc.constant('w' as const), fc.oneof(anyOffset(plic.SIZE), fc.integer({ min: 0x200000, max: 0x206000 }),
        fc.integer({ min: 0, max: 0x2200 })), anySize, anyValue),
      fc.tuple(fc.constant('l' as const), fc.oneof(fc.integer({ min: -2, max: N + 2 }), fc.double()), fc.boolean(), anyValue),
    );
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.array(op, { maxLength: 30 }), (n, ops) => {
      let s = plic.reset(n);
      for (const o of ops) {
        const prev = deepFreeze(s);
        const before = JSON.stringify(prev);
        if (o[0] === 'r') {
          const r = plic.read(s, o[1], o[2]);
          if (r !== null) { expect(isU32(r.v)).toBe(true); s = r.s; }
        } else if (o[0] === 'w') {
          const r = plic.write(s, o[1], o[2], o[3]);
          if (r !== null) s = r;
        } else {
          s = plic.setSource(s, o[1], o[2]);
        }
        expect(JSON.stringify(prev)).toBe(before);
        for (let c = 0; c < 2 * n + 1; c++) plic.eip(s, c);
      }
    }));
  });

  it('DEV-UART-1: UART read/write never throw, return bytes or null, and never mutate their input', () => {
    // Falsified by an exception (frozen inputs make mutation throw), a non-byte value or a mutated input.
    const op = fc.tuple(fc.boolean(), fc.oneof(anyOffset(8), fc.integer({ min: 0, max: 7 })), fc.oneof(anySize, fc.constant(1)), anyValue);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 16 }), fc.array(op, { maxLength: 40 }), (input, ops) => {
      const copy = Uint8Array.from(input);
      let s = uart.reset(input);
      for (const [isRead, off, size, v] of ops) {
        const prev = deepFreeze(s);
        const before = JSON.stringify(prev);
        if (isRead) {
          const r = uart.read(s, off, size);
          if (r !== null) { expect(Number.isInteger(r.v) && r.v >= 0 && r.v <= 0xff).toBe(true); s = r.s; }
        } else {
          const r = uart.write(s, off, size, v);
          if (r !== null) {
            if (r.out !== undefined) expect(r.out.length).toBe(1);
            s = r.s;
          }
        }
        uart.irq(s);
        expect(JSON.stringify(prev)).toBe(before);
      }
      expect(input).toEqual(copy);
    }));
  });

  it('DEV-FIN-1: finisher read/write never throw', () => {
    // Falsified by an exception or a read value other than 0/null.
    fc.assert(fc.property(anyOffset(finisher.SIZE), anySize, anyValue, (off, size, v) => {
      const r = finisher.read(off, size);
      expect(r === null || r === 0).toBe(true);
      const a = finisher.write(off, size, v);
      if (a !== null && a.kind === 'exit') expect(Number.isInteger(a.code) && a.code >= 0 && a.code <= 0xffff).toBe(true);
    }));
  });
});
