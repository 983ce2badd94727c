/*
 * rv32i-branch: conditional branches and unconditional jumps.
 *
 * BEQ BNE BLT BGE BLTU BGEU taken and not taken, with signed/unsigned
 * corners (0x80000000 vs 0x7fffffff, -1 vs 0, equal operands, rs1 = rs2,
 * x0 operands), forward and backward targets; JAL and JALR link values,
 * JAL/JALR with rd = x0, JALR immediate offsets (positive and negative),
 * JALR clearing bit 0 of the target, JALR with rd = rs1.
 *
 * Exit status: 0 = pass, otherwise the number of the failing check.
 */
#include "test.h"

/* Branch `op a1, a2` must be taken. */
.macro BR_TAKEN n, op, v1, v2
  li gp, \n
  li a1, \v1
  li a2, \v2
  \op a1, a2, .Ltaken\@
  j __fail
.Ltaken\@:
.endm

/* Branch `op a1, a2` must fall through. */
.macro BR_NOT_TAKEN n, op, v1, v2
  li gp, \n
  li a1, \v1
  li a2, \v2
  \op a1, a2, .Lbad\@
  j .Lok\@
.Lbad\@:
  j __fail
.Lok\@:
.endm

/* Branch with the same register as both operands. */
.macro BR_SAME_TAKEN n, op, v
  li gp, \n
  li a1, \v
  \op a1, a1, .Ltaken\@
  j __fail
.Ltaken\@:
.endm

.macro BR_SAME_NOT_TAKEN n, op, v
  li gp, \n
  li a1, \v
  \op a1, a1, .Lbad\@
  j .Lok\@
.Lbad\@:
  j __fail
.Lok\@:
.endm

/* Load the absolute address of a label without using AUIPC. */
#define LA_ABS(reg, label) lui reg, %hi(label); addi reg, reg, %lo(label)

  TEST_BEGIN

  /* ---------------- BEQ ---------------- */
  BR_TAKEN      1, beq, 0x00000000, 0x00000000
  BR_NOT_TAKEN  2, beq, 0x00000001, 0x00000000
  BR_TAKEN      3, beq, 0xffffffff, 0xffffffff
  BR_NOT_TAKEN  4, beq, 0x80000000, 0x00000000
  BR_TAKEN      5, beq, 0x80000000, 0x80000000
  BR_NOT_TAKEN  6, beq, 0x00000001, 0x80000001    /* differ only in bit 31 */

  /* ---------------- BNE ---------------- */
  BR_NOT_TAKEN  7, bne, 0x00000000, 0x00000000
  BR_TAKEN      8, bne, 0x00000001, 0x00000000
  BR_TAKEN      9, bne, 0x80000000, 0x00000000
  BR_NOT_TAKEN 10, bne, 0xffffffff, 0xffffffff
  BR_TAKEN     11, bne, 0x00000001, 0x80000001

  /* ---------------- BLT (signed) ---------------- */
  BR_TAKEN     12, blt, 0x00000000, 0x00000001
  BR_NOT_TAKEN 13, blt, 0x00000001, 0x00000000
  BR_TAKEN     14, blt, 0xffffffff, 0x00000000    /* -1 < 0 */
  BR_NOT_TAKEN 15, blt, 0x00000000, 0xffffffff
  BR_TAKEN     16, blt, 0x80000000, 0x7fffffff
  BR_NOT_TAKEN 17, blt, 0x7fffffff, 0x80000000
  BR_TAKEN     18, blt, 0xfffffffe, 0xffffffff    /* -2 < -1 */
  BR_NOT_TAKEN 19, blt, 0xffffffff, 0xfffffffe
  BR_NOT_TAKEN 20, blt, 0x00000005, 0x00000005
  BR_NOT_TAKEN 21, blt, 0x80000000, 0x80000000

  /* ---------------- BGE (signed) ---------------- */
  BR_TAKEN     22, bge, 0x00000001, 0x00000000
  BR_NOT_TAKEN 23, bge, 0x00000000, 0x00000001
  BR_TAKEN     24, bge, 0x00000000, 0xffffffff
  BR_NOT_TAKEN 25, bge, 0xffffffff, 0x00000000
  BR_TAKEN     26, bge, 0x7fffffff, 0x80000000
  BR_NOT_TAKEN 27, bge, 0x80000000, 0x7fffffff
  BR_TAKEN     28, bge, 0x00000005, 0x00000005
  BR_TAKEN     29, bge, 0xffffffff, 0xffffffff
  BR_TAKEN     30, bge, 0xffffffff, 0xfffffffe

  /* ---------------- BLTU (unsigned) ---------------- */
  BR_TAKEN     31, bltu, 0x00000000, 0x00000001
  BR_NOT_TAKEN 32, bltu, 0x00000001, 0x00000000
  BR_TAKEN     33, bltu, 0x00000000, 0xffffffff
  BR_NOT_TAKEN 34, bltu, 0xffffffff, 0x00000000
  BR_TAKEN     35, bltu, 0x7fffffff, 0x80000000
  BR_NOT_TAKEN 36, bltu, 0x80000000, 0x7fffffff
  BR_NOT_TAKEN 37, bltu, 0x00000005, 0x00000005
  BR_TAKEN     38, bltu, 0xfffffffe, 0xffffffff

  /* ---------------- BGEU (unsigned) ---------------- */
  BR_TAKEN     39, bgeu, 0x00000001, 0x00000000
  BR_NOT_TAKEN 40, bgeu, 0x00000000, 0x00000001
  BR_TAKEN     41, bgeu, 0xffffffff, 0x00000000
  BR_NOT_TAKEN 42, bgeu, 0x00000000, 0xffffffff
  BR_TAKEN     43, bgeu, 0x80000000, 0x7fffffff
  BR_NOT_TAKEN 44, bgeu, 0x7fffffff, 0x80000000
  BR_TAKEN     45, bgeu, 0x00000005, 0x00000005
  BR_TAKEN     46, bgeu, 0x00000000, 0x00000000

  /* ---------------- rs1 = rs2 ---------------- */
  BR_SAME_TAKEN     47, beq,  0x80000000
  BR_SAME_NOT_TAKEN 48, bne,  0x80000000
  BR_SAME_NOT_TAKEN 49, blt,  0xffffffff
  BR_SAME_TAKEN     50, bge,  0xffffffff
  BR_SAME_NOT_TAKEN 51, bltu, 0xffffffff
  BR_SAME_TAKEN     52, bgeu, 0xffffffff

  /* ---------------- x0 operands ---------------- */
  li gp, 53
  beq x0, x0, 1f
  j __fail
1:
  li gp, 54
  li a1, 1
  bltu x0, a1, 1f            /* 0 <u 1 */
  j __fail
1:
  li gp, 55
  li a1, -1
  blt x0, a1, 2f             /* 0 <s -1 is false */
  bge x0, a1, 1f
2:
  j __fail
1:
  li gp, 56
  li a1, -1
  bgeu x0, a1, 2f            /* 0 >=u 0xffffffff is false */
  j 1f
2:
  j __fail
1:

  /* ---------------- backward branches: loop runs exactly 5 times ---------------- */
  TEST_CASE(57, a0, 5,
    li a0, 0; li a1, 5;
    1: addi a0, a0, 1; bne a0, a1, 1b)
  TEST_CASE(58, a0, 10,
    li a0, 0; li a1, 10;
    1: addi a0, a0, 1; blt a0, a1, 1b)
  TEST_CASE(59, a0, 0,                       /* count down through unsigned compare */
    li a0, 7; li a1, 10;
    1: addi a0, a0, -1; bgeu a0, a1, 2f; j 3f; 2: j __fail; 3: bnez a0, 1b)

  /* ---------------- JAL ---------------- */
  li gp, 60
  li ra, 0
  jal ra, .Ljal1_target
.Ljal1_link:
  j __fail
.Ljal1_target:
  TEST_CASE_REG(61, ra, a1, LA_ABS(a1, .Ljal1_link))

  li gp, 62                  /* rd other than ra */
  li t0, 0
  jal t0, .Ljal2_target
.Ljal2_link:
  j __fail
.Ljal2_target:
  TEST_CASE_REG(63, t0, a1, LA_ABS(a1, .Ljal2_link))

  li gp, 64                  /* rd = x0: plain jump, x0 stays 0 */
  jal x0, .Ljal3_target
  j __fail
.Ljal3_target:
  TEST_CASE(65, x0, 0, nop)

  li gp, 66                  /* backward JAL */
  li s0, 0
  j .Ljal4_start
.Ljal4_back:
  addi s0, s0, 1
  j .Ljal4_done
.Ljal4_start:
  jal a5, .Ljal4_back
.Ljal4_link:
  j __fail
.Ljal4_done:
  TEST_CASE_REG(67, a5, a1, LA_ABS(a1, .Ljal4_link))
  TEST_CASE(68, s0, 1, nop)

  /* ---------------- JALR ---------------- */
  li gp, 69                  /* plain jalr, zero offset */
  LA_ABS(a1, .Ljalr1_target)
  li ra, 0
  jalr ra, 0(a1)
.Ljalr1_link:
  j __fail
.Ljalr1_target:
  TEST_CASE_REG(70, ra, a2, LA_ABS(a2, .Ljalr1_link))

  li gp, 71                  /* positive offset */
  LA_ABS(a1, .Ljalr2_target)
  addi a1, a1, -8
  jalr ra, 8(a1)
.Ljalr2_link:
  j __fail
  j __fail
.Ljalr2_target:
  TEST_CASE_REG(72, ra, a2, LA_ABS(a2, .Ljalr2_link))

  li gp, 73                  /* negative offset */
  LA_ABS(a1, .Ljalr3_target)
  addi a1, a1, 2000
  jalr s1, -2000(a1)
.Ljalr3_link:
  j __fail
.Ljalr3_target:
  TEST_CASE_REG(74, s1, a2, LA_ABS(a2, .Ljalr3_link))

  li gp, 75                  /* bit 0 of rs1 + imm is cleared: rs1 odd */
  LA_ABS(a1, .Ljalr4_target)
  addi a1, a1, 1
  jalr ra, 0(a1)
.Ljalr4_link:
  j __fail
.Ljalr4_target:
  TEST_CASE_REG(76, ra, a2, LA_ABS(a2, .Ljalr4_link))

  li gp, 77                  /* bit 0 cleared: odd immediate */
  LA_ABS(a1, .Ljalr5_target)
  jalr ra, 1(a1)
.Ljalr5_link:
  j __fail
.Ljalr5_target:
  TEST_CASE_REG(78, ra, a2, LA_ABS(a2, .Ljalr5_link))

  li gp, 79                  /* rs1 + imm = target + 1 with rs1 = target + 3, imm = -2 */
  LA_ABS(a1, .Ljalr6_target)
  addi a1, a1, 3
  jalr ra, -2(a1)
.Ljalr6_link:
  j __fail
.Ljalr6_target:
  TEST_CASE_REG(80, ra, a2, LA_ABS(a2, .Ljalr6_link))

  li gp, 81                  /* rd = rs1: target uses the old rs1, rd gets the link */
  LA_ABS(a3, .Ljalr7_target)
  jalr a3, 0(a3)
.Ljalr7_link:
  j __fail
.Ljalr7_target:
  TEST_CASE_REG(82, a3, a2, LA_ABS(a2, .Ljalr7_link))

  li gp, 83                  /* rd = rs1 with an odd offset */
  LA_ABS(a3, .Ljalr8_target)
  addi a3, a3, -3
  jalr a3, 3(a3)
.Ljalr8_link:
  j __fail
.Ljalr8_target:
  TEST_CASE_REG(84, a3, a2, LA_ABS(a2, .Ljalr8_link))

  li gp, 85                  /* rd = x0 */
  LA_ABS(a1, .Ljalr9_target)
  jalr x0, 0(a1)
  j __fail
.Ljalr9_target:
  TEST_CASE(86, x0, 0, nop)

  /* call/return through a subroutine */
  TEST_CASE(87, a0, 42,
    li a0, 40; jal ra, .Lsub_add2; j 1f;
    .Lsub_add2: addi a0, a0, 2; jalr x0, 0(ra); j __fail;
    1: nop)

  TEST_PASS
