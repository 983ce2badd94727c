/*
 * popek SBI firmware: reset entry, M-mode trap vector, entry into S-mode.
 *
 * QEMU virt (-bios fw.elf -kernel K) and popek (--bios fw.elf K) start
 * every hart here, at 0x80000000 in M-mode, with a0 = hart id, a1 = device
 * tree, a2 = fw_dynamic_info.  Hart 0 boots (fw_boot in fw.c); the others
 * park (this firmware serves one hart).
 *
 * mscratch protocol: while S- or U-mode runs, mscratch = top of the
 * firmware stack; while the firmware runs, mscratch = 0.  A trap therefore
 * finds sp = 0 after the swap exactly when it was taken in M-mode (a
 * firmware bug), and reports it on the firmware's own stack.
 */
#define REG(n) (4 * (n))        /* struct fw_frame: x[32] */
#define FRAME_SIZE (4 * 32)

  .section .text.init, "ax", @progbits
  .globl _start
_start:
  csrw mie, zero
  csrw mscratch, zero
  la t0, fw_trap_vector
  csrw mtvec, t0
  bnez a0, fw_park
  la sp, __fw_stack_top
  la t0, __fw_bss_start
  la t1, __fw_bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  call fw_boot            /* (a0 hart id, a1 dtb, a2 fw_dynamic_info): does not return */
fw_park:
  wfi
  j fw_park

/*
 * fw_enter_s(a0, a1): mepc, mstatus.MPP = S and mscratch are already set;
 * clear every other register (no firmware addresses leak into S-mode) and
 * mret with a0, a1 as given.
 */
  .text
  .balign 4
  .globl fw_enter_s
fw_enter_s:
  li x1, 0
  li x2, 0
  li x3, 0
  li x4, 0
  li x5, 0
  li x6, 0
  li x7, 0
  li x8, 0
  li x9, 0
  li x12, 0
  li x13, 0
  li x14, 0
  li x15, 0
  li x16, 0
  li x17, 0
  li x18, 0
  li x19, 0
  li x20, 0
  li x21, 0
  li x22, 0
  li x23, 0
  li x24, 0
  li x25, 0
  li x26, 0
  li x27, 0
  li x28, 0
  li x29, 0
  li x30, 0
  li x31, 0
  mret

/*
 * Every trap taken to M-mode.  Saves the registers the C code may clobber
 * (ra, t0-t6, a0-a7) and the interrupted sp in a struct fw_frame on the
 * firmware stack, calls fw_trap(frame) and restores them: fw_trap changes
 * the saved a0/a1 (SBI results) and mepc.  s0-s11 are preserved by the C
 * code itself; gp and tp are never used by it (-mno-relax).
 */
  .balign 4
  .globl fw_trap_vector
fw_trap_vector:
  csrrw sp, mscratch, sp
  beqz sp, fw_trap_from_m
  addi sp, sp, -FRAME_SIZE
  sw x1, REG(1)(sp)
  sw x5, REG(5)(sp)
  sw x6, REG(6)(sp)
  sw x7, REG(7)(sp)
  sw x10, REG(10)(sp)
  sw x11, REG(11)(sp)
  sw x12, REG(12)(sp)
  sw x13, REG(13)(sp)
  sw x14, REG(14)(sp)
  sw x15, REG(15)(sp)
  sw x16, REG(16)(sp)
  sw x17, REG(17)(sp)
  sw x28, REG(28)(sp)
  sw x29, REG(29)(sp)
  sw x30, REG(30)(sp)
  sw x31, REG(31)(sp)
  csrrw t0, mscratch, zero        /* the interrupted sp; mscratch = 0 from here */
  sw t0, REG(2)(sp)
  mv a0, sp
  call fw_trap
  addi t0, sp, FRAME_SIZE
  csrw mscratch, t0               /* back to the firmware stack's top */
  lw x1, REG(1)(sp)
  lw x5, REG(5)(sp)
  lw x6, REG(6)(sp)
  lw x7, REG(7)(sp)
  lw x10, REG(10)(sp)
  lw x11, REG(11)(sp)
  lw x12, REG(12)(sp)
  lw x13, REG(13)(sp)
  lw x14, REG(14)(sp)
  lw x15, REG(15)(sp)
  lw x16, REG(16)(sp)
  lw x17, REG(17)(sp)
  lw x28, REG(28)(sp)
  lw x29, REG(29)(sp)
  lw x30, REG(30)(sp)
  lw x31, REG(31)(sp)
  lw x2, REG(2)(sp)
  mret

/* A trap in M-mode: restore sp (mscratch stays 0) and report it. */
fw_trap_from_m:
  csrrw sp, mscratch, zero
  call fw_trap_in_firmware        /* does not return */
1:
  j 1b
