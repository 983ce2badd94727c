/**
 * The `popek` command as a user meets it (CLI-*): exit statuses, one-line errors for bad input,
 * Spike-format commit logs (LOG-SPIKE-1). Runs the built binary (`npm test` builds dist/ first).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const popek = (args: string[], input = '') => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'popek.mjs'), ...args], { cwd: ROOT, input, encoding: 'latin1', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const tmp = mkdtempSync(join(tmpdir(), 'popek-cli-'));
const oneLine = (s: string) => s.trim().split('\n').length === 1 && !/\bat .*\.js:\d+/.test(s);

describe('popek run', () => {
  it('CLI-RUN-1: prints what the guest prints and exits with its code', () => {
    // Falsified if output is lost, reordered, or the exit status is not the guest's.
    const r = popek(['run', 'guests/hello.elf']);
    expect(r.out).toBe('Hello from popek\n');
    expect(r.code).toBe(0);
  });

  it('CLI-EXIT-1: the step limit gives 124 with a message', () => {
    // Falsified if --max-steps is ignored or reported as a guest exit.
    const r = popek(['run', 'guests/bench-crc-sieve.elf', '--max-steps', '1000']);
    expect(r.code).toBe(124);
    expect(r.err).toMatch(/step limit/);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['missing file', ['run', join(tmp, 'nope.elf')], /cannot read/],
    ['not an ELF', ['run', 'package.json'], /ELF/],
    ['truncated ELF', ['run', join(tmp, 'trunc.elf')], /truncated/],
    ['unknown flag', ['run', 'guests/hello.elf', '--fast'], /unknown flag --fast/],
    ['bad number', ['run', 'guests/hello.elf', '--max-steps', 'ten'], /--max-steps/],
    ['unsupported extension', ['run', 'guests/hello.elf', '--isa', 'rv32imac'], /C \(compressed\) is not implemented/],
    ['rv64', ['run', 'guests/hello.elf', '--isa', 'rv64ima_zicsr'], /RV32 only/],
    ['unknown multi-letter extension', ['run', 'guests/hello.elf', '--isa', 'rv32ima_zicsr_zba'], /zba is not implemented/],
    ['bad config value', ['run', 'guests/hello.elf', '--config', join(tmp, 'bad.json')], /ramSize/],
    ['no ELF given', ['run'], /expected exactly one ELF/],
    ['unknown command', ['frobnicate'], /unknown command/],
  ];
  writeFileSync(join(tmp, 'trunc.elf'), readFileSync(join(ROOT, 'guests', 'hello.elf')).subarray(0, 100));
  writeFileSync(join(tmp, 'bad.json'), JSON.stringify({ ramSize: 12345 }));
  for (const [name, args, msg] of bad) {
    it(`CLI-EXIT-2: ${name} is a one-line error with status 2`, () => {
      // Falsified by a stack trace, a multi-line error, a different status, or a message that does not name the problem.
      const r = popek(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(oneLine(r.err), r.err).toBe(true);
    });
  }

  it('CLI-VMM-1, HX-KERNEL-1: --vmm hext runs an S-mode kernel alone and prints its transcript; --stats reports VMM entries', () => {
    // Falsified if the hext VM's output or exit status differ from the native firmware + kernel run
    // recorded in the manifest, or --stats lacks the per-routine entries.
    const manifest = JSON.parse(readFileSync(join(ROOT, 'guests', 'manifest.json'), 'utf8')) as { guests: Array<{ name: string; stdout?: string }> };
    const want = manifest.guests.find((g) => g.name === 'skernel-pv')!.stdout;
    const r = popek(['run', '--vmm', 'hext', '--stats', 'guests/skernel/kernel-pv.elf']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(want);
    expect(r.err).toMatch(/VMM entries \([\d.]+ per 1000 guest steps\)/);
    expect(r.err).toMatch(/sbi\s+\d+/);
  }, 60_000);

  const badVmm: Array<[string, string[], RegExp]> = [
    ['--bios with hext', ['run', '--vmm', 'hext', '--bios', 'guests/sbi/fw.elf', 'guests/skernel/kernel.elf'], /--bios cannot be used with --vmm hext/],
    ['a kernel over the firmware region', ['run', '--vmm', 'hext', 'guests/hello.elf'], /overlaps the SBI firmware's region/],
    ['an unknown VMM', ['run', '--vmm', 'kvm', 'guests/hello.elf'], /expected trap-emulate or hext/],
    ['a guest with H', ['run', '--vmm', 'hext', '--isa', 'rv32imah_zicsr_zifencei_zicntr', 'guests/skernel/kernel.elf'], /does not virtualize the H extension/],
  ];
  for (const [name, args, msg] of badVmm) {
    it(`CLI-VMM-2, CLI-EXIT-2: ${name} is a one-line error with status 2`, () => {
      // Falsified by a run that starts anyway, a stack trace, or a message that does not name the problem.
      const r = popek(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(oneLine(r.err), r.err).toBe(true);
    });
  }

  it('CLI-HELP-1: --help works after install', () => {
    // Falsified if help is missing or exits non-zero.
    const r = popek(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage: popek/);
    expect(popek(['run', '--help']).out).toMatch(/--log-commits/);
  });
});

describe('conformance job', () => {
  it('CONF-JOB-1: popek conformance runs each guest on every engine, the vectors, and ends with "N passed, M failed"', () => {
    // Falsified if an engine is missing from the table, the vectors are not checked, the summary line
    // is missing, or the exit status does not reflect the result.
    const r = popek(['conformance', '--only', 'hello', '--no-properties']);
    expect(r.code, r.err).toBe(0);
    for (const e of ['reference', 'trap-emulate', 'nested']) expect(r.out).toMatch(new RegExp(`hello\\s+${e}\\s+PASS`));
    expect(r.out).toMatch(/vectors \(committed\)\s+reference\s+PASS/);
    expect(r.out.trim().split('\n').pop()).toBe('4 passed, 0 failed');
    expect(popek(['conformance', '--only', 'no-such-guest']).code).toBe(2);
  }, 120_000);
});

describe('commit log', () => {
  it('LOG-SPIKE-1: --log-commits prints one Spike-format line per retired instruction', () => {
    // Falsified if the first instructions of hello.elf (auipc, addi, csrrw mtvec, ...) are not logged
    // exactly as Spike formats them: core id, privilege, pc, word, then register/CSR writes and memory.
    const r = popek(['run', 'guests/hello.elf', '--log-commits', '--max-steps', '12']);
    const lines = r.err.split('\n').filter((l) => l.startsWith('core'));
    expect(lines.length).toBe(12);
    // From the ELF: 0x80000000 auipc t0,0x0 writes x5 = 0x80000000 (Spike: " x5  0x80000000").
    expect(lines[0]).toBe('core   0: 3 0x80000000 (0x00000297) x5  0x80000000');
    expect(lines[2]).toMatch(/^core   0: 3 0x80000008 \(0x30529073\) c773_mtvec 0x[0-9a-f]{8}$/);
    for (const l of lines) expect(l).toMatch(/^core {3}0: [0-3] 0x[0-9a-f]{8} \(0x[0-9a-f]{8}\)( x[0-9 ]{2} 0x[0-9a-f]{8}| c\d+_\w+ 0x[0-9a-f]{8}| mem 0x[0-9a-f]{8}( 0x[0-9a-f]+)?)*$/);
  });

  it('LOG-SPIKE-2: loads log " mem ADDR", stores " mem ADDR VALUE" with 2×size hex digits', () => {
    // Falsified if a store's value width or the load/store order differs from Spike's.
    const r = popek(['run', 'guests/hello.elf', '--log-commits']);
    const lines = r.err.split('\n');
    expect(lines.some((l) => / \(0x[0-9a-f]{8}\) x\d+ +0x[0-9a-f]{8} mem 0x[0-9a-f]{8}$/.test(l))).toBe(true);
    expect(lines.some((l) => / \(0x[0-9a-f]{8}\) mem 0x[0-9a-f]{8} 0x[0-9a-f]{8}$/.test(l))).toBe(true);
  });
});
