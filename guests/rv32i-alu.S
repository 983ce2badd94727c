/*
 * rv32i-alu: RV32I integer computational instructions.
 *
 * ADD SUB AND OR XOR SLT SLTU SLL SRL SRA, ADDI ANDI ORI XORI SLTI SLTIU
 * SLLI SRLI SRAI, LUI, AUIPC; overflow wrap-around, shifts by 0 and 31,
 * register shift amounts taken from the low 5 bits of rs2, sign-extended
 * immediates, rd = rs1 = rs2, writes to x0 ignored.
 *
 * Expected values are computed by hand from the unprivileged spec.
 * Exit status: 0 = pass, otherwise the number of the failing check.
 */
#include "test.h"

/* a0 = a1 op a2 */
#define TEST_RR(n, op, exp, v1, v2) \
  TEST_CASE(n, a0, exp, li a1, v1; li a2, v2; op a0, a1, a2)

/* a0 = a1 op imm */
#define TEST_RI(n, op, exp, v1, imm) \
  TEST_CASE(n, a0, exp, li a1, v1; op a0, a1, imm)

  TEST_BEGIN

  /* ---------------- ADD ---------------- */
  TEST_RR( 1, add, 0x00000000, 0x00000000, 0x00000000)
  TEST_RR( 2, add, 0x00000002, 0x00000001, 0x00000001)
  TEST_RR( 3, add, 0x0000000a, 0x00000003, 0x00000007)
  TEST_RR( 4, add, 0x80000000, 0x7fffffff, 0x00000001)   /* signed overflow wraps */
  TEST_RR( 5, add, 0x00000000, 0xffffffff, 0x00000001)   /* carry out dropped */
  TEST_RR( 6, add, 0x00000000, 0x80000000, 0x80000000)
  TEST_RR( 7, add, 0xfffffffe, 0xffffffff, 0xffffffff)
  TEST_CASE( 8, a1, 0x2468acf0, li a1, 0x12345678; add a1, a1, a1)   /* rd = rs1 = rs2 */
  TEST_RR( 9, add, 0x7fffffff, 0x80000000, 0xffffffff)   /* -2^31 + -1 wraps */

  /* ---------------- SUB ---------------- */
  TEST_RR(10, sub, 0x00000000, 0x00000000, 0x00000000)
  TEST_RR(11, sub, 0x00000002, 0x00000005, 0x00000003)
  TEST_RR(12, sub, 0xfffffffe, 0x00000003, 0x00000005)
  TEST_RR(13, sub, 0x7fffffff, 0x80000000, 0x00000001)   /* signed overflow wraps */
  TEST_RR(14, sub, 0x80000000, 0x00000000, 0x80000000)   /* -(-2^31) = -2^31 */
  TEST_RR(15, sub, 0x80000000, 0x7fffffff, 0xffffffff)
  TEST_CASE(16, a1, 0x00000000, li a1, 0x55; sub a1, a1, a1)
  TEST_RR(17, sub, 0x00000001, 0x00000000, 0xffffffff)   /* borrow out dropped */

  /* ---------------- AND / OR / XOR ---------------- */
  TEST_RR(18, and, 0x0f000f00, 0xff00ff00, 0x0ff00ff0)
  TEST_RR(19, and, 0x000f000f, 0x00ff00ff, 0xf00ff00f)
  TEST_RR(20, and, 0x12345678, 0x12345678, 0xffffffff)
  TEST_RR(21, and, 0x00000000, 0x12345678, 0x00000000)
  TEST_RR(22, or,  0xfff0fff0, 0xff00ff00, 0x0ff00ff0)
  TEST_RR(23, or,  0xf0fff0ff, 0x00ff00ff, 0xf00ff00f)
  TEST_RR(24, or,  0x12345678, 0x12345678, 0x00000000)
  TEST_RR(25, xor, 0xf0f0f0f0, 0xff00ff00, 0x0ff00ff0)
  TEST_RR(26, xor, 0xf0f0f0f0, 0x00ff00ff, 0xf00ff00f)
  TEST_RR(27, xor, 0xedcba987, 0x12345678, 0xffffffff)   /* NOT */
  TEST_CASE(28, a1, 0x00000000, li a1, 0x12345678; xor a1, a1, a1)

  /* ---------------- SLT / SLTU ---------------- */
  TEST_RR(29, slt,  0, 0x00000000, 0x00000000)
  TEST_RR(30, slt,  1, 0x00000001, 0x00000002)
  TEST_RR(31, slt,  0, 0x00000002, 0x00000001)
  TEST_RR(32, slt,  1, 0xffffffff, 0x00000000)   /* -1 < 0 */
  TEST_RR(33, slt,  1, 0x80000000, 0x7fffffff)
  TEST_RR(34, slt,  0, 0x7fffffff, 0x80000000)
  TEST_RR(35, slt,  1, 0xfffffffe, 0xffffffff)   /* -2 < -1 */
  TEST_RR(36, slt,  0, 0xffffffff, 0xffffffff)
  TEST_RR(37, sltu, 0, 0x00000000, 0x00000000)
  TEST_RR(38, sltu, 1, 0x00000000, 0x00000001)
  TEST_RR(39, sltu, 0, 0xffffffff, 0x00000000)   /* 2^32-1 > 0 */
  TEST_RR(40, sltu, 0, 0x80000000, 0x7fffffff)
  TEST_RR(41, sltu, 1, 0x7fffffff, 0x80000000)
  TEST_RR(42, sltu, 1, 0xfffffffe, 0xffffffff)
  TEST_CASE(43, a0, 1, li a2, 5; sltu a0, x0, a2)          /* snez */
  TEST_CASE(44, a0, 0, sltu a0, x0, x0)

  /* ---------------- SLL / SRL / SRA (register amount) ---------------- */
  TEST_RR(45, sll, 0x00000001, 0x00000001, 0)
  TEST_RR(46, sll, 0x80000000, 0x00000001, 31)
  TEST_RR(47, sll, 0xfffffffe, 0xffffffff, 1)
  TEST_RR(48, sll, 0x23456780, 0x12345678, 4)
  TEST_RR(49, sll, 0x00000001, 0x00000001, 32)           /* low 5 bits = 0 */
  TEST_RR(50, sll, 0x00000002, 0x00000001, 0xffffffe1)   /* low 5 bits = 1 */
  TEST_RR(51, sll, 0x80000000, 0x21212121, 0xffffffff)   /* low 5 bits = 31 */
  TEST_RR(52, srl, 0x00000001, 0x80000000, 31)
  TEST_RR(53, srl, 0x80000000, 0x80000000, 0)
  TEST_RR(54, srl, 0x7fffffff, 0xffffffff, 1)
  TEST_RR(55, srl, 0x01234567, 0x12345678, 4)
  TEST_RR(56, srl, 0x40000000, 0x80000000, 33)           /* low 5 bits = 1 */
  TEST_RR(57, srl, 0x00000001, 0xffffffff, 0xffffffff)   /* low 5 bits = 31 */
  TEST_RR(58, sra, 0xffffffff, 0x80000000, 31)
  TEST_RR(59, sra, 0xc0000000, 0x80000000, 1)
  TEST_RR(60, sra, 0x00000000, 0x7fffffff, 31)
  TEST_RR(61, sra, 0x80000000, 0x80000000, 0)
  TEST_RR(62, sra, 0xf8765432, 0x87654321, 4)
  TEST_RR(63, sra, 0xf8765432, 0x87654321, 36)           /* low 5 bits = 4 */
  TEST_RR(64, sra, 0x01234567, 0x12345678, 4)
  TEST_RR(65, sra, 0x87654321, 0x87654321, 0xffffffe0)   /* low 5 bits = 0 */

  /* ---------------- ADDI ---------------- */
  TEST_RI(66, addi, 0x80000000, 0x7fffffff, 1)
  TEST_RI(67, addi, 0xffffffff, 0x00000000, -1)
  TEST_RI(68, addi, 0x000007ff, 0x00000000, 2047)
  TEST_RI(69, addi, 0xfffff800, 0x00000000, -2048)
  TEST_RI(70, addi, 0x7fffffff, 0x80000000, -1)
  TEST_RI(71, addi, 0x00000005, 0x00000005, 0)
  TEST_RI(72, addi, 0x00000000, 0xffffffff, 1)
  TEST_CASE(73, a1, 0x00000800, li a1, 0x00000001; addi a1, a1, 2047)

  /* ---------------- ANDI / ORI / XORI (sign-extended immediate) ---------------- */
  TEST_RI(74, andi, 0xff00ff00, 0xff00ff00, -1)
  TEST_RI(75, andi, 0x00000678, 0x12345678, 0x7ff)
  TEST_RI(76, andi, 0x12345800, 0x12345fff, -2048)
  TEST_RI(77, andi, 0x00000000, 0x12345678, 0)
  TEST_RI(78, ori,  0xfffff800, 0x00000000, -2048)
  TEST_RI(79, ori,  0x123400f0, 0x12340000, 0x0f0)
  TEST_RI(80, ori,  0x800007ff, 0x80000000, 0x7ff)
  TEST_RI(81, xori, 0xedcba987, 0x12345678, -1)     /* NOT */
  TEST_RI(82, xori, 0x00ff000f, 0x00ff00ff, 0x0f0)
  TEST_RI(83, xori, 0x000007ff, 0xffffffff, -2048)

  /* ---------------- SLTI / SLTIU ---------------- */
  TEST_RI(84, slti,  1, 0xffffffff, 0)
  TEST_RI(85, slti,  0, 0x00000000, -1)
  TEST_RI(86, slti,  1, 0x80000000, -2048)
  TEST_RI(87, slti,  0, 0x7fffffff, 2047)
  TEST_RI(88, slti,  1, 0xfffff7ff, -2048)    /* -2049 < -2048 */
  TEST_RI(89, slti,  0, 0x00000005, 5)
  TEST_RI(90, sltiu, 1, 0x00000000, 1)        /* seqz */
  TEST_RI(91, sltiu, 0, 0x00000005, 1)
  TEST_RI(92, sltiu, 1, 0xfffffffe, -1)       /* imm sign-extends to 0xffffffff */
  TEST_RI(93, sltiu, 1, 0x7fffffff, -2048)    /* ... to 0xfffff800 */
  TEST_RI(94, sltiu, 0, 0xffffffff, -1)
  TEST_RI(95, sltiu, 1, 0xfffff7ff, -2048)
  TEST_RI(96, sltiu, 0, 0xfffff800, -2048)

  /* ---------------- SLLI / SRLI / SRAI ---------------- */
  TEST_RI( 97, slli, 0x80000000, 0x00000001, 31)
  TEST_RI( 98, slli, 0xffffffff, 0xffffffff, 0)
  TEST_RI( 99, slli, 0x56780000, 0x12345678, 16)
  TEST_RI(100, srli, 0x00000001, 0x80000000, 31)
  TEST_RI(101, srli, 0x87654321, 0x87654321, 0)
  TEST_RI(102, srli, 0x00876543, 0x87654321, 8)
  TEST_RI(103, srli, 0x00000001, 0xffffffff, 31)
  TEST_RI(104, srai, 0xffffffff, 0x80000000, 31)
  TEST_RI(105, srai, 0xff876543, 0x87654321, 8)
  TEST_RI(106, srai, 0x00000001, 0x7fffffff, 30)
  TEST_RI(107, srai, 0x87654321, 0x87654321, 0)
  TEST_RI(108, srai, 0x00000000, 0x40000000, 31)

  /* ---------------- LUI ---------------- */
  TEST_CASE(109, a0, 0x12345000, lui a0, 0x12345)
  TEST_CASE(110, a0, 0xfffff000, lui a0, 0xfffff)
  TEST_CASE(111, a0, 0x80000000, lui a0, 0x80000)
  TEST_CASE(112, a0, 0x00000000, li a0, -1; lui a0, 0)   /* low 12 bits cleared */

  /* ---------------- AUIPC (expected value built with absolute lui/addi) ---------------- */
  TEST_CASE_REG(113, a0, a1,
    lui a1, %hi(.Lauipc0); addi a1, a1, %lo(.Lauipc0);
    .Lauipc0: auipc a0, 0)
  TEST_CASE_REG(114, a0, a1,
    lui a1, %hi(.Lauipc1); addi a1, a1, %lo(.Lauipc1); li a2, 0x1000; add a1, a1, a2;
    .Lauipc1: auipc a0, 1)
  TEST_CASE_REG(115, a0, a1,
    lui a1, %hi(.Lauipc2); addi a1, a1, %lo(.Lauipc2); li a2, -0x1000; add a1, a1, a2;
    .Lauipc2: auipc a0, 0xfffff)
  TEST_CASE_REG(116, a0, a1,
    lui a1, %hi(.Lauipc3); addi a1, a1, %lo(.Lauipc3); li a2, 0x80000000; add a1, a1, a2;
    .Lauipc3: auipc a0, 0x80000)          /* wraps past 2^32 */

  /* ---------------- x0 is hard-wired to zero ---------------- */
  TEST_CASE(117, x0, 0, addi x0, x0, 5)
  TEST_CASE(118, x0, 0, li a1, 7; li a2, 9; add x0, a1, a2)
  TEST_CASE(119, x0, 0, lui x0, 0x12345)
  TEST_CASE(120, x0, 0, auipc x0, 0x1)
  TEST_CASE(121, a0, 0, li a0, 3; addi x0, x0, 5; add a0, x0, x0)
  TEST_CASE(122, a0, 7, addi a0, x0, 7)
  TEST_CASE(123, a0, 0xffffffff, li a1, 0; sub a0, x0, a1; addi a0, a0, -1)

  TEST_PASS
