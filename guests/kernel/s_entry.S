/*
 * popek kernel guest: S-mode entry, trap vectors and return to U-mode.
 *
 * While a task runs in U-mode, stvec = s_trap_user and sscratch points to
 * the task's register frame (struct frame in kernel.h: 32 words, word 0 =
 * pc, word i = x[i]).  The kernel runs with interrupts off (sstatus.SIE = 0)
 * on one kernel stack; every trap from U saves the task's registers in its
 * frame, and s_trap returns the frame of the task to run next.  While the
 * kernel runs, stvec = s_trap_kernel: any trap there is a kernel bug.
 */
#define FRAME_SLOT(n) (4 * (n))

  .section .text.init, "ax", @progbits
  .globl s_start
s_start:
  la sp, __kstack_top
  la t0, s_trap_kernel
  csrw stvec, t0
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  call kmain
  /* kmain does not return; if it did, fall into the kernel trap report */
  unimp

  .text
  .balign 4
  .globl s_trap_user
s_trap_user:
  csrrw a0, sscratch, a0          /* a0 = frame, sscratch = user a0 */
  sw x1, FRAME_SLOT(1)(a0)
  sw x2, FRAME_SLOT(2)(a0)
  sw x3, FRAME_SLOT(3)(a0)
  sw x4, FRAME_SLOT(4)(a0)
  sw x5, FRAME_SLOT(5)(a0)
  sw x6, FRAME_SLOT(6)(a0)
  sw x7, FRAME_SLOT(7)(a0)
  sw x8, FRAME_SLOT(8)(a0)
  sw x9, FRAME_SLOT(9)(a0)
  sw x11, FRAME_SLOT(11)(a0)
  sw x12, FRAME_SLOT(12)(a0)
  sw x13, FRAME_SLOT(13)(a0)
  sw x14, FRAME_SLOT(14)(a0)
  sw x15, FRAME_SLOT(15)(a0)
  sw x16, FRAME_SLOT(16)(a0)
  sw x17, FRAME_SLOT(17)(a0)
  sw x18, FRAME_SLOT(18)(a0)
  sw x19, FRAME_SLOT(19)(a0)
  sw x20, FRAME_SLOT(20)(a0)
  sw x21, FRAME_SLOT(21)(a0)
  sw x22, FRAME_SLOT(22)(a0)
  sw x23, FRAME_SLOT(23)(a0)
  sw x24, FRAME_SLOT(24)(a0)
  sw x25, FRAME_SLOT(25)(a0)
  sw x26, FRAME_SLOT(26)(a0)
  sw x27, FRAME_SLOT(27)(a0)
  sw x28, FRAME_SLOT(28)(a0)
  sw x29, FRAME_SLOT(29)(a0)
  sw x30, FRAME_SLOT(30)(a0)
  sw x31, FRAME_SLOT(31)(a0)
  csrr t0, sscratch
  sw t0, FRAME_SLOT(10)(a0)
  csrr t0, sepc
  sw t0, FRAME_SLOT(0)(a0)
  la t0, s_trap_kernel
  csrw stvec, t0
  la sp, __kstack_top
  call s_trap                     /* a0 = frame of the task to resume */
  /* fall through */

  .globl s_return_user
s_return_user:                    /* a0 = frame; satp already holds the task's table */
  la t0, s_trap_user
  csrw stvec, t0
  csrw sscratch, a0
  lw t0, FRAME_SLOT(0)(a0)
  csrw sepc, t0
  li t0, 0x100                    /* sstatus.SPP = 0: sret goes to U-mode */
  csrc sstatus, t0
  lw x1, FRAME_SLOT(1)(a0)
  lw x2, FRAME_SLOT(2)(a0)
  lw x3, FRAME_SLOT(3)(a0)
  lw x4, FRAME_SLOT(4)(a0)
  lw x5, FRAME_SLOT(5)(a0)
  lw x6, FRAME_SLOT(6)(a0)
  lw x7, FRAME_SLOT(7)(a0)
  lw x8, FRAME_SLOT(8)(a0)
  lw x9, FRAME_SLOT(9)(a0)
  lw x11, FRAME_SLOT(11)(a0)
  lw x12, FRAME_SLOT(12)(a0)
  lw x13, FRAME_SLOT(13)(a0)
  lw x14, FRAME_SLOT(14)(a0)
  lw x15, FRAME_SLOT(15)(a0)
  lw x16, FRAME_SLOT(16)(a0)
  lw x17, FRAME_SLOT(17)(a0)
  lw x18, FRAME_SLOT(18)(a0)
  lw x19, FRAME_SLOT(19)(a0)
  lw x20, FRAME_SLOT(20)(a0)
  lw x21, FRAME_SLOT(21)(a0)
  lw x22, FRAME_SLOT(22)(a0)
  lw x23, FRAME_SLOT(23)(a0)
  lw x24, FRAME_SLOT(24)(a0)
  lw x25, FRAME_SLOT(25)(a0)
  lw x26, FRAME_SLOT(26)(a0)
  lw x27, FRAME_SLOT(27)(a0)
  lw x28, FRAME_SLOT(28)(a0)
  lw x29, FRAME_SLOT(29)(a0)
  lw x30, FRAME_SLOT(30)(a0)
  lw x31, FRAME_SLOT(31)(a0)
  lw a0, FRAME_SLOT(10)(a0)
  sret

/* A trap while the kernel itself runs: report it and stop (kernel.c). */
  .balign 4
  .globl s_trap_kernel
s_trap_kernel:
  la sp, __kpanic_stack_top
  csrr a0, scause
  csrr a1, sepc
  csrr a2, stval
  call s_kernel_trap
1:
  j 1b

/*
 * uint32_t s_probe_load(uint32_t addr): load a word from addr in S-mode;
 * returns 0, or scause if the load trapped (to check that PMP keeps the
 * kernel out of the firmware).  A trap lands on the local vector, which
 * neither returns with sret nor touches the registers the probe uses.
 */
  .balign 4
  .globl s_probe_load
s_probe_load:
  la t0, 1f
  csrrw t1, stvec, t0
  lw t2, 0(a0)
  li a0, 0
  csrw stvec, t1
  ret
  .balign 4
1:
  csrr a0, scause
  csrw stvec, t1
  ret
