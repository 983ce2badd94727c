/** `popek vectors generate | check | stats` (ORA-VEC-*, ORA-CHECK-*). */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { EXIT } from './exit-codes.js';
import { bool, num, parseArgs, str } from './args.js';
import { writeVectors } from '../oracle/generate.js';
import { checkWithModel, loadVectorDir, pool, ruleFilter, runImpl, verdictLine, type Loaded, type Verdict } from '../oracle/check.js';
import { formatStats, specRules, vectorStats } from '../oracle/stats.js';
import type { Vector } from '../formats/vector.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEFAULT_VECTORS = join(ROOT, 'vectors');
const DEFAULT_SPEC = join(ROOT, 'spec');

export const VECTORS_HELP = `usage: popek vectors <generate|check|stats> [options]

  generate [--out DIR]      regenerate the vector set from the model (default: the repository's vectors/)
  check [--dir DIR] [--impl "COMMAND"] [--filter PATTERNS] [--id SUBSTRING] [--timeout MS] [--jobs N]
                            check the model (no --impl) or COMMAND against the vectors: COMMAND runs once
                            per vector with the vector JSON on stdin and prints the final state JSON
                            (spec/oracle.md). --filter selects the vectors all of whose rules match one of
                            the comma-separated patterns (substrings, or globs with *). Each failure is
                            printed as "<id> (<rules>): <field>: expected X, actual Y"; the last line is
                            "N passed, M failed".
  stats [--dir DIR] [--spec DIR]
                            vectors per rule and per spec chapter; machine rules without vectors

exit status: 0 all passed, 1 some failed, 2 bad input (flags, a malformed vector).`;

const FLAGS = {
  out: 'string', dir: 'string', impl: 'string', filter: 'string', id: 'string', timeout: 'uint', jobs: 'uint', spec: 'string', help: 'bool',
} as const;

export async function vectorsCommand(argv: readonly string[]): Promise<number> {
  // A reader that stops early (`| head`) is not an error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); });
  const [sub, ...rest] = argv;
  const p = parseArgs(rest, FLAGS);
  if (!p.ok) { process.stderr.write(`popek vectors: ${p.error}\n`); return EXIT.BAD_INPUT; }
  const a = p.args;
  if (sub === undefined || sub === '--help' || sub === 'help' || bool(a, 'help')) { process.stdout.write(VECTORS_HELP + '\n'); return EXIT.OK; }
  if (a.positional.length > 0) { process.stderr.write(`popek vectors ${sub}: unexpected argument "${a.positional[0]}"\n`); return EXIT.BAD_INPUT; }
  switch (sub) {
    case 'generate': {
      const dir = str(a, 'out') ?? DEFAULT_VECTORS;
      const n = writeVectors(dir);
      process.stdout.write(`wrote ${n} vectors to ${dir}\n`);
      return EXIT.OK;
    }
    case 'check': return check(a);
    case 'stats': {
      const loaded = loadVectorDir(str(a, 'dir') ?? DEFAULT_VECTORS);
      const bad = loaded.filter((l) => !l.ok);
      for (const b of bad) if (!b.ok) process.stderr.write(`popek vectors stats: ${b.file}: ${b.error}\n`);
      const vs = loaded.flatMap((l) => (l.ok ? [l.vector] : []));
      process.stdout.write(formatStats(vectorStats(vs, specRules(str(a, 'spec') ?? DEFAULT_SPEC))) + '\n');
      return bad.length > 0 ? EXIT.BAD_INPUT : EXIT.OK;
    }
    default:
      process.stderr.write(`popek vectors: unknown subcommand "${sub}" (generate, check or stats)\n`);
      return EXIT.BAD_INPUT;
  }
}

async function check(a: { flags: Record<string, string | boolean | number> }): Promise<number> {
  const p = { positional: [], flags: a.flags };
  const dir = str(p, 'dir') ?? DEFAULT_VECTORS;
  const loaded = loadVectorDir(dir);
  if (loaded.length === 0) { process.stderr.write(`popek vectors check: no vectors under ${dir}\n`); return EXIT.BAD_INPUT; }
  const filter = str(p, 'filter');
  const keep = filter !== undefined ? ruleFilter(filter) : () => true;
  const idPart = str(p, 'id');
  const selected = loaded.filter((l) => !l.ok || (keep(l.vector.rules) && (idPart === undefined || l.vector.id.includes(idPart))));
  if (selected.length === 0) { process.stderr.write('popek vectors check: no vector matches --filter/--id\n'); return EXIT.BAD_INPUT; }
  const impl = str(p, 'impl');
  const timeoutMs = num(p, 'timeout') ?? 10_000;
  const jobs = num(p, 'jobs') ?? Math.min(availableParallelism(), 8);
  const good = selected.filter((l): l is Extract<Loaded, { ok: true }> => l.ok);
  const verdicts: Verdict[] = impl === undefined
    ? good.map((l) => checkWithModel(l.vector))
    : await pool(good, jobs, (l) => runImpl(l.text, l.vector, { command: impl, timeoutMs }));
  let passed = 0, failed = 0;
  const byFile = new Map(good.map((l, i) => [l.file, verdicts[i]!]));
  for (const l of selected) {
    if (!l.ok) { failed++; process.stdout.write(`${l.file}: malformed vector: ${l.error}\n`); continue; }
    const v: Vector = l.vector;
    const line = verdictLine(v, byFile.get(l.file)!);
    if (line === null) passed++;
    else { failed++; process.stdout.write(line + '\n'); }
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  if (selected.some((l) => !l.ok)) return EXIT.BAD_INPUT;
  return failed === 0 ? EXIT.OK : EXIT.FAILED;
}
