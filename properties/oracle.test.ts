/**
 * popek as an oracle (ORA-CHECK-*, ORA-COSIM-*, ORA-LOG-*): checking other implementations against
 * the vectors, co-simulation through the library and over stdio, and commit-log checking.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { loadVectorDir, ruleFilter } from '../src/oracle/check.js';
import { compareFinal, modelReply } from '../src/oracle/vector-run.js';
import { createOracle, IRQ_LINES } from '../src/oracle/cosim.js';
import { boot } from '../src/machine/boot.js';
import { run } from '../src/engines/reference.js';
import type { CommitRecord } from '../src/machine/commit-record.js';
import type { ArchState } from '../src/formats/arch-state.js';
import { wordsToBytes } from '../src/machine/program.js';
import { ld, lr, sc, st, ri, NOP, A0, A1, A2, T0 } from '../src/oracle/asm.js';
import { parseLog, parseLogLine } from '../src/oracle/check-log.js';

const ROOT = join(import.meta.dirname, '..');
const popek = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'popek.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, input, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const tmp = mkdtempSync(join(tmpdir(), 'popek-oracle-'));
const lastLine = (s: string): string => s.trimEnd().split('\n').pop() ?? '';

/** The Python interpreter (resolved once, so a version-manager shim is not paid per vector), or null. */
const python: string | null = (() => {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : null;
})();

describe('popek vectors check --impl', () => {
  it.skipIf(python === null)('ORA-CHECK-1: the example Python implementation passes every vector it claims (--filter ISA-)', () => {
    // Falsified if pyrv or popek disagree on any RV32IMA vector, or the protocol breaks.
    const r = popek(['vectors', 'check', '--impl', `${python} -S examples/pyrv/impl.py`, '--filter', 'ISA-']);
    expect(r.err).toBe('');
    expect(lastLine(r.out)).toMatch(/^\d+ passed, 0 failed$/);
    expect(Number(/^(\d+) passed/.exec(lastLine(r.out))![1])).toBeGreaterThan(300);
    expect(r.code).toBe(0);
  });

  it.skipIf(python === null)('ORA-CHECK-2: a broken copy (DIV by zero gives 0) fails with the first differing field', () => {
    // Falsified if the report does not name the vector, its rule, the register and both values,
    // if the summary is not the last line, or the exit status is not 1.
    const r = popek(['vectors', 'check', '--impl', `${python} -S examples/pyrv-broken/impl.py`, '--filter', 'ISA-M-DIV']);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toContain('isa-m-div-001 (ISA-M-DIV): x[10]: expected 0xffffffff, actual 0x00000000');
    expect(lastLine(r.out)).toMatch(/^\d+ passed, [1-9]\d* failed$/);
    expect(lines.slice(0, -1).every((l) => /^[a-z0-9.-]+ \([A-Z0-9, -]+\): \S+: expected .+, actual .+$/.test(l))).toBe(true);
    expect(r.code).toBe(1);
  });

  it('ORA-CHECK-3: --filter selects the vectors all of whose rules the patterns claim', () => {
    // Falsified if a vector with an unclaimed rule is run, or a claimed one is skipped.
    const f = ruleFilter('ISA-ALU-*, ISA-X0');
    expect(f(['ISA-ALU-1'])).toBe(true);
    expect(f(['ISA-ALU-2', 'ISA-X0'])).toBe(true);
    expect(f(['ISA-ALU-1', 'PRIV-TRAP-ENTRY'])).toBe(false);
    expect(ruleFilter('ISA-')(['ISA-M-DIV', 'ISA-X0'])).toBe(true);
    expect(ruleFilter('ISA-')(['ISA-JUMP-ALIGN', 'PRIV-TRAP-ENTRY'])).toBe(false);
    expect(ruleFilter('')(['ISA-X0'])).toBe(false);
    const r = popek(['vectors', 'check', '--filter', 'NO-SUCH-RULE']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no vector matches/);
  });

  it('ORA-CHECK-1: with no --impl the model is checked against the committed vectors', () => {
    // Falsified if popek fails its own vectors or prints anything but the summary.
    const r = popek(['vectors', 'check']);
    expect(r.out.trim()).toMatch(/^\d+ passed, 0 failed$/);
    expect(r.code).toBe(0);
  });

  const node = (js: string): string => `${JSON.stringify(process.execPath)} -e ${JSON.stringify(js)}`;
  const impl = (cmd: string, extra: string[] = []) => popek(['vectors', 'check', '--impl', cmd, '--id', 'isa-m-div-001', ...extra]);
  it('ORA-CHECK-4: malformed replies are reported with their JSON path, never a crash', () => {
    // Falsified by a crash, a missing path, or a wrong exit status.
    const notJson = impl(node('process.stdout.write("hello")'));
    expect(notJson.out).toMatch(/isa-m-div-001 \(ISA-M-DIV\): reply is not JSON/);
    const badReg = impl(node('let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const x=v.expected.x.slice();x[7]="0xzz";console.log(JSON.stringify({pc:v.expected.pc,priv:"M",x}))})'));
    expect(badReg.out).toMatch(/isa-m-div-001 \(ISA-M-DIV\): reply at \$\.x\[7\]: expected hex32/);
    const extra = impl(node('let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(JSON.stringify({...v.expected,regs:1}))})'));
    expect(extra.out).toMatch(/reply at \$\.regs: unknown key "regs"/);
    const echo = impl(node('let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(JSON.stringify(v.expected))})'));
    expect(lastLine(echo.out)).toMatch(/^\d+ passed, 0 failed$/);
    const status = impl(node('console.error("boom"); process.exit(3)'));
    expect(status.out).toMatch(/exited with status 3 \(stderr: boom\)/);
    expect(lastLine(status.out)).toBe('0 passed, 1 failed');
    expect(status.code).toBe(1);
    const missing = impl('/nonexistent/impl');
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/isa-m-div-001 \(ISA-M-DIV\): /);
  });

  it('ORA-CHECK-1, ORA-CHECK-2: v is compared; a reply without v stands for V = 0', () => {
    // Falsified if a V = 1 vector passes with a reply that leaves V out or says 0, or a V = 0
    // vector fails for a reply without v (an implementation without the H extension).
    const all = loadVectorDir(join(ROOT, 'vectors')).flatMap((l) => (l.ok ? [l.vector] : []));
    const v1 = all.find((v) => v.expected.v === 1)!, v0 = all.find((v) => v.id === 'isa-m-div-001')!;
    for (const v of [v1, v0]) {
      const r = modelReply(v);
      if (isLeft(r)) throw new Error(r.left);
      expect(compareFinal(v, r.right)).toBeNull();
      const { v: _v, ...noV } = r.right;
      const got = compareFinal(v, noV);
      if (v.expected.v === 1) {
        expect(got).toEqual({ field: 'v', expected: '1', actual: 'missing' });
        expect(compareFinal(v, { ...r.right, v: 0 })).toEqual({ field: 'v', expected: '1', actual: '0' });
      } else expect(got).toBeNull();
    }
  });

  it('ORA-CHECK-4: a command that hangs is killed after the timeout and reported', () => {
    // Falsified if check waits forever or does not say it timed out.
    const t0 = Date.now();
    const r = popek(['vectors', 'check', '--impl', node('setInterval(() => {}, 1000)'), '--id', 'isa-m-div-001', '--timeout', '500']);
    expect(r.out).toMatch(/isa-m-div-001 \(ISA-M-DIV\): timed out after 500 ms and was killed/);
    expect(lastLine(r.out)).toBe('0 passed, 1 failed');
    expect(r.code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('ORA-CHECK-4: a malformed vector file is reported with its JSON path and exit status 2', () => {
    // Falsified if one bad file crashes the run or hides the others' results.
    const dir = join(tmp, 'vecs');
    mkdirSync(join(dir, 'semantics'), { recursive: true });
    copyFileSync(join(ROOT, 'vectors', 'semantics', 'isa-m-div-001.json'), join(dir, 'semantics', 'isa-m-div-001.json'));
    const v = JSON.parse(readFileSync(join(ROOT, 'vectors', 'semantics', 'isa-m-div-002.json'), 'utf8')) as { initial: { x: string[] } };
    v.initial.x.pop();
    writeFileSync(join(dir, 'semantics', 'isa-m-div-002.json'), JSON.stringify(v));
    writeFileSync(join(dir, 'semantics', 'broken.json'), '{"id": ');
    const r = popek(['vectors', 'check', '--dir', dir]);
    expect(r.out).toMatch(/semantics\/isa-m-div-002\.json: malformed vector: at \$\.initial\.x: expected 32 registers, got 31/);
    expect(r.out).toMatch(/semantics\/broken\.json: malformed vector: not JSON/);
    expect(lastLine(r.out)).toBe('1 passed, 2 failed');
    expect(r.code).toBe(2);
  });
});

// --- Co-simulation
const RAM = 0x80000000, DATA = 0x80001000, UART = 0x10000000;
const state = (words: number[], x: Record<number, number> = {}, csrs: Record<string, number> = {}, data: Array<[number, number[]]> = []): ArchState => {
  const regs = new Array<number>(32).fill(0);
  for (const [k, v] of Object.entries(x)) regs[Number(k)] = v >>> 0;
  return { pc: RAM, priv: 'M', v: 0, x: regs, csrs, mem: [{ addr: RAM, bytes: wordsToBytes(words) }, ...data.map(([addr, b]) => ({ addr, bytes: Uint8Array.from(b) }))] };
};

describe('co-simulation library', () => {
  it('ORA-COSIM-1: stepping a loaded ELF gives the reference engine\'s commit records and state', () => {
    // Falsified if the oracle's records or final registers differ from `run` on the same ELF.
    const o = createOracle({});
    const loaded = o.load(join(ROOT, 'guests', 'rv32m.elf'));
    expect(isRight(loaded)).toBe(true);
    const b = boot({ kernel: join(ROOT, 'guests', 'rv32m.elf') });
    if (isLeft(b)) throw new Error(b.left);
    const recs: CommitRecord[] = [];
    const ref = run(b.right.machine, { maxSteps: 300, onCommit: (r) => recs.push(r) }).machine;
    const mine: CommitRecord[] = [];
    for (let i = 0; i < 300; i++) { const r = o.step(); if (r === null) break; mine.push(r); }
    expect(mine).toEqual(recs.slice(0, mine.length));
    expect(mine.length).toBe(recs.length);
    const s = o.state();
    expect(s.pc).toBe(ref.harts[0]!.pc);
    expect(s.x).toEqual([...ref.harts[0]!.x].map((v) => v >>> 0));
    expect(s.csrs['mstatus']).toBe(ref.harts[0]!.csr.mstatus);
    expect(o.machine().harts[0]!.pc).toBe(ref.harts[0]!.pc);
    expect(isLeft(o.load(join(ROOT, 'package.json')))).toBe(true);
    expect(() => createOracle({ harts: 99 } as never)).toThrow(/harts/);
  });

  it('ORA-COSIM-1: reset sets the architectural state; bad states are errors, not exceptions', () => {
    // Falsified if reset loses a register or CSR, or throws on an impossible state.
    const o = createOracle({});
    expect(isRight(o.reset(state([NOP], { 5: 7 }, { mscratch: 0x1234 })))).toBe(true);
    expect(o.state().x[5]).toBe(7);
    expect(o.state().csrs['mscratch']).toBe(0x1234);
    const bad = o.reset(state([NOP], {}, { nosuch: 1 }));
    expect(isLeft(bad) && bad.left).toMatch(/\$\.state\.csrs\.nosuch/);
  });

  it('ORA-COSIM-1: with the H extension, reset sets V and the hypervisor CSRs and state() reports them', () => {
    // Falsified if V is dropped by reset or reported as 0, or time is read through htimedelta.
    const o = createOracle({ isa: 'rv32imah_zicsr_zifencei_zicntr' });
    const st = { ...state([NOP], {}, { hstatus: 0x100, htimedelta: 0x1000, pmpaddr0: 0xffffffff, pmpcfg0: 0x1f }), priv: 'S' as const, v: 1 as const };
    expect(isRight(o.reset(st))).toBe(true);
    expect([o.state().priv, o.state().v, o.state().csrs['hstatus'], o.state().csrs['time']]).toEqual(['S', 1, 0x100, 0]);
    o.step();
    expect([o.state().v, o.state().pc]).toEqual([1, RAM + 4]);
    const bad = createOracle({}).reset(st);
    expect(isLeft(bad) && bad.left).toMatch(/\$\.state\.v: V = 1 needs the H extension/);
  });

  it('ORA-COSIM-2: an MMIO load returns the forced value, extended as the load extends it; RAM loads do not consume it', () => {
    // Falsified if the register, the record, or the order of consumption is wrong.
    const o = createOracle({});
    o.reset(state([ld('lw', A1, A2, 0), ld('lb', A0, T0, 5), ld('lbu', A2, T0, 5), ld('lb', A0, T0, 5)], { [T0]: UART, [A2]: DATA }, {}, [[DATA, [1, 2, 3, 4]]]));
    o.overrideMmioLoad(0x1ff);
    expect(o.step()!.regs).toEqual([[A1, 0x04030201]]);
    const r = o.step()!;
    expect(r.regs).toEqual([[A0, -1]]);
    expect(r.mem).toEqual([{ op: 'r', addr: UART + 5, size: 1, value: 0xff }]);
    expect(o.state().x[A0]).toBe(0xffffffff);
    // Consumed: the next MMIO load reads the device model again (LSR = 0x60).
    o.step();
    expect(o.state().x[A2]).toBe(0x60);
    o.overrideMmioLoad(0x80);
    o.step();
    expect(o.state().x[A0]).toBe(0xffffff80);
  });

  it('ORA-COSIM-3: the next SC succeeds or fails as forced, whatever the reservation', () => {
    // Falsified if a forced success does not store and return 0, or a forced failure stores.
    const o = createOracle({});
    o.reset(state([sc(A0, A2, A1), lr(A0, A1), sc(A0, A2, A1)], { [A1]: DATA, [A2]: 0x55 }, {}, [[DATA, [9, 0, 0, 0]]]));
    o.forceScResult(true);
    const r1 = o.step()!;
    expect(r1.regs).toEqual([[A0, 0]]);
    expect(Array.from(o.read(DATA, 4))).toEqual([0x55, 0, 0, 0]);
    o.forceScResult(false);
    o.step(); // lr.w does not consume the forced result
    const r3 = o.step()!;
    expect(r3.regs).toEqual([[A0, 1]]);
    expect(r3.mem).toEqual([]);
    // Without forcing, the model decides: no reservation now, so it fails.
    o.reset(state([sc(A0, A2, A1)], { [A1]: DATA, [A2]: 0x55 }));
    expect(o.step()!.regs).toEqual([[A0, 1]]);
  });

  it('ORA-COSIM-4: forced interrupt lines are taken as the hart would take device lines, and can be released', () => {
    // Falsified if a forced MEIP is not taken with MIE and MEIE set, or stays after release.
    const o = createOracle({});
    const MIE = 1 << 3;
    o.reset(state([NOP, NOP, NOP, NOP], {}, { mtvec: RAM + 8, mie: 1 << 11, mstatus: MIE }));
    o.step();
    expect(o.state().pc).toBe(RAM + 4);
    o.setInterruptPending(1 << 11);
    expect(o.state().csrs['mip']! & (1 << 11)).toBe(1 << 11);
    const r = o.step()!;
    expect(r.trap).toEqual({ cause: (0x80000000 | 11) >>> 0, tval: 0 });
    expect(o.state().pc).toBe(RAM + 8);
    o.setInterruptPending(null);
    expect(o.state().csrs['mip']! & (1 << 11)).toBe(0);
    expect(IRQ_LINES & (1 << 11)).not.toBe(0);
  });
});

describe('popek cosim --stdio', () => {
  it('ORA-COSIM-5: the worked example in spec/oracle.md is a real transcript', () => {
    // Falsified if any reply differs from the one documented for the same request.
    const spec = readFileSync(join(ROOT, 'spec', 'oracle.md'), 'utf8');
    const block = /### Worked example[\s\S]*?```text\n([\s\S]*?)```/.exec(spec)![1]!;
    const reqs = block.split('\n').filter((l) => l.startsWith('> ')).map((l) => l.slice(2));
    const want = block.split('\n').filter((l) => l.startsWith('< ')).map((l) => l.slice(2));
    expect(reqs.length).toBeGreaterThan(5);
    const r = popek(['cosim', '--stdio'], reqs.join('\n') + '\n');
    expect(r.out.trimEnd().split('\n')).toEqual(want);
    expect(r.code).toBe(0);
  });

  it('ORA-COSIM-5: malformed requests get {"error": ...} and the session goes on', () => {
    // Falsified by a crash, a missing reply, or an error without a reason.
    const lines = ['not json', '[]', '{"cmd":"fly"}', '{"cmd":"step","n":0}', '{"cmd":"irq","mip":"0x2"}', '{"cmd":"load","elf":"/nope.elf"}',
      '{"cmd":"reset","state":{"pc":"0x80000000"}}', '{"cmd":"mmio"}', '{"cmd":"step","extra":1}', '{"cmd":"state"}'];
    const r = popek(['cosim', '--stdio'], lines.join('\n') + '\n');
    const replies = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(replies.length).toBe(lines.length);
    for (const rep of replies.slice(0, -1)) expect(typeof rep['error']).toBe('string');
    expect(replies[3]!['error']).toMatch(/\$\.n/);
    expect(replies[6]!['error']).toMatch(/\$\.state\.priv|\$\.state/);
    expect(replies[8]!['error']).toMatch(/unknown key "extra"/);
    expect(replies.at(-1)!['pc']).toBe('0x80000000');
    expect(r.code).toBe(0);
    expect(popek(['cosim']).code).toBe(2);
  });
});

// --- Commit logs
describe('popek check-log', () => {
  const logPath = join(tmp, 'rv32m.log');
  const gen = popek(['run', 'guests/rv32m.elf', '--log', logPath]);
  const lines = readFileSync(logPath, 'utf8').split('\n').filter((l) => l !== '');
  const write = (name: string, ls: string[]): string => { const p = join(tmp, name); writeFileSync(p, ls.join('\n') + '\n'); return p; };

  it('ORA-LOG-2: popek\'s own log for guests/rv32m.elf matches', () => {
    // Falsified if popek disagrees with its own log (parsing or comparison is wrong).
    expect(gen.code).toBe(0);
    const r = popek(['check-log', 'guests/rv32m.elf', write('with-noise.log', ['spike noise line', ...lines, 'bye'])]);
    expect(r.out.trim()).toBe(`match (${lines.length} instructions)`);
    expect(r.code).toBe(0);
  });

  const k = 40;
  it('ORA-LOG-2: a corrupted register value is reported at exactly that line and register', () => {
    // Falsified if the report names another line, another field, or swaps expected and actual.
    const i = lines.findIndex((l, n) => n >= k && / x\d+ +0x[0-9a-f]{8}/.test(l));
    const m = / x(\d+) +(0x[0-9a-f]{8})/.exec(lines[i]!)!;
    const bad = m[2] === '0x00000000' ? '0x00000001' : '0x00000000';
    const ls = [...lines];
    ls[i] = ls[i]!.replace(m[2]!, bad);
    const r = popek(['check-log', 'guests/rv32m.elf', write('reg.log', ls)]);
    const pc = /0x[0-9a-f]{8}/.exec(lines[i]!.slice(10))![0];
    expect(r.out.trim()).toBe(`divergence at index ${i} (log line ${i + 1}), pc ${pc}, field x${m[1]}: expected ${m[2]}, actual ${bad}`);
    expect(r.code).toBe(1);
  });

  it('ORA-LOG-2: a corrupted pc and a missing line are reported at that line as a pc divergence', () => {
    // Falsified if the first divergence is not the corrupted or missing line.
    const ls = [...lines];
    ls[k] = ls[k]!.replace(/^(core +0: \d )0x[0-9a-f]{8}/, '$10x00000bad');
    const pc = popek(['check-log', 'guests/rv32m.elf', write('pc.log', ls), '--json']);
    const j = JSON.parse(pc.out) as Record<string, unknown>;
    const want = /^core +0: \d (0x[0-9a-f]{8})/.exec(lines[k]!)![1];
    expect(j).toMatchObject({ match: false, index: k, line: k + 1, field: 'pc', expected: want, actual: '0x00000bad' });
    const gone = [...lines.slice(0, k), ...lines.slice(k + 1)];
    const r = popek(['check-log', 'guests/rv32m.elf', write('missing.log', gone)]);
    expect(r.out).toMatch(new RegExp(`^divergence at index ${k} \\(log line ${k + 1}\\), pc ${want}, field pc: expected ${want}, actual 0x`));
    expect(r.code).toBe(1);
    const short = popek(['check-log', 'guests/rv32m.elf', write('short.log', lines.slice(0, 10))]);
    expect(short.out).toMatch(/^divergence at index 10 \(after the end of the log\), pc 0x[0-9a-f]{8}, field line: expected core/);
    expect(popek(['check-log', 'guests/rv32m.elf', write('short2.log', lines.slice(0, 10)), '--prefix']).code).toBe(0);
  });

  it('ORA-LOG-1: lines not starting with "core" are ignored; a malformed commit line is bad input naming its line', () => {
    // Falsified by a crash, exit status other than 2, or a message without the line number.
    const e = parseLogLine('core   0: 3 0x80000000 (0x00000297) x5  0x80000000 c768_mstatus 0x00001800 mem 0x80001000 mem 0x80001004 0x0000002a', 1);
    expect(isRight(e)).toBe(true);
    if (isRight(e)) {
      expect(e.right.regs.get(5)).toBe(0x80000000);
      expect(e.right.csrs.get(768)).toBe(0x1800);
      expect(e.right.mem).toEqual([{ addr: 0x80001000, value: null, digits: 0 }, { addr: 0x80001004, value: 0x2a, digits: 8 }]);
    }
    expect(isRight(parseLog('hello\n\nHTIF\n'))).toBe(true);
    const ls = [...lines];
    ls[5] = 'core   0: 3 0x80000014 (0x00000297) x5';
    const r = popek(['check-log', 'guests/rv32m.elf', write('malformed.log', ls)]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/log line 6: "x5" must be followed by a 0x value/);
    expect(popek(['check-log', 'guests/rv32m.elf']).code).toBe(2);
    expect(popek(['check-log', 'package.json', logPath]).code).toBe(2);
    expect(ri('addi', 0, 0, 0)).toBe(NOP);
    expect(st('sw', A0, A1, 0)).toBeGreaterThan(0);
  });
});
