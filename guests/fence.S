/*
 * fence: FENCE and FENCE.I (Zifencei).
 *
 * FENCE in several pred/succ forms, FENCE.TSO, and FENCE / FENCE.I
 * encodings with nonzero reserved fields (rd, rs1, imm), which base
 * implementations must execute as ordinary fences: no trap and no register
 * write.  Self-modifying code: a routine in .text is executed, one of its
 * instructions is overwritten with a store, FENCE.I is executed, and the
 * routine must now run the new instruction; likewise for code written to a
 * data buffer.
 *
 * Exit status: 0 = pass, otherwise the number of the failing check.
 */
#include "test.h"

/* hand-assembled instruction words */
#define INSN_ADDI_A0_ZERO_42    0x02a00513   /* addi a0, x0, 42   */
#define INSN_ADDI_A0_ZERO_2047  0x7ff00513   /* addi a0, x0, 2047 */
#define INSN_ADDI_A0_ZERO_M1    0xfff00513   /* addi a0, x0, -1   */
#define INSN_ADDI_A0_A0_1       0x00150513   /* addi a0, a0, 1    */
#define INSN_RET                0x00008067   /* jalr x0, 0(ra)    */

  .data
  .balign 16
code_buf:
  .word 0, 0, 0, 0

  TEST_BEGIN

  /* ---------------- FENCE forms: executed, nothing else changes ---------------- */
  TEST_CASE(1, a0, 0x12345678,
    li a0, 0x12345678;
    fence; fence rw, rw; fence iorw, iorw; fence w, r; fence r, rw; fence i, o; fence.tso)

  /* fence iorw, iorw with rd = t0, rs1 = t1 (reserved fields): t0 must not change */
  TEST_CASE(2, t0, 0x0badcafe,
    li t0, 0x0badcafe; li t1, 0x11111111;
    .word 0x0ff3028f)
  /* fence.i with rd = t0, rs1 = t1, imm = 0x123 (reserved fields) */
  TEST_CASE(3, t0, 0x0badcafe,
    .word 0x1233128f)

  /* ---------------- FENCE.I after modifying .text ---------------- */
  TEST_CASE(4, a0, 1, li a0, 0; jal ra, smc_routine)   /* original: li a0, 1 */
  TEST_CASE(5, a0, 42,
    la a1, smc_routine; li a2, INSN_ADDI_A0_ZERO_42; sw a2, 0(a1);
    fence.i;
    li a0, 0; jal ra, smc_routine)
  TEST_CASE(6, a0, 2047,
    la a1, smc_routine; li a2, INSN_ADDI_A0_ZERO_2047; sw a2, 0(a1);
    fence.i;
    li a0, 0; jal ra, smc_routine)
  /* modify an instruction in a loop body between iterations */
  TEST_CASE(7, s1, 1 + 42,
    li s1, 0; li s2, 0;
    la a1, smc_routine; li a2, 0x00100513; sw a2, 0(a1); fence.i;    /* back to li a0, 1 */
    1: jal ra, smc_routine; add s1, s1, a0;
    la a1, smc_routine; li a2, INSN_ADDI_A0_ZERO_42; sw a2, 0(a1); fence.i;
    addi s2, s2, 1; li a3, 2; blt s2, a3, 1b)

  /* ---------------- FENCE.I after writing code into a data buffer ---------------- */
  TEST_CASE(8, a0, 0xffffffff,
    la a1, code_buf;
    li a2, INSN_ADDI_A0_ZERO_M1; sw a2, 0(a1);
    li a2, INSN_RET;             sw a2, 4(a1);
    fence.i;
    li a0, 0; jalr ra, 0(a1))
  TEST_CASE(9, a0, 6,
    la a1, code_buf;
    li a2, INSN_ADDI_A0_A0_1; sw a2, 0(a1); sw a2, 4(a1);
    li a2, INSN_RET;          sw a2, 8(a1);
    fence.i;
    li a0, 4; jalr ra, 0(a1))
  /* overwrite with byte and halfword stores */
  TEST_CASE(10, a0, 2047,
    la a1, code_buf;
    li a2, INSN_ADDI_A0_ZERO_2047;
    sh a2, 0(a1); srli a3, a2, 16; sb a3, 2(a1); srli a3, a2, 24; sb a3, 3(a1);
    li a2, INSN_RET; sw a2, 4(a1);
    fence.i;
    li a0, 0; jalr ra, 0(a1))

  TEST_PASS

  /* a routine whose first instruction gets rewritten */
  .balign 4
smc_routine:
  li a0, 1                 /* 0x00100513 */
  ret
