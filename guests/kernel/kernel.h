/*
 * popek kernel guest: S-mode kernel declarations.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdarg.h>
#include <stddef.h>
#include "platform.h"
#include "riscv.h"

#define NTASKS          5
#define TIME_SLICE      5000u     /* mtime ticks (popek: instructions; QEMU: 0.5 ms) */
#define AGING_INTERVAL  8         /* clear the A bits of the running task every 8th tick */
#define MAX_UPAGES      256       /* user pages one task may have mapped */
#define OUTBUF_SIZE     4096      /* console bytes buffered per task */
#define POOL_END        (RAM_BASE + 0x800000u)

/* Register frame of a task: r[0] = pc, r[i] = x[i] (s_entry.S). */
#define R_PC 0
#define R_SP 2
#define R_A0 10
#define R_A1 11
#define R_A2 12
#define R_A7 17

enum access { ACC_X, ACC_R, ACC_W };

struct task {
  uint32_t r[32];                 /* saved user registers; must stay first */
  uint32_t id;
  const char *name;
  int done;                       /* exited or killed */
  int killed;
  int32_t code;                   /* exit code */
  uint32_t kill_cause, kill_tval;
  /* address space */
  uint32_t *root;
  uint32_t satp;
  uint32_t *ptes[MAX_UPAGES];     /* leaf PTEs of the pages mapped so far */
  uint32_t npages;
  uint32_t ad_faults;             /* Svade-style faults (not printed: policy dependent) */
  uint32_t spurious_faults;
  /* console stream (see console.c) */
  char out[OUTBUF_SIZE];
  uint32_t outlen;
  int bol;                        /* at the beginning of a line of user output */
  int overflow;
  /* mailbox: the value task i sent to this task */
  uint32_t mbox[NTASKS];
  uint8_t mbox_full[NTASKS];
};

extern struct task tasks[NTASKS];

/* console.c */
void kputc(char c);
void kprintf(const char *fmt, ...);
void tprintf(struct task *t, const char *fmt, ...);
void task_user_output(struct task *t, char c);
void console_task_done(struct task *t);
void kvprintf(void (*put)(void *, char), void *ctx, const char *fmt, va_list ap);

/* vm.c */
enum fault_result { FAULT_OK, FAULT_SEGV, FAULT_PROT, FAULT_NOMEM };
void vm_init(void);
uint32_t vm_kernel_satp(void);
int vm_new_space(struct task *t);
enum fault_result vm_fault(struct task *t, uint32_t va, enum access acc);
uint32_t vm_user_pa(struct task *t, uint32_t va, enum access acc);
int vm_pagestate(struct task *t, uint32_t va);
void vm_age(struct task *t);
uint32_t vm_count_dirty(struct task *t);
void vm_destroy(struct task *t);
uint32_t vm_free_pages(void);

/* kernel.c */
void __attribute__((noreturn)) kpanic(const char *fmt, ...);
void __attribute__((noreturn)) fw_exit(uint32_t code);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif
