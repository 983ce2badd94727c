/**
 * A commit record (LOG-*): what one step of one hart did, for commit logs and co-simulation.
 * Fields follow Spike's --log-commits content: register writes, CSR writes and memory accesses.
 */
export interface MemAccessRecord {
  op: 'r' | 'w';
  /** The virtual address of the access, as Spike logs it. */
  addr: number;
  size: number;
  /** For writes, the value written; for reads, the value read. */
  value: number;
}

export interface CommitRecord {
  hart: number;
  /** Privilege mode the instruction executed in. */
  priv: number;
  pc: number;
  /** The instruction word, or 0 when the fetch itself faulted or an interrupt was taken. */
  word: number;
  /** Register writes [x index, value]; writes to x0 are not recorded. */
  regs: Array<[number, number]>;
  /** CSR writes [CSR number, value now read back]. */
  csrs: Array<[number, number]>;
  mem: MemAccessRecord[];
  /** Set when the step took a trap (exception or interrupt) instead of retiring. */
  trap: { cause: number; tval: number } | null;
}

export const newRecord = (hart: number, priv: number, pc: number): CommitRecord =>
  ({ hart, priv, pc, word: 0, regs: [], csrs: [], mem: [], trap: null });
