/*
 * popek kernel guest: constants shared by the M-mode firmware, the S-mode
 * kernel and the U-mode tasks (QEMU virt memory map, the firmware call
 * interface, the system-call interface and the user address-space layout).
 */
#ifndef PLATFORM_H
#define PLATFORM_H

/* ---- QEMU virt memory map (physical) ---------------------------------- */
#define RAM_BASE        0x80000000u
#define RAM_SIZE        0x08000000u          /* 128 MiB */
#define FINISHER_BASE   0x00100000u          /* SiFive test finisher */
#define CLINT_BASE      0x02000000u
#define CLINT_MTIMECMP  (CLINT_BASE + 0x4000u) /* hart 0: lo, hi */
#define CLINT_MTIME     (CLINT_BASE + 0xbff8u) /* lo, hi */
#define UART_BASE       0x10000000u          /* ns16550a, byte registers */
#define UART_THR        0u
#define UART_LSR        5u
#define UART_LSR_THRE   0x20u

#define FINISHER_PASS   0x5555u
#define FINISHER_FAIL   0x3333u

/* The firmware owns the first 32 KiB of RAM; PMP entry 0 denies S and U. */
#define FW_SIZE         0x8000u
#define KERNEL_BASE     (RAM_BASE + FW_SIZE)

/* ---- Firmware calls (ecall from S; SBI calling convention) -------------
 * a7 = extension id, a6 = function id, a0.. = arguments;
 * returns a0 = error (0 = success, -2 = not supported), a1 = value.
 * The extension id lies in the SBI "firmware specific" range.          */
#define FW_EID              0x0a000000u
#define FW_SET_TIMER_REL    0   /* a0 = delta: STIP is raised at mtime + delta; clears STIP */
#define FW_STOP_TIMER       1   /* no timer interrupt until the next FW_SET_TIMER_REL; clears STIP */
#define FW_EXIT             2   /* a0 = exit code: 0 = pass; never returns */
#define SBI_ERR_NOT_SUPPORTED (-2)

/* ---- System calls (ecall from U) ----------------------------------------
 * a7 = number, a0..a2 = arguments; returns a0 (and a1 for SYS_RECV). */
#define SYS_WRITE       0   /* (buf, len) -> bytes written, or -EFAULT */
#define SYS_EXIT        1   /* (code) -> does not return */
#define SYS_GETPID      2   /* () -> task id */
#define SYS_YIELD       3   /* () -> 0; gives up the rest of the time slice */
#define SYS_SEND        4   /* (dst, value) -> 0, -EAGAIN (slot full), -EINVAL */
#define SYS_RECV        5   /* (src) -> a0 = 0 and a1 = value, or a0 = -EAGAIN, -EINVAL */
#define SYS_PAGESTATE   6   /* (va) -> 0 = not mapped, else 1 | 2 if dirty (D bit); -EINVAL */

#define EFAULT          14
#define EAGAIN          11
#define EINVAL          22
#define ENOSYS          38

/* ---- User address space (per task, 4 KiB pages, all mapped on demand) --- */
#define UCODE_BASE      0x40000000u   /* shared code + read-only data (R X) */
#define UHEAP_BASE      0x40400000u   /* zero-filled on demand (R W) */
#define UHEAP_END       0x40800000u
#define USTACK_BASE     0x7fc00000u   /* zero-filled on demand (R W) */
#define USTACK_TOP      0x80000000u

#endif
