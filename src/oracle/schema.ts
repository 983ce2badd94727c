/**
 * The JSON Schema of a vector file (ORA-VEC-1), written to vectors/schema.json by
 * `popek vectors generate`. It states exactly what `VectorCodec` (src/formats/vector.ts) accepts;
 * properties/vectors.test.ts validates generated and hand-written samples with both and requires
 * that they agree. It uses a small subset of JSON Schema 2020-12: type, properties, required,
 * additionalProperties, items, prefixItems, minItems, maxItems, minimum, maximum, pattern, enum,
 * const, oneOf, $ref to $defs.
 */
import { BYTES_PATTERN, HEX32_PATTERN } from '../formats/arch-state.js';
import { ID_PATTERN, LINE_PATTERN, MAX_STEPS, RULE_PATTERN } from '../formats/vector.js';

const ref = (name: string) => ({ $ref: `#/$defs/${name}` });
const int = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum });
const obj = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required, additionalProperties: false });

const archProps = {
  pc: ref('hex32'),
  priv: ref('priv'),
  v: ref('v'),
  x: ref('registers'),
  csrs: ref('csrs'),
  mem: { type: 'array', items: ref('region') },
};

export const VECTOR_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/popek/popek/vectors/schema.json',
  title: 'popek test vector',
  description: 'One self-contained case: a partial platform config, an initial architectural state, a stop condition and the expected final state (spec/oracle.md, ORA-VEC-1).',
  ...obj({
    id: { type: 'string', pattern: ID_PATTERN },
    rules: { type: 'array', items: { type: 'string', pattern: RULE_PATTERN }, minItems: 1 },
    description: { type: 'string', pattern: LINE_PATTERN },
    config: ref('config'),
    htif: ref('htif'),
    initial: ref('archState'),
    stop: ref('stop'),
    expected: ref('expected'),
    commits: { type: 'array', items: ref('commit') },
  }, ['id', 'rules', 'description', 'config', 'initial', 'stop', 'expected']),
  $defs: {
    hex32: { type: 'string', pattern: HEX32_PATTERN },
    uint32: int(0, 0xffffffff),
    priv: { enum: ['M', 'S', 'U'] },
    v: { enum: [0, 1] },
    registers: {
      type: 'array', minItems: 32, maxItems: 32,
      prefixItems: [{ type: 'string', pattern: '^0x0{1,8}$' }],
      items: ref('hex32'),
    },
    csrs: { type: 'object', additionalProperties: ref('hex32') },
    region: obj({ addr: ref('hex32'), bytes: { type: 'string', pattern: BYTES_PATTERN } }, ['addr', 'bytes']),
    config: obj({
      isa: { type: 'string' },
      ramBase: ref('uint32'),
      ramSize: ref('uint32'),
      harts: int(1, 8),
      misaligned: { enum: ['perform', 'trap'] },
      adUpdate: { enum: ['hardware', 'fault'] },
      pmpEntries: int(0, 64),
      pmpGranularity: int(0, 30),
      ticksPerInstruction: int(1, 1_000_000),
      timebaseHz: ref('uint32'),
      devices: obj({ clint: ref('uint32'), plic: ref('uint32'), uart: ref('uint32'), finisher: ref('uint32') }, []),
    }, []),
    htif: obj({ tohost: ref('hex32'), fromhost: ref('hex32') }, ['tohost']),
    archState: obj(archProps, ['pc', 'priv', 'v', 'x', 'csrs', 'mem']),
    stop: {
      oneOf: [
        obj({ steps: int(0, MAX_STEPS) }, ['steps']),
        obj({ halt: { const: true }, maxSteps: int(1, MAX_STEPS) }, ['halt', 'maxSteps']),
      ],
    },
    halt: {
      oneOf: [
        { type: 'null' },
        obj({ reason: { const: 'exit' }, code: ref('uint32') }, ['reason', 'code']),
        obj({ reason: { const: 'reset' } }, ['reason']),
      ],
    },
    expected: obj({ ...archProps, out: { type: 'string' }, halt: ref('halt') }, ['pc', 'priv', 'v', 'x', 'csrs', 'mem']),
    commit: obj({
      priv: ref('priv'),
      pc: ref('hex32'),
      word: ref('hex32'),
      regs: { type: 'array', items: obj({ reg: int(1, 31), value: ref('hex32') }, ['reg', 'value']) },
      csrs: { type: 'array', items: obj({ csr: { type: 'string' }, value: ref('hex32') }, ['csr', 'value']) },
      mem: {
        type: 'array',
        items: obj({ op: { enum: ['r', 'w'] }, addr: ref('hex32'), size: { enum: [1, 2, 4] }, value: ref('hex32') }, ['op', 'addr', 'size', 'value']),
      },
      trap: { oneOf: [{ type: 'null' }, obj({ cause: ref('hex32'), tval: ref('hex32') }, ['cause', 'tval'])] },
    }, ['priv', 'pc', 'word', 'regs', 'csrs', 'mem', 'trap']),
  },
};
