/**
 * The vector generator (ORA-VEC-3): hand-picked corner cases per rule (src/oracle/cases/*.ts) plus
 * seeded random cases, each run on the model to fill in its expectation. Deterministic: the same
 * source always writes byte-identical files (no clock, no host randomness; the PRNG is seeded).
 *
 * A case gives the rules it covers, a description, a program (words at the start of RAM unless
 * `at` says otherwise), initial registers, CSRs and memory, and a stop condition. The expectation
 * lists pc, priv and all registers; every CSR the case set or watches, or that changed (except the
 * free-running counters, unless watched), and the trap CSRs of both modes (with H: of M, HS and VS)
 * when a step trapped; every initial memory region and every word that changed; console output
 * when there is any; the halt status for halt-stopped cases; and the commit records when there are
 * at most 64.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArchState, MemRegion } from '../formats/arch-state.js';
import { type Stop, type Vector, VectorCodec, formatJson } from '../formats/vector.js';
import { chunkAt, chunkOffsets, CHUNK_SIZE } from '../memory/store.js';
import type { Machine } from '../machine/machine.js';
import { csrNamesOf, machineFromState, platformOf, readCsrs, stateOf } from './state.js';
import { runMachine } from './vector-run.js';
import { wordsToBytes } from '../machine/program.js';
import { VECTOR_SCHEMA } from './schema.js';
import { ALL_CASES } from './cases/index.js';
import type { Case } from './cases/util.js';

export type { Case };

const COUNTERS = new Set(['mcycle', 'mcycleh', 'minstret', 'minstreth', 'cycle', 'cycleh', 'instret', 'instreth', 'time', 'timeh']);
const TRAP_CSRS = ['mstatus', 'mepc', 'mcause', 'mtval', 'sepc', 'scause', 'stval'];
/** With the H extension, trap entry also writes these (HV-TRAP-ENTRY, HV-XLATE-3). */
const H_TRAP_CSRS = ['mstatush', 'mtval2', 'mtinst', 'hstatus', 'htval', 'htinst', 'vsstatus', 'vsepc', 'vscause', 'vstval'];

/** The spec chapter (and vectors/ folder) of a rule ID, by prefix. */
export function chapterOf(rule: string): string {
  if (/^ISA-(DEC|ASM)\b/.test(rule)) return 'isa';
  if (rule.startsWith('ISA-')) return 'semantics';
  if (rule.startsWith('PRIV-')) return 'privileged';
  if (rule.startsWith('XLATE-')) return 'translation';
  if (rule.startsWith('PMP-')) return 'pmp';
  if (rule.startsWith('DEV-')) return 'devices';
  if (rule.startsWith('HV-XLATE-')) return 'hypervisor-translation';
  if (rule.startsWith('HV-')) return 'hypervisor';
  return 'state';
}

/** Group words into contiguous regions. */
function wordRegions(words: Record<number, number>): MemRegion[] {
  const addrs = Object.keys(words).map(Number).sort((a, b) => a - b);
  const out: MemRegion[] = [];
  let cur: { addr: number; w: number[] } | null = null;
  for (const a of addrs) {
    if (cur !== null && a === cur.addr + 4 * cur.w.length) cur.w.push(words[a]!);
    else { if (cur) out.push({ addr: cur.addr, bytes: wordsToBytes(cur.w) }); cur = { addr: a, w: [words[a]!] }; }
  }
  if (cur) out.push({ addr: cur.addr, bytes: wordsToBytes(cur.w) });
  return out;
}

/** Word-aligned ranges of RAM whose bytes differ between two machines. */
function changedWords(a: Machine, b: Machine): Array<[number, number]> {
  const lo = b.config.ramBase, hi = lo + b.config.ramSize;
  const words = new Set<number>();
  const offs = new Set<number>([...chunkOffsets(a.mem), ...chunkOffsets(b.mem)]);
  for (const off of offs) {
    if (off < lo || off >= hi) continue;
    const x = chunkAt(a.mem, off), y = chunkAt(b.mem, off);
    if (x === y) continue;
    for (let i = 0; i < CHUNK_SIZE; i++) if (x[i] !== y[i]) words.add(off + (i & ~3));
  }
  const sorted = [...words].sort((p, q) => p - q);
  const out: Array<[number, number]> = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last[0] + last[1] === w) last[1] += 4;
    else out.push([w, 4]);
  }
  return out;
}

const within = (r: [number, number], regions: readonly MemRegion[]): boolean =>
  regions.some((g) => r[0] >= g.addr && r[0] + r[1] <= g.addr + g.bytes.length);

/** ORA-VEC-3: turn a case into a vector by running the model. Throws on a broken case (a generator bug). */
export function buildVector(id: string, c: Case): Vector {
  const config = c.config ?? {};
  const p = platformOf(config);
  if (isLeft(p)) throw new Error(`${id}: ${p.left}`);
  const at = c.at ?? p.right.config.ramBase;
  const x = new Array<number>(32).fill(0);
  for (const [k, v] of Object.entries(c.x ?? {})) if (Number(k) !== 0) x[Number(k)] = v >>> 0;
  const mem: MemRegion[] = [];
  if (c.prog.length > 0) mem.push({ addr: at, bytes: wordsToBytes(c.prog) });
  mem.push(...wordRegions(c.words ?? {}));
  for (const [addr, bs] of c.bytes ?? []) mem.push({ addr, bytes: Uint8Array.from(bs) });
  const initial: ArchState = { pc: (c.pc ?? at) >>> 0, priv: c.priv ?? 'M', v: c.v ?? 0, x, csrs: { ...(c.csrs ?? {}) }, mem };
  const image = c.htif === undefined ? undefined : { segments: [], entry: initial.pc, tohost: c.htif.tohost, fromhost: c.htif.fromhost };
  const m0 = machineFromState(p.right, initial, image);
  if (isLeft(m0)) throw new Error(`${id}: ${m0.left}`);
  const CSR_ORDER = csrNamesOf(p.right.isa);
  const stop: Stop = c.halt !== undefined ? { halt: true, maxSteps: c.halt } : { steps: c.steps ?? c.prog.length };
  const r = runMachine(m0.right, stop);
  const m1 = r.machine;
  // Which CSRs to expect.
  const before = readCsrs(m0.right, m0.right.harts[0]!, CSR_ORDER);
  const after = readCsrs(m1, m1.harts[0]!, CSR_ORDER);
  const trapped = r.commits.some((k) => k.trap !== null);
  // A vector that traps must say so: an implementation that claims only unprivileged rules must
  // never meet a trap (ORA-CHECK-3).
  if (trapped && !c.rules.some((x) => x.startsWith('PRIV-') || x.startsWith('HV-') || x === 'STEP-TOTAL')) throw new Error(`${id}: the case traps but cites no PRIV- or HV- rule`);
  const want = new Set<string>([...Object.keys(initial.csrs), ...(c.watch ?? [])]);
  for (const n of CSR_ORDER) if (before[n] !== after[n] && !COUNTERS.has(n)) want.add(n);
  if (trapped) for (const n of [...TRAP_CSRS, ...(p.right.isa.h ? H_TRAP_CSRS : [])]) want.add(n);
  const csrs = CSR_ORDER.filter((n) => want.has(n));
  // Which memory to expect.
  const regions: Array<[number, number]> = mem.map((g) => [g.addr, g.bytes.length]);
  for (const w of changedWords(m0.right, m1)) if (!within(w, mem)) regions.push(w);
  for (const w of c.watchMem ?? []) regions.push(w);
  const s = stateOf(m1, { csrs, mem: regions.map(([addr, len]) => ({ addr, len })) });
  const expected: Vector['expected'] = { pc: s.pc, priv: s.priv, v: s.v, x: s.x, csrs: s.csrs, mem: s.mem };
  if (s.out !== '' || 'halt' in stop) expected.out = s.out;
  if ('halt' in stop || s.halt !== null) expected.halt = s.halt;
  const v: Vector = { id, rules: c.rules, description: c.desc, config, ...(c.htif !== undefined ? { htif: c.htif } : {}), initial, stop, expected };
  if (r.commits.length <= 64) v.commits = r.commits;
  return v;
}

/** ORA-VEC-3: every vector, in a fixed order with stable ids (`<first rule or group>-NNN`). */
export function generateVectors(): Vector[] {
  const counts = new Map<string, number>();
  return ALL_CASES().map((c) => {
    const base = (c.group ?? c.rules[0]!).toLowerCase();
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    return buildVector(`${base}-${String(n).padStart(3, '0')}`, c);
  });
}

/** The file set of a vector directory: relative path → contents. */
export function vectorFiles(vs: readonly Vector[]): Map<string, string> {
  const files = new Map<string, string>();
  files.set('schema.json', JSON.stringify(VECTOR_SCHEMA, null, 2) + '\n');
  for (const v of vs) files.set(`${chapterOf(v.rules[0]!)}/${v.id}.json`, formatJson(VectorCodec.encode(v)));
  return files;
}

/** Every file below `dir` (relative paths), for comparing and cleaning. */
export function listFiles(dir: string, prefix = ''): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  return names.flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? listFiles(p, prefix + f + '/') : [prefix + f];
  });
}

/** Vector files live in chapter folders; other files (README.md) are left alone. */
const isGenerated = (rel: string): boolean => rel === 'schema.json' || /^[a-z][a-z-]*\/[^/]+\.json$/.test(rel);

/** Write the vector set to `dir`, removing stale generated files. Returns the number of vectors. */
export function writeVectors(dir: string): number {
  const vs = generateVectors();
  const files = vectorFiles(vs);
  for (const rel of listFiles(dir)) if (isGenerated(rel) && !files.has(rel)) rmSync(join(dir, rel));
  for (const [rel, text] of files) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    let old: string | null = null;
    try { old = readFileSync(p, 'utf8'); } catch { /* new file */ }
    if (old !== text) writeFileSync(p, text);
  }
  return vs.length;
}

/** Differences between the committed directory and a fresh generation (for the regeneration test). */
export function staleFiles(dir: string): string[] {
  const files = vectorFiles(generateVectors());
  const out: string[] = [];
  const present = listFiles(dir).filter(isGenerated);
  for (const rel of present) if (!files.has(rel)) out.push(`${rel}: not generated any more`);
  for (const [rel, text] of files) {
    let old: string | null = null;
    try { old = readFileSync(join(dir, rel), 'utf8'); } catch { /* missing */ }
    if (old === null) out.push(`${rel}: missing`);
    else if (old !== text) out.push(`${rel}: differs`);
  }
  return out;
}
