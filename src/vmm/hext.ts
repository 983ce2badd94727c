/**
 * The hardware-assisted VMM (HX-*): a control program over a popek host hart with the H extension.
 * Each VM is an S-mode machine of the supervisor execution environment (see.ts): its vCPU runs
 * directly on the host hart in VS/VU-mode, its guest-physical memory is mapped by the G-stage
 * (gstage.ts), its own traps and interrupts are delegated to VS-mode (hedeleg, hideleg, hvip), and
 * the host traps to the VMM only for what the hardware cannot do alone: SBI calls (ECALL from VS),
 * device and other unmapped accesses (guest-page faults), virtual-instruction exceptions, and the
 * VMM's timer. The VMM handles every such trap in one way: it brings the vCPU's state back and
 * performs the guest step on it with the SEE's step (`seeStep`) — the same semantics as the
 * native machine. Its state (allocator, VMs, schedule) is plain data beside the host machine.
 */
import { type Core, thaw } from '../machine/core.js';
import { DEFAULT_CONFIG, type Config } from '../machine/config.js';
import { isaString, parseIsa } from '../machine/isa-string.js';
import { createMachine } from '../machine/machine.js';
import { stepHart } from '../machine/step.js';
import { regionOf } from '../devices/platform.js';
import { decode } from '../isa/decode.js';
import { EXC, INTERRUPT_BIT } from '../hart/csr-bits.js';
import { PRV_M } from '../hart/state.js';
import { grant, newAllocator, type AllocState, type Region } from './allocator.js';
import { htifPages, placeGuest, type VmSpec, type VmStats } from './vm.js';
import { buildGStage, GSTAGE_ROOT_SIZE, gstagePoolSize, hgatpOf } from './gstage.js';
import { needsSee, seeStep } from './see.js';
import { schedule } from './vmm.js';
import { hextLoad, hextUnload } from './hext-context.js';

const MEGA = 1 << 22;

export interface HextVm {
  readonly id: number;
  readonly name: string;
  /** The vCPU: an S-mode machine of the SEE; mem = guest-physical view of `ram`. */
  readonly core: Core;
  readonly ram: Region;
  /** hpa - gpa for guest RAM. */
  readonly delta: number;
  readonly pool: Region;
  readonly protect: ReadonlySet<number>;
  hgatp: number;
  /** The vCPU's PMP CSR arrays the G-stage was built from (copy-on-write: identity tells a change). */
  builtFor: readonly [readonly number[], readonly number[]];
  stats: VmStats;
  /** Host minstret when the vCPU was last loaded onto the host hart (null: not loaded). */
  loadedAt: number | null;
}

export interface HextWork {
  readonly host: Core;
  alloc: AllocState;
  readonly vms: HextVm[];
  current: number;
  readonly slice: number;
  left: number;
}

/** The routines of the dispatcher, by the rule that defines each (spec/vmm-hext.md). */
export type HextRoutine = 'timer' | 'sbi' | 'mmio' | 'gpf' | 'virtual' | 'wfi' | 'exc';

const align = (n: number, a: number): number => Math.ceil(n / a) * a;

/**
 * HX-HOST-1: the host for a set of VMs: RAM for each VM's RAM (4 MiB aligned, for megapages) and
 * G-stage tables; misaligned accesses trap (the VMM performs them when the guest's platform does);
 * the guests' A/D scheme, time base and extensions (plus H), which the hardware applies to them
 * directly.
 */
function hostConfig(specs: readonly VmSpec[]): Config | string {
  const [first] = specs;
  if (first === undefined) return 'no VM to run';
  const g = first.machine.config;
  for (const s of specs) {
    const c = s.machine.config, m = s.machine;
    if (c.harts !== 1) return `${s.name}: hext runs 1 vCPU per VM (config has ${c.harts} harts)`;
    if (m.isa.h) return `${s.name}: hext does not virtualize the H extension (the guest's ISA has h)`;
    if (m.harts[0]!.priv === PRV_M || m.harts[0]!.v !== 0) return `${s.name}: hext runs S-mode kernels; the vCPU starts in M-mode`;
    if (c.adUpdate !== g.adUpdate) return `${s.name}: hext VMs must share the A/D scheme (the hardware applies it)`;
    if (c.ticksPerInstruction !== g.ticksPerInstruction) return `${s.name}: hext VMs must share ticksPerInstruction (time is host time + htimedelta)`;
  }
  const need = specs.reduce((a, s) => a + align(s.machine.config.ramSize, MEGA) + align(gstagePoolSize(s.machine.config), MEGA), 0);
  // The host decodes the guests' instructions itself and delegates illegal-instruction traps to
  // them, so its extensions must be exactly theirs (plus H): all VMs share one ISA.
  for (const s of specs) if (isaString(s.machine.isa) !== isaString(first.machine.isa)) return `${s.name}: hext VMs must share the ISA (the host runs their instructions directly)`;
  return {
    ...DEFAULT_CONFIG, isa: isaString({ ...first.machine.isa, h: true }), ramSize: need, harts: 1, misaligned: 'trap',
    adUpdate: g.adUpdate, ticksPerInstruction: g.ticksPerInstruction,
  };
}

/** Create the hext VMM on a bare H host built for `specs` (machines of the SEE), or a one-line reason it cannot. */
export function createHext(specs: readonly VmSpec[], slice = 10_000): HextWork | string {
  const config = hostConfig(specs);
  if (typeof config === 'string') return config;
  const isa = parseIsa(config.isa);
  if (!isa.ok) return isa.error;
  const host = thaw(createMachine(config, isa.isa, { segments: [], entry: config.ramBase }));
  // HX-HOST-1: one PMP entry lets V = 1 accesses reach all of host RAM; the G-stage decides the rest.
  host.hart.csr.pmpaddr = Object.assign([...host.hart.csr.pmpaddr], { 0: 0xffffffff });
  host.hart.csr.pmpcfg = Object.assign([...host.hart.csr.pmpcfg], { 0: 0x1f });
  let alloc = newAllocator({ base: config.ramBase, size: config.ramSize });
  const vms: HextVm[] = [];
  for (const [id, s] of specs.entries()) {
    const ram = grant(alloc, id, 'ram', s.machine.config.ramSize, MEGA);
    if (typeof ram === 'string') return ram;
    const pool = grant(ram.a, id, 'gstage', gstagePoolSize(s.machine.config), GSTAGE_ROOT_SIZE);
    if (typeof pool === 'string') return pool;
    alloc = pool.a;
    const { core, delta } = placeGuest(s.machine, host.mem, ram.region);
    const protect = htifPages(s.machine);
    const root = buildGStage(host.mem, pool.region, core, delta, protect);
    vms.push({
      id, name: s.name, core, ram: ram.region, delta, pool: pool.region, protect,
      hgatp: hgatpOf(root, id + 1), builtFor: [core.hart.csr.pmpcfg, core.hart.csr.pmpaddr],
      stats: { entries: {}, direct: 0, interpreted: 0 }, loadedAt: null,
    });
  }
  return { host, alloc, vms, current: 0, slice, left: slice };
}

/** HX-GSTAGE-2: the G-stage encodes the vCPU's PMP; rebuild it if the PMP changed since. */
function refreshGStage(w: HextWork, vm: HextVm): void {
  const { pmpcfg, pmpaddr } = vm.core.hart.csr;
  if (vm.builtFor[0] === pmpcfg && vm.builtFor[1] === pmpaddr) return;
  buildGStage(w.host.mem, vm.pool, vm.core, vm.delta, vm.protect);
  vm.builtFor = [pmpcfg, pmpaddr];
}

/** HX-RUN-1: run the loaded vCPU on the host until it traps to the VMM (V = 0) or `budget` guest steps. */
function runGuest(host: Core, budget: number): number {
  for (let n = 0; n < budget; n++) {
    stepHart(host);
    if (host.hart.v === 0) return n;
  }
  return budget;
}

/** HX-DISPATCH-1: the routine for a host trap taken from V = 1 (mcause, mtval, mtval2 of the host). */
export function hextRoutineFor(vcpu: Core, cause: number, tval: number, tval2: number): HextRoutine {
  if ((cause & INTERRUPT_BIT) !== 0) return 'timer';
  switch (cause) {
    case EXC.ECALL_VS: return 'sbi';
    case EXC.VIRTUAL: return decode(tval).op === 'wfi' ? 'wfi' : 'virtual';
    case EXC.INSN_GUEST_PAGE: case EXC.LOAD_GUEST_PAGE: case EXC.STORE_GUEST_PAGE: {
      // The guest physical address: mtval2 holds it shifted right by 2; the low bits come from mtval.
      const gpa = tval2 * 4 + (tval & 3);
      return regionOf(vcpu.config, gpa) !== null ? 'mmio' : 'gpf';
    }
    default: return 'exc';
  }
}

/** HX-DISPATCH-2: one guest step performed by the VMM on the vCPU, with the SEE's semantics. */
function interpret(vm: HextVm): void {
  seeStep(vm.core);
  vm.stats.interpreted++;
}

/**
 * Run guest steps (over all VMs) until `maxSteps` or every VM has halted; a guest step is what one
 * `seeStep` of that VM's machine does. Returns the number of guest steps taken.
 */
export function hextRun(w: HextWork, maxSteps: number, stop?: (vm: HextVm) => boolean): number {
  let steps = 0;
  const host = w.host;
  while (steps < maxSteps) {
    let vm = w.vms[w.current]!;
    if (vm.core.halt !== null || w.left <= 0) {
      if (!schedule(w)) break;
      vm = w.vms[w.current]!;
    }
    let done: number;
    if (needsSee(vm.core)) {
      interpret(vm);
      done = 1;
    } else {
      refreshGStage(w, vm);
      hextLoad(host, vm);
      const n = runGuest(host, Math.min(maxSteps - steps, w.left));
      done = n;
      if (host.hart.v === 1) hextUnload(host, vm, n, host.hart.pc, host.hart.priv);
      else {
        // HX-CTX-LOAD makes every trap from V = 1 either VS's (delegated) or M's: HS never sees one.
        if (host.hart.priv !== PRV_M) throw new Error(`hext: internal error: a trap reached HS-mode (scause 0x${host.hart.csr.scause.toString(16)})`);
        const { mcause, mtval, mtval2, mepc, mstatus } = host.hart.csr;
        hextUnload(host, vm, n, mepc, (mstatus >>> 11) & 3);
        const r = hextRoutineFor(vm.core, mcause, mtval, mtval2);
        vm.stats.entries[r] = (vm.stats.entries[r] ?? 0) + 1;
        // A host interrupt is no guest step; every exception is the guest's instruction, performed here.
        if (r !== 'timer') { interpret(vm); done++; }
      }
    }
    steps += done;
    w.left -= done;
    if (stop?.(vm)) break;
  }
  return steps;
}
