/*
 * popek guests: self-checking test framework (RV32, M-mode, HTIF).
 *
 * Include from a .S file (preprocessed by gcc -E) and use:
 *
 *   TEST_BEGIN                              start of the program (_start)
 *   TEST_CASE(n, reg, expected, code...)    run `code`, then require reg == expected
 *   TEST_CASE_REG(n, reg, expreg, code...)  run `code`, then require reg == expreg
 *   TEST_FAIL_IF_REACHED(n)                 exit with code n if executed
 *   TRAP_ARM / TRAP_ARM_RESUME(label)       the next trap is expected
 *   TEST_TRAP_CAUSE(n, cause)               check the recorded mcause (and disarm)
 *   TEST_TRAP_EPC(n, label)                 check the recorded mepc
 *   TEST_TRAP_TVAL(n, value)                check the recorded mtval
 *   TEST_TRAP_TVAL_ADDR(n, addr_expr)       check mtval against an address (la)
 *   TEST_TRAP_MSTATUS(n, mask, value)       check (mstatus at trap entry & mask)
 *   PUTS("text")                            print a string through HTIF
 *   TEST_PASS                               exit with status 0
 *
 * Conventions:
 *   - gp (x3) holds the number of the check in progress; t5 (x30) and
 *     t6 (x31) are scratch registers of the framework.  Test code must not
 *     rely on them.
 *   - Comments in guest sources use C style, because the files go through
 *     the C preprocessor.
 *   - A failing check prints "FAIL test=<n> ..." and exits with status n
 *     (1..254).  A trap that was not announced with TRAP_ARM prints
 *     "UNEXPECTED TRAP ..." and exits with status 255.
 *
 * Trap handling: mtvec points to __trap_entry (direct mode).  The handler
 * preserves every general-purpose register (it clobbers mscratch), records
 * mcause, mepc, mtval and mstatus, and returns with mret to mepc + 4, or to
 * the address given with TRAP_ARM_RESUME (needed for instruction fetch
 * faults, where mepc is the faulting target).
 *
 * HTIF (tohost/fromhost are defined by HTIF_SYMBOLS, placed by link.ld):
 *   putchar(ch): wait until both tohost words read 0; store ch to the low
 *                word, then 0x01010000 (device 1, command 1) to the high word.
 *   exit(code):  wait likewise; store (code << 1) | 1 to the low word, then 0
 *                to the high word, and spin.
 */
#ifndef POPEK_GUEST_TEST_H
#define POPEK_GUEST_TEST_H

/* Offsets in __trap_area. */
#define TRAP_SAVE_T1    0
#define TRAP_ARMED      4
#define TRAP_CAUSE      8
#define TRAP_EPC       12
#define TRAP_TVAL      16
#define TRAP_MSTATUS   20
#define TRAP_RESUME    24
#define TRAP_COUNT     28
#define TRAP_AREA_SIZE 32

#define UNEXPECTED_TRAP_STATUS 255

/* ---------------------------------------------------------------- HTIF */

/*
 * Defines the 8-byte aligned 64-bit words tohost and fromhost in section
 * .tohost (placed on its own page by link.ld).  Every guest must expand this
 * exactly once (TEST_BEGIN and start.S do).
 */
.macro HTIF_SYMBOLS
  .pushsection .tohost, "aw", @progbits
  .balign 8
  .globl tohost
  .type tohost, @object
  .size tohost, 8
tohost:
  .dword 0
  .globl fromhost
  .type fromhost, @object
  .size fromhost, 8
fromhost:
  .dword 0
  .popsection
.endm

/*
 * Emits the HTIF helper routines:
 *   __htif_putc(a0)    prints the low byte of a0;     clobbers t0, t1
 *   __htif_puts(a0)    prints a NUL-terminated string; clobbers a0-a2, t0, t1
 *   __htif_puthex(a0)  prints a0 as 0x%08x;             clobbers a0-a3, t0, t1
 *   __htif_exit(a0)    exits with status a0; never returns
 */
.macro HTIF_HELPERS
  .balign 4
__htif_putc:
  la t0, tohost
1:
  lw t1, 0(t0)
  bnez t1, 1b
  lw t1, 4(t0)
  bnez t1, 1b
  andi t1, a0, 0xff
  sw t1, 0(t0)
  li t1, 0x01010000
  sw t1, 4(t0)
  ret

__htif_puts:
  mv a2, ra
  mv a1, a0
1:
  lbu a0, 0(a1)
  beqz a0, 2f
  jal ra, __htif_putc
  addi a1, a1, 1
  j 1b
2:
  mv ra, a2
  ret

__htif_puthex:
  mv a3, ra
  mv a1, a0
  li a0, 48               /* '0' */
  jal ra, __htif_putc
  li a0, 120              /* 'x' */
  jal ra, __htif_putc
  li a2, 28
1:
  srl a0, a1, a2
  andi a0, a0, 15
  addi a0, a0, 48         /* '0' + digit */
  li t0, 58
  blt a0, t0, 2f
  addi a0, a0, 39         /* 'a' - '0' - 10 */
2:
  jal ra, __htif_putc
  addi a2, a2, -4
  bgez a2, 1b
  mv ra, a3
  ret

__htif_exit:
  la t0, tohost
1:
  lw t1, 0(t0)
  bnez t1, 1b
  lw t1, 4(t0)
  bnez t1, 1b
  slli a0, a0, 1
  ori a0, a0, 1
  sw a0, 0(t0)
  sw zero, 4(t0)
2:
  j 2b
.endm

/* Print a string literal (clobbers a0-a2, t0, t1, ra). */
#define PUTS(s)                                   \
  .pushsection .rodata.str, "a", @progbits ;      \
  9990: .asciz s ;                                \
  .popsection ;                                   \
  la a0, 9990b ;                                  \
  jal ra, __htif_puts

/* ------------------------------------------------------------ program */

.macro TEST_BEGIN
  .section .text.init, "ax", @progbits
  .globl _start
_start:
  la t0, __trap_entry
  csrw mtvec, t0
  li gp, 0
  j __test_body

  HTIF_SYMBOLS
  HTIF_HELPERS

  /* ---- trap handler ---- */
  .balign 4
__trap_entry:
  csrw mscratch, t0
  la t0, __trap_area
  sw t1, TRAP_SAVE_T1(t0)
  csrr t1, mstatus
  sw t1, TRAP_MSTATUS(t0)
  csrr t1, mcause
  sw t1, TRAP_CAUSE(t0)
  csrr t1, mepc
  sw t1, TRAP_EPC(t0)
  csrr t1, mtval
  sw t1, TRAP_TVAL(t0)
  lw t1, TRAP_ARMED(t0)
  beqz t1, __trap_unexpected
  sw zero, TRAP_ARMED(t0)
  lw t1, TRAP_COUNT(t0)
  addi t1, t1, 1
  sw t1, TRAP_COUNT(t0)
  lw t1, TRAP_RESUME(t0)
  bnez t1, 1f
  csrr t1, mepc
  addi t1, t1, 4
1:
  csrw mepc, t1
  sw zero, TRAP_RESUME(t0)
  lw t1, TRAP_SAVE_T1(t0)
  csrr t0, mscratch
  mret

__trap_unexpected:
  PUTS("UNEXPECTED TRAP test=")
  mv a0, gp
  jal ra, __htif_puthex
  PUTS(" mcause=")
  la t2, __trap_area
  lw a0, TRAP_CAUSE(t2)
  jal ra, __htif_puthex
  PUTS(" mepc=")
  la t2, __trap_area
  lw a0, TRAP_EPC(t2)
  jal ra, __htif_puthex
  PUTS(" mtval=")
  la t2, __trap_area
  lw a0, TRAP_TVAL(t2)
  jal ra, __htif_puthex
  PUTS("\n")
  li a0, UNEXPECTED_TRAP_STATUS
  j __htif_exit

  /* ---- failure reporting ---- */
__fail:
  PUTS("FAIL test=")
  mv a0, gp
  jal ra, __htif_puthex
  PUTS("\n")
  mv a0, gp
  j __htif_exit

  /* a1 = value found, a2 = value expected */
__fail_val:
  mv s0, a1
  mv s1, a2
  PUTS("FAIL test=")
  mv a0, gp
  jal ra, __htif_puthex
  PUTS(" got=")
  mv a0, s0
  jal ra, __htif_puthex
  PUTS(" expected=")
  mv a0, s1
  jal ra, __htif_puthex
  PUTS("\n")
  mv a0, gp
  j __htif_exit

  .pushsection .bss.trap_area, "aw", @nobits
  .balign 16
__trap_area:
  .skip TRAP_AREA_SIZE
  .popsection

  .text
  .balign 4
__test_body:
.endm

/* Compare reg with t6; on mismatch report both values and exit with gp. */
.macro __check_t6 reg
  beq \reg, t6, .Lcheck_ok\@
  mv a1, \reg
  mv a2, t6
  j __fail_val
.Lcheck_ok\@:
.endm

#define TEST_CASE(n, reg, expected, ...)        \
  li gp, n ;                                    \
  __VA_ARGS__ ;                                 \
  li t6, expected ;                             \
  __check_t6 reg

#define TEST_CASE_REG(n, reg, expreg, ...)      \
  li gp, n ;                                    \
  __VA_ARGS__ ;                                 \
  mv t6, expreg ;                               \
  __check_t6 reg

#define TEST_FAIL_IF_REACHED(n)                 \
  li gp, n ;                                    \
  j __fail

#define TEST_PASS                               \
  li a0, 0 ;                                    \
  j __htif_exit

/* ---------------------------------------------------------------- traps */

#define TRAP_ARM                                \
  la t6, __trap_area ;                          \
  li t5, -1 ;                                   \
  sw t5, TRAP_CAUSE(t6) ;                       \
  sw t5, TRAP_EPC(t6) ;                         \
  sw t5, TRAP_TVAL(t6) ;                        \
  sw zero, TRAP_RESUME(t6) ;                    \
  li t5, 1 ;                                    \
  sw t5, TRAP_ARMED(t6)

#define TRAP_ARM_RESUME(label)                  \
  TRAP_ARM ;                                    \
  la t5, label ;                                \
  sw t5, TRAP_RESUME(t6)

#define TEST_TRAP_CAUSE(n, cause)               \
  li gp, n ;                                    \
  la t6, __trap_area ;                          \
  sw zero, TRAP_ARMED(t6) ;                     \
  lw t5, TRAP_CAUSE(t6) ;                       \
  li t6, cause ;                                \
  __check_t6 t5

#define TEST_TRAP_EPC(n, label)                 \
  li gp, n ;                                    \
  la t6, __trap_area ;                          \
  lw t5, TRAP_EPC(t6) ;                         \
  la t6, label ;                                \
  __check_t6 t5

#define TEST_TRAP_TVAL(n, value)                \
  li gp, n ;                                    \
  la t6, __trap_area ;                          \
  lw t5, TRAP_TVAL(t6) ;                        \
  li t6, value ;                                \
  __check_t6 t5

#define TEST_TRAP_TVAL_ADDR(n, addr)            \
  li gp, n ;                                    \
  la t6, __trap_area ;                          \
  lw t5, TRAP_TVAL(t6) ;                        \
  la t6, addr ;                                 \
  __check_t6 t5

#define TEST_TRAP_MSTATUS(n, mask, value)       \
  li gp, n ;                                    \
  la t6, __trap_area ;                          \
  lw t5, TRAP_MSTATUS(t6) ;                     \
  li t6, mask ;                                 \
  and t5, t5, t6 ;                              \
  li t6, value ;                                \
  __check_t6 t5

/* mcause values (exceptions) */
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M          11

/* mstatus fields */
#define MSTATUS_MIE   0x00000008
#define MSTATUS_MPIE  0x00000080
#define MSTATUS_MPP   0x00001800

#endif /* POPEK_GUEST_TEST_H */
