/**
 * Checking a Spike-format commit log against popek (ORA-LOG-*): parse the log written by another
 * implementation for the same ELF, run popek alongside, and report the first divergence.
 *
 * Compared per retired instruction: privilege, pc, instruction word, x-register writes (both
 * ways: a missing or an extra write diverges), the CSR writes popek records (each must appear in
 * the log with the same value; further CSR writes in the log are implicit writes Spike logs and
 * popek does not, LOG-SPIKE-2, and are ignored), and the memory accesses in order.
 */
import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { CommitRecord } from '../machine/commit-record.js';
import type { Machine } from '../machine/machine.js';
import { run } from '../engines/reference.js';
import { spikeLine } from '../formats/commit-log.js';
import { csrName } from '../hart/csrs.js';

export interface LogEntry {
  /** 1-based line number in the log file. */
  line: number;
  hart: number;
  priv: number;
  pc: number;
  word: number;
  regs: Map<number, number>;
  csrs: Map<number, number>;
  /** Memory accesses in log order: an address, and a value for stores. */
  mem: Array<{ addr: number; value: number | null; digits: number }>;
  text: string;
}

const HEX = /^0x[0-9a-fA-F]{1,16}$/;
const HEAD = /^core\s+(\d+):\s+(\d)\s+(0x[0-9a-fA-F]+)\s+\((0x[0-9a-fA-F]+)\)(.*)$/;

/** ORA-LOG-1: parse one `core` line, or say what is wrong with it. */
export function parseLogLine(text: string, line: number): Either<string, LogEntry> {
  const m = HEAD.exec(text.trimEnd());
  if (!m) return left(`log line ${line}: not a commit line (expected "core N: P 0xPC (0xINSN) ...")`);
  const e: LogEntry = {
    line, hart: Number(m[1]), priv: Number(m[2]), pc: parseInt(m[3]!.slice(2), 16) >>> 0, word: parseInt(m[4]!.slice(2), 16) >>> 0,
    regs: new Map(), csrs: new Map(), mem: [], text,
  };
  const toks = m[5]!.trim().split(/\s+/).filter((s) => s !== '');
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    const val = toks[i + 1];
    const xm = /^x(\d{1,2})$/.exec(tok);
    const cm = /^c(\d+)_\w+$/.exec(tok);
    if (xm !== null || cm !== null) {
      if (val === undefined || !HEX.test(val)) return left(`log line ${line}: "${tok}" must be followed by a 0x value`);
      const v = parseInt(val.slice(2), 16) >>> 0;
      if (xm !== null) e.regs.set(Number(xm[1]), v); else e.csrs.set(Number(cm![1]), v);
      i++;
    } else if (tok === 'mem') {
      if (val === undefined || !HEX.test(val)) return left(`log line ${line}: "mem" must be followed by a 0x address`);
      const next = toks[i + 2];
      if (next !== undefined && HEX.test(next)) {
        e.mem.push({ addr: parseInt(val.slice(2), 16) >>> 0, value: parseInt(next.slice(2), 16) >>> 0, digits: next.length - 2 });
        i += 2;
      } else {
        e.mem.push({ addr: parseInt(val.slice(2), 16) >>> 0, value: null, digits: 0 });
        i++;
      }
    } else return left(`log line ${line}: unexpected "${tok}"`);
  }
  return right(e);
}

/** ORA-LOG-1: parse a log; lines that do not start with `core` are ignored. */
export function parseLog(text: string): Either<string, LogEntry[]> {
  const out: LogEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.startsWith('core')) continue;
    const e = parseLogLine(l, i + 1);
    if (isLeft(e)) return e;
    out.push(e.right);
  }
  return right(out);
}

const hx = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

export interface Divergence {
  /** Index of the retired instruction within its hart's stream (0-based). */
  index: number;
  hart: number;
  /** Log line number, or null when the log had ended. */
  line: number | null;
  pc: number;
  field: string;
  /** popek's value. */
  expected: string;
  /** the log's value. */
  actual: string;
}

/** ORA-LOG-2: the first field in which a log entry differs from popek's record, or null. */
export function compareEntry(r: CommitRecord, e: LogEntry): Omit<Divergence, 'index' | 'hart' | 'line' | 'pc'> | null {
  const privName = (p: number): string => String(p);
  if (r.pc >>> 0 !== e.pc) return { field: 'pc', expected: hx(r.pc), actual: hx(e.pc) };
  if (r.word >>> 0 !== e.word) return { field: 'insn', expected: hx(r.word), actual: hx(e.word) };
  if (r.priv !== e.priv) return { field: 'priv', expected: privName(r.priv), actual: privName(e.priv) };
  const regs = new Map(r.regs.map(([n, v]) => [n, v >>> 0]));
  for (let n = 1; n < 32; n++) {
    const a = regs.get(n), b = e.regs.get(n);
    if (a !== b) return { field: `x${n}`, expected: a === undefined ? 'no write' : hx(a), actual: b === undefined ? 'no write' : hx(b) };
  }
  for (const [n, v] of r.csrs) {
    const b = e.csrs.get(n);
    if (b !== v >>> 0) return { field: `c${n}_${csrName(n) ?? 'unknown'}`, expected: hx(v), actual: b === undefined ? 'no write' : hx(b) };
  }
  const mine = [...r.mem.filter((m) => m.op === 'r'), ...r.mem.filter((m) => m.op === 'w')]
    .map((m) => (m.op === 'r' ? hx(m.addr) : `${hx(m.addr)} 0x${(m.value >>> 0).toString(16).padStart(m.size * 2, '0')}`));
  const theirs = e.mem.map((m) => (m.value === null ? hx(m.addr) : `${hx(m.addr)} 0x${m.value.toString(16).padStart(m.digits, '0')}`));
  for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
    if (mine[i] !== theirs[i]) return { field: `mem[${i}]`, expected: mine[i] ?? 'no access', actual: theirs[i] ?? 'no access' };
  }
  return null;
}

export type LogVerdict =
  | { kind: 'match'; instructions: number; note: string | null }
  | { kind: 'divergence'; d: Divergence };

export interface CheckLogOptions { maxSteps: number; prefix: boolean }

/** ORA-LOG-2: run `m` and compare every retired instruction with the log, hart by hart. */
export function checkLog(m0: Machine, log: readonly LogEntry[], o: CheckLogOptions): LogVerdict {
  const perHart = new Map<number, LogEntry[]>();
  for (const e of log) {
    const q = perHart.get(e.hart) ?? [];
    q.push(e);
    perHart.set(e.hart, q);
  }
  const next = new Map<number, number>();
  let found: Divergence | null = null, stopped = false, total = 0;
  const onCommit = (r: CommitRecord): void => {
    if (found !== null || stopped || r.trap !== null) return;
    const i = next.get(r.hart) ?? 0;
    const e = perHart.get(r.hart)?.[i];
    if (e === undefined) {
      if (o.prefix) { stopped = true; return; }
      found = { index: i, hart: r.hart, line: null, pc: r.pc >>> 0, field: 'line', expected: spikeLine(r) ?? '', actual: 'end of log' };
      return;
    }
    next.set(r.hart, i + 1);
    total++;
    const d = compareEntry(r, e);
    if (d !== null) found = { index: i, hart: r.hart, line: e.line, pc: r.pc >>> 0, ...d };
  };
  let m = m0, steps = 0;
  const allConsumed = (): boolean => [...perHart].every(([h, q]) => (next.get(h) ?? 0) >= q.length);
  while (found === null && !stopped && m.halt === null && steps < o.maxSteps) {
    if (o.prefix && allConsumed()) break;
    const r = run(m, { maxSteps: Math.min(4096, o.maxSteps - steps), onCommit });
    m = r.machine;
    steps += r.steps;
  }
  if (found !== null) return { kind: 'divergence', d: found };
  const rest = [...perHart].reduce((n, [h, q]) => n + Math.max(0, q.length - (next.get(h) ?? 0)), 0);
  if (rest > 0 && m.halt === null && !o.prefix) {
    const firstLeft = [...perHart].map(([h, q]) => q[next.get(h) ?? 0]).find((e) => e !== undefined)!;
    return { kind: 'divergence', d: { index: next.get(firstLeft.hart) ?? 0, hart: firstLeft.hart, line: firstLeft.line, pc: firstLeft.pc, field: 'line', expected: `popek stopped after ${steps} steps without halting`, actual: firstLeft.text.trim() } };
  }
  const notes: string[] = [];
  if (rest > 0 && m.halt !== null) notes.push(`${rest} log lines after the guest halted were not checked`);
  if (m.halt === null && !stopped && !(o.prefix && allConsumed())) notes.push(`popek had not halted after ${steps} steps`);
  return { kind: 'match', instructions: total, note: notes.length > 0 ? notes.join('; ') : null };
}

/** The report line of a verdict. */
export function formatLogVerdict(v: LogVerdict): string {
  if (v.kind === 'match') return `match (${v.instructions} instructions${v.note !== null ? `; ${v.note}` : ''})`;
  const d = v.d;
  return `divergence at index ${d.index}${d.hart !== 0 ? ` of core ${d.hart}` : ''} (${d.line === null ? 'after the end of the log' : `log line ${d.line}`}), pc ${hx(d.pc)}, field ${d.field}: expected ${d.expected}, actual ${d.actual}`;
}
