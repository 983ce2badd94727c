/**
 * The machine value, reset, and the step function (spec/state.md): STATE-1, STATE-RESET,
 * STEP-TOTAL, STEP-PURE, STEP-DET, STEP-SCHED, STEP-TIME.
 *
 * Oracles are written from the spec text and the RISC-V manual, not from the code: the expected
 * reset state is spelled out field by field, the expected time is computed with BigInt from the
 * count of retired instructions, and the schedule is read back from commit records.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { encode } from '../src/isa/encode.js';
import { decode } from '../src/isa/decode.js';
import { disassemble } from '../src/isa/disasm.js';
import type { Inst } from '../src/isa/inst.js';
import { machineFromWords } from '../src/machine/program.js';
import { createMachine, type Machine } from '../src/machine/machine.js';
import { DEFAULT_CONFIG, type Config } from '../src/machine/config.js';
import { parseIsa } from '../src/machine/isa-string.js';
import { run, step } from '../src/engines/reference.js';
import type { CommitRecord } from '../src/machine/commit-record.js';
import { chunkAt, chunkOffsets, readByte, readLE, withBytes } from '../src/memory/store.js';
import { decodeCached } from '../src/machine/step.js';
import { anyWord, nearValidWord, validWord } from './arbitraries/inst.js';
import { runs } from './support/runs.js';
import { fold, snap } from './support/snapshot.js';

const BASE = 0x80000000;
const E = (i: Inst): number => encode(i);
const NOP = E({ op: 'addi', rd: 0, rs1: 0, imm: 0 });
const MSTATUS_MPRV = 1 << 17;
const MSTATUS_MPP_U = 0;
const CLINT = 0x02000000;
const MTIME = CLINT + 0xbff8;
const MTIMECMP0 = CLINT + 0x4000;

const cfg = (over: Partial<Config>): Config => ({ ...DEFAULT_CONFIG, ...over });
const prog = (ws: readonly number[]): string => ws.map((w, k) => `${(BASE + 4 * k).toString(16)}: ${disassemble(decode(w), BASE + 4 * k)}`).join('\n');


/** Register values biased towards RAM near the program (so stores land), devices and corners. */
const regValue = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 0x3fff }).map((o) => (BASE + o) >>> 0) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 0xffffffff, 0x7fffffff, 0x80000000, CLINT, MTIMECMP0, 0x10000000, 0x0c000000) },
);
const regFile = fc.array(regValue, { minLength: 31, maxLength: 31 })
  .map((xs) => Object.fromEntries(xs.map((v, i) => [i + 1, v | 0])) as Record<number, number>);

/** Memory-touching instructions whose base registers are RAM-biased above. */
const memInst: fc.Arbitrary<Inst> = fc.oneof(
  fc.record({ op: fc.constantFrom('sb' as const, 'sh' as const, 'sw' as const), rs1: fc.integer({ min: 1, max: 31 }), rs2: fc.integer({ min: 0, max: 31 }), imm: fc.integer({ min: -2048, max: 2047 }) }),
  fc.record({ op: fc.constantFrom('amoadd.w' as const, 'amoswap.w' as const, 'sc.w' as const), rd: fc.integer({ min: 0, max: 31 }), rs1: fc.integer({ min: 1, max: 31 }), rs2: fc.integer({ min: 0, max: 31 }), aq: fc.constant(0), rl: fc.constant(0) }),
  fc.record({ op: fc.constant('lr.w' as const), rd: fc.integer({ min: 0, max: 31 }), rs1: fc.integer({ min: 1, max: 31 }), aq: fc.constant(0), rl: fc.constant(0) }),
);
const progWord = fc.oneof(
  { weight: 3, arbitrary: memInst.map(E) },
  { weight: 3, arbitrary: validWord },
  { weight: 1, arbitrary: nearValidWord },
  { weight: 1, arbitrary: anyWord },
);

afterEach(() => { vi.restoreAllMocks(); });

describe('STATE-1: the machine value', () => {
  it('STATE-1: a machine is plain data: a structured clone steps exactly like the original', () => {
    // Falsified if a machine holds behaviour or identity (closures, classes with hidden state, host
    // handles) so that a deep copy of the value behaves differently from the value itself, or if a
    // field the spec lists (config, isa, harts, mem, devices, time, out, halt) is missing.
    fc.assert(fc.property(fc.array(progWord, { minLength: 1, maxLength: 6 }), regFile, (ws, regs) => {
      const m = machineFromWords(ws, regs);
      for (const k of ['config', 'isa', 'harts', 'mem', 'dev', 'time', 'out', 'halt'] as const) expect(m).toHaveProperty(k);
      const c = structuredClone(m);
      expect(snap(fold(c, ws.length)), prog(ws)).toEqual(snap(fold(m, ws.length)));
    }), { numRuns: runs(60) });
  });

  it('STATE-1: minstret and mcycle are exact 64-bit counters held as 32-bit halves', () => {
    // Falsified if a counter half overflows into a float, loses the carry into the high half, or
    // wraps the high half incorrectly (manual Vol. II §3.1.10: mcycle/minstret are 64-bit).
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 4 }), (hi, n) => {
      const m = machineFromWords(new Array<number>(n).fill(NOP));
      const h = m.harts[0]!;
      h.instretLo = 0xffffffff - 1; h.instretHi = hi;
      h.cycleLo = 0xffffffff - 1; h.cycleHi = hi;
      const g = fold(m, n).harts[0]!;
      const want = (BigInt(hi) << 32n) + 0xfffffffen + BigInt(n);
      const w = want & 0xffffffffffffffffn;
      for (const [lo, h2] of [[g.instretLo, g.instretHi], [g.cycleLo, g.cycleHi]] as const) {
        expect(Number.isInteger(lo) && lo >= 0 && lo <= 0xffffffff).toBe(true);
        expect((BigInt(h2) << 32n) + BigInt(lo)).toBe(w);
      }
    }), { numRuns: runs(100) });
  });
});

describe('STATE-RESET: reset state', () => {
  it('STATE-RESET: every hart: M-mode, mstatus 0, all CSRs 0, pc = entry, a0 = hart id, a1 as given; RAM zero but the image', () => {
    // Falsified if a hart starts in S/U, with MIE or MPRV (or any CSR) set, at the wrong pc, with a0
    // not its mhartid or a1 not the given device-tree address, or if RAM holds anything besides
    // the loaded image (manual Vol. II §3.4 "Reset"; QEMU virt reset code for a0/a1).
    const segment = fc.record({
      off: fc.integer({ min: 0, max: 0x7fff }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    });
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 8 }), fc.array(segment, { maxLength: 4 }), fc.integer({ min: 0, max: 0x1fff }),
      fc.integer({ min: 0, max: 0xffffffff }), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
      (harts, segs, entryWord, a1, probes) => {
        const config = cfg({ harts });
        const isa = parseIsa(config.isa);
        if (!isa.ok) throw new Error(isa.error);
        const entry = BASE + 4 * entryWord;
        const segments = segs.map((s) => ({ addr: BASE + s.off, bytes: s.bytes }));
        const m = createMachine(config, isa.isa, { segments, entry }, a1);
        expect(m.harts.length).toBe(harts);
        m.harts.forEach((h, id) => {
          expect(h.id).toBe(id);
          expect(h.priv).toBe(3);
          expect(h.pc).toBe(entry);
          expect(h.x[10]).toBe(id);
          expect(h.x[11]).toBe(a1 | 0);
          for (let r = 0; r < 32; r++) if (r !== 10 && r !== 11) expect(h.x[r], `x${r}`).toBe(0);
          for (const [k, v] of Object.entries(h.csr)) {
            if (Array.isArray(v)) expect(v.every((b) => b === 0), k).toBe(true);
            else expect(v, k).toBe(0);
          }
          expect([h.instretLo, h.instretHi, h.cycleLo, h.cycleHi]).toEqual([0, 0, 0, 0]);
          expect(h.reservation).toBe(-1);
          expect(h.waiting).toBe(false);
        });
        expect(m.time).toEqual({ lo: 0, hi: 0 });
        expect(m.out).toBe('');
        expect(m.halt).toBeNull();
        // RAM: the image where it was placed (later segments win), zero everywhere else.
        const want = new Map<number, number>();
        for (const s of segments) s.bytes.forEach((b, k) => want.set(s.addr + k, b));
        for (const [a, b] of want) expect(readByte(m.mem, a)).toBe(b);
        for (const p of probes) for (const a of [BASE + 0x8000 + p, BASE + p]) if (!want.has(a)) expect(readByte(m.mem, a)).toBe(0);
        for (const off of chunkOffsets(m.mem)) {
          chunkAt(m.mem, off).forEach((b, k) => { if (b !== 0) expect(want.get(off + k), `byte at ${(off + k).toString(16)}`).toBe(b); });
        }
      },
    ), { numRuns: runs(100) });
  });

  it('STATE-RESET: read through CSR instructions, each hart sees mstatus = 0, mhartid = a0, and M-mode-only CSRs are accessible', () => {
    // Falsified if a hart's mhartid differs from its a0, mstatus reads non-zero at reset, or the hart
    // is not in M-mode (an M-mode CSR read would then trap with cause 2).
    const words = [
      E({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x300 }), // mstatus
      E({ op: 'csrrs', rd: 6, rs1: 0, csr: 0xf14 }), // mhartid
      E({ op: 'csrrs', rd: 7, rs1: 0, csr: 0x304 }), // mie
    ];
    const m = run(machineFromWords(words, {}, cfg({ harts: 4 })), { maxSteps: 3 }).machine;
    m.harts.forEach((h, id) => {
      expect(h.csr.mcause).toBe(0);
      expect([h.x[5], h.x[6], h.x[7], h.x[10]]).toEqual([0, id, 0, id]);
    });
  });
});

describe('STEP-TOTAL: step is total', () => {
  const MSTATUS_LEGAL = 0x007e19aa; // SIE MIE SPIE MPIE SPP MPP MPRV SUM MXR TVM TW TSR
  const state = fc.record({
    words: fc.array(progWord, { minLength: 1, maxLength: 8 }),
    regs: regFile,
    priv: fc.constantFrom(0, 1, 3) as fc.Arbitrary<0 | 1 | 3>,
    mstatus: fc.integer({ min: 0, max: 0xffffffff }).map((v) => {
      const s = v & MSTATUS_LEGAL;
      return (((s >>> 11) & 3) === 2 ? s & ~(3 << 11) : s) >>> 0; // MPP = 2 is reserved (WARL)
    }),
    satp: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0x80080000, 0x80080001, 0x80000000, 0)),
    mtvec: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(BASE, BASE + 1, BASE + 8)),
    medeleg: fc.integer({ min: 0, max: 0xb3ff }),
    mie: fc.integer({ min: 0, max: 0xaaa }),
    pmp: fc.boolean(),
    harts: fc.constantFrom(1, 1, 2),
    misaligned: fc.constantFrom('perform' as const, 'trap' as const),
    adUpdate: fc.constantFrom('hardware' as const, 'fault' as const),
  });

  it('STEP-TOTAL: random words, registers, modes, mstatus, satp and PMP never throw and leave a well-formed state', () => {
    // Falsified if step throws a JavaScript exception for some guest state, or produces an
    // ill-formed hart (pc not a 4-aligned uint32 — IALIGN = 32 —, x0 ≠ 0, a privilege outside
    // {U, S, M}, or a non-uint32 mtime half).
    fc.assert(fc.property(state, (s) => {
      const m = machineFromWords(s.words, s.regs, cfg({ harts: s.harts, misaligned: s.misaligned, adUpdate: s.adUpdate }));
      for (const h of m.harts) {
        h.priv = s.priv;
        Object.assign(h.csr, { mstatus: s.mstatus, satp: s.satp >>> 0, mtvec: s.mtvec >>> 0, medeleg: s.medeleg, mie: s.mie });
        if (s.pmp) {
          h.csr.pmpaddr = Object.assign([...h.csr.pmpaddr], { 0: 0xffffffff });
          h.csr.pmpcfg = Object.assign([...h.csr.pmpcfg], { 0: 0x1f });
        }
      }
      let c = m;
      for (let k = 0; k < s.words.length + 2; k++) {
        try {
          c = step(c);
        } catch (e) {
          throw new Error(`step threw at step ${k} (priv ${s.priv}, mstatus ${s.mstatus.toString(16)}, satp ${(s.satp >>> 0).toString(16)}):\n${prog(s.words)}\n${String(e)}`);
        }
        for (const h of c.harts) {
          expect(Number.isInteger(h.pc) && h.pc >= 0 && h.pc <= 0xffffffff && h.pc % 4 === 0, `pc ${h.pc}`).toBe(true);
          expect(h.x[0]).toBe(0);
          expect([0, 1, 3]).toContain(h.priv);
        }
        for (const t of [c.time.lo, c.time.hi]) expect(Number.isInteger(t) && t >= 0 && t <= 0xffffffff).toBe(true);
      }
    }), { numRuns: runs(400) });
  });
});

describe('STEP-PURE: step and run never mutate their input', () => {
  it('STEP-PURE: every memory chunk, hart, device and time of the input (and of every intermediate value) is unchanged', () => {
    // Falsified if step or run writes into a chunk, register file, CSR array or device state that an
    // earlier machine value can reach (e.g. a transient edit leaking past freeze), or if run(m, n)
    // differs from folding step n times.
    fc.assert(fc.property(fc.array(progWord, { minLength: 1, maxLength: 8 }), regFile, fc.constantFrom(1, 2), (ws, regs, harts) => {
      const m0 = machineFromWords(ws, regs, cfg({ harts }));
      const chain: Machine[] = [m0];
      for (let k = 0; k < ws.length; k++) chain.push(step(chain[chain.length - 1]!));
      const before = chain.map(snap);
      // Step every value again (this reuses chunks created by earlier sessions) and run from m0.
      for (const c of chain) step(c);
      const r = run(m0, { maxSteps: ws.length }).machine;
      run(chain[1]!, { maxSteps: 3 });
      expect(chain.map(snap), prog(ws)).toEqual(before);
      expect(snap(r), `run vs fold:\n${prog(ws)}`).toEqual(before[before.length - 1]);
    }), { numRuns: runs(150) });
  });
});

describe('STEP-PURE: run equals folding step under Sv32 with changing page tables', () => {
  // Effective mode S/U through MPRV (code runs in M-mode, untranslated); loads, stores, AMOs and LR/SC
  // go through a two-level Sv32 table whose PTEs, satp, SUM/MXR and MPP the program itself rewrites.
  // Traps go to mtvec = the program start, whose prologue restores MPRV with MPP = S or U. The
  // program's own stores are translated too, so the L0 table and the root table are reachable
  // through fixed RW windows at VA + 0x4000 and VA + 0x5000 (L0 entries 4 and 5).
  const ROOT = 0x80100000, L0 = 0x80101000, VA = 0x00400000, PA = 0x80020000;
  const RW = 0xc7, RO = 0xc3, URW = 0xd7, NOAD = 0x07; // flags: V R W (U) A D
  const pte = (k: number, f: number): number => ((((PA >>> 12) + k) << 10) | f) >>> 0;
  const le = (v: number): Uint8Array => Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
  const ld = fc.record({ op: fc.constantFrom('lw' as const, 'lb' as const, 'lhu' as const), rd: fc.integer({ min: 20, max: 23 }), rs1: fc.integer({ min: 5, max: 8 }), imm: fc.integer({ min: -6, max: 6 }) });
  const st = fc.record({ op: fc.constantFrom('sw' as const, 'sh' as const, 'sb' as const), rs1: fc.integer({ min: 5, max: 8 }), rs2: fc.integer({ min: 20, max: 23 }), imm: fc.integer({ min: -6, max: 6 }) });
  const ptw = fc.record({ op: fc.constant('sw' as const), rs1: fc.constant(9), rs2: fc.integer({ min: 10, max: 13 }), imm: fc.integer({ min: 0, max: 3 }).map((k) => 4 * k) });
  const rootw = fc.record({ op: fc.constant('sw' as const), rs1: fc.constant(24), rs2: fc.constantFrom(0, 25), imm: fc.constant(4) });
  const csr = fc.oneof(
    fc.record({ op: fc.constantFrom('csrrw' as const), rd: fc.constant(0), rs1: fc.constantFrom(14, 0), csr: fc.constant(0x180) }),
    fc.record({ op: fc.constantFrom('csrrs' as const, 'csrrc' as const), rd: fc.constant(0), rs1: fc.constantFrom(15, 17), csr: fc.constant(0x300) }),
  );
  const atom = fc.oneof(
    fc.record({ op: fc.constantFrom('amoadd.w' as const, 'sc.w' as const), rd: fc.constant(21), rs1: fc.integer({ min: 26, max: 29 }), rs2: fc.constant(22), aq: fc.constant(0), rl: fc.constant(0) }),
    fc.record({ op: fc.constant('lr.w' as const), rd: fc.constant(23), rs1: fc.integer({ min: 26, max: 29 }), aq: fc.constant(0), rl: fc.constant(0) }),
  );
  const body = fc.array(fc.oneof(
    { weight: 4, arbitrary: ld }, { weight: 3, arbitrary: st }, { weight: 3, arbitrary: ptw }, { weight: 1, arbitrary: rootw },
    { weight: 2, arbitrary: csr }, { weight: 2, arbitrary: atom },
    { weight: 1, arbitrary: fc.constant({ op: 'sfence.vma' as const, rs1: 0, rs2: 0 }) },
  ) as fc.Arbitrary<Inst>, { minLength: 2, maxLength: 14 });
  const flags = fc.constantFrom(RW, RO, URW, NOAD, 0);

  it('STEP-PURE, ENG-TLB-1: for random Sv32 programs that rewrite their own page tables on 1–2 harts, run(m, n) (translation cache on) equals n applications of step', () => {
    // Falsified if anything run carries from one step to the next (e.g. a cached translation that
    // survives a PTE store, a satp/SUM/MXR/MPP change or another hart's store) makes its result
    // differ from stepping one machine value at a time.
    fc.assert(fc.property(body, fc.array(flags, { minLength: 4, maxLength: 4 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), flags), { minLength: 4, maxLength: 4 }), fc.constantFrom(1, 2), fc.constantFrom(0x800, 0),
      (insts, f0, newPtes, harts, mpp) => {
        const words = [
          E({ op: 'csrrc', rd: 0, rs1: 18, csr: 0x300 }), // MPP := 0
          E({ op: 'csrrs', rd: 0, rs1: 16, csr: 0x300 }), // MPRV, MPP := S or U
          ...insts.map(E),
          E({ op: 'jal', rd: 0, imm: -4 * (insts.length + 2) }),
        ];
        const regs: Record<number, number> = {
          5: VA, 6: VA + 0x1000, 7: VA + 0x1ffe, 8: VA + 0x3000, 9: VA + 0x4000,
          10: pte(newPtes[0]![0], newPtes[0]![1]), 11: pte(newPtes[1]![0], newPtes[1]![1]), 12: pte(newPtes[2]![0], newPtes[2]![1]), 13: pte(newPtes[3]![0], newPtes[3]![1]),
          14: (0x80000000 | (ROOT >>> 12)) | 0, 15: (1 << 18) | (1 << 19), 16: (1 << 17) | mpp, 17: 1 << 18, 18: 0x1800,
          20: 0x11223344, 21: 5, 22: -7, 23: 0x80,
          24: VA + 0x5000, 25: ((((L0 >>> 12) << 10) | 1) >>> 0) | 0,
          26: VA, 27: VA + 0x1000, 28: VA + 0x2004, 29: VA + 0x3008,
        };
        let m = machineFromWords(words, regs, cfg({ harts }));
        let mem = withBytes(m.mem, ROOT + 4, le((((L0 >>> 12) << 10) | 1) >>> 0));
        for (let k = 0; k < 4; k++) {
          mem = withBytes(mem, L0 + 4 * k, le(pte(k, f0[k]!)));
          mem = withBytes(mem, PA + 0x1000 * k, le(0x01010101 * (k + 1)));
          mem = withBytes(mem, PA + 0x1000 * k + 0xffc, le(0xa0b0c0d0 + k));
        }
        mem = withBytes(mem, L0 + 16, le((((L0 >>> 12) << 10) | RW) >>> 0));
        mem = withBytes(mem, L0 + 20, le((((ROOT >>> 12) << 10) | RW) >>> 0));
        m = { ...m, mem };
        for (const h of m.harts) {
          for (const [r, v] of Object.entries(regs)) h.x[Number(r)] = v;
          h.csr.satp = (0x80000000 | (ROOT >>> 12)) >>> 0;
          h.csr.mtvec = BASE;
          h.csr.pmpaddr = Object.assign([...h.csr.pmpaddr], { 0: 0xffffffff });
          h.csr.pmpcfg = Object.assign([...h.csr.pmpcfg], { 0: 0x1f });
        }
        const n = 3 * words.length;
        const folded = snap(fold(m, n));
        expect(snap(run(m, { maxSteps: n }).machine), prog(words)).toEqual(folded);
      }), { numRuns: runs(120) });
  });
});

describe('STEP-DET: results depend only on the input machine', () => {
  it('STEP-DET: the host clock, Math.random and the decode cache do not affect results', () => {
    // Falsified if any result reads Date.now/performance.now/Math.random, or if the decode memo
    // table (filled or cleared by unrelated work) changes what an instruction does.
    fc.assert(fc.property(fc.array(progWord, { minLength: 1, maxLength: 8 }), regFile, (ws, regs) => {
      const m = machineFromWords(ws, regs, cfg({ harts: 2 }));
      vi.spyOn(Date, 'now').mockReturnValue(0);
      vi.spyOn(performance, 'now').mockReturnValue(0);
      vi.spyOn(Math, 'random').mockReturnValue(0);
      const a = snap(run(m, { maxSteps: ws.length }).machine);
      vi.restoreAllMocks();
      vi.spyOn(Date, 'now').mockReturnValue(1e13);
      vi.spyOn(performance, 'now').mockReturnValue(9e9);
      vi.spyOn(Math, 'random').mockReturnValue(0.999);
      // Disturb the decode cache with unrelated words before the second evaluation.
      for (let k = 0; k < 64; k++) decodeCached((ws[0]! ^ (k << 7)) >>> 0);
      const b = snap(fold(m, ws.length));
      expect(b, prog(ws)).toEqual(a);
    }), { numRuns: runs(100) });
  });

  it('STEP-DET: the decode cache overflowing (and being cleared) does not change results', () => {
    // Falsified if clearing the memo table mid-run loses or corrupts a decoded instruction.
    const ws = [E({ op: 'addi', rd: 5, rs1: 5, imm: 7 }), E({ op: 'mul', rd: 6, rs1: 5, rs2: 5 }), E({ op: 'jal', rd: 0, imm: -8 })];
    const m = machineFromWords(ws, { 5: 3 });
    const a = snap(fold(m, 30));
    for (let k = 0; k < (1 << 16) + 8; k++) decodeCached((0x13 | (k << 12)) >>> 0);
    expect(snap(fold(m, 30))).toEqual(a);
  });

  it('STEP-DET: two machines that share PMP CSR arrays but differ in pmpGranularity step independently of evaluation order', () => {
    // Regression test (STEP-DET), for a bug it found and that is fixed: src/machine/access.ts memoises compiled PMP tables in a
    // module-global WeakMap keyed by the pmpcfg array (checking only pmpaddr identity besides), but
    // the table also depends on config.pmpEntries and config.pmpGranularity, so the first machine
    // evaluated decides the answer for every machine sharing those arrays.
    // Falsified if a global cache (such as compiled PMP tables keyed only by the pmpcfg array)
    // lets one machine's configuration leak into another's result: step(m) must be a function of m.
    // PMP entry 0: TOR, RWX, pmpaddr0 = 0x20000401. With G = 0 its top is 0x80001004, so a U-mode
    // (MPRV, MPP = U) word load at 0x80001000 is inside it and allowed. With G = 2, pmpaddr bits
    // 1:0 read as 0 for TOR (§3.7.1), the top is 0x80001000, nothing matches and the load faults (5).
    const lw = E({ op: 'lw', rd: 5, rs1: 6, imm: 0 });
    const g0 = machineFromWords([lw], { 6: BASE + 0x1000 }, cfg({ pmpGranularity: 0 }));
    const h = g0.harts[0]!;
    h.csr.mstatus = MSTATUS_MPRV | (MSTATUS_MPP_U << 11);
    h.csr.pmpaddr = Object.assign([...h.csr.pmpaddr], { 0: 0x20000401 });
    h.csr.pmpcfg = Object.assign([...h.csr.pmpcfg], { 0: 0x0f });
    const g2: Machine = { ...g0, config: cfg({ pmpGranularity: 2 }) }; // shares g0's hart arrays
    const causeOf = (m: Machine): number => step(m).harts[0]!.csr.mcause;
    // Fresh, unshared copies give the reference answers.
    expect(causeOf(structuredClone(g0))).toBe(0);
    expect(causeOf(structuredClone(g2))).toBe(5);
    // The same answers whatever was evaluated before.
    expect([causeOf(g0), causeOf(g2)], 'g0 then g2').toEqual([0, 5]);
    const g0b = structuredClone(g0);
    const g2b: Machine = { ...g0b, config: cfg({ pmpGranularity: 2 }) };
    expect([causeOf(g2b), causeOf(g0b)], 'g2 then g0').toEqual([5, 0]);
  });
});

describe('STEP-SCHED: one machine step = one step of each hart, in hart-id order', () => {
  it('STEP-SCHED: with two harts, hart 0 commits before hart 1 within every machine step', () => {
    // Both harts run: x7 = 0x80001000; x6 = mhartid + 1; amoswap x5, x6, (x7). Hart 0 must swap
    // first in step 3 (x5 = 0, memory 1), then hart 1 (x5 = 1, memory 2). Falsified if the harts
    // run in another order, or a machine step runs a hart zero or two times.
    const ws = [
      E({ op: 'lui', rd: 7, imm: BASE + 0x1000 | 0 }),
      E({ op: 'addi', rd: 6, rs1: 10, imm: 1 }),
      E({ op: 'amoswap.w', rd: 5, rs1: 7, rs2: 6, aq: 0, rl: 0 }),
    ];
    const m0 = machineFromWords(ws, {}, cfg({ harts: 2 }));
    const recs: CommitRecord[] = [];
    const r = run(m0, { maxSteps: 3, onCommit: (c) => recs.push(c) }).machine;
    expect(recs.map((c) => [c.hart, c.pc - BASE])).toEqual([[0, 0], [1, 0], [0, 4], [1, 4], [0, 8], [1, 8]]);
    expect(r.harts.map((h) => h.x[5])).toEqual([0, 1]);
    expect(readLE(r.mem, BASE + 0x1000, 4)).toBe(2);
    expect(snap(fold(m0, 3))).toEqual(snap(r));
  });

  it('STEP-SCHED: for 1–4 harts and random programs, commit records come in hart-id order, one per hart per step', () => {
    // Falsified if run skips or repeats a hart, reorders harts, reports a record for the wrong pc,
    // or if run with onCommit differs from run without it or from folding step.
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.array(progWord, { minLength: 1, maxLength: 6 }), regFile, (n, ws, regs) => {
      const m0 = machineFromWords(ws, regs, cfg({ harts: n }));
      const recs: CommitRecord[] = [];
      const k = ws.length;
      const logged = run(m0, { maxSteps: k, onCommit: (c) => recs.push(c) }).machine;
      if (logged.halt !== null) return; // a guest store to the finisher ended the run early
      expect(recs.map((c) => c.hart)).toEqual(Array.from({ length: n * k }, (_, i) => i % n));
      // Each record's pc is the pc its hart had before that hart step.
      let cur = m0;
      for (let s = 0; s < k; s++) {
        for (let h = 0; h < n; h++) expect(recs[s * n + h]!.pc).toBe(cur.harts[h]!.pc);
        cur = step(cur);
      }
      expect(snap(logged), prog(ws)).toEqual(snap(cur));
      expect(snap(run(m0, { maxSteps: k }).machine)).toEqual(snap(cur));
    }), { numRuns: runs(100) });
  });

  it('STEP-SCHED: a waiting hart with nothing pending and enabled does not execute; the other hart does', () => {
    // Hart 0 executes WFI with mie = 0, hart 1 runs NOPs. Falsified if hart 0 keeps fetching (its pc
    // or minstret move) or if hart 1 is held back by hart 0's wait.
    const ws = [E({ op: 'wfi' }), NOP, NOP, NOP, NOP, NOP, NOP, NOP];
    const m0 = machineFromWords(ws, {}, cfg({ harts: 2 }));
    m0.harts[1]!.pc = BASE + 4;
    const r = fold(m0, 6);
    expect(r.harts[0]!.pc).toBe(BASE + 4);
    expect(r.harts[0]!.instretLo).toBe(1);
    expect(r.harts[0]!.waiting).toBe(true);
    expect(r.harts[1]!.pc).toBe(BASE + 4 + 4 * 6);
    expect(r.harts[1]!.instretLo).toBe(6);
  });
});

describe('STEP-TIME: mtime counts hart 0 retirements, never the host clock', () => {
  const B64 = 1n << 64n;
  it('STEP-TIME: time/timeh and CLINT mtime read ticksPerInstruction × instructions hart 0 retired before the read', () => {
    // A countdown loop of n iterations (2n instructions), then reads of time, timeh and the CLINT's
    // mtime halves. Falsified if time advances by anything but ticksPerInstruction per retirement
    // (e.g. per step, per trap, or by host time), or if the low half does not carry into the high.
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 2500 }), (tpi, n) => {
      const ws = [
        E({ op: 'addi', rd: 1, rs1: 1, imm: -1 }),
        E({ op: 'bne', rs1: 1, rs2: 0, imm: -4 }),
        E({ op: 'csrrs', rd: 10, rs1: 0, csr: 0xc01 }), // time
        E({ op: 'csrrs', rd: 11, rs1: 0, csr: 0xc81 }), // timeh
        E({ op: 'lw', rd: 12, rs1: 13, imm: 0 }), // mtime low
        E({ op: 'lw', rd: 14, rs1: 13, imm: 4 }), // mtime high
      ];
      const m = machineFromWords(ws, { 1: n, 13: MTIME }, cfg({ ticksPerInstruction: tpi }));
      const r = run(m, { maxSteps: 2 * n + 4 }).machine;
      const h = r.harts[0]!;
      expect(h.pc).toBe(BASE + 4 * ws.length);
      const t = (retired: number): bigint => (BigInt(tpi) * BigInt(retired)) % B64;
      const lo = (v: bigint): number => Number(v & 0xffffffffn) | 0;
      const hi = (v: bigint): number => Number(v >> 32n) | 0;
      expect(h.x[10]).toBe(lo(t(2 * n)));
      expect(h.x[11]).toBe(hi(t(2 * n + 1)));
      expect(h.x[12]).toBe(lo(t(2 * n + 2)));
      expect(h.x[14]).toBe(hi(t(2 * n + 3)));
      expect(r.time).toEqual({ lo: Number(t(2 * n + 4) & 0xffffffffn), hi: Number(t(2 * n + 4) >> 32n) });
    }), { numRuns: runs(40) });
  });

  it('STEP-TIME: for random programs on 1–2 harts, mtime = ticksPerInstruction × instructions retired by hart 0', () => {
    // Oracle: the commit records; a record retired iff it has no trap and carries a fetched word.
    // Falsified if traps, interrupts, waiting, or hart 1's instructions move time.
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(1, 2), fc.array(progWord, { minLength: 1, maxLength: 8 }), regFile, (tpi, n, ws, regs) => {
      const m = machineFromWords(ws, regs, cfg({ harts: n, ticksPerInstruction: tpi }));
      let retired = 0;
      const r = run(m, { maxSteps: ws.length + 2, onCommit: (c) => { if (c.hart === 0 && c.trap === null && c.word !== 0) retired++; } }).machine;
      const t = BigInt(tpi) * BigInt(retired);
      expect((BigInt(r.time.hi) << 32n) + BigInt(r.time.lo), prog(ws)).toBe(t);
    }), { numRuns: runs(150) });
  });

  it('STEP-TIME: WFI with the timer armed and nothing else to do jumps mtime to mtimecmp', () => {
    // Program: mtimecmp0 = T (both halves), mie.MTIE = 1, WFI, then read time/timeh. With
    // mstatus.MIE = 0 the wake-up does not trap and execution continues after WFI (manual Vol. II
    // §3.3.3). Falsified if waiting never ends, or time reaches T by anything but jumping to T.
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.bigInt({ min: 5000n, max: (1n << 40n) }), (tpi, T) => {
      const ws = [
        E({ op: 'sw', rs1: 5, rs2: 6, imm: 0 }),
        E({ op: 'sw', rs1: 5, rs2: 8, imm: 4 }),
        E({ op: 'csrrs', rd: 0, rs1: 7, csr: 0x304 }),
        E({ op: 'wfi' }),
        E({ op: 'csrrs', rd: 10, rs1: 0, csr: 0xc01 }),
        E({ op: 'csrrs', rd: 11, rs1: 0, csr: 0xc81 }),
      ];
      const m = machineFromWords(ws, { 5: MTIMECMP0, 6: Number(T & 0xffffffffn) | 0, 7: 0x80, 8: Number(T >> 32n) | 0 }, cfg({ ticksPerInstruction: tpi }));
      // 4 retirements, 1 waiting step (time jumps to T), 2 reads.
      const r = run(m, { maxSteps: 7 }).machine.harts[0]!;
      expect(r.pc).toBe(BASE + 4 * ws.length);
      expect(r.csr.mcause).toBe(0);
      expect(r.x[10]).toBe(Number(T & 0xffffffffn) | 0);
      expect(r.x[11]).toBe(Number((T + BigInt(tpi)) >> 32n) | 0);
    }), { numRuns: runs(60) });
  });
});
