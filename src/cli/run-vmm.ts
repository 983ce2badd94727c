/** `popek run --vmm trap-emulate` and `--vms` (CLI-VMM-*): programs in virtual machines. */
import { basename } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { loadProgram, machineOf } from '../machine/boot.js';
import { createVmm, vmmRun, vmStats } from '../vmm/vmm.js';
import type { VmSpec } from '../vmm/vm.js';
import { EXIT, guestStatus } from './exit-codes.js';
import { progress } from './progress.js';
import { table } from './conformance.js';

export interface VmmRunOptions {
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

/** Run each ELF in its own VM; see CLI-VMM-1 for the exit status. */
export async function runVmm(elfs: readonly string[], o: VmmRunOptions): Promise<number> {
  const specs: VmSpec[] = [];
  for (const [i, elf] of elfs.entries()) {
    const l = loadProgram({ kernel: elf, bios: o.bios, configPath: o.configPath, isa: o.isa });
    if (isLeft(l)) { process.stderr.write(`popek run: ${l.left}\n`); return EXIT.BAD_INPUT; }
    const m = machineOf(l.right, i === 0 ? o.input : new Uint8Array(0));
    if (isLeft(m)) { process.stderr.write(`popek run: ${m.left}\n`); return EXIT.BAD_INPUT; }
    specs.push({ name: basename(elf, '.elf'), machine: m.right });
  }
  const w = createVmm(specs);
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
    const n = vmmRun(w, Math.min(CHUNK, o.maxSteps - steps));
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

function printStats(w: Parameters<typeof vmStats>[0]): void {
  for (const s of vmStats(w)) {
    const total = s.stats.direct + s.stats.interpreted;
    const rows = [['routine', 'entries'], ...Object.entries(s.stats.entries).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, String(v)])];
    process.stderr.write(`VM ${s.name}: ${total} guest steps, ${s.stats.direct} direct (${total ? ((100 * s.stats.direct) / total).toFixed(3) : '0'}%), ` +
      `${s.stats.interpreted} interpreted; shadow fills ${s.fills}, flushes ${s.flushes}\n${table(rows)}\n`);
  }
}
