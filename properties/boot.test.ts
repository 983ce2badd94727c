/** Booting as QEMU's virt machine does (BOOT-*), and `popek dtb` (CLI-DTB-1). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { boot } from '../src/machine/boot.js';
import { DEFAULT_CONFIG } from '../src/machine/config.js';
import { dtbAddress, platformDtb } from '../src/machine/devicetree.js';
import { readLE, readByte } from '../src/memory/store.js';
import { writeElf } from '../src/formats/elf-writer.js';
import { wordsToBytes } from '../src/machine/program.js';

const ROOT = join(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'popek-boot-'));

describe('boot', () => {
  it('BOOT-1, BOOT-DTB: a1 points at the platform device tree, placed where QEMU places it', () => {
    // Falsified if a1 is not the DT-7 address, or RAM there does not hold exactly platformDtb(config).
    const b = boot({ kernel: join(ROOT, 'guests', 'hello.elf') });
    if (isLeft(b)) throw new Error(b.left);
    const m = b.right.machine;
    const dtb = platformDtb(DEFAULT_CONFIG);
    const at = dtbAddress(DEFAULT_CONFIG, dtb.length);
    expect(at).toBe(0x87e00000); // end of the default 128 MiB, aligned down to 2 MiB (DT-7)
    expect(m.harts[0]!.x[11]! >>> 0).toBe(at);
    expect(m.harts[0]!.x[10]).toBe(0);
    for (let k = 0; k < dtb.length; k++) if (readByte(m.mem, at + k) !== dtb[k]) throw new Error(`DTB byte ${k} differs`);
    expect(readByte(m.mem, at)).toBe(0xd0); // big-endian magic 0xd00dfeed
  });

  it('BOOT-BIOS: the firmware starts with a0 = hart, a1 = DTB, a2 = fw_dynamic_info naming the kernel entry', () => {
    // Falsified if the kernel is not loaded at its link address, the firmware does not start, or a2
    // does not point at OpenSBI's version-2 dynamic info with next_addr = kernel entry, next_mode = S.
    const fw = join(tmp, 'fw.elf'), kernel = join(tmp, 'kernel.elf');
    writeFileSync(fw, writeElf({ entry: 0x80000000, segments: [{ addr: 0x80000000, bytes: wordsToBytes([0x10500073, 0xffdff06f]), flags: 5 }] }));
    writeFileSync(kernel, writeElf({ entry: 0x80200004, segments: [{ addr: 0x80200000, bytes: wordsToBytes([0x00000013, 0x00100513]), flags: 5 }] }));
    const b = boot({ kernel, bios: fw });
    if (isLeft(b)) throw new Error(b.left);
    const h = b.right.machine.harts[0]!, mem = b.right.machine.mem;
    expect(h.pc).toBe(0x80000000);
    expect(readLE(mem, 0x80200004, 4)).toBe(0x00100513);
    const a1 = h.x[11]! >>> 0, a2 = h.x[12]! >>> 0;
    expect(readLE(mem, a1, 4)).toBe(0xedfe0dd0); // 0xd00dfeed stored big-endian
    expect(a2).toBe(a1 - 4096);
    expect([0, 4, 8, 12, 16, 20].map((o) => readLE(mem, a2 + o, 4))).toEqual([0x4942534f, 2, 0x80200004, 1, 0, 0]);
  });

  it('BOOT-BIOS: overlapping firmware and kernel are bad input, with a one-line reason', () => {
    // Falsified if two images that overlap are silently merged.
    const hello = join(ROOT, 'guests', 'hello.elf');
    const b = boot({ kernel: hello, bios: hello });
    expect(isRight(b)).toBe(false);
    if (isLeft(b)) expect(b.left).toMatch(/overlap at 0x80000000/);
  });

  it('CLI-DTB-1: popek dtb writes the blob popek run places; dtc decompiles it', () => {
    // Falsified if the command's output differs from platformDtb(config) or dtc rejects it.
    const out = join(tmp, 'p.dtb');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'popek.mjs'), 'dtb', '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(out), Buffer.from(platformDtb(DEFAULT_CONFIG)))).toBe(0);
    if (spawnSync('dtc', ['--version']).status === 0) {
      const d = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', out], { encoding: 'utf8' });
      expect(d.status).toBe(0);
      expect(d.stdout).toMatch(/riscv,isa = "rv32ima_zicsr_zifencei_zicntr"/);
    }
  });
});
