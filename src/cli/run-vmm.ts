/** `popek run --vmm trap-emulate|hext` and `--vms` (CLI-VMM-*): programs in virtual machines. */
import { basename } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadProgram, machineOf } from '../machine/boot.js';
import type { Core } from '../machine/core.js';
import { createVmm, vmmRun } from '../vmm/vmm.js';
import { createHext, hextRun } from '../vmm/hext.js';
import { seeMachine } from '../vmm/see.js';
import { hex } from '../vmm/sbi.js';
import type { VmSpec, VmStats } from '../vmm/vm.js';
import { EXIT, guestStatus } from './exit-codes.js';
import { progress } from './progress.js';
import { table } from './conformance.js';

export type Backend = 'trap-emulate' | 'hext';

export interface VmmRunOptions {
  backend: Backend;
  configPath: string | undefined;
  isa: string | undefined;
  bios: string | undefined;
  input: Uint8Array;
  maxSteps: number;
  stats: boolean;
  /** Prefix every output line with [name] (several VMs). */
  prefix: boolean;
}

const CHUNK = 1 << 20;

/** What the CLI drives: the VMs (name, vCPU, statistics) and a run of up to n guest steps. */
interface Driver {
  vms: ReadonlyArray<{ name: string; core: Core; stats: VmStats }>;
  run(n: number): number;
  /** Per-VM lines for --stats beyond the entries table. */
  extra(i: number): string;
}

/**
 * The VMs of the chosen backend. CLI-VMM-2: hext runs each ELF as an S-mode kernel under the
 * VMM's SBI service (no --bios: the VMM is the firmware).
 */
function driver(elfs: readonly string[], o: VmmRunOptions): Driver | string {
  if (o.backend === 'hext' && o.bios !== undefined) return '--bios cannot be used with --vmm hext: the VMM serves SBI itself (give the kernel alone)';
  const specs: VmSpec[] = [];
  for (const [i, elf] of elfs.entries()) {
    const l = loadProgram({ kernel: elf, bios: o.bios, configPath: o.configPath, isa: o.isa });
    if (isLeft(l)) return l.left;
    const input = i === 0 ? o.input : new Uint8Array(0);
    const m = o.backend === 'hext' ? seeMachine(l.right, input) : machineOf(l.right, input);
    if (isLeft(m)) return `${elf}: ${m.left}`;
    specs.push({ name: basename(elf, '.elf'), machine: m.right, see: o.backend === 'hext' });
  }
  if (o.backend === 'hext') {
    const w = createHext(specs);
    if (typeof w === 'string') return w;
    return { vms: w.vms, run: (n) => hextRun(w, n), extra: (i) => `G-stage ${w.vms[i]!.pool.size / 1024} KiB at ${hex(w.vms[i]!.pool.base)}` };
  }
  const w = createVmm(specs);
  if (typeof w === 'string') return w;
  return { vms: w.vms, run: (n) => vmmRun(w, n), extra: (i) => `shadow fills ${w.vms[i]!.shadow.fills}, flushes ${w.vms[i]!.shadow.flushes}` };
}

/** Run each ELF in its own VM; see CLI-VMM-1 for the exit status. */
export async function runVmm(elfs: readonly string[], o: VmmRunOptions): Promise<number> {
  const w = driver(elfs, o);
  if (typeof w === 'string') { process.stderr.write(`popek run: ${w}\n`); return EXIT.BAD_INPUT; }
  const printed = w.vms.map(() => 0);
  const pending = w.vms.map(() => '');
  const emit = (final: boolean): void => {
    w.vms.forEach((vm, i) => {
      const fresh = vm.core.out.slice(printed[i]);
      printed[i] = vm.core.out.length;
      if (!o.prefix) { if (fresh !== '') process.stdout.write(Buffer.from(fresh, 'latin1')); return; }
      const text = pending[i] + fresh;
      const lines = text.split('\n');
      pending[i] = final ? '' : lines.pop()!;
      const done = final && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines;
      for (const l of done) process.stdout.write(Buffer.from(`[${vm.name}] ${l}\n`, 'latin1'));
    });
  };
  const bar = progress('run');
  let steps = 0;
  while (steps < o.maxSteps && w.vms.some((v) => v.core.halt === null)) {
    const n = w.run(Math.min(CHUNK, o.maxSteps - steps));
    steps += n;
    emit(false);
    bar.update(`${steps.toLocaleString('en-US')} guest steps`);
    if (n === 0) break;
    await new Promise((res) => setImmediate(res));
  }
  bar.done();
  emit(true);
  if (o.stats) printStats(w);
  const halts = w.vms.map((v) => v.core.halt);
  if (halts.some((h) => h === null)) {
    process.stderr.write(`popek run: step limit reached (${steps} guest steps) before every VM halted\n`);
    return EXIT.STEP_LIMIT;
  }
  for (const h of halts) {
    if (h!.reason === 'reset') return EXIT.RESET;
    if (h!.code !== 0) return guestStatus(h!.code);
  }
  return EXIT.OK;
}

function printStats(w: Driver): void {
  w.vms.forEach((vm, i) => {
    const s = vm.stats;
    const total = s.direct + s.interpreted;
    const entries = Object.values(s.entries).reduce((a, b) => a + b, 0);
    const rows = [['routine', 'entries'], ...Object.entries(s.entries).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, String(v)])];
    process.stderr.write(`VM ${vm.name}: ${total} guest steps, ${s.direct} direct (${total ? ((100 * s.direct) / total).toFixed(3) : '0'}%), ` +
      `${s.interpreted} interpreted; ${entries} VMM entries (${total ? ((1000 * entries) / total).toFixed(2) : '0'} per 1000 guest steps); ${w.extra(i)}\n${table(rows)}\n`);
  });
}
