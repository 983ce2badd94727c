/**
 * Test vectors (ORA-VEC-*): the format (io-ts codec and JSON Schema agree), the committed set is
 * exactly what the generator writes, the model passes every vector, and the stats report.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { VectorCodec } from '../src/formats/vector.js';
import { VECTOR_SCHEMA } from '../src/oracle/schema.js';
import { staleFiles, listFiles } from '../src/oracle/generate.js';
import { checkWithModel, loadVectorDir, loadVectorText } from '../src/oracle/check.js';
import { specRules, vectorStats, formatStats, MACHINE_CHAPTERS } from '../src/oracle/stats.js';
import { machineFromState, platformOf, stateOf } from '../src/oracle/state.js';
import { modelReply, vectorMachine } from '../src/oracle/vector-run.js';
import { decodeVector } from '../src/formats/vector.js';
import type { ArchState } from '../src/formats/arch-state.js';
import { validate, type Schema } from './support/json-schema.js';
import { runs } from './support/runs.js';

const ROOT = join(import.meta.dirname, '..');
const VECTORS = join(ROOT, 'vectors');
const schema = VECTOR_SCHEMA as unknown as Schema;
const committedSchema = JSON.parse(readFileSync(join(VECTORS, 'schema.json'), 'utf8')) as Schema;

const byCodec = (v: unknown): boolean => isRight(VectorCodec.decode(v));
const bySchema = (v: unknown): boolean => validate(committedSchema, v).length === 0;

// --- Arbitraries for the JSON form of vectors.
const hexDigits = (v: number, n: number, upper: boolean): string => {
  const s = v.toString(16).padStart(n, '0');
  return '0x' + (upper ? s.toUpperCase() : s);
};
const hex32 = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 8 }), fc.boolean())
  .map(([v, n, up]) => hexDigits(v, Math.max(n, v.toString(16).length), up));
const zero = fc.integer({ min: 1, max: 8 }).map((n) => '0x' + '0'.repeat(n));
const regs = fc.tuple(zero, fc.array(hex32, { minLength: 31, maxLength: 31 })).map(([z, r]) => [z, ...r]);
const bytes = fc.uint8Array({ minLength: 1, maxLength: 12 }).map((b) => Buffer.from(b).toString('hex'));
const region = fc.record({ addr: hex32, bytes });
const csrs = fc.dictionary(fc.constantFrom('mstatus', 'mepc', 'mscratch', 'satp', 'hstatus', 'vsatp', 'anything'), hex32, { maxKeys: 4 });
const priv = fc.constantFrom('M', 'S', 'U');
const virt = fc.constantFrom(0, 1);
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const config = fc.record({
  isa: fc.constantFrom('rv32ima_zicsr', 'rv32i_zicsr', 'rv32imah_zicsr_zifencei_zicntr', 'not an isa'),
  ramBase: u32, ramSize: u32, harts: fc.integer({ min: 1, max: 8 }),
  misaligned: fc.constantFrom('perform', 'trap'), adUpdate: fc.constantFrom('hardware', 'fault'),
  pmpEntries: fc.integer({ min: 0, max: 64 }), pmpGranularity: fc.integer({ min: 0, max: 30 }),
  ticksPerInstruction: fc.integer({ min: 1, max: 1_000_000 }), timebaseHz: u32,
  devices: fc.record({ clint: u32, plic: u32, uart: u32, finisher: u32 }, { requiredKeys: [] }),
}, { requiredKeys: [] });
const arch = fc.record({ pc: hex32, priv, v: virt, x: regs, csrs, mem: fc.array(region, { maxLength: 3 }) });
const htif = fc.record({ tohost: hex32, fromhost: hex32 }, { requiredKeys: ['tohost'] });
const halt = fc.oneof(fc.constant(null), fc.record({ reason: fc.constant('exit'), code: u32 }), fc.record({ reason: fc.constant('reset') }));
const expected = fc.record({
  pc: hex32, priv, v: virt, x: regs, csrs, mem: fc.array(region, { maxLength: 3 }), out: fc.string(), halt,
}, { requiredKeys: ['pc', 'priv', 'v', 'x', 'csrs', 'mem'] });
const commit = fc.record({
  priv, pc: hex32, word: hex32,
  regs: fc.array(fc.record({ reg: fc.integer({ min: 1, max: 31 }), value: hex32 }), { maxLength: 2 }),
  csrs: fc.array(fc.record({ csr: fc.constantFrom('mstatus', 'sstatus'), value: hex32 }), { maxLength: 2 }),
  mem: fc.array(fc.record({ op: fc.constantFrom('r', 'w'), addr: hex32, size: fc.constantFrom(1, 2, 4), value: hex32 }), { maxLength: 2 }),
  trap: fc.oneof(fc.constant(null), fc.record({ cause: hex32, tval: hex32 })),
});
const stop = fc.oneof(
  fc.record({ steps: fc.integer({ min: 0, max: 10_000_000 }) }),
  fc.record({ halt: fc.constant(true), maxSteps: fc.integer({ min: 1, max: 10_000_000 }) }),
);
const validVector = fc.record({
  id: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/),
  rules: fc.array(fc.constantFrom('ISA-M-DIV', 'DEV-UART-1', 'X-1'), { minLength: 1, maxLength: 3 }),
  description: fc.stringMatching(/^[^\n\r]{1,30}$/),
  config, htif, initial: arch, stop, expected, commits: fc.array(commit, { maxLength: 2 }),
}, { requiredKeys: ['id', 'rules', 'description', 'config', 'initial', 'stop', 'expected'] });

/** Every container path in a JSON value. */
function paths(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof v !== 'object' || v === null) return [];
  const kids = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  return [at, ...kids.flatMap(([k, x]) => paths(x, [...at, k]))];
}
type Mutation = { pick: number; kind: 'delete' | 'extra' | 'replace' | 'push' | 'pop'; value: unknown; key: string };
function mutate(v: unknown, m: Mutation): unknown {
  const copy = JSON.parse(JSON.stringify(v)) as unknown;
  const ps = paths(copy);
  const p = ps[m.pick % ps.length]!;
  let node = copy as Record<string | number, unknown>;
  for (const k of p) node = node[k] as Record<string | number, unknown>;
  if (Array.isArray(node)) {
    if (m.kind === 'push' || m.kind === 'extra') node.push(m.value);
    else if (m.kind === 'pop' || m.kind === 'delete') node.pop();
    else if (node.length > 0) node[m.pick % node.length] = m.value;
  } else {
    const keys = Object.keys(node);
    const k = keys[m.pick % Math.max(1, keys.length)];
    if (m.kind === 'extra' || m.kind === 'push' || k === undefined) node[m.key] = m.value;
    else if (m.kind === 'delete' || m.kind === 'pop') delete node[k];
    else node[k] = m.value;
  }
  return copy;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(), kind: fc.constantFrom('delete', 'extra', 'replace', 'push', 'pop'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), hex32, fc.constant('0xg'), fc.constant('0x123456789'), fc.integer(), fc.constant(null),
    fc.constantFrom(0, 1, 2, -1, 0.5, '1', true), fc.record({ tohost: hex32 }), fc.record({ tohost: hex32, fromhost: fc.constantFrom('0x0', 7) })),
  key: fc.constantFrom('extra', 'id', 'x', 'csrs', 'halt', 'out', 'steps', 'htif', 'tohost', 'fromhost', 'v'),
});

const minimal = (): Record<string, unknown> => JSON.parse(readFileSync(join(VECTORS, 'semantics', 'isa-m-div-001.json'), 'utf8')) as Record<string, unknown>;
const edit = (f: (v: Record<string, any>) => void): unknown => { const v = minimal(); f(v); return v; };
const committed = (rel: string): Record<string, any> => JSON.parse(readFileSync(join(VECTORS, rel), 'utf8')) as Record<string, any>;
/** A committed V = 1 vector on the H ISA, and a committed HTIF vector. */
const H_VECTOR = 'hypervisor/hv-csr-access-001.json', HTIF_VECTOR = 'devices/dev-htif-1-007.json';

describe('vector format', () => {
  it('ORA-VEC-1: the committed schema.json is the one the code describes', () => {
    // Falsified if vectors/schema.json was edited by hand or not regenerated.
    expect(committedSchema).toEqual(JSON.parse(JSON.stringify(schema)));
  });

  it('ORA-VEC-1: codec and JSON Schema accept every generated valid vector', () => {
    // Falsified if the schema is stricter or looser than the codec on well-formed vectors.
    fc.assert(fc.property(validVector, (v) => {
      const json = JSON.parse(JSON.stringify(v)) as unknown;
      expect(validate(committedSchema, json)).toEqual([]);
      expect(byCodec(json)).toBe(true);
    }), { numRuns: runs(300) });
  });

  it('ORA-VEC-1: codec and JSON Schema agree on mutated vectors (missing keys, extra keys, wrong values)', () => {
    // Falsified by any JSON value that one of the two accepts and the other rejects.
    let rejected = 0;
    fc.assert(fc.property(validVector, fc.array(mutation, { minLength: 1, maxLength: 3 }), (v, ms) => {
      const bad = ms.reduce<unknown>((acc, m) => mutate(acc, m), v);
      const c = byCodec(bad), s = bySchema(bad);
      if (!c) rejected++;
      expect({ codec: c, schema: s, value: bad }).toEqual({ codec: s, schema: s, value: bad });
    }), { numRuns: runs(600) });
    expect(rejected).toBeGreaterThan(100);
  });

  const corners: Array<[string, unknown, boolean]> = [
    ['a committed vector', minimal(), true],
    ['a committed V = 1 vector (H extension)', committed(H_VECTOR), true],
    ['a committed HTIF vector', committed(HTIF_VECTOR), true],
    ['uppercase, short hex', edit((v) => { v.initial.pc = '0X8'; }), false],
    ['short hex', edit((v) => { v.initial.pc = '0x8'; v.initial.x[0] = '0x0'; v.expected.x[5] = '0xABCDEF'; }), true],
    ['missing id', edit((v) => { delete v.id; }), false],
    ['missing expected.csrs', edit((v) => { delete v.expected.csrs; }), false],
    ['extra top-level key', edit((v) => { v.comment = 'hi'; }), false],
    ['extra key in initial', edit((v) => { v.initial.mip = '0x0'; }), false],
    ['extra key in config.devices', edit((v) => { v.config = { devices: { rtc: 1 } }; }), false],
    ['x as a string', edit((v) => { v.initial.x = '0x0'; }), false],
    ['x of length 31', edit((v) => { v.initial.x.pop(); }), false],
    ['x of length 33', edit((v) => { v.initial.x.push('0x0'); }), false],
    ['x[0] not zero', edit((v) => { v.initial.x[0] = '0x00000001'; }), false],
    ['a register as a number', edit((v) => { v.initial.x[3] = 3; }), false],
    ['bad hex digit', edit((v) => { v.initial.x[1] = '0x0000000g'; }), false],
    ['nine hex digits', edit((v) => { v.expected.pc = '0x800000000'; }), false],
    ['hex without digits', edit((v) => { v.expected.pc = '0x'; }), false],
    ['priv H', edit((v) => { v.initial.priv = 'H'; }), false],
    ['v = 1 (initial and expected)', edit((v) => { v.initial.v = 1; v.expected.v = 1; }), true],
    ['v = 2', edit((v) => { v.initial.v = 2; }), false],
    ['v = -1', edit((v) => { v.expected.v = -1; }), false],
    ['v as a string', edit((v) => { v.initial.v = '1'; }), false],
    ['v as a boolean', edit((v) => { v.expected.v = true; }), false],
    ['v missing in expected', edit((v) => { delete v.expected.v; }), false],
    ['htif with tohost and fromhost', edit((v) => { v.htif = { tohost: '0x80001000', fromhost: '0x80001008' }; }), true],
    ['htif with tohost only', edit((v) => { v.htif = { tohost: '0x80001000' }; }), true],
    ['htif without tohost', edit((v) => { v.htif = { fromhost: '0x80001008' }; }), false],
    ['htif empty', edit((v) => { v.htif = {}; }), false],
    ['htif with an extra key', edit((v) => { v.htif = { tohost: '0x80001000', device: '0x1' }; }), false],
    ['htif tohost as a number', edit((v) => { v.htif = { tohost: 2147487744 }; }), false],
    ['htif fromhost with nine hex digits', edit((v) => { v.htif = { tohost: '0x80001000', fromhost: '0x800010080' }; }), false],
    ['htif as an array', edit((v) => { v.htif = ['0x80001000']; }), false],
    ['htif null', edit((v) => { v.htif = null; }), false],
    ['htif inside initial', edit((v) => { v.initial.htif = { tohost: '0x80001000' }; }), false],
    ['no rules', edit((v) => { v.rules = []; }), false],
    ['lowercase rule', edit((v) => { v.rules = ['isa-m-div']; }), false],
    ['description with a newline', edit((v) => { v.description = 'a\nb'; }), false],
    ['empty description', edit((v) => { v.description = ''; }), false],
    ['id with a capital', edit((v) => { v.id = 'Vec-1'; }), false],
    ['odd number of hex digits in bytes', edit((v) => { v.initial.mem[0].bytes = 'abc'; }), false],
    ['empty bytes', edit((v) => { v.initial.mem[0].bytes = ''; }), false],
    ['negative steps', edit((v) => { v.stop = { steps: -1 }; }), false],
    ['fractional steps', edit((v) => { v.stop = { steps: 1.5 }; }), false],
    ['steps and halt together', edit((v) => { v.stop = { steps: 1, halt: true, maxSteps: 3 }; }), false],
    ['halt: false', edit((v) => { v.stop = { halt: false, maxSteps: 3 }; }), false],
    ['halt stop', edit((v) => { v.stop = { halt: true, maxSteps: 3 }; }), true],
    ['config harts 9', edit((v) => { v.config = { harts: 9 }; }), false],
    ['config unknown key', edit((v) => { v.config = { fast: true }; }), false],
    ['config misaligned bad enum', edit((v) => { v.config = { misaligned: 'emulate' }; }), false],
    ['config partial devices', edit((v) => { v.config = { devices: { uart: 0x10000000 } }; }), true],
    ['expected halt null', edit((v) => { v.expected.halt = null; }), true],
    ['expected halt exit without code', edit((v) => { v.expected.halt = { reason: 'exit' }; }), false],
    ['expected halt reset with a code', edit((v) => { v.expected.halt = { reason: 'reset', code: 1 }; }), false],
    ['expected out not a string', edit((v) => { v.expected.out = 5; }), false],
    ['commit writing x0', edit((v) => { v.commits[0].regs = [{ reg: 0, value: '0x1' }]; }), false],
    ['commit access size 3', edit((v) => { v.commits[0].mem = [{ op: 'r', addr: '0x0', size: 3, value: '0x0' }]; }), false],
    ['commit trap without tval', edit((v) => { v.commits[0].trap = { cause: '0x2' }; }), false],
    ['commits not an array', edit((v) => { v.commits = {}; }), false],
    ['csrs as an array', edit((v) => { v.initial.csrs = []; }), false],
    ['csr value as a number', edit((v) => { v.initial.csrs = { mstatus: 0 }; }), false],
    ['a vector that is an array', [], false],
    ['null', null, false],
  ];
  for (const [name, value, ok] of corners) {
    it(`ORA-VEC-1: ${name}: codec and schema both ${ok ? 'accept' : 'reject'}`, () => {
      // Falsified if the codec and the JSON Schema disagree, or both get this corner wrong.
      expect({ codec: byCodec(value), schema: bySchema(value) }).toEqual({ codec: ok, schema: ok });
    });
  }

  it('ORA-CHECK-4: a malformed vector is reported with the JSON path of the problem', () => {
    // Falsified by a crash or a message without the path.
    const bad = (v: unknown): string => { const l = loadVectorText('v.json', JSON.stringify(v)); return l.ok ? 'ok' : l.error; };
    expect(bad(edit((v) => { v.initial.x[7] = '0xzz'; }))).toMatch(/\$\.initial\.x\[7\]/);
    expect(bad(edit((v) => { v.initial.x.pop(); }))).toMatch(/\$\.initial\.x\b.*32 registers/);
    expect(bad(edit((v) => { v.expected.extra = 1; }))).toMatch(/\$\.expected\.extra.*unknown key/);
    expect(bad(edit((v) => { v.initial.csrs = { nosuch: '0x0' }; }))).toMatch(/\$\.initial\.csrs\.nosuch: not a CSR/);
    expect(bad(edit((v) => { v.initial.mem = [{ addr: '0x0', bytes: '00' }]; }))).toMatch(/\$\.initial\.mem\[0\].*not inside RAM/);
    expect(bad(edit((v) => { v.initial.csrs = { misa: '0x0' }; }))).toMatch(/\$\.initial\.csrs\.misa: .*cannot be set/);
    expect(bad(edit((v) => { v.config = { harts: 2 }; }))).toMatch(/\$\.config\.harts/);
    expect(bad(edit((v) => { v.config = { ramSize: 12345 }; }))).toMatch(/\$\.config.*ramSize/);
    // ORA-VEC-2: HTIF words inside RAM; V = 1 only with H and below M; H CSRs only with H.
    expect(bad(edit((v) => { v.htif = { tohost: '0x10000000' }; }))).toMatch(/\$\.htif\.tohost: .*not inside RAM/);
    expect(bad(edit((v) => { v.htif = { tohost: '0x80001000', fromhost: '0x87fffffc' }; }))).toMatch(/\$\.htif\.fromhost: .*not inside RAM/);
    expect(bad(edit((v) => { v.htif = { tohost: '0x80001000', fromhost: '0x87fffff8' }; }))).toBe('ok');
    expect(bad(edit((v) => { v.initial.v = 1; v.initial.priv = 'S'; }))).toMatch(/\$\.initial\.v: V = 1 needs the H extension/);
    const h = committed(H_VECTOR);
    expect(bad({ ...h, initial: { ...h.initial, priv: 'M' } })).toMatch(/\$\.initial\.v: V = 1 never goes with priv M/);
    expect(bad(edit((v) => { v.initial.csrs = { hstatus: '0x0' }; }))).toMatch(/\$\.initial\.csrs\.hstatus: not a CSR of this ISA/);
    expect(bad(edit((v) => { v.expected.csrs = { vsatp: '0x0' }; }))).toMatch(/\$\.expected\.csrs\.vsatp: not a CSR of this ISA/);
    expect(bad({ ...h, initial: { ...h.initial, csrs: { ...h.initial.csrs, hstatus: '0xffffffff' } } })).toMatch(/\$\.initial\.csrs\.hstatus: 0xffffffff cannot be set/);
    expect(bad(committed(H_VECTOR))).toBe('ok');
    expect(loadVectorText('v.json', '{"id": ').ok).toBe(false);
  });
});

describe('the committed vector set', () => {
  const loaded = loadVectorDir(VECTORS);
  const vectors = loaded.flatMap((l) => (l.ok ? [l.vector] : []));

  it('ORA-VEC-3: the committed files are exactly what `popek vectors generate` writes', () => {
    // Falsified if the generator is not deterministic, or a vector was edited or not regenerated
    // after a change to the model (then run `popek vectors generate` and review the diff).
    expect(staleFiles(VECTORS)).toEqual([]);
  });

  it('ORA-VEC-3: the set is a reasonable size, one vector per file, ids unique', () => {
    // Falsified if the set grows past the documented bounds or two files share an id.
    expect(loaded.filter((l) => !l.ok)).toEqual([]);
    expect(vectors.length).toBeGreaterThanOrEqual(300);
    expect(vectors.length).toBeLessThanOrEqual(1500);
    expect(new Set(vectors.map((v) => v.id)).size).toBe(vectors.length);
    const total = listFiles(VECTORS).reduce((n, f) => n + readFileSync(join(VECTORS, f)).length, 0);
    expect(total).toBeLessThan(5_000_000);
    for (const l of loaded) if (l.ok) expect(l.file.endsWith(`/${l.vector.id}.json`)).toBe(true);
  });

  it('ORA-VEC-2, ORA-CHECK-1: the model passes every committed vector', () => {
    // Falsified by any difference between the model's run and the vector's expectation.
    const failures = vectors.map((v) => [v.id, checkWithModel(v)] as const).filter(([, r]) => r.kind !== 'pass');
    expect(failures).toEqual([]);
  });

  it('ORA-VEC-2: a state round-trips through a machine: initial state in, the same state out', () => {
    // Falsified if building a machine from a state loses a register, a CSR or a memory byte.
    const p = platformOf({});
    if (isLeft(p)) throw new Error(p.left);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 31, maxLength: 31 }), fc.constantFrom<'M' | 'S' | 'U'>('M', 'S', 'U'),
      fc.integer({ min: 0, max: 0xffffffff }), fc.uint8Array({ minLength: 1, maxLength: 16 }), (xs, pv, scratch, bs) => {
        const st: ArchState = { pc: 0x80000040, priv: pv, v: 0, x: [0, ...xs], csrs: { mscratch: scratch, mepc: 0x80000100, mstatus: 0x1800 }, mem: [{ addr: 0x80002001, bytes: bs }] };
        const m = machineFromState(p.right, st);
        if (isLeft(m)) throw new Error(m.left);
        const out = stateOf(m.right, { csrs: Object.keys(st.csrs), mem: [{ addr: 0x80002001, len: bs.length }] });
        expect({ pc: out.pc, priv: out.priv, x: out.x, csrs: out.csrs, bytes: [...out.mem[0]!.bytes] })
          .toEqual({ pc: st.pc, priv: st.priv, x: st.x, csrs: st.csrs, bytes: [...bs] });
      }), { numRuns: runs(100) });
  });

  it('ORA-VEC-2: with the H extension, V and the hypervisor CSRs round-trip too, and CSRs are read as M-mode reads them', () => {
    // Falsified if V is lost or set before the CSRs (so a CSR reads back through the guest's view),
    // an H CSR is not set, or the final state reads time with V = 1's htimedelta.
    const p = platformOf({ isa: 'rv32imah_zicsr_zifencei_zicntr' });
    if (isLeft(p)) throw new Error(p.left);
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(fc.property(fc.constantFrom<[ArchState['priv'], 0 | 1]>(['M', 0], ['S', 0], ['U', 0], ['S', 1], ['U', 1]), u32, u32, u32, u32, u32,
      ([pv, v], hst, vsatp, hgatp, vsst, delta) => {
        const csrs = { hstatus: hst & 0x7003c0, vsatp, hgatp: (hgatp & 0x9ffffffc) >>> 0, vsstatus: vsst & 0xc0122, htimedelta: delta, mstatush: v === 1 ? 0x80 : 0 };
        const st: ArchState = { pc: 0x80000040, priv: pv, v, x: new Array<number>(32).fill(0), csrs, mem: [] };
        const m = machineFromState(p.right, st);
        if (isLeft(m)) throw new Error(m.left);
        expect(m.right.harts[0]!.v).toBe(v);
        const out = stateOf(m.right, { csrs: [...Object.keys(csrs), 'time'], mem: [] });
        expect({ priv: out.priv, v: out.v, csrs: out.csrs }).toEqual({ priv: pv, v, csrs: { ...csrs, time: 0 } });
      }), { numRuns: runs(100) });
  });

  it('ORA-VEC-2: `htif` names the tohost/fromhost words of the machine; without it the machine has no HTIF', () => {
    // Falsified if the htif field is ignored (the exit is not taken) or HTIF is active without it.
    const d = decodeVector(committed('devices/dev-htif-1-002.json'));
    if (!d.ok) throw new Error(d.error);
    const v = d.vector;
    expect(v.htif).toEqual({ tohost: 0x80001000, fromhost: 0x80001008 });
    const m = vectorMachine(v);
    if (isLeft(m)) throw new Error(m.left);
    expect({ tohost: m.right.htif.tohost, fromhost: m.right.htif.fromhost }).toEqual({ tohost: 0x80001000, fromhost: 0x80001008 });
    const withHtif = modelReply(v), without = modelReply({ ...v, htif: undefined });
    if (isLeft(withHtif) || isLeft(without)) throw new Error('model run failed');
    expect(withHtif.right.halt).toEqual({ reason: 'exit', code: 42 });
    expect(without.right.halt).toBeNull();
    const noFromhost = vectorMachine({ ...v, htif: { tohost: 0x80001000 } });
    if (isLeft(noFromhost)) throw new Error(noFromhost.left);
    expect(noFromhost.right.htif.fromhost).toBe(-1);
  });

  it('ORA-VEC-4: stats counts vectors per rule and chapter and names the rules without vectors', () => {
    // Falsified if a rule defined in spec/ but cited by no vector is not reported, or counts are wrong.
    const NEW = ['ISA', 'NEW', '1'].join('-'); // a rule no chapter defines (spelled so spec-coverage does not see it)
    const spec = mkdtempSync(join(tmpdir(), 'popek-spec-'));
    writeFileSync(join(spec, 'semantics.md'), `**ISA-M-DIV** x\n**${NEW}** not yet covered\n`);
    writeFileSync(join(spec, 'state.md'), '**STEP-PURE** not observable\n');
    writeFileSync(join(spec, 'elf.md'), '**ELF-1** not a machine chapter\n');
    const s = vectorStats(vectors, specRules(spec));
    expect(s.missing).toEqual([{ rule: NEW, chapter: 'semantics' }]);
    expect(s.notObservable.map((r) => r.rule)).toEqual(['STEP-PURE']);
    expect(s.perRule.get('ISA-M-DIV')).toBe(vectors.filter((v) => v.rules.includes('ISA-M-DIV')).length);
    expect(s.perChapter.get('semantics')).toEqual({ rules: 2, covered: 1, vectors: s.perRule.get('ISA-M-DIV') });
    expect(formatStats(s)).toContain(`${NEW} (semantics)`);
    // The real spec: every observable rule of the machine chapters that exist today has a vector,
    // the hypervisor chapters and HTIF included.
    const real = vectorStats(vectors, specRules(join(ROOT, 'spec')));
    expect(MACHINE_CHAPTERS).toEqual(expect.arrayContaining(['hypervisor', 'hypervisor-translation', 'devices']));
    expect(real.missing.filter((m) => MACHINE_CHAPTERS.includes(m.chapter))).toEqual([]);
    expect(real.notObservable.map((r) => r.rule).sort()).toEqual(['ISA-ASM-1', 'ISA-DEC-2', 'STATE-1', 'STEP-DET', 'STEP-PURE']);
    for (const ch of ['hypervisor', 'hypervisor-translation']) {
      const c = real.perChapter.get(ch)!;
      expect(c.rules).toBeGreaterThan(0);
      expect(c.covered, ch).toBe(c.rules);
    }
    for (const r of ['DEV-HTIF-1', 'DEV-HTIF-2']) expect(real.perRule.get(r) ?? 0, r).toBeGreaterThan(0);
  });

  it('ORA-VEC-4: `popek vectors stats` prints counts per chapter and per rule', () => {
    // Falsified if the command fails or omits the per-chapter table.
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'popek.mjs'), 'vectors', 'stats'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/per chapter/);
    expect(r.stdout).toMatch(/ISA-M-DIV +\d+/);
  });

  it('ORA-VEC-3: `popek vectors generate --out DIR` writes the same set', () => {
    // Falsified if the command and the library disagree, or --out is ignored.
    const dir = mkdtempSync(join(tmpdir(), 'popek-vec-'));
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'stale-001.json'), '{}');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'popek.mjs'), 'vectors', 'generate', '--out', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(listFiles(dir).sort()).toEqual(listFiles(VECTORS).filter((f) => f === 'schema.json' || f.includes('/')).sort());
    expect(readFileSync(join(dir, 'semantics', 'isa-m-div-001.json'), 'utf8')).toBe(readFileSync(join(VECTORS, 'semantics', 'isa-m-div-001.json'), 'utf8'));
  });
});
