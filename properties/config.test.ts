/**
 * Configuration (spec/state.md): CFG-1 (decodeConfig), CFG-ISA-1 (parseIsa and what the ISA
 * enables), CFG-MISALIGNED (the misaligned-access policy).
 *
 * The expected defaults are written out from QEMU's `virt` memory map, not read from DEFAULT_CONFIG.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeConfig, DEFAULT_CONFIG, type Config } from '../src/machine/config.js';
import { isaString, parseIsa } from '../src/machine/isa-string.js';
import { encode } from '../src/isa/encode.js';
import { disassemble } from '../src/isa/disasm.js';
import type { Inst, LoadOp, StoreOp } from '../src/isa/inst.js';
import { machineFromWords } from '../src/machine/program.js';
import type { Machine } from '../src/machine/machine.js';
import { step } from '../src/engines/reference.js';
import { readByte, withBytes } from '../src/memory/store.js';
import { runs } from './support/runs.js';

const BASE = 0x80000000;
const E = (i: Inst): number => encode(i);
const hex = (x: number): string => '0x' + (x >>> 0).toString(16);

/** QEMU `virt` for RV32, as spec/state.md CFG-1 and spec/devices.md describe it. */
const VIRT = {
  isa: 'rv32ima_zicsr_zifencei_zicntr',
  ramBase: 0x80000000,
  ramSize: 0x08000000,
  harts: 1,
  misaligned: 'perform',
  adUpdate: 'hardware',
  pmpEntries: 16,
  pmpGranularity: 0,
  ticksPerInstruction: 1,
  timebaseHz: 10_000_000,
  devices: { clint: 0x02000000, plic: 0x0c000000, uart: 0x10000000, finisher: 0x00100000 },
} as const;
const KEYS = Object.keys(VIRT);

/** An error that is one line and names `key`. */
function expectError(r: ReturnType<typeof decodeConfig>, key: string, input: unknown): void {
  const what = JSON.stringify(input);
  if (r.ok) throw new Error(`${what}: accepted, expected an error naming "${key}"`);
  expect(r.error, what).not.toMatch(/[\r\n]/);
  expect(r.error, what).toContain(key);
}

describe('CFG-1: decodeConfig', () => {
  it('CFG-1: an empty object gives the QEMU virt defaults', () => {
    // Falsified if any default differs from QEMU virt's memory map and settings.
    const r = decodeConfig({});
    expect(r).toEqual({ ok: true, config: VIRT });
    expect(DEFAULT_CONFIG).toEqual(VIRT);
  });

  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  const page = fc.integer({ min: 0, max: 0xfffff }).map((x) => x * 4096);
  const partial = fc.record({
    isa: fc.constantFrom('rv32i_zicsr', 'rv32ima_zicsr', 'rv32ima_zicsr_zifencei_zicntr'),
    ramBase: page,
    ramSize: page.filter((x) => x > 0),
    harts: fc.integer({ min: 1, max: 8 }),
    misaligned: fc.constantFrom('perform', 'trap'),
    adUpdate: fc.constantFrom('hardware', 'fault'),
    pmpEntries: fc.integer({ min: 0, max: 64 }),
    pmpGranularity: fc.integer({ min: 0, max: 30 }),
    ticksPerInstruction: fc.integer({ min: 1, max: 1_000_000 }),
    timebaseHz: u32,
    devices: fc.record({ clint: u32, plic: u32, uart: u32, finisher: u32 }, { requiredKeys: [] }),
  }, { requiredKeys: [] });

  it('CFG-1: any valid partial configuration decodes to the defaults overridden by exactly the given keys (devices merged per key)', () => {
    // Falsified if a given key is dropped or altered, a missing key does not default, or a partial
    // `devices` object replaces (rather than merges into) the default devices.
    fc.assert(fc.property(partial, (p) => {
      const r = decodeConfig(p);
      const want = { ...VIRT, ...p, devices: { ...VIRT.devices, ...(p.devices ?? {}) } };
      expect(r, JSON.stringify(p)).toEqual({ ok: true, config: want });
    }), { numRuns: runs(200) });
  });

  it('CFG-1: unknown top-level keys are one-line errors naming the key', () => {
    // Falsified if an unknown key is ignored (a typo like "hart" silently using defaults).
    const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,11}$/).filter((k) => !KEYS.includes(k) && !(k in {}));
    fc.assert(fc.property(partial, name, fc.jsonValue(), (p, k, v) => {
      const input = { ...p, [k]: v };
      expectError(decodeConfig(input), k, input);
    }), { numRuns: runs(150) });
  });

  it('CFG-1: unknown keys that happen to be Object.prototype member names are errors too', () => {
    // Regression test (CFG-1), for a bug it found and that is fixed: src/machine/config.ts tests `k in DEFAULT_CONFIG`, which is
    // true for inherited names ("constructor", "toString", "__proto__", ...), so these keys are
    // silently ignored. Falsified if such a key is accepted.
    for (const text of ['{"constructor": 1}', '{"toString": "x"}', '{"__proto__": {"harts": 2}}', '{"hasOwnProperty": 0}']) {
      const input = JSON.parse(text) as unknown;
      expectError(decodeConfig(input), Object.keys(input as object)[0]!, text);
    }
  });

  it('CFG-1: unknown keys inside "devices" are errors naming the key', () => {
    // Regression test (CFG-1), for a bug it found and that is fixed: `devices` is decoded with t.strict, which strips unknown
    // properties instead of rejecting them, and the unknown-key check looks at top-level keys
    // only, so {"devices": {"uart0": ...}} (a typo) is accepted and the UART stays at its default.
    for (const input of [{ devices: { uart0: 0x10001000 } }, { devices: { clint: 0x2000000, rtc: 0x101000 } }]) {
      const k = Object.keys(input.devices).find((x) => !(x in VIRT.devices))!;
      expectError(decodeConfig(input), k, input);
    }
  });

  it('CFG-1: values of the wrong type are one-line errors naming the key', () => {
    // Falsified if a mistyped value is coerced, defaulted or accepted, or the error does not say
    // which key is wrong.
    const rows: Array<[string, Record<string, unknown>]> = [
      ['isa', { isa: 5 }], ['ramBase', { ramBase: '0x80000000' }], ['ramSize', { ramSize: null }],
      ['harts', { harts: '2' }], ['misaligned', { misaligned: true }], ['adUpdate', { adUpdate: 1 }],
      ['pmpEntries', { pmpEntries: [16] }], ['pmpGranularity', { pmpGranularity: {} }],
      ['ticksPerInstruction', { ticksPerInstruction: '1' }], ['timebaseHz', { timebaseHz: false }],
      ['devices', { devices: 5 }], ['devices', { devices: 'virt' }], ['devices.uart', { devices: { uart: '0x10000000' } }],
      ['devices.clint', { devices: { clint: null } }],
    ];
    for (const [key, input] of rows) expectError(decodeConfig(input), key, input);
  });

  it('CFG-1: "devices" given as null or an array is a type error naming devices', () => {
    // Regression test (CFG-1), for a bug it found and that is fixed: decodeConfig replaces a null `devices` by the defaults
    // (`devs ?? DEFAULT_CONFIG.devices`) and spreads an array into the defaults, so both wrong
    // types are accepted. Falsified if either is accepted.
    for (const input of [{ devices: null }, { devices: [] }, { devices: [1, 2, 3, 4] }]) expectError(decodeConfig(input), 'devices', input);
  });

  it('CFG-1: out-of-range values are one-line errors naming the key', () => {
    // Ranges from spec/state.md CFG-1 and the comments of the config fields: harts 1..8,
    // pmpEntries 0..64, pmpGranularity 0..30, ticksPerInstruction 1..1e6, uint32 addresses, RAM
    // 4 KiB aligned and a non-zero multiple of 4 KiB. Falsified if any of these is accepted.
    const rows: Array<[string, Record<string, unknown>]> = [
      ['harts', { harts: 0 }], ['harts', { harts: 9 }], ['harts', { harts: 1.5 }], ['harts', { harts: -1 }],
      ['pmpEntries', { pmpEntries: -1 }], ['pmpEntries', { pmpEntries: 65 }],
      ['pmpGranularity', { pmpGranularity: 31 }], ['pmpGranularity', { pmpGranularity: -1 }],
      ['ticksPerInstruction', { ticksPerInstruction: 0 }], ['ticksPerInstruction', { ticksPerInstruction: 1_000_001 }],
      ['ramSize', { ramSize: 0 }], ['ramSize', { ramSize: 4097 }], ['ramSize', { ramSize: 2 ** 32 }],
      ['ramBase', { ramBase: 0x80000800 }], ['ramBase', { ramBase: -4096 }], ['ramBase', { ramBase: 2 ** 32 }],
      ['timebaseHz', { timebaseHz: -1 }], ['timebaseHz', { timebaseHz: 2 ** 32 }], ['timebaseHz', { timebaseHz: 0.5 }],
      ['devices.clint', { devices: { clint: -1 } }], ['devices.finisher', { devices: { finisher: 2 ** 32 } }],
      ['misaligned', { misaligned: 'sometimes' }], ['adUpdate', { adUpdate: 'software' }],
    ];
    for (const [key, input] of rows) expectError(decodeConfig(input), key, input);
  });

  it('CFG-1: a configuration that is not a JSON object is a one-line error', () => {
    // Falsified if decodeConfig throws or accepts a non-object.
    for (const input of [null, [], 5, 'rv32ima', true, [{}]]) {
      const r = decodeConfig(input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) expect(r.error).not.toMatch(/[\r\n]/);
    }
  });
});

describe('CFG-ISA-1: ISA strings', () => {
  it('CFG-ISA-1: isaString gives a string that parses back to the same extensions, for every supported set', () => {
    // Falsified if the formatter (used to build VMM hosts) drops, adds or misspells an extension.
    for (let bits = 0; bits < 32; bits++) {
      const set = { m: (bits & 1) !== 0, a: (bits & 2) !== 0, h: (bits & 4) !== 0, zicsr: true, zifencei: (bits & 8) !== 0, zicntr: (bits & 16) !== 0 };
      const r = parseIsa(isaString({ ...set, misa: 0 }));
      expect(r.ok, isaString({ ...set, misa: 0 })).toBe(true);
      if (r.ok) expect({ ...r.isa, misa: 0 }).toEqual({ ...set, misa: 0 });
    }
  });

  const bit = (c: string): number => 1 << (c.charCodeAt(0) - 97);
  const misaOf = (m: boolean, a: boolean): number =>
    (0x40000000 | bit('i') | bit('s') | bit('u') | (m ? bit('m') : 0) | (a ? bit('a') : 0)) >>> 0;

  it('CFG-ISA-1: rv32 + i + {m, a} + _-separated {zicsr (required), zifencei, zicntr} parses, case-insensitively, to exactly those extensions', () => {
    // misa per PRIV-CSR-MISA: MXL = 1 (bit 30), I, S, U, plus M and A when present.
    // Falsified if an extension is dropped/added, the order of multi-letter ones matters, or misa is wrong.
    const multi = fc.subarray(['zifencei', 'zicntr']).chain((xs) => fc.shuffledSubarray(['zicsr', ...xs], { minLength: xs.length + 1, maxLength: xs.length + 1 }));
    fc.assert(fc.property(fc.boolean(), fc.boolean(), multi, fc.boolean(), (m, a, ms, upper) => {
      let s = `rv32i${m ? 'm' : ''}${a ? 'a' : ''}${ms.map((x) => `_${x}`).join('')}`;
      if (upper) s = s.toUpperCase();
      const r = parseIsa(s);
      expect(r, s).toEqual({ ok: true, isa: { m, a, h: false, zicsr: true, zifencei: ms.includes('zifencei'), zicntr: ms.includes('zicntr'), misa: misaOf(m, a) } });
    }), { numRuns: runs(60) });
    expect(parseIsa('rv32i_zicsr')).toMatchObject({ ok: true, isa: { misa: 0x40140100 } });
    expect(parseIsa('rv32ima_zicsr')).toMatchObject({ ok: true, isa: { misa: 0x40141101 } });
    // H (hypervisor chapter): misa bit 7.
    expect(parseIsa('rv32imah_zicsr_zifencei_zicntr')).toMatchObject({ ok: true, isa: { h: true, misa: 0x40141181 } });
  });

  it('CFG-ISA-1: misa as read by csrr equals the parsed value', () => {
    // Falsified if the machine reports a different misa than the ISA string implies.
    for (const [isa, want] of [['rv32i_zicsr', 0x40140100], ['rv32ima_zicsr', 0x40141101], ['rv32im_zicsr_zicntr', 0x40141100]] as const) {
      const h = step(machineFromWords([E({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x301 })], {}, { ...DEFAULT_CONFIG, isa })).harts[0]!;
      expect(h.x[5]! >>> 0, isa).toBe(want);
    }
  });

  it('CFG-ISA-1: rv64/rv128 and unimplemented single-letter extensions are errors naming them', () => {
    // Falsified if such a string is accepted (the extension silently ignored) or the message does
    // not name what is unsupported.
    expect(parseIsa('rv64i_zicsr')).toMatchObject({ ok: false, error: expect.stringMatching(/\bRV64\b/) });
    expect(parseIsa('rv128i_zicsr')).toMatchObject({ ok: false, error: expect.stringMatching(/\bRV128\b/) });
    for (const l of ['f', 'd', 'q', 'c', 'v', 'b', 'p', 'j', 'l', 'n', 'e', 'g']) {
      for (const s of [`rv32i${l}_zicsr`, `rv32ima${l}_zicsr_zifencei`]) {
        const r = parseIsa(s);
        if (r.ok) throw new Error(`${s} accepted`);
        expect(r.error, s).toMatch(new RegExp(`\\b(RV32)?${l.toUpperCase()}\\b`));
      }
    }
  });

  it('CFG-ISA-1: the E and G bases (rv32e…, rv32g…) are errors naming E / G', () => {
    // Regression test (CFG-ISA-1), for a bug it found and that is fixed: src/machine/isa-string.ts rejects a base other than I with
    // "the base must be I (e.g. rv32i...)", which does not name the extension (E, or G = IMAFD +
    // Zicsr + Zifencei), although its LETTERS table has names for both. The spec says "any other
    // extension is an error naming it". Falsified if the message does not name E / G.
    for (const [s, name] of [['rv32e_zicsr', 'E'], ['rv32em_zicsr', 'E'], ['rv32g', 'G'], ['rv32gc_zicsr', 'G']] as const) {
      const r = parseIsa(s);
      if (r.ok) throw new Error(`${s} accepted`);
      expect(r.error, s).toMatch(new RegExp(`\\b(RV32)?${name}\\b`));
    }
  });

  it('CFG-ISA-1: unknown multi-letter extensions are errors naming them', () => {
    // Falsified if an unimplemented Z/S/X extension is ignored.
    for (const ext of ['zba', 'zbb', 'zicbom', 'zihintpause', 'zmmul', 'zfinx', 'svpbmt', 'sstc', 'xfoo', 'zicsrx']) {
      const s = `rv32ima_zicsr_${ext}`;
      const r = parseIsa(s);
      if (r.ok) throw new Error(`${s} accepted`);
      expect(r.error, s).toMatch(new RegExp(`\\b${ext}\\b`));
    }
  });

  it('CFG-ISA-1: zicsr is required', () => {
    // Falsified if an ISA without Zicsr is accepted (the privileged architecture needs it).
    for (const s of ['rv32i', 'rv32ima', 'rv32ima_zifencei_zicntr']) {
      expect(parseIsa(s), s).toMatchObject({ ok: false, error: expect.stringContaining('zicsr') });
    }
  });

  it('CFG-ISA-1: instructions of extensions not enabled are illegal, and so are the Zicntr counters without zicntr', () => {
    // On rv32i_zicsr: M and A instructions and FENCE.I raise illegal instruction (ISA-DEC-3), and
    // cycle/time/instret (and their high halves) are illegal CSRs; mcycle/minstret stay legal.
    // With the full default ISA all of them retire. Falsified by any mismatch.
    const csrr = (csr: number): Inst => ({ op: 'csrrs', rd: 5, rs1: 0, csr });
    const rows: Array<[Inst, 'm' | 'a' | 'zifencei' | 'zicntr' | null]> = [
      [{ op: 'mul', rd: 5, rs1: 1, rs2: 1 }, 'm'], [{ op: 'divu', rd: 5, rs1: 1, rs2: 1 }, 'm'], [{ op: 'mulhsu', rd: 5, rs1: 1, rs2: 1 }, 'm'],
      [{ op: 'lr.w', rd: 5, rs1: 2, aq: 0, rl: 0 }, 'a'], [{ op: 'sc.w', rd: 5, rs1: 2, rs2: 1, aq: 0, rl: 0 }, 'a'],
      [{ op: 'amomaxu.w', rd: 5, rs1: 2, rs2: 1, aq: 1, rl: 1 }, 'a'],
      [{ op: 'fence.i', rd: 0, rs1: 0, imm: 0 }, 'zifencei'],
      ...[0xc00, 0xc01, 0xc02, 0xc80, 0xc81, 0xc82].map((c): [Inst, 'zicntr'] => [csrr(c), 'zicntr']),
      [csrr(0xb00), null], [csrr(0xb02), null], [csrr(0xb80), null], [{ op: 'fence', fm: 0, pred: 15, succ: 15, rd: 0, rs1: 0 }, null],
    ];
    for (const isa of ['rv32i_zicsr', 'rv32im_zicsr', 'rv32ia_zicsr_zifencei', 'rv32i_zicsr_zicntr', 'rv32ima_zicsr_zifencei_zicntr']) {
      const p = parseIsa(isa);
      if (!p.ok) throw new Error(p.error);
      for (const [i, ext] of rows) {
        const enabled = ext === null || p.isa[ext];
        const w = E(i);
        const h = step(machineFromWords([w], { 1: 3, 2: BASE + 0x1000 }, { ...DEFAULT_CONFIG, isa })).harts[0]!;
        const what = `${disassemble(i, BASE)} on ${isa}`;
        if (enabled) expect([h.csr.mcause, h.pc], what).toEqual([0, BASE + 4]);
        else expect([h.csr.mcause, h.csr.mtval], what).toEqual([2, w]);
      }
    }
  });
});

describe('CFG-MISALIGNED: the misaligned-access policy', () => {
  const DATA = 0x80002000;
  const LOADS: Record<'lh' | 'lhu' | 'lw', [2 | 4, boolean]> = { lh: [2, true], lhu: [2, false], lw: [4, true] };
  const STORES: Record<'sh' | 'sw', 2 | 4> = { sh: 2, sw: 4 };
  const loadValue = (bs: readonly number[], signed: boolean): number => {
    const v = bs.reduceRight((acc, b) => acc * 256 + b, 0);
    const bits = 8 * bs.length;
    return signed && bits < 32 && v >= 2 ** (bits - 1) ? (v - 2 ** bits) | 0 : v | 0;
  };
  const withData = (m: Machine, a: number, b: Uint8Array): Machine => ({ ...m, mem: withBytes(m.mem, a, b) });
  // Misaligned offsets within the data area, including ones that cross a page (0x...fff).
  const offset = fc.oneof(fc.integer({ min: 0, max: 0x1ff0 }), fc.constantFrom(0xffd, 0xffe, 0xfff, 0x1fff - 2)).map((o) => o);
  const cfgOf = (misaligned: 'perform' | 'trap'): Config => ({ ...DEFAULT_CONFIG, misaligned });

  it('CFG-MISALIGNED: "perform" performs misaligned loads and stores; "trap" raises 4 / 6 with tval = the address and changes nothing', () => {
    // Falsified if "perform" traps or gets the bytes wrong, if "trap" performs the access, writes
    // rd or memory, or reports another cause/tval, or if an aligned access is affected by the policy.
    const op = fc.constantFrom<LoadOp | StoreOp>('lh', 'lhu', 'lw', 'sh', 'sw');
    fc.assert(fc.property(fc.constantFrom('perform' as const, 'trap' as const), op, offset, fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 0xffffffff }), (policy, o, off, win, v) => {
      const isLoad = o in LOADS;
      const size = isLoad ? LOADS[o as keyof typeof LOADS][0] : STORES[o as keyof typeof STORES];
      const ea = DATA + off;
      const i: Inst = isLoad ? { op: o as LoadOp, rd: 5, rs1: 6, imm: 0 } : { op: o as StoreOp, rs1: 6, rs2: 7, imm: 0 };
      const m0 = withData(machineFromWords([E(i)], { 5: 0x5555, 6: ea | 0, 7: v | 0 }, cfgOf(policy)), ea - 2, win);
      const m1 = step(m0);
      const h = m1.harts[0]!;
      const what = `${disassemble(i, BASE)} at ${hex(ea)} under "${policy}"`;
      const mis = ea % size !== 0;
      if (policy === 'trap' && mis) {
        expect([h.csr.mcause, h.csr.mtval, h.x[5]], what).toEqual([isLoad ? 4 : 6, ea >>> 0, 0x5555]);
        for (let k = -2; k < 6; k++) expect(readByte(m1.mem, ea + k), what).toBe(win[k + 2]!);
        return;
      }
      expect(h.csr.mcause, what).toBe(0);
      if (isLoad) expect(h.x[5], what).toBe(loadValue(Array.from(win.subarray(2, 2 + size)), LOADS[o as keyof typeof LOADS][1]));
      else for (let k = -2; k < 6; k++) expect(readByte(m1.mem, ea + k), what).toBe(k >= 0 && k < size ? (v >>> (8 * k)) & 0xff : win[k + 2]!);
    }), { numRuns: runs(300) });
  });

  it('CFG-MISALIGNED: misaligned LR raises 4, misaligned SC and AMOs raise 6, under both policies, with tval = the address', () => {
    // Falsified if an atomic is performed misaligned (even under "perform"), or SC without a
    // reservation quietly fails instead of trapping, or the cause/tval differ.
    const atom = fc.constantFrom<Inst['op']>('lr.w', 'sc.w', 'amoswap.w', 'amoadd.w', 'amoxor.w', 'amoand.w', 'amoor.w', 'amomin.w', 'amomax.w', 'amominu.w', 'amomaxu.w');
    fc.assert(fc.property(fc.constantFrom('perform' as const, 'trap' as const), atom, fc.integer({ min: 0, max: 0x7ff }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (policy, op, w, mis, reserve) => {
      const ea = DATA + 4 * w + mis;
      const i = (op === 'lr.w' ? { op, rd: 5, rs1: 6, aq: 0, rl: 0 } : { op, rd: 5, rs1: 6, rs2: 7, aq: 0, rl: 0 }) as Inst;
      const m0 = withData(machineFromWords([E(i)], { 5: 0x5555, 6: ea | 0, 7: -1 }, cfgOf(policy)), DATA + 4 * w, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
      if (reserve) m0.harts[0]!.reservation = DATA + 4 * w; // even with a reservation on the aligned word
      const m1 = step(m0);
      const h = m1.harts[0]!;
      const what = `${disassemble(i, BASE)} at ${hex(ea)} under "${policy}"`;
      expect([h.csr.mcause, h.csr.mtval, h.x[5]], what).toEqual([op === 'lr.w' ? 4 : 6, ea >>> 0, 0x5555]);
      for (let k = 0; k < 8; k++) expect(readByte(m1.mem, DATA + 4 * w + k), what).toBe(k + 1);
    }), { numRuns: runs(150) });
  });
});
