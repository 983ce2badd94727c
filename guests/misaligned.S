/*
 * misaligned: misaligned data accesses.
 *
 * Misaligned LH/LHU/LW/SH/SW are performed (popek, like QEMU, handles them
 * in the execution environment): values are checked byte by byte,
 * little-endian, across word boundaries.
 *
 * Misaligned LR.W raises load-address-misaligned (mcause 4); misaligned
 * SC.W and AMO*.W raise store/AMO-address-misaligned (mcause 6).  Each
 * trap is checked for mcause, mepc (the faulting instruction), mtval (the
 * misaligned address), rd left unchanged and memory left unchanged.  The
 * A extension requires the exception for SC.W even when the SC would fail
 * (no reservation), so the SC.W checks come last (see README).
 *
 * Exit status: 0 = pass, otherwise the number of the failing check.
 */
#include "test.h"

  .data
  .balign 16
mis_ro:     /* bytes 00 11 22 ... ff */
  .byte 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77
  .byte 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
  .balign 16
/* store target (initially zero); the bytes written are noted per check */
mis_rw:
  .word 0, 0, 0, 0
  .balign 16
amo_buf:    /* bytes 00 01 02 ... 07 */
  .word 0x03020100, 0x07060504

/*
 * Run `insn` with a1 = amo_buf + off, a2 = 0x0f0f0f0f, a0 = 0x5a5a5a5a and
 * require a trap with mcause `cause` (check n), mepc = insn (n+1),
 * mtval = amo_buf + off (n+2), a0 unchanged (n+3) and amo_buf unchanged
 * (n+4, n+5).
 */
#define TEST_MIS_TRAP(n, cause, off, ...)                     \
  li gp, n ;                                                  \
  la a1, amo_buf + off ;                                      \
  li a2, 0x0f0f0f0f ;                                         \
  li a0, 0x5a5a5a5a ;                                         \
  TRAP_ARM ;                                                  \
  9980: __VA_ARGS__ ;                                         \
  TEST_TRAP_CAUSE(n, cause) ;                                 \
  TEST_TRAP_EPC(n + 1, 9980b) ;                               \
  TEST_TRAP_TVAL_ADDR(n + 2, amo_buf + off) ;                 \
  TEST_CASE(n + 3, a0, 0x5a5a5a5a, ) ;                        \
  TEST_CASE(n + 4, a3, 0x03020100, la a4, amo_buf; lw a3, 0(a4)) ; \
  TEST_CASE(n + 5, a3, 0x07060504, lw a3, 4(a4))

  TEST_BEGIN

  /* ---------------- misaligned loads are performed ---------------- */
  la s0, mis_ro
  TEST_CASE( 1, a0, 0x00002211, lh a0, 1(s0))
  TEST_CASE( 2, a0, 0xffff8877, lh a0, 7(s0))
  TEST_CASE( 3, a0, 0x00008877, lhu a0, 7(s0))
  TEST_CASE( 4, a0, 0x00004433, lh a0, 3(s0))          /* crosses a word boundary */
  TEST_CASE( 5, a0, 0x00006655, lhu a0, 5(s0))
  TEST_CASE( 6, a0, 0xffffaa99, lh a0, 9(s0))
  TEST_CASE( 7, a0, 0x44332211, lw a0, 1(s0))
  TEST_CASE( 8, a0, 0x55443322, lw a0, 2(s0))
  TEST_CASE( 9, a0, 0x66554433, lw a0, 3(s0))
  TEST_CASE(10, a0, 0xccbbaa99, lw a0, 9(s0))
  TEST_CASE(11, a0, 0xeeddccbb, lw a0, 11(s0))
  TEST_CASE(12, a0, 0x66554433, addi a1, s0, 8; lw a0, -5(a1))
  TEST_CASE(13, a1, 0x88776655, addi a1, s0, 5; lw a1, 0(a1))   /* rd = rs1 */

  /* ---------------- misaligned stores are performed ---------------- */
  la s1, mis_rw
  TEST_CASE(14, a0, 0x00a1b200, li a1, 0xa1b2; sh a1, 1(s1); lw a0, 0(s1))   /* bytes 00 b2 a1 00 */
  TEST_CASE(15, a0, 0xadbeef00, li a1, 0xdeadbeef; sw a1, 5(s1); lw a0, 4(s1))   /* +5..+8 = ef be ad de */
  TEST_CASE(16, a0, 0x000000de, lw a0, 8(s1))
  TEST_CASE(17, a0, 0x44a1b200, li a1, 0x11223344; sw a1, 3(s1); lw a0, 0(s1))   /* +3..+6 = 44 33 22 11 */
  TEST_CASE(18, a0, 0xad112233, lw a0, 4(s1))
  TEST_CASE(19, a0, 0x11223344, lw a0, 3(s1))
  TEST_CASE(20, a0, 0xff112233, li a1, 0xffff; sh a1, 7(s1); lw a0, 4(s1))   /* +7..+8 = ff ff */
  TEST_CASE(21, a0, 0x000000ff, lw a0, 8(s1))
  TEST_CASE(22, a0, 0xffffffff, lh a0, 7(s1))
  TEST_CASE(23, a0, 0xbabe00ff, li a1, 0xcafebabe; sw a1, 10(s1); lw a0, 8(s1))   /* +10..+13 = be ba fe ca */
  TEST_CASE(24, a0, 0x0000cafe, lw a0, 12(s1))
  TEST_CASE(25, a0, 0x0000ff11, lhu a0, 6(s1))
  TEST_CASE(26, a0, 0x00007700, addi a2, s1, 4; li a1, 0x7700; sh a1, -1(a2); lhu a0, 3(s1))   /* +3..+4 = 00 77 */
  TEST_CASE(27, a0, 0x7700a1b2, lw a0, 1(s1))

  /* ---------------- LR.W: load-address-misaligned (4) ---------------- */
  TEST_MIS_TRAP(30, CAUSE_MISALIGNED_LOAD, 1, lr.w a0, (a1))
  TEST_MIS_TRAP(36, CAUSE_MISALIGNED_LOAD, 2, lr.w a0, (a1))
  TEST_MIS_TRAP(42, CAUSE_MISALIGNED_LOAD, 3, lr.w.aq a0, (a1))

  /* ---------------- AMO*.W: store/AMO-address-misaligned (6) ---------------- */
  TEST_MIS_TRAP( 48, CAUSE_MISALIGNED_STORE, 2, amoswap.w a0, a2, (a1))
  TEST_MIS_TRAP( 54, CAUSE_MISALIGNED_STORE, 1, amoadd.w  a0, a2, (a1))
  TEST_MIS_TRAP( 60, CAUSE_MISALIGNED_STORE, 3, amoxor.w  a0, a2, (a1))
  TEST_MIS_TRAP( 66, CAUSE_MISALIGNED_STORE, 2, amoand.w  a0, a2, (a1))
  TEST_MIS_TRAP( 72, CAUSE_MISALIGNED_STORE, 1, amoor.w   a0, a2, (a1))
  TEST_MIS_TRAP( 78, CAUSE_MISALIGNED_STORE, 3, amomin.w  a0, a2, (a1))
  TEST_MIS_TRAP( 84, CAUSE_MISALIGNED_STORE, 2, amomax.w  a0, a2, (a1))
  TEST_MIS_TRAP( 90, CAUSE_MISALIGNED_STORE, 1, amominu.w a0, a2, (a1))
  TEST_MIS_TRAP( 96, CAUSE_MISALIGNED_STORE, 3, amomaxu.w a0, a2, (a1))
  TEST_MIS_TRAP(102, CAUSE_MISALIGNED_STORE, 6, amoadd.w.aqrl a0, a2, (a1))

  /* ---------------- SC.W: store/AMO-address-misaligned (6) ---------------- */
  /* no reservation held */
  TEST_MIS_TRAP(108, CAUSE_MISALIGNED_STORE, 2, sc.w a0, a2, (a1))
  /* a valid reservation on the aligned word containing the address */
  la a5, amo_buf
  lr.w a5, (a5)
  TEST_MIS_TRAP(114, CAUSE_MISALIGNED_STORE, 1, sc.w a0, a2, (a1))

  TEST_PASS
