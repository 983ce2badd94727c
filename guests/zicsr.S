/*
 * zicsr: the Zicsr instructions and the M-mode CSRs popek implements.
 *
 * CSRRW CSRRS CSRRC CSRRWI CSRRSI CSRRCI on mscratch (old value returned,
 * new value written, rd = rs1); rs1 = x0 / uimm = 0 forms of CSRRS(I) and
 * CSRRC(I) do not write, so they may read read-only CSRs; any write attempt
 * to a read-only CSR (including CSRRS/CSRRC with an rs1 other than x0 that
 * holds 0, and CSRRWI with uimm = 0) raises illegal instruction with
 * mtval = the instruction word; unimplemented CSR numbers raise illegal
 * instruction; misa = 0x40141101 (MXL = 1, A, I, M, S, U); mhartid = 0; mcycle
 * and minstret advance, minstret exactly by the number of retired
 * instructions; a value written to minstret is read by the next instruction.
 *
 * Exit status: 0 = pass, otherwise the number of the failing check.
 */
#include "test.h"

/*
 * `insn` (with a0 = 0x5a5a5a5a, a1 = 0) must raise illegal instruction:
 * mcause 2 (check n), mepc = insn (n+1), mtval = `word`, the hand-assembled
 * encoding of insn (n+2), a0 unchanged (n+3).
 */
#define TEST_ILLEGAL(n, word, ...)                  \
  li gp, n ;                                        \
  li a0, 0x5a5a5a5a ;                               \
  li a1, 0 ;                                        \
  TRAP_ARM ;                                        \
  9981: __VA_ARGS__ ;                               \
  TEST_TRAP_CAUSE(n, CAUSE_ILLEGAL_INSN) ;          \
  TEST_TRAP_EPC(n + 1, 9981b) ;                     \
  TEST_TRAP_TVAL(n + 2, word) ;                     \
  TEST_CASE(n + 3, a0, 0x5a5a5a5a, )

#define CSR_MVENDORID 0xf11
#define CSR_MARCHID   0xf12
#define CSR_MIMPID    0xf13
#define CSR_MHARTID   0xf14

  TEST_BEGIN

  /* ---------------- register forms on mscratch ---------------- */
  TEST_CASE( 1, a0, 0x12345678, li a1, 0x12345678; csrw mscratch, a1; csrr a0, mscratch)
  TEST_CASE( 2, a0, 0x12345678, li a1, 0xcafebabe; csrrw a0, mscratch, a1)
  TEST_CASE( 3, a0, 0xcafebabe, csrr a0, mscratch)
  TEST_CASE( 4, a0, 0xcafebabe, li a1, 0x00000101; csrrs a0, mscratch, a1)
  TEST_CASE( 5, a0, 0xcafebbbf, csrr a0, mscratch)
  TEST_CASE( 6, a0, 0xcafebbbf, li a1, 0xca000000; csrrc a0, mscratch, a1)
  TEST_CASE( 7, a0, 0x00febbbf, csrr a0, mscratch)
  TEST_CASE( 8, a0, 0x00febbbf, csrrs a0, mscratch, x0)          /* no write */
  TEST_CASE( 9, a0, 0x00febbbf, csrrc a0, mscratch, x0)          /* no write */
  TEST_CASE(10, a0, 0x00febbbf, csrr a0, mscratch)

  /* ---------------- immediate forms ---------------- */
  TEST_CASE(11, a0, 0x00febbbf, csrrwi a0, mscratch, 0x1f)
  TEST_CASE(12, a0, 0x0000001f, csrr a0, mscratch)
  TEST_CASE(13, a0, 0x0000001f, csrrwi a0, mscratch, 5)
  TEST_CASE(14, a0, 0x00000005, csrrsi a0, mscratch, 10)
  TEST_CASE(15, a0, 0x0000000f, csrr a0, mscratch)
  TEST_CASE(16, a0, 0x0000000f, csrrci a0, mscratch, 3)
  TEST_CASE(17, a0, 0x0000000c, csrr a0, mscratch)
  TEST_CASE(18, a0, 0x0000000c, csrrsi a0, mscratch, 0)          /* no write */
  TEST_CASE(19, a0, 0x0000000c, csrrci a0, mscratch, 0)          /* no write */
  TEST_CASE(20, a0, 0x0000000c, csrr a0, mscratch)
  TEST_CASE(21, a0, 0x0000000c, csrrwi a0, mscratch, 0)          /* uimm 0 does write */
  TEST_CASE(22, a0, 0x00000000, csrr a0, mscratch)
  TEST_CASE(23, a0, 0x00000000, csrrsi a0, mscratch, 16)
  TEST_CASE(24, a0, 0x00000010, csrr a0, mscratch)               /* uimm is zero-extended */

  /* ---------------- rd = rs1, rd = x0, all-ones masks ---------------- */
  TEST_CASE(25, a1, 0x00000010, li a1, 0x55; csrrw a1, mscratch, a1)
  TEST_CASE(26, a0, 0x00000055, csrr a0, mscratch)
  TEST_CASE(27, a1, 0x00000055, li a1, 0xaa00; csrrs a1, mscratch, a1)
  TEST_CASE(28, a0, 0x0000aa55, csrr a0, mscratch)
  TEST_CASE(29, a0, 0xffffffff, li a1, -1; csrw mscratch, a1; csrr a0, mscratch)
  TEST_CASE(30, a0, 0xffffffff, li a1, -1; csrrc a0, mscratch, a1)
  TEST_CASE(31, a0, 0x00000000, csrr a0, mscratch)
  TEST_CASE(32, a0, 0x00000000, li a1, 0x80000001; csrrs x0, mscratch, a1; csrr a0, mscratch; xor a0, a0, a1)

  /* ---------------- read-only CSRs: reads without a write attempt ---------------- */
  TEST_CASE(33, a0, 0, li a0, -1; csrr a0, mhartid)
  TEST_CASE(34, a0, 0, li a0, -1; csrrs a0, mhartid, x0)
  TEST_CASE(35, a0, 0, li a0, -1; csrrc a0, mhartid, x0)
  TEST_CASE(36, a0, 0, li a0, -1; csrrsi a0, mhartid, 0)
  TEST_CASE(37, a0, 0, li a0, -1; csrrci a0, mhartid, 0)
  /* values are implementation-defined; only "no trap" is checked */
  TEST_CASE(38, x0, 0, csrr a0, mvendorid; csrrs a0, marchid, x0; csrrci a0, mimpid, 0)

  /* ---------------- misa ---------------- */
  TEST_CASE(39, a0, 0x40141101, csrr a0, misa)    /* MXL=1 | U (bit 20) | S (bit 18) | M (bit 12) | I (bit 8) | A (bit 0) */

  /* ---------------- counters ---------------- */
  /* A CSR read returns the value before the reading instruction retires, so
   * between the two reads exactly 1 + 8 instructions retire. */
  TEST_CASE(40, a0, 9,
    csrr a1, minstret; nop; nop; nop; nop; nop; nop; nop; nop;
    csrr a2, minstret; sub a0, a2, a1)
  TEST_CASE(41, a0, 1,                                       /* advanced (cycles per instruction unspecified) */
    csrr a1, mcycle; nop; nop; nop; nop; nop; nop; nop; nop;
    csrr a2, mcycle; sub a0, a2, a1; sltu a0, x0, a0)
  TEST_CASE(42, x0, 0, csrr a0, minstreth; csrr a0, mcycleh)
  /* "a value written to instret by one instruction will be the value read by
   * the following instruction" (Zicsr, CSR access ordering) */
  TEST_CASE(43, a0, 0x00010000, li a1, 0x10000; csrw minstret, a1; csrr a0, minstret)
  TEST_CASE(44, a0, 0x00010002, li a1, 0x10000; csrw minstret, a1; nop; nop; csrr a0, minstret)

  /* ---------------- write attempts to read-only CSRs ---------------- */
  /* csrrw x0, mhartid, a1 */
  TEST_ILLEGAL( 50, 0xf1459073, csrw mhartid, a1)
  /* csrrs a0, mhartid, a1 with a1 = 0: rs1 != x0 is a write attempt */
  TEST_ILLEGAL( 54, 0xf145a573, csrrs a0, mhartid, a1)
  /* csrrc a0, mvendorid, a1 with a1 = 0 */
  TEST_ILLEGAL( 58, 0xf115b573, csrrc a0, mvendorid, a1)
  /* csrrwi a0, mhartid, 0: CSRRWI always writes */
  TEST_ILLEGAL( 62, 0xf1405573, csrrwi a0, mhartid, 0)
  /* csrrsi a0, marchid, 1 */
  TEST_ILLEGAL( 66, 0xf120e573, csrrsi a0, marchid, 1)
  /* csrrci a0, mimpid, 31 */
  TEST_ILLEGAL( 70, 0xf13ff573, csrrci a0, mimpid, 31)
  /* csrrw a0, mhartid, a0 */
  TEST_ILLEGAL( 74, 0xf1451573, csrrw a0, mhartid, a0)

  /* ---------------- unimplemented CSR numbers (custom ranges) ---------------- */
  /* csrrs a0, 0x7c0, x0 (custom M-mode read/write) */
  TEST_ILLEGAL( 78, 0x7c002573, csrr a0, 0x7c0)
  /* csrrw a0, 0x8ff, a1 (custom U-mode read/write) */
  TEST_ILLEGAL( 82, 0x8ff59573, csrrw a0, 0x8ff, a1)
  /* csrrs a0, 0xfc0, x0 (custom M-mode read-only) */
  TEST_ILLEGAL( 86, 0xfc002573, csrr a0, 0xfc0)

  /* plain mscratch accesses still work after the traps (the handler uses mscratch) */
  TEST_CASE(90, a0, 0x13579bdf, li a1, 0x13579bdf; csrw mscratch, a1; csrr a0, mscratch)

  TEST_PASS
