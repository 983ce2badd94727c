/** `popek run`: run an ELF on the reference engine (CLI-RUN-*). */
import { isLeft } from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { boot } from '../machine/boot.js';
import { run } from '../engines/reference.js';
import { spikeLine } from '../formats/commit-log.js';
import { EXIT, guestStatus } from './exit-codes.js';
import { bool, num, parseArgs, str } from './args.js';
import type { Machine } from '../machine/machine.js';
import { progress } from './progress.js';
import { runVmm } from './run-vmm.js';

export const RUN_HELP = `usage: popek run <elf> [options]

Run a RISC-V ELF on popek's reference engine from its entry in M-mode (a0 = hart id).
Guest output (HTIF console, UART) goes to stdout; the exit status is the guest's exit code.

options:
  --isa STRING       ISA string (default rv32ima_zicsr_zifencei_zicntr); unknown extensions are errors
  --max-steps N      stop after N steps with status 124 (default: no limit)
  --log-commits      write a Spike-format commit log (one line per retired instruction) to stderr
  --log FILE         write the commit log to FILE instead of stderr (implies --log-commits)
  --config FILE      platform configuration (JSON; missing keys take the virt defaults)
  --bios FW.elf      start this firmware (M-mode) with the program loaded as its kernel, as
                     QEMU's -bios/-kernel do (a1 = device tree, a2 = OpenSBI fw_dynamic info)
  --input FILE       bytes for the UART receive queue (default: stdin when it is not a terminal)
  --vmm trap-emulate run the program in a virtual machine of the trap-and-emulate VMM
  --vmm hext         run an S-mode kernel in a virtual machine of the hardware-assisted VMM (H
                     extension); the VMM serves SBI, so there is no --bios
  --vms A.elf,B.elf  run several programs, each in its own VM (default --vmm trap-emulate);
                     each line of output is prefixed with [name]
  --stats            with a VMM: print VMM entries by routine, entries per 1000 guest steps, and
                     the share of guest steps executed directly, on stderr

exit status: the guest's exit code (mod 256), 124 at the step limit, 125 on a reset request,
2 for bad input (flags, ELF, config).`;

const FLAGS = {
  isa: 'string', 'max-steps': 'uint', 'log-commits': 'bool', log: 'string', config: 'string', input: 'string', help: 'bool',
  vmm: 'string', vms: 'string', stats: 'bool', bios: 'string',
} as const;

/** Read the UART input: a file, or stdin when piped (never blocks on a terminal). */
function readInput(path: string | undefined): Uint8Array | string {
  try {
    if (path !== undefined) return readFileSync(path);
    if (process.stdin.isTTY === true || process.env['CI'] === 'true') return new Uint8Array(0);
    return readFileSync(0);
  } catch (e) {
    if (path === undefined) return new Uint8Array(0);
    return `cannot read input ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}

const CHUNK = 1 << 20;

export async function runCommand(argv: readonly string[]): Promise<number> {
  const p = parseArgs(argv, FLAGS);
  if (!p.ok) { process.stderr.write(`popek run: ${p.error}\n`); return EXIT.BAD_INPUT; }
  const a = p.args;
  if (bool(a, 'help')) { process.stdout.write(RUN_HELP + '\n'); return EXIT.OK; }
  const vmm = str(a, 'vmm') ?? (str(a, 'vms') !== undefined ? 'trap-emulate' : undefined);
  if (vmm !== undefined && vmm !== 'trap-emulate' && vmm !== 'hext') { process.stderr.write(`popek run: --vmm "${vmm}": expected trap-emulate or hext\n`); return EXIT.BAD_INPUT; }
  const elfs = str(a, 'vms') !== undefined ? str(a, 'vms')!.split(',').filter((x) => x !== '') : a.positional;
  if (str(a, 'vms') !== undefined ? a.positional.length !== 0 || elfs.length === 0 : elfs.length !== 1) {
    process.stderr.write('popek run: expected exactly one ELF file, or --vms with a comma-separated list (see popek run --help)\n');
    return EXIT.BAD_INPUT;
  }
  const input = readInput(str(a, 'input'));
  if (typeof input === 'string') { process.stderr.write(`popek run: ${input}\n`); return EXIT.BAD_INPUT; }
  if (vmm !== undefined) {
    if (bool(a, 'log-commits') || str(a, 'log') !== undefined) { process.stderr.write('popek run: --log-commits is not available with --vmm\n'); return EXIT.BAD_INPUT; }
    return runVmm(elfs, { backend: vmm, configPath: str(a, 'config'), isa: str(a, 'isa'), bios: str(a, 'bios'), input, maxSteps: num(a, 'max-steps') ?? Infinity, stats: bool(a, 'stats'), prefix: str(a, 'vms') !== undefined });
  }
  const b = boot({ kernel: a.positional[0]!, bios: str(a, 'bios'), configPath: str(a, 'config'), isa: str(a, 'isa'), input });
  if (isLeft(b)) { process.stderr.write(`popek run: ${b.left}\n`); return EXIT.BAD_INPUT; }
  const logPath = str(a, 'log');
  const logging = bool(a, 'log-commits') || logPath !== undefined;
  const { writeLog, closeLog } = await openLog(logPath);
  const maxSteps = num(a, 'max-steps') ?? Infinity;
  let m: Machine = b.right.machine;
  let steps = 0, printed = 0;
  const bar = progress('run', logging);
  while (m.halt === null && steps < maxSteps) {
    const r = run(m, {
      maxSteps: Math.min(CHUNK, maxSteps - steps),
      ...(logging ? { onCommit: (rec) => { const l = spikeLine(rec); if (l !== null) writeLog(l + '\n'); } } : {}),
    });
    m = r.machine;
    steps += r.steps;
    if (m.out.length > printed) { process.stdout.write(Buffer.from(m.out.slice(printed), 'latin1')); printed = m.out.length; }
    bar.update(`${steps.toLocaleString('en-US')} steps`);
    await new Promise((res) => setImmediate(res));
  }
  bar.done();
  await closeLog();
  if (m.halt === null) {
    process.stderr.write(`popek run: step limit reached (${steps} steps) before the guest halted\n`);
    return EXIT.STEP_LIMIT;
  }
  if (m.halt.reason === 'reset') { process.stderr.write('popek run: the guest requested a reset\n'); return EXIT.RESET; }
  return guestStatus(m.halt.code);
}

async function openLog(path: string | undefined): Promise<{ writeLog: (s: string) => void; closeLog: () => Promise<void> }> {
  if (path === undefined) {
    let buf = '';
    return {
      writeLog: (s) => { buf += s; if (buf.length > 1 << 16) { process.stderr.write(buf); buf = ''; } },
      closeLog: async () => { process.stderr.write(buf); },
    };
  }
  const { createWriteStream } = await import('node:fs');
  const ws = createWriteStream(path);
  return {
    writeLog: (s) => { ws.write(s); },
    closeLog: () => new Promise((res) => ws.end(res)),
  };
}
