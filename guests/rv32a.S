/*
 * rv32a: the A extension on RV32 (single hart, aligned addresses).
 *
 * LR.W/SC.W: success (rd = 0, memory written), failure code exactly 1 (the
 * spec reserves other nonzero codes), SC without any reservation, SC after
 * a successful SC (the reservation is consumed), SC after an intervening
 * regular store of a different value to the reserved word, SC to an address
 * outside the reservation (fails, memory untouched), SC after a failed SC
 * (any SC invalidates the reservation), a newer LR replacing the reservation.
 * Every AMO*.W: both the value returned in rd (old memory) and the value
 * left in memory, signed vs unsigned MIN/MAX corners, rd = x0, rd = rs2,
 * aq/rl variants.
 *
 * Note: failing the SC after an intervening same-hart store is not required
 * by the spec (only stores from other harts/devices must break the
 * reservation) but is allowed, because an unconstrained LR/SC sequence may
 * fail for any reason; popek and QEMU both fail it when the value changed.
 *
 * Exit status: 0 = pass, otherwise the number of the failing check.
 */
#include "test.h"

  .data
  .balign 256
word_a:
  .word 0
  .balign 256
word_b:
  .word 0
  .balign 256
word_c:
  .word 0

/* Set word at (a1) to v1, a2 = v2, run `op a0, a2, (a1)`; then check the
 * returned old value (check n) and the new memory value (check n+1). */
#define TEST_AMO(n, op, old, v2, newmem)                          \
  TEST_CASE(n, a0, old,                                           \
    la a1, word_a; li a3, old; sw a3, 0(a1); li a2, v2;           \
    li a0, 0x5a5a5a5a; op a0, a2, (a1)) ;                         \
  TEST_CASE(n + 1, a4, newmem, lw a4, 0(a1))

  TEST_BEGIN

  /* ---------------- SC with no reservation ever taken ---------------- */
  la s0, word_a
  la s1, word_b
  la s2, word_c
  TEST_CASE( 1, a0, 1, li a2, 0x11111111; sc.w a0, a2, (s0))
  TEST_CASE( 2, a3, 0, lw a3, 0(s0))                  /* memory untouched */

  /* ---------------- LR / SC success ---------------- */
  TEST_CASE( 3, a0, 0x11111111, li a3, 0x11111111; sw a3, 0(s0); lr.w a0, (s0))
  TEST_CASE( 4, a1, 0, li a2, 0x22222222; sc.w a1, a2, (s0))
  TEST_CASE( 5, a3, 0x22222222, lw a3, 0(s0))

  /* ---------------- SC again: reservation consumed by the previous SC ---------------- */
  TEST_CASE( 6, a1, 1, li a2, 0x33333333; sc.w a1, a2, (s0))
  TEST_CASE( 7, a3, 0x22222222, lw a3, 0(s0))

  /* ---------------- LR; SW (different value) to the same word; SC fails ---------------- */
  TEST_CASE( 8, a0, 0x22222222, lr.w a0, (s0))
  TEST_CASE( 9, a1, 1, li a3, 0x44444444; sw a3, 0(s0); li a2, 0x55555555; sc.w a1, a2, (s0))
  TEST_CASE(10, a3, 0x44444444, lw a3, 0(s0))

  /* ---------------- LR A; SC B fails; then SC A fails too ---------------- */
  TEST_CASE(11, a0, 0x44444444, lr.w a0, (s0))
  TEST_CASE(12, a1, 1, li a2, 0x66666666; sc.w a1, a2, (s1))
  TEST_CASE(13, a3, 0, lw a3, 0(s1))                  /* B untouched */
  TEST_CASE(14, a1, 1, li a2, 0x77777777; sc.w a1, a2, (s0))
  TEST_CASE(15, a3, 0x44444444, lw a3, 0(s0))         /* A untouched */

  /* ---------------- LR A; LR B; SC A fails (reservation moved to B); SC B fails ---------------- */
  TEST_CASE(16, a0, 0, lr.w a0, (s0); lr.w a0, (s1))
  TEST_CASE(17, a1, 1, li a2, 0x88888888; sc.w a1, a2, (s0))
  TEST_CASE(18, a3, 0x44444444, lw a3, 0(s0))
  TEST_CASE(19, a1, 1, li a2, 0x99999999; sc.w a1, a2, (s1))
  TEST_CASE(20, a3, 0, lw a3, 0(s1))

  /* ---------------- LR A; LR B; SC B succeeds ---------------- */
  TEST_CASE(21, a1, 0, lr.w a0, (s0); lr.w a0, (s1); li a2, 0xaaaaaaaa; sc.w a1, a2, (s1))
  TEST_CASE(22, a3, 0xaaaaaaaa, lw a3, 0(s1))
  TEST_CASE(23, a3, 0x44444444, lw a3, 0(s0))

  /* ---------------- LR value is the full word, sign irrelevant on RV32 ---------------- */
  TEST_CASE(24, a0, 0x80000001, li a3, 0x80000001; sw a3, 0(s2); lr.w a0, (s2))
  TEST_CASE(25, a1, 0, li a2, 0x7ffffffe; sc.w a1, a2, (s2))
  TEST_CASE(26, a3, 0x7ffffffe, lw a3, 0(s2))

  /* ---------------- aq/rl encodings behave the same ---------------- */
  TEST_CASE(27, a0, 0x7ffffffe, lr.w.aq a0, (s2))
  TEST_CASE(28, a1, 0, li a2, 0x01020304; sc.w.rl a1, a2, (s2))
  TEST_CASE(29, a0, 0x01020304, lr.w.aqrl a0, (s2))
  TEST_CASE(30, a1, 0, li a2, 0x05060708; sc.w.aqrl a1, a2, (s2))
  TEST_CASE(31, a3, 0x05060708, lw a3, 0(s2))

  /* ---------------- SC with rd = rs2 ---------------- */
  TEST_CASE(32, a2, 0, lr.w a0, (s2); li a2, 0x0a0b0c0d; sc.w a2, a2, (s2))
  TEST_CASE(33, a3, 0x0a0b0c0d, lw a3, 0(s2))

  /* ---------------- AMOSWAP ---------------- */
  TEST_AMO(34, amoswap.w, 0x11112222, 0xaaaabbbb, 0xaaaabbbb)
  TEST_AMO(36, amoswap.w, 0x80000000, 0x00000000, 0x00000000)

  /* ---------------- AMOADD ---------------- */
  TEST_AMO(38, amoadd.w,  0x7fffffff, 0x00000001, 0x80000000)
  TEST_AMO(40, amoadd.w,  0xffffffff, 0x00000002, 0x00000001)
  TEST_AMO(42, amoadd.w,  0x12345678, 0xedcba988, 0x00000000)

  /* ---------------- AMOXOR / AMOAND / AMOOR ---------------- */
  TEST_AMO(44, amoxor.w,  0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
  TEST_AMO(46, amoand.w,  0xff00ff00, 0x0ff00ff0, 0x0f000f00)
  TEST_AMO(48, amoor.w,   0xff00ff00, 0x0ff00ff0, 0xfff0fff0)

  /* ---------------- AMOMIN / AMOMAX (signed) ---------------- */
  TEST_AMO(50, amomin.w,  0xffffffff, 0x00000001, 0xffffffff)   /* min(-1, 1) = -1 */
  TEST_AMO(52, amomin.w,  0x80000000, 0x7fffffff, 0x80000000)
  TEST_AMO(54, amomin.w,  0x00000005, 0x00000003, 0x00000003)
  TEST_AMO(56, amomin.w,  0x7fffffff, 0x80000000, 0x80000000)
  TEST_AMO(58, amomax.w,  0xffffffff, 0x00000001, 0x00000001)   /* max(-1, 1) = 1 */
  TEST_AMO(60, amomax.w,  0x80000000, 0x7fffffff, 0x7fffffff)
  TEST_AMO(62, amomax.w,  0xfffffffe, 0xffffffff, 0xffffffff)   /* max(-2, -1) = -1 */
  TEST_AMO(64, amomax.w,  0x00000007, 0x00000007, 0x00000007)

  /* ---------------- AMOMINU / AMOMAXU (unsigned) ---------------- */
  TEST_AMO(66, amominu.w, 0xffffffff, 0x00000001, 0x00000001)
  TEST_AMO(68, amominu.w, 0x80000000, 0x7fffffff, 0x7fffffff)
  TEST_AMO(70, amominu.w, 0x00000000, 0xffffffff, 0x00000000)
  TEST_AMO(72, amomaxu.w, 0xffffffff, 0x00000001, 0xffffffff)
  TEST_AMO(74, amomaxu.w, 0x80000000, 0x7fffffff, 0x80000000)
  TEST_AMO(76, amomaxu.w, 0x00000001, 0xfffffffe, 0xfffffffe)

  /* ---------------- rd = x0: memory is still updated ---------------- */
  TEST_CASE(78, a4, 0x00000105,
    la a1, word_a; li a3, 0x100; sw a3, 0(a1); li a2, 5; amoadd.w x0, a2, (a1); lw a4, 0(a1))
  TEST_CASE(79, x0, 0, nop)

  /* ---------------- rd = rs2 ---------------- */
  TEST_CASE(80, a2, 0x00000105,
    la a1, word_a; li a2, 0xcafe; amoswap.w a2, a2, (a1))
  TEST_CASE(81, a4, 0x0000cafe, lw a4, 0(a1))
  TEST_CASE(82, a2, 0x0000cafe,
    li a2, 0x0000f00f; amoor.w a2, a2, (a1))
  TEST_CASE(83, a4, 0x0000faff, lw a4, 0(a1))   /* 0xcafe | 0xf00f */

  /* ---------------- aq/rl AMO variants ---------------- */
  TEST_AMO(84, amoadd.w.aq,   0x00000010, 0x00000020, 0x00000030)
  TEST_AMO(86, amoxor.w.rl,   0x0000ffff, 0x00000f0f, 0x0000f0f0)
  TEST_AMO(88, amomaxu.w.aqrl, 0x00000001, 0x00000002, 0x00000002)

  /* ---------------- the AMOs on word_a never touched the other words ---------------- */
  TEST_CASE(90, a3, 0xaaaaaaaa, lw a3, 0(s1))
  TEST_CASE(91, a3, 0x0a0b0c0d, lw a3, 0(s2))

  TEST_PASS
