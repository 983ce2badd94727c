/**
 * HTIF, the Berkeley host-target interface (DEV-HTIF-*), as Spike and QEMU's `spike` machine
 * implement it: two 64-bit words in RAM at the ELF symbols `tohost` and `fromhost`.
 *
 * DEV-HTIF-1: tohost = device << 56 | command << 48 | payload. Device 0, command 0 with payload
 * bit 0 set halts with exit status payload >> 1 (so writing 1 means success). Device 1, command 1
 * prints the payload's low byte. Device 0 with an even non-zero payload is a syscall block address
 * (`magic_mem`): SYS_write (64) to fd 1 or 2 prints, SYS_exit (93) halts; other syscalls return
 * -ENOSYS (-38); the host then writes fromhost = 1. Any other command is ignored.
 * DEV-HTIF-2: a 32-bit hart writes tohost as two words, in either order. The host takes the
 * command at the end of the instruction by which both words have been written since the last
 * command; when only one word is written, it takes the command HTIF_SETTLE retired instructions
 * after the last such write (so a program that writes only the low word still exits). The host
 * clears tohost when it takes a command.
 */

export interface HtifState {
  /** Physical address of tohost, or -1 when the program has none. */
  tohost: number;
  fromhost: number;
  /** Halves of tohost written since the last command was taken. */
  low: boolean;
  high: boolean;
  /** Instructions left before a half-written command is taken anyway (0: none pending). */
  settle: number;
}

/** DEV-HTIF-2: how long a half-written tohost waits for its other half. */
export const HTIF_SETTLE = 64;

export type HtifCommand =
  | { kind: 'exit'; code: number }
  | { kind: 'putchar'; ch: number }
  | { kind: 'syscall'; addr: number }
  | { kind: 'none' };

/** DEV-HTIF-1: what a tohost value asks for. */
export function htifCommand(lo: number, hi: number): HtifCommand {
  const dev = hi >>> 24, cmd = (hi >>> 16) & 0xff;
  if (dev === 0 && cmd === 0) {
    if (lo & 1) return { kind: 'exit', code: ((lo >>> 1) | ((hi & 0xffff) << 31)) >>> 0 };
    if (lo !== 0 || (hi & 0xffff) !== 0) return { kind: 'syscall', addr: lo >>> 0 };
    return { kind: 'none' };
  }
  if (dev === 1 && cmd === 1) return { kind: 'putchar', ch: lo & 0xff };
  return { kind: 'none' };
}

export const SYS_WRITE = 64;
export const SYS_EXIT = 93;
export const ENOSYS = -38;
