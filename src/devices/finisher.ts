/**
 * The SiFive test finisher (DEV-FIN-*) of QEMU's `virt` machine: a store at offset 0 ends the run
 * or resets the machine. It has no state.
 */

/** DEV-FIN-1: size of the finisher region (QEMU virt memmap VIRT_TEST). */
export const SIZE = 0x1000;

/** What a finisher store asks the machine to do (DEV-FIN-2). */
export type FinisherAction = { kind: 'exit'; code: number } | { kind: 'reset' } | { kind: 'none' };

const FINISHER_FAIL = 0x3333;
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;

const NONE: FinisherAction = Object.freeze({ kind: 'none' });

/** DEV-FIN-1: a naturally aligned 16- or 32-bit access inside the region (QEMU's valid sizes). */
const accepted = (off: number, size: number): boolean =>
  (size === 2 || size === 4) && Number.isInteger(off) && off >= 0 && off + size <= SIZE && off % size === 0;

/** DEV-FIN-1: an MMIO load: 0 everywhere; null (access fault) for 8-bit or other sizes. */
export const read = (off: number, size: number): number | null => (accepted(off, size) ? 0 : null);

/** DEV-FIN-2: an MMIO store: what it asks the machine to do; null (access fault) as for read. */
export function write(off: number, size: number, v: number): FinisherAction | null {
  if (!accepted(off, size)) return null;
  if (off !== 0) return NONE;
  // A 16-bit store delivers only its low half, whatever the source register held.
  const w = size === 2 ? v & 0xffff : v >>> 0;
  switch (w & 0xffff) {
    // So a 16-bit FAIL carries no code and exits with 0, as in QEMU.
    case FINISHER_FAIL: return { kind: 'exit', code: w >>> 16 };
    case FINISHER_PASS: return { kind: 'exit', code: 0 };
    case FINISHER_RESET: return { kind: 'reset' };
    default: return NONE;
  }
}
