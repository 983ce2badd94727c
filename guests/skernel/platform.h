/*
 * popek S-mode kernel (skernel): constants shared by the kernel and its
 * U-mode tasks: the parts of QEMU's virt machine the kernel uses, the
 * kernel's memory layout, the system calls and the user address space.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

/* ---- QEMU virt (physical) ---------------------------------------------- */
#define RAM_BASE        0x80000000u
#define RAM_END         0x88000000u          /* 128 MiB */
#define UART_BASE       0x10000000u          /* ns16550a (the "fully virtual" build only) */
#define UART_THR        0u
#define UART_LSR        5u
#define UART_LSR_THRE   0x20u

/* ---- kernel layout --------------------------------------------------------
 * The first 4 MiB of RAM are the firmware's (it protects its own part with
 * PMP; the kernel leaves all of them alone and does not map them).  The
 * kernel image starts at KERNEL_BASE; page tables and user pages come from
 * a pool at a fixed place, so that both builds print the same numbers. */
#define KERNEL_BASE     0x80400000u
#define POOL_BASE       0x80600000u
#define POOL_END        0x80a00000u          /* 1024 pages */

/* ---- system calls (ECALL from U: a7 = number, a0, a1 = arguments) -------- */
#define SYS_WRITE       0   /* (buf, len) -> len, or -EFAULT */
#define SYS_EXIT        1   /* (code) -> does not return */
#define SYS_GETPID      2   /* () -> task id */
#define SYS_YIELD       3   /* () -> 0, after the other tasks had a turn */
#define SYS_SEND        4   /* (dst, value) -> 0, -EAGAIN (mailbox full), -EINVAL */
#define SYS_RECV        5   /* (src) -> a0 = 0, a1 = value; -EAGAIN (empty), -EINVAL */

#define EFAULT          14
#define EAGAIN          11
#define EINVAL          22
#define ENOSYS          38

/* ---- user address space (per task; 4 KiB pages mapped on demand) -------- */
#define UCODE_BASE      0x40000000u   /* the user image, shared, R X */
#define UHEAP_BASE      0x40400000u   /* zero-filled on demand, R W */
#define UHEAP_END       0x40800000u
#define USTACK_BASE     0x7fc00000u   /* zero-filled on demand, R W */
#define USTACK_TOP      0x80000000u

#endif
