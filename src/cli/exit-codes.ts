/** Exit statuses of the `popek` command (CLI-EXIT-*), documented in README.md. */
export const EXIT = {
  /** The guest's own exit code is used when it halts (modulo 256; a nonzero code that is 0 mod 256 becomes 255). */
  OK: 0,
  /** A check failed (conformance, vectors, check-log mismatch). */
  FAILED: 1,
  /** Bad user input: flags, ELF, config, vector, snapshot. */
  BAD_INPUT: 2,
  /** The step limit was reached before the guest halted. */
  STEP_LIMIT: 124,
  /** The guest asked for a reset (SiFive test finisher 0x7777); popek stops instead of rebooting. */
  RESET: 125,
  /** An internal error of popek itself (a bug: please report it). */
  INTERNAL: 70,
} as const;

/** The process exit status for a guest exit code. */
export const guestStatus = (code: number): number => {
  const s = code & 0xff;
  return s === 0 && code !== 0 ? 255 : s;
};
