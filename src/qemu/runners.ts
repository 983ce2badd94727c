/**
 * Running one batch ELF on popek's reference engine and on QEMU (QDIFF-RUN-*). Both get the very
 * same bytes; both report what the guest printed on the UART.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/lib/Either.js';
import { parseElf, elfImage } from '../formats/elf.js';
import { DEFAULT_CONFIG } from '../machine/config.js';
import { parseIsa } from '../machine/isa-string.js';
import { createMachine, type Machine } from '../machine/machine.js';
import { run } from '../engines/reference.js';
import type { Flavour } from './program.js';

/** QDIFF-H-RUN-1: popek's configuration for a flavour: DEFAULT_CONFIG, with `h` in the ISA for H batches. */
export const popekConfig = (flavour: Flavour): typeof DEFAULT_CONFIG =>
  (flavour === 'h' ? { ...DEFAULT_CONFIG, isa: 'rv32imah_zicsr_zifencei_zicntr' } : DEFAULT_CONFIG);

export const QEMU_BIN = process.env['POPEK_QEMU'] ?? 'qemu-system-riscv32';

/**
 * QDIFF-RUN-QEMU: the QEMU command line. The CPU is made to match popek's hart: RV32IMA with S and U,
 * no C (so IALIGN = 32), F, D, H, V, Sstc, Sdtrig, hpm counters; PMP and the MMU on; marchid and
 * mimpid 0. With `icount`, `-icount shift=0` makes mcycle/minstret count instructions (QDEV-3 needs
 * it); generated programs never read counters, and icount makes every MMIO access slow, so batch
 * runs go without it.
 */
export const QEMU_CPU = 'rv32,c=false,f=false,d=false,h=false,v=false,sstc=false,pmp=true,mmu=true,s=true,u=true,marchid=0,mimpid=0,pmu-num=0,debug=false';
/** QDIFF-H-RUN-1: the same hart with the H extension (`h=true`), for H batches. */
export const QEMU_CPU_H = QEMU_CPU.replace('h=false', 'h=true');
export const qemuArgs = (elfPath: string, icount = false, flavour: Flavour = 'base'): string[] => [
  '-M', 'virt', '-m', '128M', '-smp', '1', '-cpu', flavour === 'h' ? QEMU_CPU_H : QEMU_CPU, '-bios', 'none', '-kernel', elfPath,
  '-nodefaults', '-display', 'none', '-serial', 'stdio', '-monitor', 'none', ...(icount ? ['-icount', 'shift=0'] : []),
];

let available: boolean | undefined;
/** Is the QEMU binary installed (and runnable)? */
export function qemuAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync(QEMU_BIN, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    available = r.status === 0;
  }
  return available;
}

/** No output for this long after the first record: the guest is stuck. */
const STALL_MS = 4000;
/** No output at all for this long: the guest is stuck in its first program. */
const START_MS = 10_000;

export interface QemuResult { out: string; stderr: string; code: number | null; timedOut: boolean; ms: number }

/** QDIFF-RUN-QEMU: run an ELF on QEMU until it exits (finisher) or `timeoutMs` passes. */
export function runQemu(elf: Uint8Array, timeoutMs: number, icount = false, stallMs = STALL_MS, flavour: Flavour = 'base'): Promise<QemuResult> {
  const dir = mkdtempSync(join(tmpdir(), 'popek-qemu-'));
  const path = join(dir, 'batch.elf');
  writeFileSync(path, elf);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(QEMU_BIN, qemuArgs(path, icount, flavour), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    let timedOut = false;
    // Stopped after `timeoutMs`, or when the guest has printed nothing for STALL_MS (a program
    // that QEMU does not finish: the harness prints a record every few milliseconds).
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      if (now - t0 > timeoutMs || (out.length > 0 && now - last > stallMs) || (out.length === 0 && now - t0 > START_MS)) {
        timedOut = true;
        child.kill('SIGKILL');
      }
    }, 250);
    child.stdout.on('data', (b: Buffer) => { out.push(b); last = Date.now(); });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const done = (code: number | null): void => {
      clearInterval(timer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ out: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('utf8'), code, timedOut, ms: Date.now() - t0 });
    };
    child.on('error', (e) => { err.push(Buffer.from(String(e))); done(null); });
    child.on('close', (code) => done(code));
  });
}

export interface PopekResult { out: string; halted: boolean; steps: number; machine: Machine }

/** The machine popek builds from a batch ELF (parsed and loaded like any kernel). */
export function popekMachine(elf: Uint8Array, flavour: Flavour = 'base'): Machine {
  const config = popekConfig(flavour);
  const e = parseElf(elf);
  if (isLeft(e)) throw new Error(`batch ELF rejected by popek: ${e.left}`);
  const img = elfImage(e.right, config);
  if (isLeft(img)) throw new Error(`batch ELF not loadable: ${img.left}`);
  const isa = parseIsa(config.isa);
  if (!isa.ok) throw new Error(isa.error);
  return createMachine(config, isa.isa, img.right);
}

/** QDIFF-RUN-POPEK: run a batch ELF on the reference engine until it halts or `maxSteps`. */
export function runPopek(elf: Uint8Array, maxSteps: number, flavour: Flavour = 'base'): PopekResult {
  const r = run(popekMachine(elf, flavour), { maxSteps });
  return { out: r.machine.out, halted: r.machine.halt !== null, steps: r.steps, machine: r.machine };
}
