/** HTIF (DEV-HTIF-*): the tohost protocol, checked on machines built from instruction words. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMachine, type Machine } from '../src/machine/machine.js';
import { DEFAULT_CONFIG } from '../src/machine/config.js';
import { parseIsa } from '../src/machine/isa-string.js';
import { wordsToBytes } from '../src/machine/program.js';
import { run } from '../src/engines/reference.js';
import { encode } from '../src/isa/encode.js';
import { readLE } from '../src/memory/store.js';
import { runs } from './support/runs.js';

const BASE = 0x80000000, TOHOST = 0x80001000, FROMHOST = 0x80001008, BLOCK = 0x80002000, BUF = 0x80003000;
const E = encode;
const ISA = (() => { const r = parseIsa(DEFAULT_CONFIG.isa); if (!r.ok) throw new Error(r.error); return r.isa; })();
/** li rd, v as lui + addi, computed independently of the model. */
const li = (rd: number, v: number): number[] => {
  const lo = (v << 20) >> 20, hi = (v - lo) | 0;
  return [E({ op: 'lui', rd, imm: hi }), E({ op: 'addi', rd, rs1: rd, imm: lo })];
};
const spin = E({ op: 'jal', rd: 0, imm: 0 });

/** A machine whose code is `words` and whose tohost/fromhost are at TOHOST/FROMHOST; x5 = &tohost. */
function machine(words: number[], data: Array<[number, number[]]> = []): Machine {
  const segments = [{ addr: BASE, bytes: wordsToBytes([...li(5, TOHOST), ...words, spin]) }, ...data.map(([a, w]) => ({ addr: a, bytes: wordsToBytes(w) }))];
  return createMachine(DEFAULT_CONFIG, ISA, { segments, entry: BASE, tohost: TOHOST, fromhost: FROMHOST });
}
const sw = (rs2: number, off: number) => E({ op: 'sw', rs1: 5, rs2, imm: off });

describe('HTIF', () => {
  it('DEV-HTIF-1: (code << 1) | 1 halts with exit status code; tohost is cleared', () => {
    // Falsified if the exit code is decoded wrongly or the command is not taken.
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x7fff }), (code) => {
      const m = run(machine([...li(6, (code << 1) | 1), sw(6, 0), sw(0, 4)]), { maxSteps: 100 }).machine;
      expect(m.halt).toEqual({ reason: 'exit', code, via: 'htif' });
      expect(readLE(m.mem, TOHOST, 4)).toBe(0);
    }), { numRuns: runs(50) });
  });

  it('DEV-HTIF-1: device 1, command 1 prints the low byte, in order; other commands are ignored', () => {
    // Falsified if characters are lost, reordered, or an unknown device prints or halts.
    fc.assert(fc.property(fc.array(fc.integer({ min: 0x20, max: 0x7e }), { minLength: 1, maxLength: 6 }), (chars) => {
      const code = chars.flatMap((ch) => [...li(6, ch), sw(6, 0), ...li(7, 0x01010000), sw(7, 4)]);
      const ignored = [...li(6, 0x41), sw(6, 0), ...li(7, 0x02010000), sw(7, 4)]; // device 2: ignored
      const m = run(machine([...code, ...ignored]), { maxSteps: 400 }).machine;
      expect(m.out).toBe(String.fromCharCode(...chars));
      expect(m.halt).toBeNull();
    }), { numRuns: runs(30) });
  });

  it('DEV-HTIF-1: magic_mem SYS_write prints the buffer and returns its length; fromhost gets 1; SYS_exit halts', () => {
    // Falsified if the syscall block is misread, the return value or fromhost ack is missing.
    const text = [0x6c6c6568, 0x0000216f]; // "hello!" little-endian
    const block = [64, 0, 1, 0, BUF, 0, 6, 0]; // n = write, a0 = fd 1, a1 = BUF, a2 = 6 (64-bit slots)
    const m = run(machine([...li(6, BLOCK), sw(6, 0), sw(0, 4)], [[BLOCK, block], [BUF, text]]), { maxSteps: 100 }).machine;
    expect(m.out).toBe('hello!');
    expect(readLE(m.mem, BLOCK, 4)).toBe(6);
    expect(readLE(m.mem, FROMHOST, 4)).toBe(1);
    const exit = run(machine([...li(6, BLOCK), sw(6, 0), sw(0, 4)], [[BLOCK, [93, 0, 7, 0]]]), { maxSteps: 100 }).machine;
    expect(exit.halt).toEqual({ reason: 'exit', code: 7, via: 'htif' });
    const other = run(machine([...li(6, BLOCK), sw(6, 0), sw(0, 4)], [[BLOCK, [999, 0]]]), { maxSteps: 100 }).machine;
    expect(readLE(other.mem, BLOCK, 4) | 0).toBe(-38);
  });

  it('DEV-HTIF-2: the command is taken when both halves are written, in either order', () => {
    // Falsified if a putchar written high-word-first (or low-first) is misread as an exit or syscall.
    for (const order of ['low-first', 'high-first'] as const) {
      const lo = [...li(6, 0x41), sw(6, 0)], hi = [...li(7, 0x01010000), sw(7, 4)];
      const m = run(machine(order === 'low-first' ? [...lo, ...hi] : [...hi, ...lo]), { maxSteps: 100 }).machine;
      expect(m.out, order).toBe('A');
      expect(m.halt, order).toBeNull();
    }
  });

  it('DEV-HTIF-2: a low-word-only write is taken 64 retired instructions after it, not earlier', () => {
    // Falsified if the settling delay is not 64 instructions (too early would misread a half-written
    // putchar; never would hang programs that write only the low word).
    const words = [...li(6, 3), sw(6, 0)]; // exit(1), low word only
    const stepsToStore = 2 + words.length; // li x5 (2) + li x6 (2) + sw
    const before = run(machine(words), { maxSteps: stepsToStore + 63 }).machine;
    expect(before.halt).toBeNull();
    const after = run(machine(words), { maxSteps: stepsToStore + 64 }).machine;
    expect(after.halt).toEqual({ reason: 'exit', code: 1, via: 'htif' });
  });
});
