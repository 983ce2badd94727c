/** Bundled guests (CONF-GUEST-*): they pass natively, and the committed ELFs match their sources. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enginesFor, readManifest, runGuest } from '../src/cli/conformance.js';

const ROOT = join(import.meta.dirname, '..');
const manifest = readManifest();
const hasGcc = spawnSync('riscv64-unknown-elf-gcc', ['--version']).status === 0;

describe('guests', () => {
  it('CONF-GUEST-1: the manifest decodes and lists guests', () => {
    // Falsified by a malformed manifest.
    expect(typeof manifest).not.toBe('string');
  });
  for (const g of typeof manifest === 'string' ? [] : manifest) {
    for (const e of enginesFor(g)) {
      // To keep `npm test` within its budget, the 36-million-instruction benchmark guest runs only
      // natively here (in VMs it runs in `npm start` and `npm run bench`), and the Svade variant of
      // the kernel is not nested (the hardware-A/D kernel is).
      it.skipIf((e !== 'reference' && g.name.startsWith('bench')) || (e === 'nested' && g.name === 'kernel-svade'))(`CONF-GUEST-1, PG-EQUIV-GUESTS, PG-RECURSIVE-1, HX-KERNEL-1: ${g.name} passes on ${e}`, () => {
        // Falsified if the guest's self-checks fail, its output differs from the manifest (the
        // native transcript: firmware + kernel on the bare machine), or it does not halt —
        // natively, in a VM (firmware + kernel), or under hext (the kernel alone, SBI served by the VMM).
        const r = runGuest(g, e);
        expect(r.ok, r.detail).toBe(true);
      }, 300_000);
    }
  }

  it.skipIf(!hasGcc)('CONF-GUEST-2: rebuilding the guests reproduces the committed ELFs byte for byte', () => {
    // Falsified if a committed ELF is stale or the build is not deterministic.
    const dir = mkdtempSync(join(tmpdir(), 'popek-guests-'));
    // Copy the sources without the ELFs, so every ELF compared below was really rebuilt.
    cpSync(join(ROOT, 'guests'), join(dir, 'guests'), { recursive: true, filter: (src) => !src.endsWith('.elf') });
    const r = spawnSync('bash', [join(dir, 'guests', 'build.sh')], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const elfs = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? elfs(join(d, e.name)).map((f) => join(e.name, f)) : e.name.endsWith('.elf') ? [e.name] : []);
    const list = elfs(join(ROOT, 'guests'));
    expect(list.length).toBeGreaterThan(0);
    for (const f of list) {
      expect(Buffer.compare(readFileSync(join(dir, 'guests', f)), readFileSync(join(ROOT, 'guests', f))), f).toBe(0);
    }
  }, 300_000);
});
