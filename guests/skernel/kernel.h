/*
 * popek S-mode kernel (skernel): declarations.
 *
 * Two builds from the same sources: kernel.elf ("fully virtual": UART,
 * local SFENCE.VMA, sip writes) and kernel-pv.elf (-DPARAVIRT: the SBI for
 * console, TLB flushes and the self-IPI).  Both use the SBI for the timer
 * and to shut down, and print the same transcript.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdarg.h>
#include <stddef.h>
#include "platform.h"
#include "riscv.h"
#include "sbi_call.h"

#define NTASKS          4
#define TIME_SLICE      5000u     /* time ticks (popek: instructions; QEMU: 0.5 ms at 10 MHz) */
#define MAX_UPAGES      64        /* user pages one task may have mapped */
#define OUTBUF_SIZE     2048      /* console bytes held back per task */

/* A saved register frame: x[0] = pc (user frames) or unused, x[n] = register n. */
#define R_PC 0
#define R_SP 2
#define R_A0 10
#define R_A1 11
#define R_A7 17

enum access { ACC_X, ACC_R, ACC_W };

struct task {
  uint32_t r[32];                 /* saved user registers (s_entry.S); must stay first */
  uint32_t id;
  const char *name;
  int done, killed;
  int32_t code;                   /* exit code */
  uint32_t kill_cause, kill_tval;
  /* address space */
  uint32_t *root;
  uint32_t satp;
  uint32_t *ptes[MAX_UPAGES];     /* the leaf PTEs mapped so far */
  uint32_t npages;
  /* console stream (console.c) */
  char out[OUTBUF_SIZE];
  uint32_t outlen;
  int bol, overflow;
  /* mailboxes: mbox[i] = the value task i sent to this task */
  uint32_t mbox[NTASKS];
  uint8_t mbox_full[NTASKS];
};

extern struct task tasks[NTASKS];
extern uint32_t boot_hart;

/* console.c */
void kputc(char c);
void kprintf(const char *fmt, ...);
void kvprintf(void (*put)(void *, char), void *ctx, const char *fmt, va_list ap);
void console_flush(void);
void console_check(void);
void tprintf(struct task *t, const char *fmt, ...);
void task_user_output(struct task *t, char c);
void console_task_done(struct task *t);

/* vm.c */
enum fault_result { FAULT_OK, FAULT_SEGV, FAULT_PROT, FAULT_NOMEM };
void vm_init(void);
uint32_t vm_kernel_satp(void);
int vm_new_space(struct task *t);
enum fault_result vm_fault(struct task *t, uint32_t va, enum access acc);
uint32_t vm_user_pa(struct task *t, uint32_t va, enum access acc);
uint32_t vm_count_dirty(struct task *t);
void vm_destroy(struct task *t);
uint32_t vm_free_pages(void);

/* boot_checks.c */
void check_device_tree(uint32_t dtb);
void check_sbi(void);
void check_time(void);
void check_pmp(void);
void check_soft_interrupt(void);
extern volatile uint32_t soft_interrupts;
extern int boot_checks_failed;

/* kernel.c */
void __attribute__((noreturn)) kpanic(const char *fmt, ...);
void tlb_flush_all(void);
void tlb_flush_page(uint32_t va);
void *memset(void *d, int c, size_t n);

/* entry.S */
extern void __attribute__((noreturn)) s_return_user(uint32_t *frame);
extern uint32_t probe_load(uint32_t pa);     /* 0, or the scause of the fault the load took */
extern char probe_load_insn[], probe_load_done[];

#endif
