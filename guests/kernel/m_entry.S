/*
 * popek kernel guest: M-mode entry and M-mode trap vector (firmware).
 *
 * QEMU virt (-bios none) and popek start hart 0 at 0x80000000 in M-mode with
 * a0 = hart id and a1 = device tree (ignored).  Other harts park.
 */
  .section .text.init, "ax", @progbits
  .globl _start
_start:
  csrw mie, zero
  la t0, m_trap_vector
  csrw mtvec, t0
  bnez a0, m_park
  la sp, __m_stack_top
  /* clear the firmware's .bss */
  la t0, __m_bss_start
  la t1, __m_bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  call m_boot          /* does not return: mret to the S-mode kernel */
m_park:
  wfi
  j m_park

/*
 * Every trap taken to M-mode (the machine timer interrupt and ecalls from
 * S-mode; everything else is a firmware panic).  mscratch holds the top of
 * the firmware stack.  Saves the caller-saved registers in a frame
 * (struct mframe in m_firmware.c: ra, t0-t6, a0-a7) and calls m_trap(frame),
 * which may change the saved a0/a1 (firmware call results) and mepc.
 */
  .text
  .balign 4
  .globl m_trap_vector
m_trap_vector:
  csrrw sp, mscratch, sp
  addi sp, sp, -64
  sw ra, 0(sp)
  sw t0, 4(sp)
  sw t1, 8(sp)
  sw t2, 12(sp)
  sw t3, 16(sp)
  sw t4, 20(sp)
  sw t5, 24(sp)
  sw t6, 28(sp)
  sw a0, 32(sp)
  sw a1, 36(sp)
  sw a2, 40(sp)
  sw a3, 44(sp)
  sw a4, 48(sp)
  sw a5, 52(sp)
  sw a6, 56(sp)
  sw a7, 60(sp)
  mv a0, sp
  call m_trap
  lw ra, 0(sp)
  lw t0, 4(sp)
  lw t1, 8(sp)
  lw t2, 12(sp)
  lw t3, 16(sp)
  lw t4, 20(sp)
  lw t5, 24(sp)
  lw t6, 28(sp)
  lw a0, 32(sp)
  lw a1, 36(sp)
  lw a2, 40(sp)
  lw a3, 44(sp)
  lw a4, 48(sp)
  lw a5, 52(sp)
  lw a6, 56(sp)
  lw a7, 60(sp)
  addi sp, sp, 64
  csrrw sp, mscratch, sp
  mret
