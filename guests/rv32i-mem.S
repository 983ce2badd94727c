/*
 * rv32i-mem: RV32I loads and stores (naturally aligned).
 *
 * LB LH LW LBU LHU SB SH SW: little-endian byte order, sign extension of
 * LB/LH vs zero extension of LBU/LHU, positive/negative/extreme (+2047,
 * -2048) offsets, partial stores leave neighbouring bytes untouched,
 * rd = rs1 loads, loads into x0.
 *
 * Exit status: 0 = pass, otherwise the number of the failing check.
 */
#include "test.h"

  .data
  .balign 16
/* bytes (increasing address):
 *  +0: 01 7f ff 80   +4: 78 56 34 12   +8: ef be ad de   +12: 00 00 00 00 */
ro:
  .word 0x80ff7f01
  .word 0x12345678
  .word 0xdeadbeef
  .word 0x00000000

  .balign 16
rw:
  .word 0x00000000
  .word 0x00000000
  .word 0x00000000
  .word 0x00000000

  TEST_BEGIN

  /* ---------------- LB / LBU ---------------- */
  la s0, ro
  TEST_CASE( 1, a0, 0x00000001, lb a0, 0(s0))
  TEST_CASE( 2, a0, 0x0000007f, lb a0, 1(s0))
  TEST_CASE( 3, a0, 0xffffffff, lb a0, 2(s0))
  TEST_CASE( 4, a0, 0xffffff80, lb a0, 3(s0))
  TEST_CASE( 5, a0, 0x00000078, lb a0, 4(s0))
  TEST_CASE( 6, a0, 0x00000012, lb a0, 7(s0))
  TEST_CASE( 7, a0, 0xffffffef, lb a0, 8(s0))
  TEST_CASE( 8, a0, 0x00000001, lbu a0, 0(s0))
  TEST_CASE( 9, a0, 0x0000007f, lbu a0, 1(s0))
  TEST_CASE(10, a0, 0x000000ff, lbu a0, 2(s0))
  TEST_CASE(11, a0, 0x00000080, lbu a0, 3(s0))
  TEST_CASE(12, a0, 0x000000de, lbu a0, 11(s0))

  /* ---------------- LH / LHU ---------------- */
  TEST_CASE(13, a0, 0x00007f01, lh a0, 0(s0))
  TEST_CASE(14, a0, 0xffff80ff, lh a0, 2(s0))
  TEST_CASE(15, a0, 0x00005678, lh a0, 4(s0))
  TEST_CASE(16, a0, 0x00001234, lh a0, 6(s0))
  TEST_CASE(17, a0, 0xffffbeef, lh a0, 8(s0))
  TEST_CASE(18, a0, 0xffffdead, lh a0, 10(s0))
  TEST_CASE(19, a0, 0x00007f01, lhu a0, 0(s0))
  TEST_CASE(20, a0, 0x000080ff, lhu a0, 2(s0))
  TEST_CASE(21, a0, 0x0000beef, lhu a0, 8(s0))
  TEST_CASE(22, a0, 0x0000dead, lhu a0, 10(s0))

  /* ---------------- LW ---------------- */
  TEST_CASE(23, a0, 0x80ff7f01, lw a0, 0(s0))
  TEST_CASE(24, a0, 0x12345678, lw a0, 4(s0))
  TEST_CASE(25, a0, 0xdeadbeef, lw a0, 8(s0))
  TEST_CASE(26, a0, 0x00000000, li a0, -1; lw a0, 12(s0))

  /* ---------------- negative and extreme offsets ---------------- */
  TEST_CASE(27, a0, 0xdeadbeef, addi a1, s0, 12; lw a0, -4(a1))
  TEST_CASE(28, a0, 0xffffff80, addi a1, s0, 12; lb a0, -9(a1))
  TEST_CASE(29, a0, 0x000080ff, addi a1, s0, 12; lhu a0, -10(a1))
  TEST_CASE(30, a0, 0x80ff7f01, addi a1, s0, 12; lw a0, -12(a1))
  TEST_CASE(31, a0, 0x80ff7f01, li a2, 2047; sub a1, s0, a2; lw a0, 2047(a1))
  TEST_CASE(32, a0, 0x12345678, li a2, 2048; add a1, s0, a2; lw a0, -2044(a1))
  TEST_CASE(33, a0, 0xffffffad, li a2, 2048; add a1, s0, a2; lb a0, -2038(a1))

  /* ---------------- rd = rs1, rd = x0 ---------------- */
  TEST_CASE(34, a1, 0x12345678, addi a1, s0, 4; lw a1, 0(a1))
  TEST_CASE(35, a1, 0xffffffff, addi a1, s0, 2; lb a1, 0(a1))
  TEST_CASE(36, x0, 0, lw x0, 8(s0))
  TEST_CASE(37, x0, 0, lbu x0, 2(s0))

  /* ---------------- SW ---------------- */
  la s1, rw
  TEST_CASE(38, a0, 0xaabbccdd, li a1, 0xaabbccdd; sw a1, 0(s1); lw a0, 0(s1))
  TEST_CASE(39, a0, 0x000000dd, lbu a0, 0(s1))
  TEST_CASE(40, a0, 0xffffffaa, lb a0, 3(s1))
  TEST_CASE(41, a0, 0x00000000, lw a0, 4(s1))                 /* neighbour untouched */
  TEST_CASE(42, a0, 0x0badf00d, li a1, 0x0badf00d; addi a2, s1, 8; sw a1, -4(a2); lw a0, 4(s1))
  TEST_CASE(43, a0, 0xaabbccdd, lw a0, 0(s1))                 /* neighbour untouched */
  TEST_CASE(44, a0, 0x00000000, sw x0, 4(s1); lw a0, 4(s1))   /* store x0 */

  /* ---------------- SB (only the low byte of rs2, only one byte of memory) ---------------- */
  TEST_CASE(45, a0, 0xaabb44dd, li a1, 0x11223344; sb a1, 1(s1); lw a0, 0(s1))
  TEST_CASE(46, a0, 0x80bb44dd, li a1, 0xffffff80; sb a1, 3(s1); lw a0, 0(s1))
  TEST_CASE(47, a0, 0xffffff80, lb a0, 3(s1))
  TEST_CASE(48, a0, 0x80bb44ff, li a1, -1; addi a2, s1, 1; sb a1, -1(a2); lw a0, 0(s1))
  TEST_CASE(49, a0, 0x00000000, lw a0, 4(s1))                 /* neighbour untouched */

  /* ---------------- SH ---------------- */
  TEST_CASE(50, a0, 0x567844ff, li a1, 0x12345678; sh a1, 2(s1); lw a0, 0(s1))
  TEST_CASE(51, a0, 0x56788001, li a1, 0xffff8001; sh a1, 0(s1); lw a0, 0(s1))
  TEST_CASE(52, a0, 0xffff8001, lh a0, 0(s1))
  TEST_CASE(53, a0, 0x00008001, lhu a0, 0(s1))
  TEST_CASE(54, a0, 0x0000beef, li a1, 0xdeadbeef; addi a2, s1, 16; sh a1, -8(a2); lw a0, 8(s1))
  TEST_CASE(55, a0, 0x00000000, lw a0, 12(s1))                /* neighbour untouched */
  TEST_CASE(56, a0, 0x56788001, lw a0, 0(s1))

  /* ---------------- store with rs1 = rs2 ---------------- */
  TEST_CASE_REG(57, a0, a1, addi a1, s1, 12; sw a1, 0(a1); lw a0, 12(s1))

  /* ---------------- read-only data was never modified ---------------- */
  TEST_CASE(58, a0, 0x80ff7f01, lw a0, 0(s0))
  TEST_CASE(59, a0, 0x12345678, lw a0, 4(s0))

  TEST_PASS
