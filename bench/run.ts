/**
 * `npm run bench`: MIPS per engine and workload, written to bench/results.json (BENCH-1). For the
 * VMMs it also reports VMM entries per thousand guest instructions, the share of guest steps run
 * directly on the host hart, and the slowdown against the reference engine on the same workload.
 * Wall-clock time is used only to measure the host, never inside the model.
 */
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadProgram, machineOf, type Loaded } from '../src/machine/boot.js';
import { run } from '../src/engines/reference.js';
import { createVmm, vmmRun } from '../src/vmm/vmm.js';
import { createNested } from '../src/vmm/nested.js';
import { createHext, hextRun } from '../src/vmm/hext.js';
import { seeMachine } from '../src/vmm/see.js';
import type { VmStats } from '../src/vmm/vm.js';
import type { Core } from '../src/machine/core.js';
import { repoRoot, table } from '../src/cli/conformance.js';

interface Workload { name: string; elf: string; config?: string; bios?: string }
const WORKLOADS: Workload[] = [
  { name: 'crc32+sieve', elf: 'guests/bench-crc-sieve.elf' },
  { name: 'kernel (Sv32, timer, U tasks)', elf: 'guests/kernel/kernel.elf' },
  { name: 'kernel, Svade A/D faults', elf: 'guests/kernel/kernel.elf', config: 'guests/kernel/svade.json' },
  // With firmware (natively and under trap-emulate); hext and "SBI in VMM" run the kernel alone.
  { name: 'S kernel (full)', elf: 'guests/skernel/kernel.elf', bios: 'guests/sbi/fw.elf' },
  { name: 'S kernel (paravirtual)', elf: 'guests/skernel/kernel-pv.elf', bios: 'guests/sbi/fw.elf' },
];

interface Result { instret: number; halted: boolean; entries?: number; direct?: number }
/** An engine; `sbi`: it runs the kernel alone with SBI served by the VMM (only workloads with firmware). */
type Engine = { name: string; sbi?: boolean; run(l: Loaded): Result };

const MAX = 500_000_000;
const mach = (l: Loaded) => { const m = machineOf(l); if (isLeft(m)) throw new Error(m.left); return m.right; };
const seeMach = (l: Loaded) => { const m = seeMachine(l); if (isLeft(m)) throw new Error(m.left); return m.right; };
const vmResult = (w: { vms: ReadonlyArray<{ core: Core; stats: VmStats }> }): Result => {
  const vm = w.vms[0]!;
  const h = vm.core.hart;
  const entries = Object.values(vm.stats.entries).reduce((a, b) => a + b, 0);
  return { instret: h.instretHi * 4294967296 + h.instretLo, halted: vm.core.halt !== null, entries, direct: vm.stats.direct / Math.max(1, vm.stats.direct + vm.stats.interpreted) };
};
const ENGINES: Engine[] = [
  {
    name: 'reference',
    run: (l) => {
      const m = run(mach(l), { maxSteps: MAX }).machine;
      const h = m.harts[0]!;
      return { instret: h.instretHi * 4294967296 + h.instretLo, halted: m.halt !== null };
    },
  },
  {
    name: 'trap-emulate',
    run: (l) => {
      const w = createVmm([{ name: 'b', machine: mach(l) }]);
      if (typeof w === 'string') throw new Error(w);
      while (w.vms[0]!.core.halt === null && vmmRun(w, 1 << 22) > 0);
      return vmResult(w);
    },
  },
  {
    name: 'nested',
    run: (l) => {
      const n = createNested([{ name: 'b', machine: mach(l) }]);
      if (typeof n === 'string') throw new Error(n);
      while (n.inner.vms[0]!.core.halt === null && vmmRun(n.inner, 1 << 22) > 0);
      return vmResult(n.inner);
    },
  },
  {
    // The same kernel alone, SBI served by the VMM: the instruction stream hext runs, under shadow paging.
    name: 'trap-emulate, SBI in VMM',
    sbi: true,
    run: (l) => {
      const w = createVmm([{ name: 'b', machine: seeMach(l), see: true }]);
      if (typeof w === 'string') throw new Error(w);
      while (w.vms[0]!.core.halt === null && vmmRun(w, 1 << 22) > 0);
      return vmResult(w);
    },
  },
  {
    name: 'hext',
    sbi: true,
    run: (l) => {
      const w = createHext([{ name: 'b', machine: seeMach(l), see: true }]);
      if (typeof w === 'string') throw new Error(w);
      while (w.vms[0]!.core.halt === null && hextRun(w, 1 << 22) > 0);
      return vmResult(w);
    },
  },
];

function main(): void {
  const root = repoRoot();
  const only = process.argv.slice(2);
  const results: Array<Record<string, unknown>> = [];
  const rows = [['engine', 'workload', 'instructions', 'seconds', 'MIPS', 'entries/1k', 'direct %', 'slowdown']];
  for (const w of WORKLOADS) {
    if (!existsSync(join(root, w.elf))) continue;
    const load = (bios: string | undefined) => loadProgram({ kernel: join(root, w.elf), bios: bios === undefined ? undefined : join(root, bios), configPath: w.config === undefined ? undefined : join(root, w.config) });
    const l = load(w.bios);
    const alone = load(undefined);
    if (isLeft(l) || isLeft(alone)) { process.stderr.write(`bench: ${isLeft(l) ? l.left : isLeft(alone) ? alone.left : ''}\n`); process.exitCode = 2; return; }
    let native = 0;
    for (const e of ENGINES) {
      if (only.length > 0 && !only.includes(e.name)) continue;
      if (e.sbi === true && w.bios === undefined) continue;
      process.stderr.write(`bench: ${e.name} / ${w.name}...\n`);
      const t0 = process.hrtime.bigint();
      const r = e.run(e.sbi === true ? alone.right : l.right);
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      if (e.name === 'reference') native = secs;
      const mips = r.instret / secs / 1e6;
      const perK = r.entries === undefined ? null : (1000 * r.entries) / Math.max(1, r.instret);
      const slowdown = e.name === 'reference' || native === 0 ? null : secs / native;
      results.push({
        engine: e.name, workload: w.name, instructions: r.instret, seconds: +secs.toFixed(3), mips: +mips.toFixed(3), halted: r.halted,
        ...(perK === null ? {} : { vmmEntriesPerThousand: +perK.toFixed(4), directShare: +(r.direct ?? 0).toFixed(6) }),
        ...(slowdown === null ? {} : { slowdownVsReference: +slowdown.toFixed(3) }),
      });
      rows.push([e.name, w.name, String(r.instret), secs.toFixed(2), mips.toFixed(2), perK === null ? '-' : perK.toFixed(3),
        r.direct === undefined ? '-' : (100 * r.direct).toFixed(3), slowdown === null ? '-' : `${slowdown.toFixed(2)}x`]);
    }
  }
  const out = { node: process.version, results };
  writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(table(rows) + '\n');
}

main();
