/*
 * rv32m: the M extension on RV32.
 *
 * MUL MULH MULHSU MULHU with every sign combination (incl. 0x80000000 *
 * 0x80000000 and -1 * -1); DIV DIVU REM REMU with truncation toward zero,
 * remainder sign = dividend sign, division by zero (DIV -> -1, DIVU ->
 * 0xffffffff, REM/REMU -> dividend) and signed overflow (0x80000000 / -1 ->
 * 0x80000000, remainder 0); rd = rs1 = rs2.
 *
 * Exit status: 0 = pass, otherwise the number of the failing check.
 */
#include "test.h"

#define TEST_RR(n, op, exp, v1, v2) \
  TEST_CASE(n, a0, exp, li a1, v1; li a2, v2; op a0, a1, a2)

  TEST_BEGIN

  /* ---------------- MUL (low 32 bits; sign-agnostic) ---------------- */
  TEST_RR( 1, mul, 0x00000000, 0x00000000, 0x00000000)
  TEST_RR( 2, mul, 0x00000015, 0x00000003, 0x00000007)
  TEST_RR( 3, mul, 0x00000001, 0xffffffff, 0xffffffff)   /* -1 * -1 */
  TEST_RR( 4, mul, 0x00000000, 0x80000000, 0x80000000)   /* 2^62: low word 0 */
  TEST_RR( 5, mul, 0x00000001, 0x7fffffff, 0x7fffffff)   /* 0x3fffffff_00000001 */
  TEST_RR( 6, mul, 0xfffe0001, 0x0000ffff, 0x0000ffff)
  TEST_RR( 7, mul, 0x00000000, 0x00010000, 0x00010000)   /* 2^32 */
  TEST_RR( 8, mul, 0xfffffffb, 0xffffffff, 0x00000005)   /* -5 */
  TEST_RR( 9, mul, 0x80000000, 0x80000000, 0xffffffff)   /* -2^31 * -1 */
  TEST_RR(10, mul, 0x04fed79d, 0x00003039, 0x00001a85)   /* 12345 * 6789 = 83810205 */
  TEST_RR(11, mul, 0x00000000, 0x12345678, 0x00000000)
  TEST_CASE(12, a1, 0x00000000, li a1, 0x00010000; mul a1, a1, a1)

  /* ---------------- MULH (signed x signed, high word) ---------------- */
  TEST_RR(13, mulh, 0x00000000, 0xffffffff, 0xffffffff)  /* -1 * -1 = 1 */
  TEST_RR(14, mulh, 0x40000000, 0x80000000, 0x80000000)  /* (-2^31)^2 = 2^62 */
  TEST_RR(15, mulh, 0xc0000000, 0x80000000, 0x7fffffff)  /* 0xc0000000_80000000 */
  TEST_RR(16, mulh, 0xc0000000, 0x7fffffff, 0x80000000)
  TEST_RR(17, mulh, 0xffffffff, 0xffffffff, 0x00000001)  /* -1 */
  TEST_RR(18, mulh, 0x3fffffff, 0x7fffffff, 0x7fffffff)
  TEST_RR(19, mulh, 0xffffffff, 0x00000002, 0x80000000)  /* -2^32 = 0xffffffff_00000000 */
  TEST_RR(20, mulh, 0x00000000, 0xffffffff, 0x00000000)
  TEST_RR(21, mulh, 0x00000001, 0x00010000, 0x00010000)  /* 2^32 */
  TEST_RR(22, mulh, 0xffffffff, 0xffff0000, 0x00010000)  /* -2^32 */
  TEST_RR(23, mulh, 0x00000000, 0x80000000, 0xffffffff)  /* 2^31 */
  TEST_RR(24, mulh, 0xffffffff, 0xfffffffb, 0x00000003)  /* -15 */

  /* ---------------- MULHSU (signed rs1 x unsigned rs2, high word) ---------------- */
  TEST_RR(25, mulhsu, 0xffffffff, 0xffffffff, 0xffffffff) /* -(2^32-1) = 0xffffffff_00000001 */
  TEST_RR(26, mulhsu, 0x00000000, 0x00000001, 0xffffffff) /* 2^32-1 */
  TEST_RR(27, mulhsu, 0x80000000, 0x80000000, 0xffffffff) /* -2^63+2^31 = 0x80000000_80000000 */
  TEST_RR(28, mulhsu, 0xc0000000, 0x80000000, 0x80000000) /* -2^62 */
  TEST_RR(29, mulhsu, 0x7ffffffe, 0x7fffffff, 0xffffffff) /* 0x7ffffffe_80000001 */
  TEST_RR(30, mulhsu, 0xffffffff, 0xffffffff, 0x00000001) /* -1 */
  TEST_RR(31, mulhsu, 0xffffffff, 0xfffffffe, 0x80000000) /* -2^32 */
  TEST_RR(32, mulhsu, 0x00000000, 0x00000000, 0xffffffff)
  TEST_RR(33, mulhsu, 0xffffffff, 0x80000000, 0x00000002) /* rs1 signed: -2^32 */
  TEST_RR(34, mulhsu, 0x00000001, 0x00000002, 0x80000000) /* rs2 unsigned: 2^32 */

  /* ---------------- MULHU (unsigned x unsigned, high word) ---------------- */
  TEST_RR(35, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff)  /* 0xfffffffe_00000001 */
  TEST_RR(36, mulhu, 0x40000000, 0x80000000, 0x80000000)
  TEST_RR(37, mulhu, 0x00000000, 0xffffffff, 0x00000001)
  TEST_RR(38, mulhu, 0x00000001, 0x80000000, 0x00000002)
  TEST_RR(39, mulhu, 0x00000001, 0x12345678, 0x00000010)  /* 0x1_23456780 */
  TEST_RR(40, mulhu, 0x7ffffffe, 0x7fffffff, 0xffffffff)
  TEST_RR(41, mulhu, 0x00000000, 0x00000000, 0xffffffff)
  TEST_CASE(42, a1, 0x00000001, li a1, 0x00010000; mulhu a1, a1, a1)
  TEST_CASE(43, a1, 0xfffffffe, li a1, 0xffffffff; mulhu a1, a1, a1)
  TEST_CASE(44, a1, 0x00000000, li a1, 0xffffffff; mulh a1, a1, a1)

  /* ---------------- DIV (signed, rounds toward zero) ---------------- */
  TEST_RR(45, div, 0x00000003, 20, 6)
  TEST_RR(46, div, 0xfffffffd, -20, 6)
  TEST_RR(47, div, 0xfffffffd, 20, -6)
  TEST_RR(48, div, 0x00000003, -20, -6)
  TEST_RR(49, div, 0x00000001, 7, 7)
  TEST_RR(50, div, 0x00000000, 0xffffffff, 0x80000000)   /* -1 / -2^31 */
  TEST_RR(51, div, 0x80000000, 0x80000000, 0x00000001)
  TEST_RR(52, div, 0xc0000000, 0x80000000, 0x00000002)
  TEST_RR(53, div, 0xd5555556, 0x80000000, 0x00000003)   /* -715827882 */
  TEST_RR(54, div, 0x80000000, 0x80000000, 0xffffffff)   /* overflow */
  TEST_RR(55, div, 0xffffffff, 20, 0)                    /* by zero */
  TEST_RR(56, div, 0xffffffff, -20, 0)
  TEST_RR(57, div, 0xffffffff, 0, 0)
  TEST_RR(58, div, 0xffffffff, 0x80000000, 0)
  TEST_RR(59, div, 0x80000001, 0x7fffffff, 0xffffffff)   /* -(2^31-1) */

  /* ---------------- DIVU ---------------- */
  TEST_RR(60, divu, 0x00000003, 20, 6)
  TEST_RR(61, divu, 0x2aaaaaa7, -20, 6)                  /* 0xffffffec / 6 */
  TEST_RR(62, divu, 0x00000000, 20, -6)
  TEST_RR(63, divu, 0x00000000, 0x80000000, 0xffffffff)
  TEST_RR(64, divu, 0x00000001, 0xffffffff, 0xffffffff)
  TEST_RR(65, divu, 0x00000002, 0xffffffff, 0x7fffffff)  /* 2*(2^31-1) = 2^32-2 */
  TEST_RR(66, divu, 0xffffffff, 20, 0)                   /* by zero */
  TEST_RR(67, divu, 0xffffffff, 0, 0)
  TEST_RR(68, divu, 0xffffffff, 0xffffffff, 0)

  /* ---------------- REM (sign follows the dividend) ---------------- */
  TEST_RR(69, rem, 0x00000002, 20, 6)
  TEST_RR(70, rem, 0xfffffffe, -20, 6)
  TEST_RR(71, rem, 0x00000002, 20, -6)
  TEST_RR(72, rem, 0xfffffffe, -20, -6)
  TEST_RR(73, rem, 0x00000000, 7, 7)
  TEST_RR(74, rem, 0xffffffff, 0xffffffff, 0x80000000)   /* -1 rem -2^31 */
  TEST_RR(75, rem, 0xfffffffe, 0x80000000, 0x00000003)
  TEST_RR(76, rem, 0x00000000, 0x80000000, 0xffffffff)   /* overflow */
  TEST_RR(77, rem, 0x00000014, 20, 0)                    /* by zero */
  TEST_RR(78, rem, 0xffffffec, -20, 0)
  TEST_RR(79, rem, 0x80000000, 0x80000000, 0)
  TEST_RR(80, rem, 0x00000000, 0, 0)

  /* ---------------- REMU ---------------- */
  TEST_RR(81, remu, 0x00000002, 20, 6)
  TEST_RR(82, remu, 0x00000002, -20, 6)                  /* 0xffffffec - 6*0x2aaaaaa7 */
  TEST_RR(83, remu, 0x00000014, 20, -6)
  TEST_RR(84, remu, 0x80000000, 0x80000000, 0xffffffff)
  TEST_RR(85, remu, 0x00000000, 0xffffffff, 0xffffffff)
  TEST_RR(86, remu, 0x00000001, 0xffffffff, 0x7fffffff)
  TEST_RR(87, remu, 0x00000014, 20, 0)                   /* by zero */
  TEST_RR(88, remu, 0xffffffec, -20, 0)
  TEST_RR(89, remu, 0x00000000, 0, 0)

  /* ---------------- rd = rs1 = rs2 ---------------- */
  TEST_CASE(90, a1, 0x00000001, li a1, -7; div a1, a1, a1)
  TEST_CASE(91, a1, 0x00000000, li a1, -7; rem a1, a1, a1)
  TEST_CASE(92, a1, 0xffffffff, li a1, 0; divu a1, a1, a1)   /* 0 / 0 */
  TEST_CASE(93, a1, 0x00000000, li a1, 0; remu a1, a1, a1)

  /* ---------------- x0 destination ---------------- */
  TEST_CASE(94, x0, 0, li a1, 3; li a2, 5; mul x0, a1, a2)
  TEST_CASE(95, x0, 0, li a1, 3; li a2, 0; div x0, a1, a2)

  TEST_PASS
