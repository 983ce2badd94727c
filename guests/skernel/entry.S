/*
 * popek S-mode kernel (skernel): entry, trap vectors, return to U-mode.
 *
 * The firmware enters _start in S-mode with a0 = hart id, a1 = device tree,
 * satp = 0 and interrupts off.
 *
 * While a task runs in U-mode, stvec = s_trap_user and sscratch points to
 * the task's register frame (struct task.r: word 0 = pc, word n = xn).  A
 * trap from U saves every register there, switches to the kernel stack and
 * calls s_trap(frame), which returns the frame of the task to run next.
 * While the kernel runs, stvec = s_trap_kernel: it saves the caller-saved
 * registers on the kernel stack, calls s_kernel_trap(frame) (kernel.c:
 * software interrupts, probe_load faults, otherwise a panic) and returns
 * with sret to wherever the kernel was.
 */
#define REG(n) (4 * (n))

  .section .text.init, "ax", @progbits
  .globl _start
_start:
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
  call kmain                      /* (a0 hart id, a1 device tree): does not return */
3:
  j 3b

  .text
  .balign 4
  .globl s_trap_user
s_trap_user:
  csrrw a0, sscratch, a0          /* a0 = frame, sscratch = the task's a0 */
  sw x1, REG(1)(a0)
  sw x2, REG(2)(a0)
  sw x3, REG(3)(a0)
  sw x4, REG(4)(a0)
  sw x5, REG(5)(a0)
  sw x6, REG(6)(a0)
  sw x7, REG(7)(a0)
  sw x8, REG(8)(a0)
  sw x9, REG(9)(a0)
  sw x11, REG(11)(a0)
  sw x12, REG(12)(a0)
  sw x13, REG(13)(a0)
  sw x14, REG(14)(a0)
  sw x15, REG(15)(a0)
  sw x16, REG(16)(a0)
  sw x17, REG(17)(a0)
  sw x18, REG(18)(a0)
  sw x19, REG(19)(a0)
  sw x20, REG(20)(a0)
  sw x21, REG(21)(a0)
  sw x22, REG(22)(a0)
  sw x23, REG(23)(a0)
  sw x24, REG(24)(a0)
  sw x25, REG(25)(a0)
  sw x26, REG(26)(a0)
  sw x27, REG(27)(a0)
  sw x28, REG(28)(a0)
  sw x29, REG(29)(a0)
  sw x30, REG(30)(a0)
  sw x31, REG(31)(a0)
  csrr t0, sscratch
  sw t0, REG(10)(a0)
  csrr t0, sepc
  sw t0, REG(0)(a0)
  la t0, s_trap_kernel
  csrw stvec, t0
  la sp, __kstack_top
  call s_trap                     /* a0 = the frame to resume */
  /* fall through */

  .globl s_return_user
s_return_user:                    /* a0 = frame; satp holds the task's page table */
  la t0, s_trap_user
  csrw stvec, t0
  csrw sscratch, a0
  lw t0, REG(0)(a0)
  csrw sepc, t0
  li t0, 0x100                    /* sstatus.SPP = 0: sret to U-mode */
  csrc sstatus, t0
  lw x1, REG(1)(a0)
  lw x2, REG(2)(a0)
  lw x3, REG(3)(a0)
  lw x4, REG(4)(a0)
  lw x5, REG(5)(a0)
  lw x6, REG(6)(a0)
  lw x7, REG(7)(a0)
  lw x8, REG(8)(a0)
  lw x9, REG(9)(a0)
  lw x11, REG(11)(a0)
  lw x12, REG(12)(a0)
  lw x13, REG(13)(a0)
  lw x14, REG(14)(a0)
  lw x15, REG(15)(a0)
  lw x16, REG(16)(a0)
  lw x17, REG(17)(a0)
  lw x18, REG(18)(a0)
  lw x19, REG(19)(a0)
  lw x20, REG(20)(a0)
  lw x21, REG(21)(a0)
  lw x22, REG(22)(a0)
  lw x23, REG(23)(a0)
  lw x24, REG(24)(a0)
  lw x25, REG(25)(a0)
  lw x26, REG(26)(a0)
  lw x27, REG(27)(a0)
  lw x28, REG(28)(a0)
  lw x29, REG(29)(a0)
  lw x30, REG(30)(a0)
  lw x31, REG(31)(a0)
  lw a0, REG(10)(a0)
  sret

  .balign 4
  .globl s_trap_kernel
s_trap_kernel:
  addi sp, sp, -128
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
  mv a0, sp
  call s_kernel_trap
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
  addi sp, sp, 128
  sret

/*
 * uint32_t probe_load(uint32_t pa): load the word at pa; 0 if the load
 * completed, else the scause of its fault (s_kernel_trap resumes at
 * probe_load_done with a0 = scause).
 */
  .globl probe_load, probe_load_insn, probe_load_done
probe_load:
  mv t0, a0
  li a0, 0
probe_load_insn:
  lw t0, 0(t0)
probe_load_done:
  ret
