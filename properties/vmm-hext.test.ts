/**
 * The hardware-assisted VMM (spec/vmm-hext.md, HX-*): equivalence with the native S-mode machine
 * of the SBI service after every guest step, agreement with the shadow-paging VMM, isolation
 * between VMs, efficiency, and the VMM's own rules (G-stage, host, dispatcher).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { observe } from '../src/machine/observe.js';
import { type Core, freeze, thaw } from '../src/machine/core.js';
import type { Machine } from '../src/machine/machine.js';
import { loadProgram } from '../src/machine/boot.js';
import { encode } from '../src/isa/encode.js';
import type { Inst } from '../src/isa/inst.js';
import { walkSv32x4 } from '../src/translation/sv32x4.js';
import { MemWriter } from '../src/memory/store.js';
import { seeMachine, seeStep } from '../src/vmm/see.js';
import { createHext, hextRun, type HextWork } from '../src/vmm/hext.js';
import { createVmm, vmmRun, vmMachine } from '../src/vmm/vmm.js';
import { EID } from '../src/vmm/sbi.js';
import { sProgram, sProgramMachine, showSProgram, SBASE, SDATA, type SProgram } from './arbitraries/s-programs.js';
import { changedOutside } from './support/memdiff.js';
import { firstDiff } from './support/diff.js';
import { runs } from './support/runs.js';
import { runFully, runOnly } from './support/run-only.js';

const STEPS = 40;
const ROOT = join(import.meta.dirname, '..');

function hextOf(ms: readonly Machine[], slice?: number): HextWork {
  const w = createHext(ms.map((machine, i) => ({ name: `g${i}`, machine, see: true })), slice);
  if (typeof w === 'string') throw new Error(w);
  return w;
}

/** The native S-mode machine, stepped by the SBI service's step. */
class Native {
  readonly c: Core;
  constructor(m: Machine) { this.c = thaw(m); }
  step(n = 1): void { for (let k = 0; k < n; k++) seeStep(this.c); }
  get machine(): Machine { return freeze(this.c); }
}

describe('HX-EQUIV: native S-mode machine versus hext', () => {
  it('HX-EQUIV-1, HX-SEE-STEP, HX-RUN-1, HX-RUN-2, HX-CTX-LOAD, HX-CTX-UNLOAD, HX-DISPATCH-2: observe(native) = observe(hext VM) after every guest step', () => {
    // Falsified by any generated S-mode program (CSR traffic incl. M and H CSRs, SBI calls, page
    // tables, S/U traps, device and firmware-region accesses, SBI timers) after whose k-th step the
    // VM's observation differs from the native machine's.
    fc.assert(fc.property(sProgram, (p) => {
      const native = new Native(sProgramMachine(p));
      const w = hextOf([sProgramMachine(p)]);
      for (let k = 1; k <= STEPS && native.c.halt === null; k++) {
        native.step();
        expect(hextRun(w, 1)).toBe(1);
        const d = firstDiff(observe(native.machine), observe(vmMachine(w, 0)));
        if (d !== null) throw new Error(`after step ${k}: ${d}\n${showSProgram(p)}`);
      }
    }), { numRuns: runs(120) });
  });

  it('HX-EQUIV-2: a long direct run ends in the same state as the native run', () => {
    // Falsified if running many guest steps per host run (rather than one) changes the outcome:
    // timer deadlines, htimedelta, counters, injected interrupts across long stretches.
    fc.assert(fc.property(sProgram, fc.integer({ min: 50, max: 400 }), (p, n) => {
      const native = new Native(sProgramMachine(p));
      native.step(n);
      const w = hextOf([sProgramMachine(p)]);
      runFully(w, n, hextRun);
      const d = firstDiff(observe(native.machine), observe(vmMachine(w, 0)));
      if (d !== null) throw new Error(`after ${n} steps: ${d}\n${showSProgram(p)}`);
    }), { numRuns: runs(80) });
  });

  it('HX-EQUIV-2, HX-KERNEL-1: the S-mode kernels take as many guest steps under hext as natively and end in the same state', () => {
    // Falsified if the full or paravirtual kernel's run under hext differs from its native run
    // under the SBI service in step count, output, halt or final observation.
    for (const k of ['kernel.elf', 'kernel-pv.elf']) {
      const l = loadProgram({ kernel: join(ROOT, 'guests', 'skernel', k) });
      if (isLeft(l)) throw new Error(l.left);
      const m = seeMachine(l.right);
      if (isLeft(m)) throw new Error(m.left);
      const native = new Native(m.right);
      let n = 0;
      while (native.c.halt === null && n < 10_000_000) { seeStep(native.c); n++; }
      const w = hextOf([m.right]);
      let v = 0;
      while (w.vms[0]!.core.halt === null && v < 10_000_000) v += hextRun(w, 1 << 20);
      expect(v, k).toBe(n);
      expect(native.c.halt, k).toEqual({ reason: 'exit', code: 0, via: 'finisher' });
      const d = firstDiff(observe(native.machine), observe(vmMachine(w, 0)));
      expect(d, k).toBeNull();
    }
  }, 120_000);
});

describe('HX-SHADOW: shadow paging versus hext', () => {
  it('HX-SHADOW-1: trap-emulate (interpreting with the SBI service) and hext observe the same after every guest step', () => {
    // Falsified by a program after whose k-th step the two VMMs' VMs differ: the two ways of
    // virtualizing the same S-mode machine must agree with each other, not only each with native.
    fc.assert(fc.property(sProgram, (p) => {
      const te = createVmm([{ name: 'te', machine: sProgramMachine(p), see: true }]);
      if (typeof te === 'string') throw new Error(te);
      const hx = hextOf([sProgramMachine(p)]);
      for (let k = 1; k <= STEPS && te.vms[0]!.core.halt === null; k++) {
        expect(vmmRun(te, 1)).toBe(1);
        expect(hextRun(hx, 1)).toBe(1);
        const d = firstDiff(observe(vmMachine(te, 0)), observe(vmMachine(hx, 0)));
        if (d !== null) throw new Error(`after step ${k}: ${d.replace('native', 'trap-emulate').replace('virtual', 'hext')}\n${showSProgram(p)}`);
      }
    }), { numRuns: runs(60) });
  });
});


describe('HX-ISO: isolation under hext', () => {
  it('HX-ISO-1: a VM observes the same as when run alone, whatever the other VM does, and another VM\'s steps write host memory only inside that VM\'s RAM', () => {
    // A runs a generated program; B another (every guest-physical range probed through its pointer
    // registers and page tables, hypervisor CSRs written, SBI calls). Interleaved in random
    // rounds, A's observation after each round equals A run alone natively for as many steps, and
    // B's rounds change no host byte outside B's RAM grant. Falsified by any difference.
    fc.assert(fc.property(sProgram, sProgram, fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 150 })), { minLength: 1, maxLength: 4 }), (pa, pb, rounds) => {
      const native = new Native(sProgramMachine(pa));
      const w = hextOf([sProgramMachine(pa), sProgramMachine(pb)]);
      const host = w.host.mem;
      if (!(host instanceof MemWriter)) throw new Error('host memory is not a MemWriter');
      let aSteps = 0;
      rounds.forEach(([nA, nB], r) => {
        const k = runOnly(w, 0, nA, hextRun);
        native.step(k);
        aSteps += k;
        const before = host.freeze();
        runOnly(w, 1, nB, hextRun);
        const at = changedOutside(before, host.freeze(), w.vms[1]!.ram);
        if (at !== null) throw new Error(`round ${r}: B changed host byte 0x${at.toString(16)} outside its RAM\nA:\n${showSProgram(pa)}\nB:\n${showSProgram(pb)}`);
        const d = firstDiff(observe(native.machine), observe(vmMachine(w, 0)));
        if (d !== null) throw new Error(`round ${r}, A at step ${aSteps}: ${d}\nA:\n${showSProgram(pa)}\nB:\n${showSProgram(pb)}`);
      });
    }), { numRuns: runs(40) });
  });
});

describe('HX-ISO: two kernels side by side', () => {
  it('HX-ISO-1, HX-KERNEL-1: the full and the paravirtual kernel in two hext VMs (small slices) print their transcripts and take the steps they take natively alone', () => {
    // Falsified if sharing the host hart, its translation cache, timer and memory with another VM
    // (1000-step slices, so thousands of switches) changes either kernel's output, exit or steps.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'guests', 'manifest.json'), 'utf8')) as { guests: Array<{ elf: string; bios?: string; stdout?: string }> };
    const ms = ['kernel.elf', 'kernel-pv.elf'].map((k) => {
      const l = loadProgram({ kernel: join(ROOT, 'guests', 'skernel', k) });
      if (isLeft(l)) throw new Error(l.left);
      const m = seeMachine(l.right);
      if (isLeft(m)) throw new Error(m.left);
      return m.right;
    });
    const w = hextOf(ms, 1000);
    let n = 0;
    while (w.vms.some((v) => v.core.halt === null) && n < 10_000_000) n += hextRun(w, 1 << 20);
    // Each kernel's step count when it runs alone, natively on the S-mode machine.
    const want = ms.map((m) => {
      const c = thaw(m);
      let k = 0;
      while (c.halt === null && k < 10_000_000) { seeStep(c); k++; }
      return k;
    });
    w.vms.forEach((vm, i) => {
      const g = manifest.guests.find((e) => e.elf === `guests/skernel/${i === 0 ? 'kernel.elf' : 'kernel-pv.elf'}`)!;
      expect(vm.core.out, vm.name).toBe(g.stdout);
      expect(vm.core.halt, vm.name).toEqual({ reason: 'exit', code: 0, via: 'finisher' });
      expect(vm.stats.direct + vm.stats.interpreted, `${vm.name}: guest steps as natively alone`).toBe(want[i]);
    });
  }, 120_000);
});

/** A machine running `insts` in S-mode from SBASE, then spinning; `regs` preset. */
function crafted(insts: Inst[], regs: Record<number, number> = {}): Machine {
  const p: SProgram = {
    code: [...insts, { op: 'jal', rd: 0, imm: 0 } as Inst].map(encode), data: [0, 0, 0, 0],
    ptFlags: { code: 0xcf, data: 0xc7, tables: 0xc7, valid: [true, true, true] },
    priv: 1, sstatus: 0, sie: 0, paging: false, timer: null, elsewhere: 0x80000000, regs: new Array(15).fill(0), fid: 0, eid: 0,
  };
  const c = thaw(sProgramMachine(p));
  for (const [r, v] of Object.entries(regs)) c.hart.x[Number(r)] = v;
  return freeze(c);
}

describe('HX-EFF and the dispatcher', () => {
  const innocuous = fc.array(fc.oneof(
    fc.record({ op: fc.constantFrom('add', 'sub', 'xor', 'sltu', 'mul', 'divu'), rd: fc.integer({ min: 10, max: 15 }), rs1: fc.integer({ min: 10, max: 15 }), rs2: fc.integer({ min: 10, max: 15 }) }) as fc.Arbitrary<Inst>,
    fc.record({ op: fc.constantFrom('lw', 'sw', 'amoadd.w'), rd: fc.integer({ min: 10, max: 15 }), rs1: fc.constant(5), rs2: fc.integer({ min: 10, max: 15 }), imm: fc.integer({ min: 0, max: 32 }).map((x) => x * 4), aq: fc.constant(0), rl: fc.constant(0) })
      .map((i) => (i.op === 'lw' ? { op: 'lw', rd: i.rd, rs1: 5, imm: i.imm } : i.op === 'sw' ? { op: 'sw', rs1: 5, rs2: i.rs2, imm: i.imm } : { op: 'amoadd.w', rd: i.rd, rs1: 5, rs2: i.rs2, aq: 0, rl: 0 })) as fc.Arbitrary<Inst>,
    // The guest's own traps: an M-mode CSR (illegal), EBREAK, a load from an unmapped page (with paging off: none).
    fc.constantFrom<Inst>({ op: 'csrrs', rd: 10, rs1: 0, csr: 0x300 }, { op: 'ebreak' }, { op: 'csrrs', rd: 11, rs1: 0, csr: 0xc01 }, { op: 'csrrs', rd: 12, rs1: 0, csr: 0x140 }),
  ), { minLength: 1, maxLength: 30 });

  it('HX-EFF-1: a guest without SBI calls, devices, cycle/instret, WFI or hypervisor instructions never enters the VMM', () => {
    // Falsified if any instruction that the guest's own S-mode handles (ALU, RAM, atomics, time,
    // S CSRs, its illegal-instruction and breakpoint traps) causes a VMM entry or an interpreted step.
    fc.assert(fc.property(innocuous, (insts) => {
      const w = hextOf([crafted(insts, { 5: SDATA })]);
      const n = hextRun(w, 200);
      expect(n).toBe(200);
      expect(w.vms[0]!.stats.entries).toEqual({});
      expect(w.vms[0]!.stats.interpreted).toBe(0);
    }), { numRuns: runs(60) });
  });

  it('HX-DISPATCH-1: each kind of VMM entry is counted under its routine', () => {
    // Three UART stores (devices unmapped in the G-stage), two SBI calls, a cycle read (hcounteren
    // has TM only), an hstatus read (no H in the vCPU: illegal, whose S-mode handler is the WFI)
    // and a WFI (VTW), which then waits for ever: exactly these entries. Falsified by a
    // misclassified or missing entry.
    const uart = 0x10000000;
    const insts: Inst[] = [
      { op: 'sb', rs1: 8, rs2: 10, imm: 0 }, { op: 'sb', rs1: 8, rs2: 10, imm: 0 }, { op: 'sb', rs1: 8, rs2: 10, imm: 0 },
      { op: 'ecall' }, { op: 'addi', rd: 17, rs1: 0, imm: EID.BASE }, { op: 'ecall' },
      { op: 'csrrs', rd: 12, rs1: 0, csr: 0xc00 }, { op: 'csrrs', rd: 12, rs1: 0, csr: 0x600 },
      { op: 'wfi' },
    ];
    // a7 = legacy putchar for the first ECALL, then the base extension's get_spec_version.
    const c = thaw(crafted(insts, { 8: uart, 10: 0x41, 17: EID.LEGACY_PUTCHAR }));
    c.hart.csr.stvec = SBASE + 4 * 8;
    const w = hextOf([freeze(c)]);
    hextRun(w, 40);
    const e = w.vms[0]!.stats.entries;
    expect(e['mmio']).toBe(3);
    expect(e['sbi']).toBe(2);
    expect(e['virtual']).toBe(2);
    expect(e['wfi']).toBe(1);
    expect(w.vms[0]!.core.out.endsWith('AAAA')).toBe(true);
  });
});

describe('HX-GSTAGE and the host', () => {
  const kernel = (): Machine => {
    const l = loadProgram({ kernel: join(ROOT, 'guests', 'skernel', 'kernel.elf') });
    if (isLeft(l)) throw new Error(l.left);
    const m = seeMachine(l.right);
    if (isLeft(m)) throw new Error(m.left);
    return m.right;
  };
  /** Walk VM 0's G-stage for a guest-physical address (the hardware's walk, independent of the builder). */
  const gwalk = (w: HextWork, gpa: number, acc: 'r' | 'w' | 'x') => walkSv32x4({
    hgatp: w.vms[0]!.hgatp, mxr: false, hlvx: false, ad: 'fault', readPte: (pa) => w.host.mem.read(pa, 4),
  }, gpa, acc);

  it('HX-GSTAGE-1, HX-HOST-1: RAM maps to the VM\'s grant (megapages where whole), the firmware region and devices stay unmapped', () => {
    // Falsified if a guest-physical RAM address translates anywhere but gpa + delta inside the
    // grant, if the SBI firmware's region or a device is reachable without the VMM, or if the
    // G-stage root is not 16 KiB aligned or RAM not 4 MiB aligned.
    const w = hextOf([kernel()]);
    const vm = w.vms[0]!;
    expect(vm.ram.base % (1 << 22)).toBe(0);
    expect(vm.pool.base % (1 << 14)).toBe(0);
    expect(w.host.isa.h).toBe(true);
    fc.assert(fc.property(fc.integer({ min: 0x80010000, max: 0x87ffffff }), fc.constantFrom<'r' | 'w' | 'x'>('r', 'w', 'x'), (gpa, acc) => {
      const g = gwalk(w, gpa, acc);
      expect(g.ok).toBe(true);
      if (g.ok) expect(g.pa).toBe(gpa + vm.delta);
    }), { numRuns: runs(200) });
    for (const gpa of [0x80000000, 0x8000fffc, 0x10000000, 0x02004000, 0x0c000000, 0x00100000, 0x40000000]) {
      expect(gwalk(w, gpa, 'r').ok, `0x${gpa.toString(16)}`).toBe(false);
    }
    // A whole RWX 4 MiB region is one megapage leaf in the root.
    const rootPte = w.host.mem.read(vm.pool.base + 4 * (0x80400000 >>> 22), 4);
    expect(rootPte & 0xe).toBe(0xe);
  });

  it('HX-GSTAGE-2: a change of the vCPU\'s PMP is followed by the G-stage before the vCPU runs again', () => {
    // The vCPU's PMP entry 0 is widened to deny S a RAM page the kernel uses; the next direct run
    // must treat that page as the native machine does (access fault), not use the stale mapping.
    // Falsified if hext and the native machine then differ.
    const m = crafted([{ op: 'lw', rd: 10, rs1: 5, imm: 0 }, { op: 'addi', rd: 11, rs1: 0, imm: 1 }], { 5: SDATA });
    const c = thaw(m);
    // Deny S/U the data page: PMP entry 0 NAPOT over 4 KiB at SDATA, no permissions (before entry 1's RWX).
    c.hart.csr.pmpaddr = Object.assign([...c.hart.csr.pmpaddr], { 0: (SDATA >>> 2) | 0x1ff });
    const m2 = freeze(c);
    const w = hextOf([m]);
    w.vms[0]!.core.hart.csr.pmpaddr = m2.harts[0]!.csr.pmpaddr;
    const native = new Native(m2);
    native.step(3);
    expect(hextRun(w, 3)).toBe(3);
    expect(native.c.hart.csr.scause).toBe(5);
    expect(firstDiff(observe(native.machine), observe(vmMachine(w, 0)))).toBeNull();
  });

  it('HX-CTX-LOAD: a vCPU whose M-mode state differs from the SEE\'s (TVM, TSR, TW, mcounteren, mideleg) still behaves as natively', () => {
    // The controls follow the vCPU (VTVM/VTSR from TVM/TSR, hcounteren.TM from mcounteren.TM,
    // injection only of delegated interrupts), so a machine not made by the SEE's boot is exact
    // too. Falsified by a difference after any step of a generated program on such a vCPU.
    const mstate = fc.record({ tvm: fc.boolean(), tsr: fc.boolean(), tw: fc.boolean(), mcounteren: fc.integer({ min: 0, max: 7 }), mideleg: fc.integer({ min: 0, max: 7 }) });
    // Each program starts with the instructions those controls govern: a time read, SFENCE.VMA, WFI.
    const lead = ([{ op: 'csrrs', rd: 10, rs1: 0, csr: 0xc01 }, { op: 'sfence.vma', rs1: 0, rs2: 0 }, { op: 'wfi' }] as Inst[]).map(encode);
    fc.assert(fc.property(sProgram.map((q) => ({ ...q, code: [...lead, ...q.code] })), mstate, (p, ms) => {
      const c = thaw(sProgramMachine(p));
      const h = c.hart.csr;
      h.mstatus = (h.mstatus | (ms.tvm ? 1 << 20 : 0) | (ms.tw ? 1 << 21 : 0) | (ms.tsr ? 1 << 22 : 0)) >>> 0;
      h.mcounteren = ms.mcounteren;
      h.mideleg = [0, 2, 0x20, 0x200, 0x22, 0x202, 0x220, 0x222][ms.mideleg]!;
      h.mipSw |= 2; // SSIP pending: delegated or not, it must stay the vCPU's
      const m = freeze(c);
      const native = new Native(m);
      const w = hextOf([m]);
      for (let k = 1; k <= 30 && native.c.halt === null; k++) {
        native.step();
        expect(hextRun(w, 1)).toBe(1);
        const d = firstDiff(observe(native.machine), observe(vmMachine(w, 0)));
        if (d !== null) throw new Error(`after step ${k} with ${JSON.stringify(ms)}: ${d}\n${showSProgram(p)}`);
      }
    }), { numRuns: runs(60) });
  });

  it('HX-GSTAGE-1: a guest whose RAM is not 4 MiB aligned gets a pool for every 4 MiB region it touches and is mapped page by page', () => {
    // Falsified if the builder writes outside its grant (the pool was once sized by RAM size alone)
    // or maps a guest-physical address anywhere but gpa + delta.
    const m = crafted([{ op: 'lw', rd: 10, rs1: 5, imm: 0 }], { 5: SDATA });
    const shifted: Machine = { ...m, config: { ...m.config, ramBase: 0x80200000, ramSize: 8 << 20 } };
    const w = hextOf([shifted]);
    const vm = w.vms[0]!;
    const pool = w.alloc.grants.find((g) => g.vm === 0 && g.purpose === 'gstage')!.region;
    expect(pool.size).toBe(16384 + 3 * 4096);
    for (const gpa of [0x80200000, 0x803ff000, 0x80400000, 0x809ff000]) {
      const g = gwalk(w, gpa, 'r');
      expect(g.ok, `0x${gpa.toString(16)}`).toBe(true);
      if (g.ok) expect(g.pa).toBe(gpa + vm.delta);
    }
    expect(gwalk(w, 0x80a00000, 'r').ok).toBe(false);
  });

  it('HX-HOST-1: platforms the VMM cannot host are refused with a reason', () => {
    // Falsified if creation succeeds for a guest with H, a multi-hart guest, an M-mode vCPU, or VMs
    // that disagree on the A/D scheme, the time base or the extensions.
    const k = kernel();
    const reasons = [
      createHext([{ name: 'h', machine: { ...k, isa: { ...k.isa, h: true } } }]),
      createHext([{ name: 'two', machine: { ...k, config: { ...k.config, harts: 2 } } }]),
      createHext([{ name: 'm', machine: { ...k, harts: [{ ...k.harts[0]!, priv: 3 }] } }]),
      createHext([{ name: 'a', machine: k }, { name: 'b', machine: { ...k, config: { ...k.config, adUpdate: 'fault' } } }]),
      createHext([{ name: 'a', machine: k }, { name: 'b', machine: { ...k, config: { ...k.config, ticksPerInstruction: 7 } } }]),
      // A VM without M beside one with it: the host cannot make MUL illegal for one and legal for the other.
      createHext([{ name: 'a', machine: k }, { name: 'b', machine: { ...k, isa: { ...k.isa, m: false } } }]),
      createHext([]),
    ];
    for (const r of reasons) expect(typeof r).toBe('string');
  });
});
