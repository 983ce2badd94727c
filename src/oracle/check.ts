/**
 * Checking vectors (ORA-CHECK-*): against the model, or against another implementation run as a
 * command once per vector (vector JSON on stdin, final-state JSON on stdout; spec/oracle.md).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { FinalStateCodec } from '../formats/arch-state.js';
import { decodeVector, describeErrors, type Vector } from '../formats/vector.js';
import { listFiles } from './generate.js';
import { compareFinal, modelReply, vectorMachine, type Mismatch } from './vector-run.js';

/** A vector file as loaded: its text and the decoded vector, or why it is malformed. */
export type Loaded =
  | { file: string; ok: true; text: string; vector: Vector }
  | { file: string; ok: false; error: string };

/** ORA-CHECK-4: decode one vector text; a problem names the JSON path, never throws. */
export function loadVectorText(file: string, text: string): Loaded {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { file, ok: false, error: `not JSON (${(e as Error).message})` };
  }
  const d = decodeVector(json);
  if (!d.ok) return { file, ok: false, error: d.error };
  const m = vectorMachine(d.vector);
  if (isLeft(m)) return { file, ok: false, error: m.left };
  return { file, ok: true, text, vector: d.vector };
}

/** Every vector file under `dir` (chapter folders; schema.json and other files are skipped). */
export function loadVectorDir(dir: string): Loaded[] {
  return listFiles(dir).filter((f) => f.includes('/') && f.endsWith('.json')).sort().map((rel) => {
    let text: string;
    try {
      text = readFileSync(join(dir, rel), 'utf8');
    } catch (e) {
      return { file: rel, ok: false as const, error: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
    }
    return loadVectorText(rel, text);
  });
}

/**
 * ORA-CHECK-3: `--filter` names what an implementation claims: comma-separated patterns, each a
 * substring of a rule ID or a glob with `*`. A vector is selected when every rule it lists
 * matches some pattern, so an implementation only meets vectors whose every checked rule it claims.
 */
export function ruleFilter(spec: string): (rules: readonly string[]) => boolean {
  const pats = spec.split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) =>
    p.includes('*') ? new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$') : p);
  const one = (r: string): boolean => pats.some((p) => (typeof p === 'string' ? r.includes(p) : p.test(r)));
  return (rules) => pats.length > 0 && rules.every(one);
}

export type Verdict =
  | { kind: 'pass' }
  | { kind: 'mismatch'; mismatch: Mismatch }
  | { kind: 'error'; error: string };

/** ORA-CHECK-1: the model's verdict on a vector. */
export function checkWithModel(v: Vector): Verdict {
  const r = modelReply(v);
  if (isLeft(r)) return { kind: 'error', error: r.left };
  const mm = compareFinal(v, r.right);
  return mm === null ? { kind: 'pass' } : { kind: 'mismatch', mismatch: mm };
}

/** ORA-CHECK-4: judge an implementation's reply text. */
export function judgeReply(v: Vector, stdout: string): Verdict {
  const text = stdout.trim();
  if (text === '') return { kind: 'error', error: 'no reply on stdout' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { kind: 'error', error: `reply is not JSON (${(e as Error).message})` };
  }
  const r = FinalStateCodec.decode(json);
  if (isLeft(r)) return { kind: 'error', error: `reply ${describeErrors(r.left)}` };
  const mm = compareFinal(v, r.right);
  return mm === null ? { kind: 'pass' } : { kind: 'mismatch', mismatch: mm };
}

export interface ImplOptions {
  command: string;
  timeoutMs: number;
  cwd?: string;
}

const MAX_OUT = 16 << 20;

/** ORA-CHECK-1, ORA-CHECK-4: run the command once with the vector on stdin; never throws, kills it on timeout. */
export function runImpl(text: string, v: Vector, o: ImplOptions): Promise<Verdict> {
  return new Promise((resolve) => {
    let out = '', err = '', done = false, timedOut = false, overflow = false;
    // A plain command line (no shell syntax) is run directly, saving a shell per vector.
    const plain = /^[\w./=:@%+,-]+( +[\w./=:@%+,-]+)*$/.test(o.command.trim());
    const argv = o.command.trim().split(/ +/);
    const child = plain
      ? spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['pipe', 'pipe', 'pipe'], cwd: o.cwd })
      : spawn(o.command, { shell: true, detached: true, stdio: ['pipe', 'pipe', 'pipe'], cwd: o.cwd });
    const kill = (): void => {
      try { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    };
    const timer = setTimeout(() => { timedOut = true; kill(); }, o.timeoutMs);
    const finish = (verdict: Verdict): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(verdict);
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s: string) => { out += s; if (out.length > MAX_OUT) { overflow = true; kill(); } });
    child.stderr.on('data', (s: string) => { if (err.length < 65536) err += s; });
    child.stdin.on('error', () => { /* the command may exit without reading stdin */ });
    child.on('error', (e) => finish({ kind: 'error', error: `cannot run "${o.command}": ${e.message}` }));
    child.on('close', (code, signal) => {
      const firstErr = err.split('\n').find((l) => l.trim() !== '')?.trim();
      const tail = firstErr !== undefined ? ` (stderr: ${firstErr.slice(0, 200)})` : '';
      if (timedOut) return finish({ kind: 'error', error: `timed out after ${o.timeoutMs} ms and was killed` });
      if (overflow) return finish({ kind: 'error', error: `reply longer than ${MAX_OUT} bytes` });
      if (code !== 0) return finish({ kind: 'error', error: `exited with ${code === null ? `signal ${signal}` : `status ${code}`}${tail}` });
      const verdict = judgeReply(v, out);
      finish(verdict.kind === 'error' ? { kind: 'error', error: verdict.error + tail } : verdict);
    });
    child.stdin.end(text);
  });
}

/** Run `f` over `items` with at most `jobs` in flight, keeping the order of results. */
export async function pool<T, R>(items: readonly T[], jobs: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return out;
}

/** One report line for a vector that did not pass (ORA-CHECK-2). */
export function verdictLine(v: Vector, r: Verdict): string | null {
  const head = `${v.id} (${v.rules.join(', ')})`;
  if (r.kind === 'pass') return null;
  if (r.kind === 'mismatch') return `${head}: ${r.mismatch.field}: expected ${r.mismatch.expected}, actual ${r.mismatch.actual}`;
  return `${head}: ${r.error}`;
}
