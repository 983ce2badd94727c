/**
 * Popek and Goldberg's resource-control, efficiency and resource-availability properties for the
 * trap-and-emulate VMM (PG-RESOURCE-1, PG-EFFICIENCY-1, PG-AVAIL-1; spec/vmm.md).
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { step } from '../src/engines/reference.js';
import { observe } from '../src/machine/observe.js';
import { createVmm, vmmRun, vmMachine, type VmmWork } from '../src/vmm/vmm.js';
import type { Machine } from '../src/machine/machine.js';
import { machineFromWords, wordsToBytes } from '../src/machine/program.js';
import { DEFAULT_CONFIG } from '../src/machine/config.js';
import { MemWriter, readByte, withBytes, type MemStore } from '../src/memory/store.js';
import type { CsrFile } from '../src/hart/state.js';
import { MIP_MTIP, MSTATUS } from '../src/hart/csr-bits.js';
import type { Inst } from '../src/isa/inst.js';
import { encode } from '../src/isa/encode.js';
import { program, programMachine, showProgram, type Program } from './arbitraries/programs.js';
import { adversary, adversaryMachine, asm, firstDiff, pteFor, showAdversary, showWords, type Adversary } from './arbitraries/adversary.js';
import { runs } from './support/runs.js';
import { runFully, runOnly } from './support/run-only.js';
import { changedOutside } from './support/memdiff.js';

function vmmOf(ms: readonly Machine[], slice?: number): VmmWork {
  const w = createVmm(ms.map((machine, i) => ({ name: `g${i}`, machine })), slice);
  if (typeof w === 'string') throw new Error(w);
  return w;
}


const frozen = (w: VmmWork): MemStore => {
  if (!(w.host.mem instanceof MemWriter)) throw new Error('host memory is not a MemWriter');
  return w.host.mem.freeze();
};

// ---------------------------------------------------------------------------------------------

/** A generated program shrunk to 128 KiB of RAM (everything it places lies below 0x12000). */
const small = (p: Program): Machine => {
  const m = programMachine(p);
  return { ...m, config: { ...m.config, ramSize: 0x20000 } };
};

/** A guest as data (so counterexamples print as programs, not machine values). */
type GuestSpec = { adv: Adversary } | { prog: Program };
const buildGuest = (g: GuestSpec): Machine => ('adv' in g ? adversaryMachine(g.adv) : small(g.prog));
const showGuest = (g: GuestSpec): string => ('adv' in g ? showAdversary(g.adv) : showProgram(g.prog));
const generated: Arbitrary<GuestSpec> = program.map((prog) => ({ prog }));
const adversarial: Arbitrary<GuestSpec> = adversary(0x20000).map((adv) => ({ adv }));

/** The host CSRs `load` sets (src/vmm/context.ts) and the ones a host trap writes. */
const LOADED: ReadonlyArray<keyof CsrFile> = ['satp', 'mstatus', 'medeleg', 'mideleg', 'mcounteren', 'scounteren', 'mcountinhibit', 'mie', 'mipSw'];
const TRAP: ReadonlyArray<keyof CsrFile> = ['mepc', 'mcause', 'mtval'];

/**
 * Run VM `i` alone for `n` guest steps (the other VMs parked, as if halted, so that only `i`'s
 * steps happen) and return every resource-control violation seen.
 */
function runChecked(w: VmmWork, i: number, n: number): string[] {
  const bad: string[] = [];
  const before = frozen(w);
  const csr = { ...w.host.hart.csr, pmpcfg: [...w.host.hart.csr.pmpcfg], pmpaddr: [...w.host.hart.csr.pmpaddr] };
  const alloc = w.alloc, grantsJson = JSON.stringify(w.alloc);
  const hostDev = { uart: w.host.dev.uart, plic: w.host.dev.plic, out: w.host.out, halt: w.host.halt, htif: w.host.htif };
  const direct0 = w.vms[i]!.stats.direct;
  runOnly(w, i, n, vmmRun);
  const after = frozen(w);
  // Host memory: every changed byte lies in a grant of VM i (its RAM region or its shadow pool).
  const at = changedOutside(before, after, w.alloc.grants.filter((g) => g.vm === i).map((g) => g.region));
  if (at !== null) bad.push(`host byte 0x${at.toString(16)} changed (0x${readByte(before, at).toString(16)} -> 0x${readByte(after, at).toString(16)}) outside VM ${i}'s grants`);
  // The allocation: same value, same grants.
  if (w.alloc !== alloc || JSON.stringify(w.alloc) !== grantsJson) bad.push('the allocator state changed while guests ran');
  // Host CSRs: nothing beyond what `load` sets and a host trap writes.
  const hc = w.host.hart.csr;
  for (const k of Object.keys(csr) as Array<keyof CsrFile>) {
    if (LOADED.includes(k) || TRAP.includes(k)) continue;
    if (JSON.stringify(hc[k]) !== JSON.stringify(csr[k])) bad.push(`host ${k} changed: ${JSON.stringify(csr[k])} -> ${JSON.stringify(hc[k])}`);
  }
  // The CSRs `load` sets hold either their previous value (no load happened, e.g. every step was
  // interpreted) or the value `load` gives them; mstatus is loaded as 0 and a trap from host U-mode
  // changes only MPP/MPIE/MIE.
  if (hc.mstatus !== csr.mstatus && (hc.mstatus & ~(MSTATUS.MPP | MSTATUS.MPIE | MSTATUS.MIE)) !== 0) bad.push(`host mstatus 0x${hc.mstatus.toString(16)}: bits beyond load (0) and a trap (MPP/MPIE/MIE)`);
  const LOAD_VALUES: ReadonlyArray<[keyof CsrFile, number]> = [['medeleg', 0], ['mideleg', 0], ['mcounteren', 0], ['scounteren', 0], ['mcountinhibit', 0], ['mie', MIP_MTIP], ['mipSw', 0]];
  for (const [k, v] of LOAD_VALUES) if (hc[k] !== csr[k] && hc[k] !== v) bad.push(`host ${k} = ${JSON.stringify(hc[k])}: neither its previous value nor what load sets (${v})`);
  const root = (hc.satp & 0x3fffff) * 4096, pool = w.vms[i]!.shadow.pool;
  if (w.vms[i]!.stats.direct > direct0 && (hc.satp >>> 31 !== 1 || root < pool.base || root >= pool.base + pool.size)) bad.push(`host satp 0x${hc.satp.toString(16)} is not a shadow of VM ${i}`);
  // The host's own devices are unreachable to guests (only the host timer, mtimecmp, is the VMM's).
  const nowDev = { uart: w.host.dev.uart, plic: w.host.dev.plic, out: w.host.out, halt: w.host.halt, htif: w.host.htif };
  const d = firstDiff(hostDev, nowDev, '$host', ['before', 'after']);
  if (d !== null) bad.push(d);
  return bad;
}

describe('PG-RESOURCE-1: guest execution stays inside its grants', () => {
  it('PG-RESOURCE-1: generated and adversarial guests beside another VM change host memory only in their own grants, never the allocation, never other host CSRs', () => {
    // Falsified by a host byte outside the running VM's RAM region and shadow pool that changes
    // while it runs, by any change to the allocator's grants, or by a host CSR that changes other
    // than the ones `load` sets (satp, mstatus, medeleg, mideleg, mcounteren, scounteren,
    // mcountinhibit, mie, mip) and the trap CSRs (mepc, mcause, mtval, mstatus MPP/MPIE/MIE).
    fc.assert(fc.property(fc.oneof(generated, adversarial), fc.oneof(generated, adversarial), fc.boolean(),
      fc.array(fc.integer({ min: 1, max: 150 }), { minLength: 2, maxLength: 6 }), (g1, g2, swap, slices) => {
        const gs = swap ? [g2, g1] : [g1, g2];
        const w = vmmOf(gs.map(buildGuest));
        slices.forEach((n, r) => {
          const i = r % 2;
          const bad = runChecked(w, i, n);
          if (bad.length > 0) throw new Error(`slice ${r} (VM ${i}, ${n} steps):\n${bad.slice(0, 6).join('\n')}\n--- VM ${i}:\n${showGuest(gs[i]!)}`);
        });
      }), { numRuns: runs(40) });
  });
});

// ---------------------------------------------------------------------------------------------

/** Innocuous body instructions: ALU, aligned loads/stores/atomics in the data page via x5, fences. */
const RD = fc.integer({ min: 1, max: 30 }).filter((r) => r !== 5);
const RS = fc.integer({ min: 0, max: 31 });
const aligned = (size: number): Arbitrary<number> => fc.integer({ min: 0, max: Math.floor(2047 / size) }).map((x) => x * size);
type Item = { inst: Inst } | { branch: Inst['op']; rs1: number; rs2: number; skip: number } | { jal: number; skip: number };
const item: Arbitrary<Item> = fc.oneof(
  { weight: 5, arbitrary: fc.oneof(
    fc.record({ op: fc.constantFrom('add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'), rd: RD, rs1: RS, rs2: RS }),
    fc.record({ op: fc.constantFrom('addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'), rd: RD, rs1: RS, imm: fc.integer({ min: -2048, max: 2047 }) }),
    fc.record({ op: fc.constantFrom('slli', 'srli', 'srai'), rd: RD, rs1: RS, shamt: fc.integer({ min: 0, max: 31 }) }),
    fc.record({ op: fc.constantFrom('lui', 'auipc'), rd: RD, imm: fc.integer({ min: -0x80000, max: 0x7ffff }).map((x) => x << 12) }),
  ).map((inst) => ({ inst: inst as Inst })) },
  { weight: 3, arbitrary: fc.oneof(
    fc.record({ op: fc.constant('lw' as const), rd: RD, rs1: fc.constant(5), imm: aligned(4) }),
    fc.record({ op: fc.constantFrom('lh' as const, 'lhu' as const), rd: RD, rs1: fc.constant(5), imm: aligned(2) }),
    fc.record({ op: fc.constantFrom('lb' as const, 'lbu' as const), rd: RD, rs1: fc.constant(5), imm: aligned(1) }),
    fc.record({ op: fc.constant('sw' as const), rs1: fc.constant(5), rs2: RS, imm: aligned(4) }),
    fc.record({ op: fc.constant('sh' as const), rs1: fc.constant(5), rs2: RS, imm: aligned(2) }),
    fc.record({ op: fc.constant('sb' as const), rs1: fc.constant(5), rs2: RS, imm: aligned(1) }),
    fc.record({ op: fc.constantFrom('amoadd.w', 'amoswap.w', 'amoxor.w', 'amomaxu.w', 'sc.w'), rd: RD, rs1: fc.constant(5), rs2: RS, aq: fc.constant(0), rl: fc.constant(0) }),
    fc.record({ op: fc.constant('lr.w' as const), rd: RD, rs1: fc.constant(5), aq: fc.constant(0), rl: fc.constant(0) }),
    fc.constantFrom<Inst>({ op: 'fence', fm: 0, pred: 15, succ: 15, rd: 0, rs1: 0 }, { op: 'fence.i', rd: 0, rs1: 0, imm: 0 }),
  ).map((inst) => ({ inst: inst as Inst })) },
  { weight: 1, arbitrary: fc.record({ branch: fc.constantFrom('beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu'), rs1: RS, rs2: RS, skip: fc.integer({ min: 1, max: 6 }) }) as Arbitrary<Item> },
  { weight: 1, arbitrary: fc.record({ jal: RD, skip: fc.integer({ min: 1, max: 4 }) }) },
);

const LOOP = 4;
/** nop; x31 = 2; touch the data page; loop: body; x31 -= 1; bne x31, loop; spin. */
function loopProgram(items: readonly Item[]): { words: number[]; loop: number; spin: number } {
  const n = items.length;
  const body = items.map((it, i) => {
    if ('inst' in it) return encode(it.inst);
    const to = Math.min(i + it.skip, n); // forward, at most to the loop tail
    if ('branch' in it) return encode({ op: it.branch as 'beq', rs1: it.rs1, rs2: it.rs2, imm: (to - i) * 4 });
    return encode({ op: 'jal', rd: it.jal, imm: (to - i) * 4 });
  });
  const words = [asm.nop(), asm.addi(31, 0, 2), asm.lw(1, 5, 0), asm.sw(1, 5, 0), ...body, asm.addi(31, 31, -1), asm.bne(31, 0, -(n + 1) * 4), asm.spin()];
  return { words, loop: 0x80000000 + LOOP * 4, spin: 0x80000000 + (LOOP + n + 2) * 4 };
}

const innocuous = fc.record({
  items: fc.array(item, { minLength: 1, maxLength: 40 }),
  priv: fc.constantFrom<0 | 1 | 3>(0, 1, 3),
  codeAD: fc.constantFrom(0xc0, 0x40),
  dataAD: fc.constantFrom(0xc0, 0x40, 0x00),
  regs: fc.array(fc.integer({ min: -0x80000000, max: 0x7fffffff }), { minLength: 16, maxLength: 16 }),
});

const totals = { direct: 0, interpreted: 0, programs: 0 };

describe('PG-EFFICIENCY-1: innocuous instructions run with no VMM entry once mapped', () => {
  afterAll(() => {
    if (totals.programs > 0) {
      console.info(`PG-EFFICIENCY-1: ${totals.programs} innocuous loops, ${totals.direct} guest steps direct, ${totals.interpreted} interpreted (direct/interpreted = ${(totals.direct / Math.max(1, totals.interpreted)).toFixed(2)})`);
    }
  });

  it('PG-EFFICIENCY-1: the second iteration of a loop of innocuous instructions causes zero VMM entries', () => {
    // Falsified by any VMM entry (or interpreted step) during the second iteration of the loop, in
    // virtual M, S or U mode, with or without A/D preset in the guest PTEs; also checks the VM is
    // still equivalent at the end. Reports the direct/interpreted ratio.
    fc.assert(fc.property(innocuous, (g) => {
      const { words, loop, spin } = loopProgram(g.items);
      const u = g.priv === 0 ? 0x10 : 0;
      const p: Program = {
        code: words, data: [1, 2, 3, 4],
        ptFlags: { code: 0x0f | u | g.codeAD, data: 0x07 | u | g.dataAD, tables: 0xc7, valid: [true, true, true] },
        priv: g.priv, mstatus: 0, medeleg: 0, mideleg: 0, mie: 0, paging: g.priv !== 3, mtimecmp: 0xffffffff, regs: g.regs,
      };
      const m = programMachine(p);
      const show = `${showProgram(p).split('\n')[0]!}\n${showWords(words)}`;
      // Native: the step at which the second iteration starts and the one at which the loop ends.
      let native = m, k = 0, visits = 0, k1 = -1;
      while (native.harts[0]!.pc !== spin) {
        native = step(native);
        k++;
        if (native.harts[0]!.pc === loop && ++visits === 2) k1 = k;
        if (k > 1000) throw new Error(`the loop does not end natively\n${show}`);
      }
      expect(native.harts[0]!.csr.mcause, `no trap natively\n${show}`).toBe(0);
      expect(k1).toBeGreaterThan(0);
      const w = vmmOf([m]);
      runFully(w, k1, vmmRun);
      const s1 = structuredClone(w.vms[0]!.stats);
      runFully(w, k - k1, vmmRun);
      const s2 = w.vms[0]!.stats;
      const d = firstDiff(s1.entries, s2.entries, '$entries', ['first iteration', 'after the second']);
      if (d !== null) throw new Error(`VMM entries during the second iteration: ${d}\n${show}`);
      expect(s2.interpreted, 'no interpreted step in the second iteration').toBe(s1.interpreted);
      expect(s2.direct - s1.direct).toBe(k - k1);
      const diff = firstDiff(observe(native), observe(vmMachine(w, 0)));
      if (diff !== null) throw new Error(`at the end: ${diff}\n${show}`);
      totals.direct += s2.direct;
      totals.interpreted += s2.interpreted;
      totals.programs++;
    }), { numRuns: runs(100) });
  });

  it('PG-EFFICIENCY-1, TE-MISALIGNED: a misaligned load is not innocuous: it enters the VMM (TE-MISALIGNED) on every execution', () => {
    // The spec lists misaligned accesses among the non-innocuous ones: the host traps on every one so
    // that the guest's own misaligned policy applies. Falsified if the second iteration of a loop
    // whose body is `lw ra,1(t0)` (guest misaligned = "perform") does not enter the VMM exactly once
    // more, through TE-MISALIGNED — i.e. if a misaligned access ran directly under the host's policy.
    const { words, loop } = loopProgram([{ inst: { op: 'lw', rd: 1, rs1: 5, imm: 1 } }]);
    const m = programMachine({ code: words, data: [1, 2, 3, 4], ptFlags: { code: 0xcf, data: 0xc7, tables: 0xc7, valid: [true, true, true] }, priv: 3, mstatus: 0, medeleg: 0, mideleg: 0, mie: 0, paging: false, mtimecmp: 0xffffffff, regs: new Array<number>(16).fill(0) });
    // The loop runs twice; k1 steps bring the guest to the start of the second iteration, whose
    // first instruction is the misaligned load.
    let native = m, k = 0, visits = 0, k1 = -1;
    while (visits < 2) { native = step(native); k++; if (native.harts[0]!.pc === loop && ++visits === 2) k1 = k; }
    const w = vmmOf([m]);
    runFully(w, k1, vmmRun);
    const e1 = { ...w.vms[0]!.stats.entries };
    runFully(w, 1, vmmRun);
    const e2 = w.vms[0]!.stats.entries;
    expect(e2['TE-MISALIGNED'], showWords(words)).toBe((e1['TE-MISALIGNED'] ?? 0) + 1);
    expect({ ...e2, 'TE-MISALIGNED': 0 }, showWords(words)).toEqual({ ...e1, 'TE-MISALIGNED': 0 });
  });
});

// ---------------------------------------------------------------------------------------------

/** Programs for small RAMs whose loads, stores, atomics and jumps go past RAM's end. */
const avail = fc.integer({ min: 4, max: 64 }).chain((pages) => {
  const size = pages * 4096, end = 0x80000000 + size;
  const near = fc.integer({ min: -24, max: 24 }).map((x) => (end + x * 2) | 0);
  const r = fc.integer({ min: 10, max: 15 });
  const ptr = fc.integer({ min: 5, max: 9 });
  const off = fc.integer({ min: -64, max: 64 });
  const inst: Arbitrary<Inst> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('lw', 'lh', 'lhu', 'lb', 'lbu'), rd: r, rs1: ptr, imm: off }) as Arbitrary<Inst> },
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('sw', 'sh', 'sb'), rs1: ptr, rs2: r, imm: off }) as Arbitrary<Inst> },
    { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('amoadd.w', 'amoswap.w', 'sc.w'), rd: r, rs1: ptr, rs2: r, aq: fc.constant(0), rl: fc.constant(0) }) as Arbitrary<Inst> },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('lr.w' as const), rd: r, rs1: ptr, aq: fc.constant(0), rl: fc.constant(0) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('addi'), rd: ptr, rs1: ptr, imm: fc.integer({ min: -8, max: 8 }).map((x) => x * 2) }) as Arbitrary<Inst> },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('jalr' as const), rd: r, rs1: ptr, imm: fc.constantFrom(0, -4, 4) }) },
    { weight: 1, arbitrary: fc.constantFrom<Inst>({ op: 'mret' }, { op: 'ecall' }) },
  );
  return fc.record({
    ramSize: fc.constant(size),
    code: fc.array(inst, { minLength: 6, maxLength: 40 }).map((is) => is.map(encode)),
    ptrs: fc.array(near, { minLength: 5, maxLength: 5 }),
    priv: fc.constantFrom<0 | 1 | 3>(0, 1, 3),
    paging: fc.boolean(),
    medeleg: fc.constantFrom(0, 0xb1ff),
    misaligned: fc.constantFrom<'perform' | 'trap'>('perform', 'trap'),
    regs: fc.array(fc.integer({ min: -0x80000000, max: 0x7fffffff }), { minLength: 6, maxLength: 6 }),
  });
});
type Avail = typeof avail extends Arbitrary<infer T> ? T : never;

const ROOT_A = 0x80002000;
function availMachine(a: Avail): Machine {
  const config = { ...DEFAULT_CONFIG, ramSize: a.ramSize, misaligned: a.misaligned };
  const code = new Array<number>(0x100).fill(0x13);
  a.code.forEach((w, i) => { code[i] = w; });
  const regs: Record<number, number> = {};
  a.ptrs.forEach((v, i) => { regs[5 + i] = v; });
  a.regs.forEach((v, i) => { regs[10 + i] = v; });
  let m = machineFromWords(code, regs, config);
  // Sv32: root[0x200] is a megapage over 0x8000_0000..0x803f_ffff (past RAM's end), RWX, A, D, U as needed.
  const root = new Array<number>(1024).fill(0);
  root[0x200] = pteFor(0x80000000, 0xcf | (a.priv === 0 ? 0x10 : 0));
  m = { ...m, mem: withBytes(m.mem, ROOT_A, wordsToBytes(root)) };
  const h = m.harts[0]!;
  h.priv = a.priv;
  h.csr.mtvec = 0x80000040;
  h.csr.stvec = 0x80000080;
  h.csr.medeleg = a.medeleg;
  h.csr.mstatus = a.priv === 1 ? 0x800 : 0;
  h.csr.satp = a.paging ? (0x80000000 | (ROOT_A >>> 12)) >>> 0 : 0;
  h.csr.pmpaddr = Object.assign([...h.csr.pmpaddr], { 0: 0xffffffff });
  h.csr.pmpcfg = Object.assign([...h.csr.pmpcfg], { 0: 0x1f });
  return m;
}
const showAvail = (a: Avail): string =>
  `ram=0x${a.ramSize.toString(16)} (ends 0x${(0x80000000 + a.ramSize).toString(16)}) priv=${a.priv} paging=${a.paging} medeleg=0x${a.medeleg.toString(16)} misaligned=${a.misaligned} x5..x9=${a.ptrs.map((v) => '0x' + (v >>> 0).toString(16)).join(',')}\n${showWords(a.code)}`;

describe('PG-AVAIL-1: a VM with w bytes of RAM equals a bare machine with w bytes', () => {
  it('PG-AVAIL-1: small RAMs (16-256 KiB), accesses past RAM\'s end: same faults natively and in the VM', () => {
    // Falsified by any observable difference (in particular a fault cause, tval or faulting pc) after
    // some prefix, between a bare machine with w bytes of RAM and a VM configured with w bytes, when
    // loads, stores, atomics, misaligned accesses and jumps reach or straddle the end of RAM.
    let pastEnd = 0;
    fc.assert(fc.property(avail, fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }), (a, chunks) => {
      const m = availMachine(a);
      const w = vmmOf([m]);
      let native = m, k = 0;
      const end = 0x80000000 + a.ramSize;
      for (const c of chunks) {
        for (let j = 0; j < c; j++) {
          native = step(native);
          const cs = native.harts[0]!.csr;
          if ([1, 5, 7].includes(cs.mcause) && cs.mtval >= end - 3 && cs.mtval < end + 64) pastEnd++;
        }
        runFully(w, c, vmmRun);
        k += c;
        const d = firstDiff(observe(native), observe(vmMachine(w, 0)));
        if (d !== null) throw new Error(`after ${k} steps: ${d}\n${showAvail(a)}`);
      }
    }), { numRuns: runs(80) });
    expect(pastEnd, 'some accesses faulted at the end of RAM').toBeGreaterThan(0);
  });
});

