/** `popek dtb [--config FILE] [-o FILE]` (CLI-DTB-1): the device tree popek passes in a1, as a DTB blob. */
import { writeFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/lib/Either.js';
import { readConfig } from '../machine/boot.js';
import { platformDtb } from '../machine/devicetree.js';
import { parseIsa } from '../machine/isa-string.js';
import { parseArgs, str, bool } from './args.js';
import { EXIT } from './exit-codes.js';

export const DTB_HELP = `usage: popek dtb [--config FILE] [--isa STRING] [--out FILE]

Write the flattened device tree of the configured platform (the one popek places in RAM and passes
in a1) to FILE, or to stdout. Decompile it with: dtc -I dtb -O dts FILE`;

export function dtbCommand(argv: readonly string[]): number {
  const p = parseArgs(argv, { config: 'string', isa: 'string', out: 'string', help: 'bool' });
  if (!p.ok) { process.stderr.write(`popek dtb: ${p.error}\n`); return EXIT.BAD_INPUT; }
  if (bool(p.args, 'help')) { process.stdout.write(DTB_HELP + '\n'); return EXIT.OK; }
  if (p.args.positional.length > 0) { process.stderr.write('popek dtb: unexpected argument (see popek dtb --help)\n'); return EXIT.BAD_INPUT; }
  const c = readConfig(str(p.args, 'config'));
  if (isLeft(c)) { process.stderr.write(`popek dtb: ${c.left}\n`); return EXIT.BAD_INPUT; }
  const config = str(p.args, 'isa') !== undefined ? { ...c.right, isa: str(p.args, 'isa')! } : c.right;
  const isa = parseIsa(config.isa);
  if (!isa.ok) { process.stderr.write(`popek dtb: ${isa.error}\n`); return EXIT.BAD_INPUT; }
  const blob = platformDtb(config);
  const out = str(p.args, 'out');
  if (out === undefined) process.stdout.write(blob);
  else writeFileSync(out, blob);
  return EXIT.OK;
}
