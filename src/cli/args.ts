/**
 * Command-line flags decoded at the edge (CLI-ARGS-*): `--name value`, `--name=value` and boolean
 * `--name`; values are validated with io-ts codecs so a bad flag is a one-line error.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';

export interface FlagSpec { [name: string]: 'bool' | 'string' | 'uint' }
export interface Parsed { positional: string[]; flags: Record<string, string | boolean | number> }

/** A non-negative safe integer written in decimal or 0x-hex. */
export const UintFromString = new t.Type<number, string, unknown>(
  'unsigned integer',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) => {
    if (typeof u !== 'string' || !/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(u.replace(/_/g, ''))) return t.failure(u, c);
    const n = Number(u.replace(/_/g, ''));
    return Number.isSafeInteger(n) ? t.success(n) : t.failure(u, c);
  },
  String,
);

/** Parse argv against a flag spec; the error names the offending flag. */
export function parseArgs(argv: readonly string[], spec: FlagSpec): { ok: true; args: Parsed } | { ok: false; error: string } {
  const positional: string[] = [];
  const flags: Parsed['flags'] = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--') || a === '--') { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (kind === undefined) return { ok: false, error: `unknown flag --${name} (see --help)` };
    if (kind === 'bool') {
      if (eq >= 0) return { ok: false, error: `--${name} takes no value` };
      flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) return { ok: false, error: `--${name} needs a value` };
    if (kind === 'uint') {
      const r = UintFromString.decode(value);
      if (isLeft(r)) return { ok: false, error: `--${name} "${value}": expected a non-negative integer` };
      flags[name] = r.right;
    } else flags[name] = value;
  }
  return { ok: true, args: { positional, flags } };
}

export const str = (p: Parsed, k: string): string | undefined => (typeof p.flags[k] === 'string' ? (p.flags[k] as string) : undefined);
export const num = (p: Parsed, k: string): number | undefined => (typeof p.flags[k] === 'number' ? (p.flags[k] as number) : undefined);
export const bool = (p: Parsed, k: string): boolean => p.flags[k] === true;
