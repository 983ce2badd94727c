/**
 * SPEC-COV-1: every rule ID defined in spec/ (written in bold, e.g. **PRIV-TRAP-ENTRY**) is named by
 * at least one test or property in properties/, and SPEC-COV-2: every ID a test names is defined.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const ID = /\*\*([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\*\*/g;
const REF = /\b([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\b/g;

const files = (dir: string, ext: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });

const defined = new Map<string, string>();
for (const f of files(join(ROOT, 'spec'), '.md')) {
  for (const m of readFileSync(f, 'utf8').matchAll(ID)) defined.set(m[1]!, f);
}
const tested = new Set<string>();
for (const f of files(join(ROOT, 'properties'), '.ts')) {
  for (const m of readFileSync(f, 'utf8').matchAll(REF)) tested.add(m[1]!);
}
const prefixes = new Set([...defined.keys()].map((k) => k.split('-')[0]!));

describe('spec coverage', () => {
  it('SPEC-COV-1: every rule in spec/ is named by a test or property', () => {
    // Falsified by a rule ID in spec/ that no file under properties/ mentions.
    expect(defined.size).toBeGreaterThan(0);
    const missing = [...defined.keys()].filter((k) => !tested.has(k)).map((k) => `${k} (${defined.get(k)!.slice(ROOT.length + 1)})`);
    expect(missing, `rules without a test:\n${missing.join('\n')}`).toEqual([]);
  });

  it('SPEC-COV-2: every rule ID named in a test is defined in spec/', () => {
    // Falsified by a test citing a rule that the spec does not define (a typo or a stale ID).
    const families = new Set([...defined.keys()].flatMap((k) => k.split('-').slice(1).map((_, i, a) => [k.split('-')[0], ...a.slice(0, i)].join('-'))));
    const unknown = [...tested].filter((k) => prefixes.has(k.split('-')[0]!) && !defined.has(k) && !families.has(k));
    expect(unknown, `IDs used in tests but not defined in spec/:\n${unknown.join('\n')}`).toEqual([]);
  });
});
