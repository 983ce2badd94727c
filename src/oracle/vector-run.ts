/**
 * Running a vector on the model and comparing a final state with a vector's expectation
 * (ORA-VEC-2, ORA-CHECK-2).
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import { commitJson, hex32, type CommitJson, type FinalState, type HaltJson, privName } from '../formats/arch-state.js';
import type { Vector } from '../formats/vector.js';
import { run } from '../engines/reference.js';
import type { Machine } from '../machine/machine.js';
import { csrNameProblem, machineFromState, platformOf, regionProblem, stateOf, type Platform } from './state.js';

/** Semantic checks beyond the codec: config, one hart, CSR names, regions in RAM, HTIF words in RAM. */
export function vectorPlatform(v: Vector): Either<string, Platform> {
  const p = platformOf(v.config);
  if (isLeft(p)) return left(`at $.config: ${p.left}`);
  if (p.right.config.harts !== 1) return left('at $.config.harts: a vector describes one hart (harts must be 1)');
  const e1 = csrNameProblem(Object.keys(v.expected.csrs), '$.expected.csrs', p.right.isa);
  if (e1 !== null) return left(e1);
  const e2 = regionProblem(p.right.config, v.expected.mem, '$.expected.mem');
  if (e2 !== null) return left(e2);
  // ORA-VEC-2: tohost and fromhost are 64-bit words in RAM (as ELF symbols must lie in a loaded segment).
  for (const k of ['tohost', 'fromhost'] as const) {
    const a = v.htif?.[k];
    if (a === undefined) continue;
    const c = p.right.config;
    if (!(a >= c.ramBase && a + 8 <= c.ramBase + c.ramSize)) {
      return left(`at $.htif.${k}: the word [${hex32(a)}, +8) is not inside RAM [${hex32(c.ramBase)}, ${hex32(c.ramBase + c.ramSize)})`);
    }
  }
  return p;
}

/** The initial machine of a vector (with HTIF at `htif`'s addresses when it has them). */
export function vectorMachine(v: Vector): Either<string, Machine> {
  const p = vectorPlatform(v);
  if (isLeft(p)) return p;
  const image = v.htif === undefined ? undefined : { segments: [], entry: v.initial.pc, tohost: v.htif.tohost, fromhost: v.htif.fromhost };
  return machineFromState(p.right, v.initial, image);
}

export interface ModelRun {
  machine: Machine;
  steps: number;
  commits: CommitJson[];
}

/** Run a vector's initial machine until its stop condition, recording every hart step. */
export function runMachine(m: Machine, stop: Vector['stop']): ModelRun {
  const commits: CommitJson[] = [];
  const maxSteps = 'steps' in stop ? stop.steps : stop.maxSteps;
  const r = run(m, { maxSteps, onCommit: (rec) => commits.push(commitJson(rec)) });
  return { machine: r.machine, steps: r.steps, commits };
}

/** ORA-CHECK-1: the model's reply to a vector, in the form an implementation gives it. */
export function modelReply(v: Vector): Either<string, FinalState> {
  const m = vectorMachine(v);
  if (isLeft(m)) return m;
  const r = runMachine(m.right, v.stop);
  const s = stateOf(r.machine, { csrs: Object.keys(v.expected.csrs), mem: v.expected.mem.map((x) => ({ addr: x.addr, len: x.bytes.length })) });
  return right({ ...s, commits: r.commits });
}

export interface Mismatch { field: string; expected: string; actual: string }

const showHalt = (h: HaltJson | undefined): string =>
  h === undefined ? 'missing' : h === null ? 'not halted' : h.reason === 'reset' ? 'reset' : `exit ${h.code}`;
const showRegs = (c: CommitJson): string => '[' + c.regs.map((r) => `x${r.reg} ${hex32(r.value)}`).join(', ') + ']';
const showCsrs = (c: CommitJson): string => '[' + c.csrs.map((r) => `${r.csr} ${hex32(r.value)}`).join(', ') + ']';
const showMem = (c: CommitJson): string =>
  '[' + c.mem.map((a) => `${a.op} ${hex32(a.addr)}/${a.size} ${hex32(a.value)}`).join(', ') + ']';
const showTrap = (c: CommitJson): string => (c.trap === null ? 'none' : `cause ${hex32(c.trap.cause)} tval ${hex32(c.trap.tval)}`);
const showText = (s: string | undefined): string => (s === undefined ? 'missing' : JSON.stringify(s.length > 60 ? s.slice(0, 60) + '…' : s));

/** The first difference between two commit records, by field, or null. */
export function commitDiff(e: CommitJson, a: CommitJson, at: string): Mismatch | null {
  const fields: Array<[string, (c: CommitJson) => string]> = [
    ['pc', (c) => hex32(c.pc)], ['priv', (c) => c.priv], ['word', (c) => hex32(c.word)], ['trap', showTrap],
    ['regs', showRegs], ['csrs', showCsrs], ['mem', showMem],
  ];
  for (const [f, show] of fields) {
    const x = show(e), y = show(a);
    if (x !== y) return { field: `${at}.${f}`, expected: x, actual: y };
  }
  return null;
}

/**
 * ORA-CHECK-2: the first field in which `actual` differs from the vector's expectation, in this
 * order: commit records (when both the vector and the reply have them), halt, pc, priv, v (absent: 0),
 * x[1..31], the expected CSRs (in the vector's order), the expected memory bytes, console output.
 */
export function compareFinal(v: Vector, actual: FinalState): Mismatch | null {
  const e = v.expected;
  if (v.commits !== undefined && actual.commits !== undefined) {
    for (let i = 0; i < Math.max(v.commits.length, actual.commits.length); i++) {
      const ec = v.commits[i], ac = actual.commits[i];
      if (ec === undefined) return { field: `commits[${i}]`, expected: 'no record', actual: `a record at pc ${hex32(ac!.pc)}` };
      if (ac === undefined) return { field: `commits[${i}]`, expected: `a record at pc ${hex32(ec.pc)}`, actual: 'missing' };
      const d = commitDiff(ec, ac, `commits[${i}]`);
      if (d !== null) return d;
    }
  }
  if (e.halt !== undefined && showHalt(e.halt) !== showHalt(actual.halt)) return { field: 'halt', expected: showHalt(e.halt), actual: showHalt(actual.halt) };
  if (e.pc !== actual.pc) return { field: 'pc', expected: hex32(e.pc), actual: hex32(actual.pc) };
  if (e.priv !== actual.priv) return { field: 'priv', expected: e.priv, actual: actual.priv };
  // A reply without `v` stands for V = 0 (an implementation without the H extension).
  if ((actual.v ?? 0) !== e.v) return { field: 'v', expected: String(e.v), actual: actual.v === undefined ? 'missing' : String(actual.v) };
  for (let i = 1; i < 32; i++) {
    if (e.x[i] !== actual.x[i]) return { field: `x[${i}]`, expected: hex32(e.x[i]!), actual: hex32(actual.x[i]!) };
  }
  for (const [name, val] of Object.entries(e.csrs)) {
    const got = actual.csrs?.[name];
    if (got !== val) return { field: `csrs.${name}`, expected: hex32(val), actual: got === undefined ? 'missing' : hex32(got) };
  }
  const bytes = new Map<number, number>();
  for (const r of actual.mem ?? []) r.bytes.forEach((b, k) => bytes.set(r.addr + k, b));
  for (const r of e.mem) {
    for (let k = 0; k < r.bytes.length; k++) {
      const got = bytes.get(r.addr + k);
      if (got !== r.bytes[k]) {
        const show = (b: number): string => '0x' + b.toString(16).padStart(2, '0');
        return { field: `mem[${hex32(r.addr + k)}]`, expected: show(r.bytes[k]!), actual: got === undefined ? 'missing' : show(got) };
      }
    }
  }
  if (e.out !== undefined && e.out !== actual.out) return { field: 'out', expected: showText(e.out), actual: showText(actual.out) };
  return null;
}

/** ORA-CHECK-1: check the model itself against a vector (the committed vectors must all pass). */
export function checkModel(v: Vector): Either<string, Mismatch | null> {
  const r = modelReply(v);
  if (isLeft(r)) return r;
  return right(compareFinal(v, r.right));
}

export { privName };
