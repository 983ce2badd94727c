/** `popek check-log <elf> <log>` (ORA-LOG-*): compare another implementation's Spike-format commit log with popek. */
import { isLeft } from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { EXIT } from './exit-codes.js';
import { bool, num, parseArgs, str } from './args.js';
import { boot } from '../machine/boot.js';
import { checkLog, formatLogVerdict, parseLog } from '../oracle/check-log.js';

export const CHECK_LOG_HELP = `usage: popek check-log <elf> <log> [options]

Run <elf> on popek and compare every retired instruction with <log>, a commit log in the format of
spike --log-commits written by another implementation for the same ELF (lines not starting with
"core" are ignored). Prints "match (N instructions)" or the first divergence: its index, log line,
pc, field, popek's value (expected) and the log's value (actual).

options:
  --isa STRING       ISA string (default rv32ima_zicsr_zifencei_zicntr)
  --config FILE      platform configuration (JSON)
  --max-steps N      stop popek after N steps (default 100000000)
  --prefix           accept a log that ends before the guest halts
  --json             print the verdict as one JSON object

exit status: 0 match, 1 divergence, 2 bad input (flags, ELF, config, a malformed log line).`;

const FLAGS = { isa: 'string', config: 'string', 'max-steps': 'uint', prefix: 'bool', json: 'bool', help: 'bool' } as const;

export async function checkLogCommand(argv: readonly string[]): Promise<number> {
  const p = parseArgs(argv, FLAGS);
  if (!p.ok) { process.stderr.write(`popek check-log: ${p.error}\n`); return EXIT.BAD_INPUT; }
  const a = p.args;
  if (bool(a, 'help')) { process.stdout.write(CHECK_LOG_HELP + '\n'); return EXIT.OK; }
  if (a.positional.length !== 2) { process.stderr.write('popek check-log: expected an ELF and a log file (see popek check-log --help)\n'); return EXIT.BAD_INPUT; }
  const [elf, logPath] = a.positional as [string, string];
  let text: string;
  try {
    text = readFileSync(logPath, 'latin1');
  } catch (e) {
    process.stderr.write(`popek check-log: cannot read ${logPath}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return EXIT.BAD_INPUT;
  }
  const log = parseLog(text);
  if (isLeft(log)) { process.stderr.write(`popek check-log: ${logPath}: ${log.left}\n`); return EXIT.BAD_INPUT; }
  const b = boot({ kernel: elf, configPath: str(a, 'config'), isa: str(a, 'isa') });
  if (isLeft(b)) { process.stderr.write(`popek check-log: ${b.left}\n`); return EXIT.BAD_INPUT; }
  const v = checkLog(b.right.machine, log.right, { maxSteps: num(a, 'max-steps') ?? 100_000_000, prefix: bool(a, 'prefix') });
  process.stdout.write((bool(a, 'json') ? JSON.stringify(v.kind === 'match' ? { match: true, instructions: v.instructions, note: v.note } : { match: false, ...v.d }) : formatLogVerdict(v)) + '\n');
  return v.kind === 'match' ? EXIT.OK : EXIT.FAILED;
}
