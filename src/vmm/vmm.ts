/**
 * The trap-and-emulate VMM (VMM-*): a control program in Popek and Goldberg's sense, over a popek
 * host machine without the H extension. Guest code of every privilege runs directly on the host
 * hart in U-mode under shadow page tables; whenever the host hart traps, the dispatcher runs. The
 * VMM's state — allocator, VMs, schedule — is plain data beside the host machine.
 */
import { type Core, thaw, timeOf } from '../machine/core.js';
import { DEFAULT_CONFIG, type Config } from '../machine/config.js';
import { isaString, parseIsa, type IsaSet } from '../machine/isa-string.js';
import { createMachine, type Machine } from '../machine/machine.js';
import { stepHart, mipOf } from '../machine/step.js';
import { pendingInterrupt } from '../hart/interrupts.js';
import { PRV_M } from '../hart/state.js';
import { cloneHart } from '../hart/state.js';
import { grant, newAllocator, type AllocState } from './allocator.js';
import { createVm, type VmSpec, type VmStats, type VmWork } from './vm.js';
import { directExecutable } from './shadow.js';
import { load, unload } from './context.js';
import { dispatch, interpret } from './dispatcher.js';

/** Shadow-table frames per VM (1 MiB). */
const SHADOW_POOL = 256 * 4096;
/** VMM-SCHED-1: the time slice, in guest steps. */
export const DEFAULT_SLICE = 10_000;

/**
 * How the VMM runs its host hart: up to `budget` steps, stopping right after a step that leaves it
 * in M-mode (a trap to the VMM). `stepHart` in a loop on a bare host; an outer VMM's run when the
 * host is itself a VM.
 */
export type HostRun = (host: Core, budget: number) => void;

/** VMM-HOST-4: the bare host: the reference engine's steps. */
export const runBare: HostRun = (host, budget) => {
  for (let n = 0; n < budget; n++) {
    stepHart(host);
    if (host.hart.priv === PRV_M) return;
  }
};

export interface VmmWork {
  readonly host: Core;
  readonly runHost: HostRun;
  alloc: AllocState;
  readonly vms: VmWork[];
  current: number;
  readonly slice: number;
  /** Guest steps left in the current VM's slice. */
  left: number;
}

/** VMM-HOST-1: the host platform for a set of guests: RAM for all of them, misaligned accesses trap. */
function hostConfig(specs: readonly VmSpec[]): Config {
  const need = specs.reduce((a, s) => a + s.machine.config.ramSize + SHADOW_POOL, 0);
  const ramSize = Math.ceil(need / (1 << 20)) * (1 << 20);
  return { ...DEFAULT_CONFIG, ramSize, misaligned: 'trap', harts: 1 };
}

/** VMM-HOST-2: the host ISA is what every guest has, so nothing a guest lacks runs directly. */
function hostIsa(specs: readonly VmSpec[]): IsaSet {
  const every = (k: 'm' | 'a' | 'zifencei' | 'zicntr'): boolean => specs.every((s) => s.machine.isa[k]);
  const r = parseIsa(isaString({ m: every('m'), a: every('a'), h: false, zicsr: true, zifencei: every('zifencei'), zicntr: every('zicntr'), misa: 0 }));
  if (!r.ok) throw new Error(r.error); // unreachable: a canonical string with zicsr always parses
  return r.isa;
}

/** VMM-HOST-1: a host machine at reset, with RAM for `specs`. */
export const hostMachine = (specs: readonly VmSpec[]): Machine => {
  const isa = hostIsa(specs);
  const config = { ...hostConfig(specs), isa: isaString(isa) };
  return createMachine(config, isa, { segments: [], entry: config.ramBase });
};

/** Create the VMM on a bare host built for `specs`, with one VM per spec, or a one-line reason it cannot. */
export function createVmm(specs: readonly VmSpec[], slice = DEFAULT_SLICE): VmmWork | string {
  return createVmmOn(thaw(hostMachine(specs)), specs, runBare, slice);
}

/**
 * PG-RECURSIVE: create the VMM on any host hart — a bare machine's, or a VM's vCPU, stepped by an
 * outer VMM — since a VM presents the same interface as the machine (Popek and Goldberg's Theorem 2).
 */
export function createVmmOn(host: Core, specs: readonly VmSpec[], runHost: HostRun, slice = DEFAULT_SLICE): VmmWork | string {
  if (specs.length === 0) return 'no VM to run';
  for (const s of specs) if (s.machine.config.harts !== 1) return `${s.name}: trap-emulate runs 1 vCPU per VM (config has ${s.machine.config.harts} harts)`;
  const config = host.config;
  const h = host.hart;
  // VMM-HOST-3: one PMP entry lets host U-mode reach all of host RAM; shadows decide the rest.
  h.csr.pmpaddr = Object.assign([...h.csr.pmpaddr], { 0: 0xffffffff });
  h.csr.pmpcfg = Object.assign([...h.csr.pmpcfg], { 0: 0x1f });
  let alloc = newAllocator({ base: config.ramBase, size: config.ramSize });
  const vms: VmWork[] = [];
  for (const [id, s] of specs.entries()) {
    const ram = grant(alloc, id, 'ram', s.machine.config.ramSize);
    if (typeof ram === 'string') return ram;
    const pool = grant(ram.a, id, 'shadow', SHADOW_POOL);
    if (typeof pool === 'string') return pool;
    alloc = pool.a;
    vms.push(createVm(id, s, host.mem, ram.region, pool.region));
  }
  return { host, runHost, alloc, vms, current: 0, slice, left: slice };
}

/** VMM-RUN-1: does the VM need the interpreter for its next step (rather than direct execution)? */
function needsInterpretation(vm: VmWork): boolean {
  const c = vm.core, h = c.hart;
  return h.waiting || c.htif.settle > 0 || !directExecutable(c) || pendingInterrupt(h, mipOf(c)) >= 0;
}

const runnable = (vm: { core: Core }): boolean => vm.core.halt === null;

/** VMM-SCHED-1: round robin over runnable VMs, one slice of guest steps each (both VMMs). */
export function schedule(w: { vms: ReadonlyArray<{ core: Core }>; current: number; left: number; slice: number }): boolean {
  for (let k = 1; k <= w.vms.length; k++) {
    const i = (w.current + k) % w.vms.length;
    if (runnable(w.vms[i]!)) { w.current = i; w.left = w.slice; return true; }
  }
  return false;
}

/**
 * Run guest steps (over all VMs) until `maxSteps` or every VM has halted. A guest step is what one
 * native `step` of that VM's machine would do: retire an instruction, take a trap, or wait.
 * Returns the number of guest steps taken.
 */
export function vmmRun(w: VmmWork, maxSteps: number, stop?: (vm: VmWork) => boolean): number {
  let steps = 0;
  const host = w.host;
  while (steps < maxSteps) {
    let vm = w.vms[w.current]!;
    if (!runnable(vm) || w.left <= 0) {
      if (!schedule(w)) break;
      vm = w.vms[w.current]!;
    }
    if (vm.recheck && needsInterpretation(vm)) {
      interpret(vm);
      steps++;
      w.left--;
      if (stop?.(vm)) break;
      continue;
    }
    vm.recheck = false;
    // Direct execution until the host traps, the slice ends or the budget does.
    const budget = Math.min(maxSteps - steps, w.left);
    load(host, vm, budget);
    const before = vm.stats.direct;
    w.runHost(host, budget);
    // An exception is one more guest step, performed by the interpreter; a host interrupt is none.
    const extra = host.hart.priv === PRV_M ? (dispatch(host, vm) === 'TE-TIMER' ? 0 : 1) : (unload(host, vm, host.hart.pc), 0);
    const done = vm.stats.direct - before + extra;
    steps += done;
    w.left -= done;
    if (stop?.(vm)) break;
  }
  return steps;
}

/**
 * OBS-VM-1: VM `i` as a machine value in its own guest-physical terms — what equivalence and
 * isolation properties observe. The VM is unloaded between `vmmRun` calls.
 */
export function vmMachine(w: { vms: ReadonlyArray<{ core: Core }> }, i: number): Machine {
  const c = w.vms[i]!.core;
  return {
    config: c.config, isa: c.isa, harts: c.harts.map(cloneHart),
    mem: c.mem.snapshot(),
    htif: c.htif, dev: c.dev, time: timeOf(c), out: c.out, halt: c.halt,
  };
}

/** Per-VM statistics: entries by routine, shadow fills and flushes, direct/interpreted steps. */
export const vmStats = (w: VmmWork): Array<{ name: string; stats: VmStats; fills: number; flushes: number }> =>
  w.vms.map((v) => ({ name: v.name, stats: v.stats, fills: v.shadow.fills, flushes: v.shadow.flushes }));
