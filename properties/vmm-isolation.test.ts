/**
 * Isolation between VMs of the trap-and-emulate VMM (ISO-*; spec/vmm.md), against adversarial
 * guests (properties/arbitraries/adversary.ts): wild page tables aimed at other VMs' host-physical
 * regions and at the shadow pools, every MMIO range probed, random privileged instructions, random
 * satp and PMP writes, SFENCE.VMA.
 *
 * Scheduling is forced by setting the VMM's plain-data schedule (`current`, `left`) and parking the
 * VMs that must not run (marking them halted for the duration of the call, then restoring their
 * halt status), so that "a step of B" is exactly that.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { run } from '../src/engines/reference.js';
import { observe } from '../src/machine/observe.js';
import { createVmm, vmmRun, vmMachine, type VmmWork } from '../src/vmm/vmm.js';
import type { Region } from '../src/vmm/allocator.js';
import type { Machine } from '../src/machine/machine.js';
import { MemWriter, type MemStore } from '../src/memory/store.js';
import { program, programMachine, showProgram, type Program } from './arbitraries/programs.js';
import { adversary, adversaryMachine, firstDiff, showAdversary, walkShadow, type Adversary } from './arbitraries/adversary.js';
import { runs } from './support/runs.js';
import { runOnly } from './support/run-only.js';
import { changedIn } from './support/memdiff.js';

const A_RAM = 0x20000;

function vmmOf(ms: readonly Machine[], slice?: number): VmmWork {
  const w = createVmm(ms.map((machine, i) => ({ name: `g${i}`, machine })), slice);
  if (typeof w === 'string') throw new Error(w);
  return w;
}

/** A generated program with 128 KiB of RAM (everything it places lies below 0x12000). */
const small = (p: Program): Machine => {
  const m = programMachine(p);
  return { ...m, config: { ...m.config, ramSize: A_RAM } };
};


const frozen = (w: VmmWork): MemStore => {
  if (!(w.host.mem instanceof MemWriter)) throw new Error('host memory is not a MemWriter');
  return w.host.mem.freeze();
};

/** Everything of VM `i` that B must not touch: its observation, devices, HTIF, and the VMM's record of it. */
function stateOf(w: VmmWork, i: number): unknown {
  const v = w.vms[i]!;
  return {
    observation: observe(vmMachine(w, i)),
    dev: v.core.dev, htif: v.core.htif, time: [v.core.timeLo, v.core.timeHi],
    vmm: { roots: [...v.shadow.roots], traced: [...v.shadow.traced], next: v.shadow.next, stats: v.stats, ram: v.ram, delta: v.delta },
  };
}

/** A guest as data (so counterexamples print as programs, not machine values): adversarial or generated. */
type GuestSpec = { adv: Adversary } | { prog: Program };
const buildGuest = (g: GuestSpec): Machine => ('adv' in g ? adversaryMachine(g.adv) : small(g.prog));
const showGuest = (g: GuestSpec): string => ('adv' in g ? showAdversary(g.adv) : showProgram(g.prog));
const advB: Arbitrary<GuestSpec> = adversary(A_RAM).map((adv) => ({ adv }));
const progB: Arbitrary<GuestSpec> = program.map((prog) => ({ prog }));

describe('ISO-INTEGRITY-1: B cannot change A', () => {
  it('ISO-INTEGRITY-1: steps of an adversarial B (and of the VMM for B) leave A\'s observation, devices, memory and shadows unchanged', () => {
    // A runs a generated program; B is adversarial (or another generated program). After each of
    // B's slices, A's observation (hart, CSRs, RAM, output, halt), device and HTIF state, and the
    // VMM's record of A (shadow roots and tables in host memory, traced pages) are unchanged; at
    // the end A still equals its program run alone natively. Falsified by any difference.
    fc.assert(fc.property(program, fc.oneof({ weight: 3, arbitrary: advB }, { weight: 1, arbitrary: progB }),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 200 })), { minLength: 1, maxLength: 4 }), (pa, b, rounds) => {
        const a = small(pa);
        const w = vmmOf([a, buildGuest(b)]);
        const A = w.vms[0]!;
        let aSteps = 0;
        rounds.forEach(([nA, nB], r) => {
          aSteps += runOnly(w, 0, nA, vmmRun);
          const before = stateOf(w, 0);
          const mem0 = frozen(w);
          runOnly(w, 1, nB, vmmRun);
          const d = firstDiff(before, stateOf(w, 0), '$A', ['before B ran', 'after']);
          const mem1 = frozen(w);
          const touched = changedIn(mem0, mem1, A.ram) ?? changedIn(mem0, mem1, A.shadow.pool);
          if (d !== null || touched !== null) {
            throw new Error(`round ${r}: B's ${nB} steps changed A: ${d ?? `host byte 0x${touched!.toString(16)} in A's grants`}\n--- B:\n${showGuest(b)}\n--- A:\n${showProgram(pa)}`);
          }
        });
        const n = firstDiff(observe(run(a, { maxSteps: aSteps }).machine), observe(vmMachine(w, 0)));
        if (n !== null) throw new Error(`A after its ${aSteps} steps differs from A alone: ${n}\n--- B:\n${showGuest(b)}\n--- A:\n${showProgram(pa)}`);
      }), { numRuns: runs(40) });
  });
});

// ---------------------------------------------------------------------------------------------

const secret = fc.record({
  data: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 8, maxLength: 8 }),
  regs: fc.array(fc.integer({ min: -0x80000000, max: 0x7fffffff }), { minLength: 6, maxLength: 6 }),
});

type Secret = { data: number[]; regs: number[] };
/** B's two versions, differing only in a secret (data-page words and registers x10..x15). */
function withSecret(g: GuestSpec, s: Secret): Machine {
  if ('adv' in g) return adversaryMachine(g.adv, s);
  const p = g.prog;
  return small({ ...p, data: [...p.data.slice(0, 4), ...s.data], regs: p.regs.map((v, i) => (i >= 9 && i < 15 ? s.regs[i - 9]! : v)) });
}

describe('ISO-CONF-1: A cannot tell what B holds', () => {
  it('ISO-CONF-1: two hosts differing only in B\'s secret stay indistinguishable to A after every slice', () => {
    // The two worlds run the same A (the same machine value, so the same UART input) and B with
    // different secrets, for the same slices. Falsified by any difference between A's observations
    // in the two worlds after any slice of A or of B.
    fc.assert(fc.property(program, fc.oneof({ weight: 3, arbitrary: advB }, { weight: 1, arbitrary: progB }), secret, secret, fc.array(fc.tuple(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 150 })), { minLength: 1, maxLength: 4 }), (pa, b, s1, s2, rounds) => {
      const a = small(pa);
      const w1 = vmmOf([a, withSecret(b, s1)]), w2 = vmmOf([a, withSecret(b, s2)]);
      const same = (what: string): void => {
        const d = firstDiff(observe(vmMachine(w1, 0)), observe(vmMachine(w2, 0)), '$A', ['world 1', 'world 2']);
        if (d !== null) throw new Error(`${what}: A distinguishes the worlds: ${d}\n--- B:\n${showGuest(b)}\nsecrets ${JSON.stringify(s1)} / ${JSON.stringify(s2)}\n--- A:\n${showProgram(pa)}`);
      };
      rounds.forEach(([nA, nB], r) => {
        runOnly(w1, 0, nA, vmmRun);
        runOnly(w2, 0, nA, vmmRun);
        same(`after A's slice ${r}`);
        runOnly(w1, 1, nB, vmmRun);
        runOnly(w2, 1, nB, vmmRun);
        same(`after B's slice ${r}`);
      });
    }), { numRuns: runs(30) });
  });
});

// ---------------------------------------------------------------------------------------------

/** Violations of ISO-XLATE-1 for VM `i`: tables outside its pool, leaves outside its RAM region. */
function xlateViolations(w: VmmWork, i: number): string[] {
  const v = w.vms[i]!, pool = v.shadow.pool, ram = v.ram;
  const inside = (a: number, n: number, r: Region): boolean => a >= r.base && a + n <= r.base + r.size;
  const bad: string[] = [];
  for (const [key, root] of v.shadow.roots) {
    const { tables, leaves, bad: malformed } = walkShadow((pa) => w.host.mem.read(pa, 4), root);
    bad.push(...malformed.map((m) => `VM ${i} [${key}]: ${m}`));
    for (const t of tables) if (t.hpa % 4096 !== 0 || !inside(t.hpa, 4096, pool)) bad.push(`VM ${i} [${key}]: shadow table at host 0x${t.hpa.toString(16)} outside its pool [0x${pool.base.toString(16)}, +0x${pool.size.toString(16)})`);
    for (const l of leaves) {
      const size = l.level === 1 ? 0x400000 : 4096;
      if (!inside(l.hpa, size, ram)) bad.push(`VM ${i} [${key}]: leaf va 0x${l.va.toString(16)} -> host 0x${l.hpa.toString(16)} (+0x${size.toString(16)}) outside its RAM [0x${ram.base.toString(16)}, +0x${ram.size.toString(16)})`);
    }
  }
  return bad;
}

describe('ISO-XLATE-1: shadows translate only into the VM\'s own region', () => {
  it('ISO-XLATE-1: after adversarial runs, every valid shadow leaf of VM v maps inside v\'s RAM region and every shadow table lies in v\'s pool', () => {
    // Two or three VMs (adversaries and generated programs) share the host round robin with a small
    // slice; after every slice, every shadow of every VM is walked in host memory. Falsified by a
    // leaf mapping a host frame outside its VM's RAM region (another VM's RAM, a shadow pool, host
    // RAM outside all grants) or a table outside its VM's pool.
    const guest: Arbitrary<GuestSpec> = fc.oneof({ weight: 3, arbitrary: advB }, { weight: 1, arbitrary: progB });
    let fills = 0;
    fc.assert(fc.property(fc.array(guest, { minLength: 2, maxLength: 3 }), fc.integer({ min: 5, max: 60 }), fc.integer({ min: 2, max: 8 }), (gs, slice, k) => {
      const w = vmmOf(gs.map(buildGuest), slice);
      for (let r = 0; r < k; r++) {
        if (vmmRun(w, slice) === 0) break;
        const bad = w.vms.flatMap((_, i) => xlateViolations(w, i));
        if (bad.length > 0) throw new Error(`after slice ${r}:\n${bad.slice(0, 6).join('\n')}\n${gs.map((g, i) => `--- VM ${i}:\n${showGuest(g)}`).join('\n')}`);
      }
      fills += w.vms.reduce((a, v) => a + v.shadow.fills, 0);
    }), { numRuns: runs(40) });
    expect(fills, 'shadows were filled (the property is not vacuous)').toBeGreaterThan(0);
  });
});

