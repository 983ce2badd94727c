/**
 * Architectural state as JSON (ORA-VEC-*): what test vectors, `popek vectors check --impl` replies
 * and the co-simulation protocol exchange. 32-bit values are hex strings ("0x1234abcd"); objects
 * are closed (an unknown key is an error, as in vectors/schema.json, which must agree with these
 * codecs exactly: properties/vectors.test.ts checks that).
 *
 * Decoding yields plain numbers (unsigned 32-bit); encoding prints 8 lowercase hex digits.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { CommitRecord } from '../machine/commit-record.js';
import { csrName } from '../hart/csrs.js';

/** The pattern of a 32-bit hex value: 0x and 1 to 8 hex digits (either case). */
export const HEX32_PATTERN = '^0x[0-9a-fA-F]{1,8}$';
const HEX32_RE = new RegExp(HEX32_PATTERN);
/** The pattern of a byte string: an even, non-zero number of hex digits. */
export const BYTES_PATTERN = '^([0-9a-fA-F]{2})+$';
const BYTES_RE = new RegExp(BYTES_PATTERN);

/** `0x` + 8 lowercase hex digits. */
export const hex32 = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

/** A 32-bit value written as a hex string; decodes to an unsigned number. */
export const Hex32 = new t.Type<number, string, unknown>(
  'hex32 ("0x" + 1..8 hex digits)',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 0xffffffff,
  (u, c) => (typeof u === 'string' && HEX32_RE.test(u) ? t.success(parseInt(u.slice(2), 16) >>> 0) : t.failure(u, c)),
  hex32,
);

/** Bytes as a hex string ("0a1b..."); decodes to a Uint8Array. */
export const HexBytes = new t.Type<Uint8Array, string, unknown>(
  'hex bytes (pairs of hex digits)',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => (typeof u === 'string' && BYTES_RE.test(u) ? t.success(Uint8Array.from(Buffer.from(u, 'hex'))) : t.failure(u, c)),
  (b) => Buffer.from(b).toString('hex'),
);

/** An integer in [lo, hi]. */
export const intRange = (lo: number, hi: number, name = `integer ${lo}..${hi}`) => new t.Type<number, number, unknown>(
  name,
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= lo && u <= hi,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= lo && u <= hi ? t.success(u) : t.failure(u, c)),
  (a) => a,
);

/** A string matching `re` (the same regular expression the JSON Schema uses). */
export const patterned = (pattern: string, name: string) => {
  const re = new RegExp(pattern);
  return new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && re.test(u),
    (u, c) => (typeof u === 'string' && re.test(u) ? t.success(u) : t.failure(u, c)),
    (a) => a,
  );
};

/**
 * A closed object: required and optional properties, and no other keys (JSON Schema
 * `additionalProperties: false`). io-ts's `exact` strips unknown keys; this one rejects them.
 */
export function closed<R extends t.Props, O extends t.Props = {}>(name: string, required: R, optional?: O) {
  const req = t.type(required);
  const opt = t.partial(optional ?? ({} as O));
  type A = t.TypeOf<t.TypeC<R>> & Partial<t.TypeOf<t.PartialC<O>>>;
  type Out = t.OutputOf<t.TypeC<R>> & Partial<t.OutputOf<t.PartialC<O>>>;
  const keys = new Set([...Object.keys(required), ...Object.keys(optional ?? {})]);
  const dropUndefined = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return new t.Type<A, Out, unknown>(
    name,
    (u): u is A => req.is(u) && opt.is(u) && Object.keys(u as object).every((k) => keys.has(k)),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'expected an object');
      const o = u as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (!keys.has(k)) return t.failure(o[k], t.appendContext(c, k, t.never, o[k]), `unknown key "${k}"`);
      }
      // Required and optional members are validated separately (not as an io-ts intersection), so
      // error paths name only real keys.
      const r1 = req.validate(u, c);
      if (isLeft(r1)) return r1;
      const r2 = opt.validate(u, c);
      if (isLeft(r2)) return r2;
      // (io-ts copies every input key into each result; keep each member's own keys only.)
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(required)) out[k] = (r1.right as Record<string, unknown>)[k];
      for (const k of Object.keys(optional ?? {})) out[k] = (r2.right as Record<string, unknown>)[k];
      return t.success(dropUndefined(out) as A);
    },
    (a) => {
      const all: t.Props = { ...required, ...(optional ?? {}) };
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(a as Record<string, unknown>)) if (v !== undefined && all[k] !== undefined) out[k] = all[k]!.encode(v);
      return out as Out;
    },
  );
}

/** An array with at least one element. */
export const nonEmpty = <C extends t.Mixed>(item: C) => {
  const arr = t.array(item);
  return new t.Type<Array<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown>(
    `non-empty array of ${item.name}`,
    (u): u is Array<t.TypeOf<C>> => arr.is(u) && u.length > 0,
    (u, c) => (Array.isArray(u) && u.length === 0 ? t.failure(u, c, 'expected at least one element') : arr.validate(u, c)),
    (a) => arr.encode(a),
  );
};

/** A fixed-length array whose first element must satisfy `first` and the rest `rest`. */
const registerFile = new t.Type<number[], string[], unknown>(
  'x (32 hex32 values, x[0] = "0x0")',
  (u): u is number[] => Array.isArray(u) && u.length === 32 && u.every((v) => Hex32.is(v)) && u[0] === 0,
  (u, c) => {
    if (!Array.isArray(u)) return t.failure(u, c, 'expected an array of 32 hex32 values');
    if (u.length !== 32) return t.failure(u, c, `expected 32 registers, got ${u.length}`);
    const out: number[] = [];
    for (let i = 0; i < 32; i++) {
      const r = Hex32.validate(u[i], t.appendContext(c, String(i), Hex32, u[i]));
      if (isLeft(r)) return r;
      out.push(r.right);
    }
    if (out[0] !== 0) return t.failure(u[0], t.appendContext(c, '0', Hex32, u[0]), 'x[0] must be 0');
    return t.success(out);
  },
  (a) => a.map(hex32),
);
export const RegisterFile = registerFile;

export const PrivCodec = t.keyof({ M: null, S: null, U: null }, 'priv ("M" | "S" | "U")');
export type PrivName = t.TypeOf<typeof PrivCodec>;
export const privNumber = (p: PrivName): 0 | 1 | 3 => (p === 'M' ? 3 : p === 'S' ? 1 : 0);
export const privName = (n: number): PrivName => (n === 3 ? 'M' : n === 1 ? 'S' : 'U');

export const MemRegion = closed('mem region', { addr: Hex32, bytes: HexBytes });
export type MemRegion = t.TypeOf<typeof MemRegion>;

export const CsrValues = t.record(t.string, Hex32, 'csrs (name → hex32)');

/** The virtualization mode V (H extension): 0, or 1 in VS- and VU-mode. */
export const VirtCodec = t.union([t.literal(0), t.literal(1)], 'v (0 | 1)');
export type Virt = t.TypeOf<typeof VirtCodec>;

/**
 * ORA-VEC-1: the architectural state of one hart plus memory regions. `v` is the virtualization
 * mode (1 only with the H extension and a privilege below M; ORA-VEC-2 checks that).
 */
export const ArchStateCodec = closed('arch state', {
  pc: Hex32,
  priv: PrivCodec,
  v: VirtCodec,
  x: registerFile,
  csrs: CsrValues,
  mem: t.array(MemRegion),
});
export type ArchState = t.TypeOf<typeof ArchStateCodec>;

/** How a run ended: an exit code, a reset request, or (null) not halted. */
export const HaltCodec = t.union([
  t.null,
  closed('exit', { reason: t.literal('exit'), code: intRange(0, 0xffffffff, 'uint32') }),
  closed('reset', { reason: t.literal('reset') }),
], 'halt');
export type HaltJson = t.TypeOf<typeof HaltCodec>;

/** ORA-VEC-1: one commit record as JSON (LOG-REC-1), single-hart. */
export const CommitJsonCodec = closed('commit', {
  priv: PrivCodec,
  pc: Hex32,
  word: Hex32,
  regs: t.array(closed('reg write', { reg: intRange(1, 31), value: Hex32 })),
  csrs: t.array(closed('csr write', { csr: t.string, value: Hex32 })),
  mem: t.array(closed('mem access', { op: t.keyof({ r: null, w: null }), addr: Hex32, size: t.union([t.literal(1), t.literal(2), t.literal(4)]), value: Hex32 })),
  trap: t.union([t.null, closed('trap', { cause: Hex32, tval: Hex32 })]),
});
export type CommitJson = t.TypeOf<typeof CommitJsonCodec>;

/** A commit record in its JSON form (decoded values: plain numbers). */
export const commitJson = (r: CommitRecord): CommitJson => ({
  priv: privName(r.priv),
  pc: r.pc >>> 0,
  word: r.word >>> 0,
  regs: r.regs.map(([reg, value]) => ({ reg, value: value >>> 0 })),
  csrs: r.csrs.map(([n, value]) => ({ csr: csrName(n) ?? `0x${n.toString(16)}`, value: value >>> 0 })),
  mem: r.mem.map((m) => ({ op: m.op, addr: m.addr >>> 0, size: m.size as 1 | 2 | 4, value: m.value >>> 0 })),
  trap: r.trap === null ? null : { cause: r.trap.cause >>> 0, tval: r.trap.tval >>> 0 },
});

/**
 * ORA-CHECK-1: the final state an implementation reports: pc, priv and x are required; `v`,
 * `csrs`, `mem`, `out`, `halt` and `commits` are compared when present in the vector's
 * expectation (a missing one is reported as missing).
 */
export const FinalStateCodec = closed('final state', {
  pc: Hex32,
  priv: PrivCodec,
  x: registerFile,
}, {
  v: VirtCodec,
  csrs: CsrValues,
  mem: t.array(MemRegion),
  out: t.string,
  halt: HaltCodec,
  commits: t.array(CommitJsonCodec),
});
export type FinalState = t.TypeOf<typeof FinalStateCodec>;
