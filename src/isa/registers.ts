/**
 * ABI names of the integer registers x0..x31, as GNU objdump prints them with `-M no-aliases`
 * (binutils 2.40; checked by experiment: x8 prints as `s0`, not `fp`). Used by `disassemble` (ISA-ASM-1).
 */
export const ABI_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2',
  's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7',
  's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

/** The ABI name of register `n` (0..31); out-of-range numbers print as `x<n>`. */
export const regName = (n: number): string => ABI_NAMES[n] ?? `x${n}`;
