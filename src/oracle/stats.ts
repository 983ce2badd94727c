/**
 * Rule coverage of the vector set (ORA-VEC-4): rule IDs come from spec/ (every bold **ID**), so
 * chapters added later are counted without changing this code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Vector } from '../formats/vector.js';

/** The chapters that describe the machine (the ones vectors are meant to cover). */
export const MACHINE_CHAPTERS = ['state', 'semantics', 'isa', 'privileged', 'translation', 'pmp', 'devices', 'hypervisor', 'hypervisor-translation'];

/**
 * Rules no vector can check — not a property of one final state, or not expressible in the vector
 * format; stats lists them separately instead of as missing.
 */
export const NOT_OBSERVABLE: Readonly<Record<string, string>> = {
  'STATE-1': 'describes the representation of a machine value',
  'STEP-PURE': 'a property of the step function (inputs are not mutated)',
  'STEP-DET': 'a property of the step function (same input, same output)',
  'ISA-DEC-2': 'encode/decode round trip, not an execution',
  'ISA-ASM-1': 'disassembly text, not an execution',
};

const ID = /\*\*([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\*\*/g;

/** Rule ID → chapter name (file name without .md), for every chapter in `specDir`. */
export function specRules(specDir: string): Map<string, string> {
  const out = new Map<string, string>();
  let files: string[];
  try { files = readdirSync(specDir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort(); } catch { return out; }
  for (const f of files) {
    const chapter = basename(f, '.md');
    for (const m of readFileSync(join(specDir, f), 'utf8').matchAll(ID)) if (!out.has(m[1]!)) out.set(m[1]!, chapter);
  }
  return out;
}

export interface Stats {
  perRule: Map<string, number>;
  perChapter: Map<string, { rules: number; covered: number; vectors: number }>;
  /** Machine-chapter rules with no vector (observable ones only). */
  missing: Array<{ rule: string; chapter: string }>;
  notObservable: Array<{ rule: string; chapter: string; why: string }>;
  /** Rules cited by vectors that no chapter defines (yet). */
  undefinedRules: string[];
  total: number;
}

/** ORA-VEC-4: counts per rule and per chapter. */
export function vectorStats(vs: readonly Vector[], rules: ReadonlyMap<string, string>): Stats {
  const perRule = new Map<string, number>();
  for (const v of vs) for (const r of new Set(v.rules)) perRule.set(r, (perRule.get(r) ?? 0) + 1);
  const perChapter = new Map<string, { rules: number; covered: number; vectors: number }>();
  for (const [rule, chapter] of rules) {
    const c = perChapter.get(chapter) ?? { rules: 0, covered: 0, vectors: 0 };
    c.rules++;
    if ((perRule.get(rule) ?? 0) > 0) c.covered++;
    perChapter.set(chapter, c);
  }
  for (const v of vs) {
    const chapters = new Set(v.rules.map((r) => rules.get(r)).filter((c): c is string => c !== undefined));
    for (const ch of chapters) perChapter.get(ch)!.vectors++;
  }
  const missing: Stats['missing'] = [], notObservable: Stats['notObservable'] = [];
  for (const [rule, chapter] of rules) {
    if (!MACHINE_CHAPTERS.includes(chapter) || (perRule.get(rule) ?? 0) > 0) continue;
    const why = NOT_OBSERVABLE[rule];
    if (why !== undefined) notObservable.push({ rule, chapter, why });
    else missing.push({ rule, chapter });
  }
  const undefinedRules = [...perRule.keys()].filter((r) => !rules.has(r)).sort();
  return { perRule, perChapter, missing, notObservable, undefinedRules, total: vs.length };
}

/** The stats report as text. */
export function formatStats(s: Stats): string {
  const lines: string[] = [`${s.total} vectors`, '', 'per chapter (rules with vectors / rules defined, vectors citing the chapter):'];
  const chapters = [...s.perChapter.keys()].sort((a, b) => {
    const ia = MACHINE_CHAPTERS.indexOf(a), ib = MACHINE_CHAPTERS.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const width = Math.max(12, ...chapters.map((ch) => ch.length));
  for (const ch of chapters) {
    const c = s.perChapter.get(ch)!;
    lines.push(`  ${ch.padEnd(width)} ${String(c.covered).padStart(3)} / ${String(c.rules).padEnd(3)} rules  ${String(c.vectors).padStart(4)} vectors${MACHINE_CHAPTERS.includes(ch) ? '' : '  (not a machine chapter)'}`);
  }
  lines.push('', 'per rule:');
  for (const [r, n] of [...s.perRule].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`  ${r.padEnd(20)} ${String(n).padStart(4)}`);
  lines.push('', `machine rules without vectors: ${s.missing.length === 0 ? 'none' : ''}`);
  for (const m of s.missing) lines.push(`  ${m.rule} (${m.chapter})`);
  if (s.notObservable.length > 0) {
    lines.push('', 'rules no vector can check (not a property of a final state):');
    for (const m of s.notObservable) lines.push(`  ${m.rule} (${m.chapter}): ${m.why}`);
  }
  if (s.undefinedRules.length > 0) lines.push('', `rules cited by vectors but not defined in spec/: ${s.undefinedRules.join(', ')}`);
  return lines.join('\n');
}
