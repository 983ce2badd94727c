/**
 * Machines built directly from instruction words (for properties, vectors and examples): the words
 * are placed at the start of RAM, which is also the entry point.
 */
import { DEFAULT_CONFIG, type Config } from './config.js';
import { parseIsa } from './isa-string.js';
import { createMachine, type Machine } from './machine.js';

/** Little-endian bytes of 32-bit words. */
export function wordsToBytes(words: readonly number[]): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  words.forEach((w, i) => { b[4 * i] = w & 0xff; b[4 * i + 1] = (w >>> 8) & 0xff; b[4 * i + 2] = (w >>> 16) & 0xff; b[4 * i + 3] = (w >>> 24) & 0xff; });
  return b;
}

/** A machine whose RAM starts with `words`, with registers preset from `regs` (x0 stays 0). */
export function machineFromWords(words: readonly number[], regs: Readonly<Record<number, number>> = {}, config: Config = DEFAULT_CONFIG): Machine {
  const isa = parseIsa(config.isa);
  if (!isa.ok) throw new Error(isa.error); // the config is the caller's code, not guest input
  const m = createMachine(config, isa.isa, { segments: [{ addr: config.ramBase, bytes: wordsToBytes(words) }], entry: config.ramBase });
  const h = m.harts[0]!;
  for (const [k, v] of Object.entries(regs)) if (Number(k) !== 0) h.x[Number(k)] = v;
  return m;
}
