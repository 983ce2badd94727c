/*
 * traps: synchronous exceptions in M-mode, MRET and the trap CSRs.
 *
 * ECALL (mcause 11, mtval 0), EBREAK (mcause 3; mtval not checked: popek
 * writes the pc, the spec also allows 0), illegal instructions (all-zero
 * word, all-ones word, an F-extension load, a reserved major opcode;
 * mtval = the instruction word), instruction-address-misaligned on taken
 * JAL/JALR/branch to a non-4-byte-aligned target (mcause 0, mepc = the
 * jump, mtval = the target, rd not written; not-taken branches never
 * trap), load/store/AMO/LR access faults at the unmapped address 0x40000000
 * (mcause 5 / 7, mtval = address), instruction access fault (mcause 1,
 * mepc = mtval = target), mstatus MIE/MPIE/MPP on trap entry and on MRET,
 * MRET returning to mepc, mtvec in direct mode, mepc[1:0] reading as zero.
 *
 * Exit status: 0 = pass, otherwise the number of the failing check.
 */
#include "test.h"

#define BAD_ADDR 0x40000000

/* `insn` must trap with `cause`; checks n (mcause) and n+1 (mepc = insn). */
#define EXPECT_TRAP(n, cause, ...)                  \
  li gp, n ;                                        \
  TRAP_ARM ;                                        \
  9982: __VA_ARGS__ ;                               \
  TEST_TRAP_CAUSE(n, cause) ;                       \
  TEST_TRAP_EPC(n + 1, 9982b)

  TEST_BEGIN

  /* make sure no interrupt can be taken while MIE is set below */
  csrw mie, x0

  /* ---------------- ECALL ---------------- */
  li a1, 0x1234
  csrw mtval, a1                                /* must be overwritten with 0 */
  EXPECT_TRAP(1, CAUSE_ECALL_M, ecall)
  TEST_TRAP_TVAL(3, 0)

  /* ---------------- EBREAK ---------------- */
  EXPECT_TRAP(4, CAUSE_BREAKPOINT, ebreak)

  /* ---------------- illegal instructions (mtval = instruction bits) ---------------- */
  EXPECT_TRAP( 6, CAUSE_ILLEGAL_INSN, .word 0x00000000)
  TEST_TRAP_TVAL( 8, 0x00000000)
  EXPECT_TRAP( 9, CAUSE_ILLEGAL_INSN, .word 0xffffffff)
  TEST_TRAP_TVAL(11, 0xffffffff)
  EXPECT_TRAP(12, CAUSE_ILLEGAL_INSN, .word 0x00052007)   /* flw f0, 0(a0): no F */
  TEST_TRAP_TVAL(14, 0x00052007)
  EXPECT_TRAP(15, CAUSE_ILLEGAL_INSN, .word 0x0000006b)   /* reserved major opcode 1101011 */
  TEST_TRAP_TVAL(17, 0x0000006b)

  /* ---------------- instruction-address-misaligned: JAL ---------------- */
  li ra, 0x5a5a5a5a
  EXPECT_TRAP(20, CAUSE_MISALIGNED_FETCH, .word 0x002000ef)  /* jal ra, .+2 */
  TEST_TRAP_TVAL_ADDR(22, 9982b + 2)
  TEST_CASE(23, ra, 0x5a5a5a5a, )                            /* rd not written */
  EXPECT_TRAP(24, CAUSE_MISALIGNED_FETCH, .word 0x0060006f)  /* jal x0, .+6 */
  TEST_TRAP_TVAL_ADDR(26, 9982b + 6)
  EXPECT_TRAP(27, CAUSE_MISALIGNED_FETCH, .word 0xfffff0ef)  /* jal ra, .-2 */
  TEST_TRAP_TVAL_ADDR(29, 9982b - 2)
  TEST_CASE(30, ra, 0x5a5a5a5a, )

  /* ---------------- instruction-address-misaligned: JALR ---------------- */
  li ra, 0x5a5a5a5a
  la a1, .Lalign_target + 2
  EXPECT_TRAP(31, CAUSE_MISALIGNED_FETCH, jalr ra, 0(a1))
  TEST_TRAP_TVAL_ADDR(33, .Lalign_target + 2)
  TEST_CASE(34, ra, 0x5a5a5a5a, )
  la a1, .Lalign_target + 3                                  /* bit 0 cleared first */
  EXPECT_TRAP(35, CAUSE_MISALIGNED_FETCH, jalr ra, 0(a1))
  TEST_TRAP_TVAL_ADDR(37, .Lalign_target + 2)
  TEST_CASE(38, ra, 0x5a5a5a5a, )
  la a1, .Lalign_target                                      /* rd = rs1, odd offset 3 */
  mv s0, a1
  EXPECT_TRAP(39, CAUSE_MISALIGNED_FETCH, jalr a1, 3(a1))
  TEST_TRAP_TVAL_ADDR(41, .Lalign_target + 2)
  TEST_CASE_REG(42, a1, s0, )                                /* rd not written */
  j .Lalign_done
  .balign 4
.Lalign_target:
  TEST_FAIL_IF_REACHED(43)
.Lalign_done:

  /* ---------------- instruction-address-misaligned: taken branch ---------------- */
  EXPECT_TRAP(44, CAUSE_MISALIGNED_FETCH, .word 0x00000163)  /* beq x0, x0, .+2 */
  TEST_TRAP_TVAL_ADDR(46, 9982b + 2)
  li gp, 47                                                   /* not taken: no trap */
  .word 0x00001163                                            /* bne x0, x0, .+2 */
  nop

  /* ---------------- load / store / AMO access faults ---------------- */
  li a1, BAD_ADDR
  li a2, 0x77777777
  li a0, 0x5a5a5a5a
  EXPECT_TRAP(48, CAUSE_LOAD_ACCESS, lw a0, 0(a1))
  TEST_TRAP_TVAL(50, BAD_ADDR)
  TEST_CASE(51, a0, 0x5a5a5a5a, )
  EXPECT_TRAP(52, CAUSE_LOAD_ACCESS, lbu a0, 3(a1))
  TEST_TRAP_TVAL(54, BAD_ADDR + 3)
  EXPECT_TRAP(55, CAUSE_LOAD_ACCESS, lh a0, -2(a1))          /* 0x3ffffffe: also unmapped */
  TEST_TRAP_TVAL(57, BAD_ADDR - 2)
  EXPECT_TRAP(58, CAUSE_STORE_ACCESS, sw a2, 0(a1))
  TEST_TRAP_TVAL(60, BAD_ADDR)
  EXPECT_TRAP(61, CAUSE_STORE_ACCESS, sb a2, 1(a1))
  TEST_TRAP_TVAL(63, BAD_ADDR + 1)
  EXPECT_TRAP(64, CAUSE_STORE_ACCESS, sh a2, 6(a1))
  TEST_TRAP_TVAL(66, BAD_ADDR + 6)
  EXPECT_TRAP(67, CAUSE_LOAD_ACCESS, lr.w a0, (a1))
  TEST_TRAP_TVAL(69, BAD_ADDR)
  EXPECT_TRAP(70, CAUSE_STORE_ACCESS, amoadd.w a0, a2, (a1))
  TEST_TRAP_TVAL(72, BAD_ADDR)
  EXPECT_TRAP(73, CAUSE_STORE_ACCESS, amoswap.w a0, a2, (a1))
  TEST_TRAP_TVAL(75, BAD_ADDR)
  TEST_CASE(76, a0, 0x5a5a5a5a, )

  /* ---------------- instruction access fault ---------------- */
  li gp, 77
  li a1, BAD_ADDR
  TRAP_ARM_RESUME(.Lfetch_resume)
.Lfetch_jump:
  jalr ra, 0(a1)
  TEST_FAIL_IF_REACHED(78)
.Lfetch_resume:
  TEST_TRAP_CAUSE(79, CAUSE_FETCH_ACCESS)
  TEST_TRAP_TVAL(80, BAD_ADDR)
  li gp, 81
  la t6, __trap_area
  lw t5, TRAP_EPC(t6)
  li t6, BAD_ADDR
  __check_t6 t5                                               /* mepc = target */
  TEST_CASE_REG(82, ra, a2, la a2, .Lfetch_jump + 4)          /* the JALR itself retired */

  /* ---------------- mstatus on trap entry and return ---------------- */
  csrci mstatus, MSTATUS_MIE
  csrsi mstatus, MSTATUS_MIE                                  /* MIE = 1 */
  EXPECT_TRAP(83, CAUSE_ECALL_M, ecall)
  /* in the handler: MIE = 0, MPIE = old MIE = 1, MPP = M (3) */
  TEST_TRAP_MSTATUS(85, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP)
  /* after the handler's MRET: MIE = MPIE = 1, MPIE = 1 */
  TEST_CASE(86, a0, MSTATUS_MIE | MSTATUS_MPIE,
    csrr a0, mstatus; andi a0, a0, MSTATUS_MIE | MSTATUS_MPIE)
  csrci mstatus, MSTATUS_MIE                                  /* MIE = 0 */
  EXPECT_TRAP(87, CAUSE_ECALL_M, ecall)
  TEST_TRAP_MSTATUS(89, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPP)
  TEST_CASE(90, a0, MSTATUS_MPIE,
    csrr a0, mstatus; andi a0, a0, MSTATUS_MIE | MSTATUS_MPIE)

  /* ---------------- MRET: pc <- mepc, MIE <- MPIE, MPIE <- 1 ---------------- */
  li gp, 91
  la a0, .Lmret1_target
  csrw mepc, a0
  li a0, MSTATUS_MPP | MSTATUS_MPIE
  csrs mstatus, a0                                            /* MPP = M, MPIE = 1 */
  csrci mstatus, MSTATUS_MIE                                  /* MIE = 0 */
  mret
  TEST_FAIL_IF_REACHED(92)
.Lmret1_target:
  TEST_CASE(93, a0, MSTATUS_MIE | MSTATUS_MPIE,
    csrr a0, mstatus; andi a0, a0, MSTATUS_MIE | MSTATUS_MPIE)

  li gp, 94
  la a0, .Lmret2_target
  csrw mepc, a0
  li a0, MSTATUS_MPP
  csrs mstatus, a0                                            /* MPP = M */
  li a0, MSTATUS_MPIE
  csrc mstatus, a0                                            /* MPIE = 0 */
  csrsi mstatus, MSTATUS_MIE                                  /* MIE = 1 */
  mret
  TEST_FAIL_IF_REACHED(95)
.Lmret2_target:
  TEST_CASE(96, a0, MSTATUS_MPIE,
    csrr a0, mstatus; andi a0, a0, MSTATUS_MIE | MSTATUS_MPIE)

  /* ---------------- mtvec, direct mode ---------------- */
  TEST_CASE_REG(97, a0, a1,
    la a1, .Lalt_handler; csrw mtvec, a1; csrr a0, mtvec)
  TEST_CASE(98, s5, 0xabc,
    li s5, 0; .word 0xffffffff)                               /* taken by .Lalt_handler */
  TEST_CASE_REG(99, a0, a1,
    la a1, __trap_entry; csrw mtvec, a1; csrr a0, mtvec)
  EXPECT_TRAP(100, CAUSE_ECALL_M, ecall)                      /* back to the framework */

  /* ---------------- mepc: bits 1:0 read as zero (IALIGN = 32) ---------------- */
  TEST_CASE(102, a0, 0x80000010,
    li a1, 0x80000013; csrw mepc, a1; csrr a0, mepc)
  TEST_CASE(103, a0, 0x80000014,
    li a1, 0x80000016; csrw mepc, a1; csrr a0, mepc)

  TEST_PASS

  /* minimal alternative trap handler: s5 = 0xabc, skip the instruction */
  .balign 4
.Lalt_handler:
  li s5, 0xabc
  csrr s6, mepc
  addi s6, s6, 4
  csrw mepc, s6
  mret
