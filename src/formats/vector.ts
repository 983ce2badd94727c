/**
 * Test vectors (ORA-VEC-1): one self-contained case per JSON file under vectors/. The codec is the
 * structural definition; vectors/schema.json says the same in JSON Schema (checked by
 * properties/vectors.test.ts). Checks that need the model (config values that decode, CSR names,
 * regions inside RAM) are in `src/oracle/vector-run.ts` (`vectorProblems`).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  ArchStateCodec, closed, nonEmpty, CommitJsonCodec, CsrValues, HaltCodec, Hex32, intRange, MemRegion, patterned, PrivCodec, RegisterFile,
  VirtCodec,
} from './arch-state.js';

export const ID_PATTERN = '^[a-z0-9][a-z0-9._-]*$';
export const RULE_PATTERN = '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$';
export const LINE_PATTERN = '^[^\\n\\r]+$';
export const MAX_STEPS = 10_000_000;

const uint32 = intRange(0, 0xffffffff, 'uint32');

/** A partial platform config, as `decodeConfig` takes it (numbers, not hex strings). */
export const PartialConfigCodec = closed('config', {}, {
  isa: t.string,
  ramBase: uint32,
  ramSize: uint32,
  harts: intRange(1, 8),
  misaligned: t.keyof({ perform: null, trap: null }),
  adUpdate: t.keyof({ hardware: null, fault: null }),
  pmpEntries: intRange(0, 64),
  pmpGranularity: intRange(0, 30),
  ticksPerInstruction: intRange(1, 1_000_000),
  timebaseHz: uint32,
  devices: closed('devices', {}, { clint: uint32, plic: uint32, uart: uint32, finisher: uint32 }),
});
export type PartialConfig = t.TypeOf<typeof PartialConfigCodec>;

export const StopCodec = t.union([
  closed('stop after steps', { steps: intRange(0, MAX_STEPS) }),
  closed('stop at halt', { halt: t.literal(true), maxSteps: intRange(1, MAX_STEPS) }),
], 'stop');
export type Stop = t.TypeOf<typeof StopCodec>;

/** The expected final state: the same shape as the initial state, plus console text and halt. */
export const ExpectedCodec = closed('expected', {
  pc: Hex32,
  priv: PrivCodec,
  v: VirtCodec,
  x: RegisterFile,
  csrs: CsrValues,
  mem: t.array(MemRegion),
}, {
  out: t.string,
  halt: HaltCodec,
});
export type Expected = t.TypeOf<typeof ExpectedCodec>;

/**
 * Where HTIF's `tohost` and `fromhost` words are (DEV-HTIF-*): the addresses a program's ELF
 * symbols would give. Without it a vector's machine has no HTIF; without `fromhost` the host never
 * acknowledges a syscall (as for an ELF that defines only `tohost`).
 */
export const HtifCodec = closed('htif', { tohost: Hex32 }, { fromhost: Hex32 });
export type HtifJson = t.TypeOf<typeof HtifCodec>;

export const VectorCodec = closed('vector', {
  id: patterned(ID_PATTERN, 'id'),
  rules: nonEmpty(patterned(RULE_PATTERN, 'rule ID')),
  description: patterned(LINE_PATTERN, 'one-line description'),
  config: PartialConfigCodec,
  initial: ArchStateCodec,
  stop: StopCodec,
  expected: ExpectedCodec,
}, {
  htif: HtifCodec,
  commits: t.array(CommitJsonCodec),
});
export type Vector = t.TypeOf<typeof VectorCodec>;

/** Decode a vector, or name the JSON path of the first problem. */
export function decodeVector(u: unknown): { ok: true; vector: Vector } | { ok: false; error: string } {
  const r = VectorCodec.decode(u);
  if (isLeft(r)) return { ok: false, error: describeErrors(r.left) };
  return { ok: true, vector: r.right };
}

/**
 * The first validation error as "at $.path: message". Unions report the deepest error of their
 * alternatives, which is usually the one the author meant.
 */
export function describeErrors(errs: t.Errors): string {
  let best = errs[0];
  for (const e of errs) if (best === undefined || e.context.length > best.context.length) best = e;
  if (best === undefined) return 'invalid value';
  const last = best.context[best.context.length - 1];
  const got = JSON.stringify(best.value);
  const what = best.message ?? `expected ${last?.type.name ?? 'a value'}, got ${got === undefined ? 'nothing' : got.slice(0, 60)}`;
  return `at ${jsonPath(best)}: ${what}`;
}

/** The JSON path of an error, leaving out the entries io-ts adds for the alternatives of a union. */
export function jsonPath(e: t.ValidationError): string {
  let p = '$';
  for (let i = 1; i < e.context.length; i++) {
    if (e.context[i - 1]!.type instanceof t.UnionType) continue;
    const k = e.context[i]!.key;
    p += /^\d+$/.test(k) ? `[${k}]` : `.${k}`;
  }
  return p;
}

/** JSON text of a vector (or any JSON value): two-space indentation, short arrays and objects on one line. */
export function formatJson(v: unknown): string {
  const out = (x: unknown, ind: string): string => {
    const flat = JSON.stringify(x);
    if (flat === undefined) return 'null';
    if (typeof x !== 'object' || x === null || flat.length <= 100) return flat;
    const inner = ind + '  ';
    if (Array.isArray(x)) {
      // Arrays of primitives: wrap by width rather than one element per line.
      if (x.every((e) => typeof e !== 'object' || e === null)) {
        const lines: string[] = [];
        for (let i = 0; i < x.length; i += 8) lines.push(x.slice(i, i + 8).map((e) => JSON.stringify(e)).join(', '));
        return '[\n' + lines.map((l) => inner + l).join(',\n') + '\n' + ind + ']';
      }
      return '[\n' + x.map((e) => inner + out(e, inner)).join(',\n') + '\n' + ind + ']';
    }
    const entries = Object.entries(x as Record<string, unknown>).filter(([, e]) => e !== undefined);
    return '{\n' + entries.map(([k, e]) => `${inner}${JSON.stringify(k)}: ${out(e, inner)}`).join(',\n') + '\n' + ind + '}';
  };
  return out(v, '') + '\n';
}
