/*
 * popek guests: minimal C runtime for freestanding C guests.
 *
 * M-mode, single hart.  Installs a trap handler that reports any trap and
 * exits with status 255, sets sp to __stack_top (link.ld), clears .bss,
 * calls main(), and exits through HTIF with main's return value.
 */
#include "test.h"

  .section .text.init, "ax", @progbits
  .globl _start
_start:
  la t0, __start_trap
  csrw mtvec, t0
  la sp, __stack_top
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  call main
  j __htif_exit

  HTIF_SYMBOLS
  HTIF_HELPERS

  .balign 4
__start_trap:
  PUTS("UNEXPECTED TRAP mcause=")
  csrr a0, mcause
  jal ra, __htif_puthex
  PUTS(" mepc=")
  csrr a0, mepc
  jal ra, __htif_puthex
  PUTS(" mtval=")
  csrr a0, mtval
  jal ra, __htif_puthex
  PUTS("\n")
  li a0, UNEXPECTED_TRAP_STATUS
  j __htif_exit
