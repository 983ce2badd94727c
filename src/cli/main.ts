/** The `popek` command (CLI-*): dispatch to subcommands. Returns the process exit status. */
import { match } from 'ts-pattern';
import { runCommand } from './run.js';
import { conformanceCommand } from './conformance.js';
import { dtbCommand } from './dtb.js';
import { EXIT } from './exit-codes.js';
import { vectorsCommand } from './vectors.js';
import { cosimCommand } from './cosim.js';
import { checkLogCommand } from './check-log.js';

export const HELP = `popek — an executable, formally specified reference model of virtualization on RISC-V

usage: popek <command> [options]

commands:
  run <elf>          run an RV32 ELF on the reference engine (popek run --help)
  conformance        the conformance job: every bundled guest, with a summary table
  dtb                write the platform's device tree blob (popek dtb --help)
  vectors <sub>      test vectors: generate, check (the model or --impl COMMAND), stats (popek vectors --help)
  cosim --stdio      popek as a co-simulation oracle over JSON lines (popek cosim --help)
  check-log <elf> <log>  compare a Spike-format commit log with popek (popek check-log --help)
  help               this text

Exit statuses: the guest's exit code for run; 1 when a check fails; 2 for bad input;
124 when a step limit is reached; 125 when the guest requests a reset; 70 for an internal error.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  return match(cmd)
    .with(undefined, 'help', '--help', '-h', () => { process.stdout.write(HELP + '\n'); return EXIT.OK; })
    .with('run', () => runCommand(rest))
    .with('conformance', () => conformanceCommand(rest))
    .with('dtb', () => dtbCommand(rest))
    .with('vectors', () => vectorsCommand(rest))
    .with('cosim', () => cosimCommand(rest))
    .with('check-log', () => checkLogCommand(rest))
    .otherwise((c) => { process.stderr.write(`popek: unknown command "${c}" (see popek --help)\n`); return EXIT.BAD_INPUT; });
}
