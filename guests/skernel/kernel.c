/*
 * popek S-mode kernel (skernel): boot, tasks, system calls, shutdown.
 *
 * kmain checks the platform (boot_checks.c), builds the kernel's Sv32 map,
 * creates the tasks (each with an empty address space) and enters the
 * first.  From then on the kernel runs only in s_trap, with interrupts
 * off: on the supervisor timer interrupt (round-robin preemption), a
 * system call, a page fault (demand paging) or any other exception (the
 * task is killed).  When every task has finished it prints a summary and
 * shuts the machine down with sbi_system_reset.
 */
#include "kernel.h"

struct task tasks[NTASKS];
uint32_t boot_hart;
static struct task *cur;          /* the task whose address space is in satp, or 0 */
static uint32_t last;             /* the task that ran last (round-robin position) */
static uint32_t preemptions, boot_free;

extern char _start[];

/* The U-mode programs (user.c): user virtual addresses, never called here. */
extern char ustart[], u_collector[], u_fib[], u_sieve[], u_faulty[];

static const struct program {
  const char *name;
  const char *main;
  int killed;                     /* expected end: killed with this cause at this address */
  uint32_t cause, tval;
} programs[NTASKS] = {
  { "collector", u_collector, 0, 0, 0 },
  { "fib", u_fib, 0, 0, 0 },
  { "sieve", u_sieve, 0, 0, 0 },
  { "faulty", u_faulty, 1, EXC_STORE_PAGE, KERNEL_BASE },
};

#include "../common/kernel_common.c"

/* ---- the platform: TLB flushes and shutdown ---- */

void tlb_flush_all(void) {
#ifdef PARAVIRT
  SBI4(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 1, boot_hart, 0, 0);
#else
  __asm__ volatile("sfence.vma zero, zero" : : : "memory");
#endif
}

void tlb_flush_page(uint32_t va) {
#ifdef PARAVIRT
  SBI4(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 1, boot_hart, va & ~(PAGE_SIZE - 1), PAGE_SIZE);
#else
  __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
#endif
}

static void __attribute__((noreturn)) shutdown(int ok) {
  console_flush();
  sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN, ok ? SBI_SRST_REASON_NONE : SBI_SRST_REASON_FAILURE);
  for (;;) { }
}

static void put_k(void *ctx, char c) {
  (void)ctx;
  kputc(c);
}

void kpanic(const char *fmt, ...) {
  va_list ap;
  kprintf("[kernel] panic: ");
  va_start(ap, fmt);
  kvprintf(put_k, 0, fmt, ap);
  va_end(ap);
  kprintf("\n");
  shutdown(0);
}

/* A trap while the kernel runs (entry.S): the software interrupt of
 * check_soft_interrupt, or the fault of a probe_load; anything else is a bug. */
void s_kernel_trap(uint32_t *frame) {
  uint32_t scause = csr_read(scause), sepc = csr_read(sepc);
  if (scause == (CAUSE_INTERRUPT | IRQ_S_SOFT)) {
    csr_clear(sip, SIP_SSIP);
    soft_interrupts++;
    return;
  }
  if ((scause & CAUSE_INTERRUPT) == 0 && sepc == (uint32_t)probe_load_insn) {
    frame[R_A0] = scause;
    csr_write(sepc, (uint32_t)probe_load_done);
    return;
  }
  kpanic("trap in S-mode: scause=%x sepc=%x stval=%x", scause, sepc, csr_read(stval));
}

/* ---- tasks ---- */

static uint32_t *switch_to(struct task *t) {
  if (cur != t) {
    csr_write(satp, t->satp);
    tlb_flush_all();
    cur = t;
  }
  last = t->id;
  return t->r;
}

static void task_finished(struct task *t) {
  uint32_t mapped = t->npages, dirty = vm_count_dirty(t);
  if (!t->bol) tprintf(t, "\n");
  if (t->killed)
    tprintf(t, "[kernel] task %u (%s) killed: %s at %x\n", t->id, t->name, cause_name(t->kill_cause), t->kill_tval);
  else
    tprintf(t, "[kernel] task %u (%s) exited with code %d\n", t->id, t->name, t->code);
  tprintf(t, "[kernel] task %u: %u pages mapped on demand, %u of them dirty\n", t->id, mapped, dirty);
  t->done = 1;
  vm_destroy(t);
  cur = 0;
  console_task_done(t);
}

/* ---- system calls ---- */

static int32_t sys_write(struct task *t, uint32_t va, uint32_t len) {
  /* check (and fault in) the whole buffer first, then copy it out */
  for (uint32_t off = 0; off < len; off += PAGE_SIZE - ((va + off) & (PAGE_SIZE - 1)))
    if (vm_user_pa(t, va + off, ACC_R) == 0) return -EFAULT;
  for (uint32_t off = 0; off < len; off++) {
    uint32_t pa = vm_user_pa(t, va + off, ACC_R);
    task_user_output(t, *(const char *)pa);
  }
  return (int32_t)len;
}

static uint32_t *syscall(struct task *t) {
  uint32_t *r = t->r;
  uint32_t a0 = r[R_A0], a1 = r[R_A1];
  int32_t ret;
  switch (r[R_A7]) {
    case SYS_WRITE:
      ret = sys_write(t, a0, a1);
      break;
    case SYS_EXIT:
      t->code = (int32_t)a0;
      task_finished(t);
      return schedule();
    case SYS_GETPID:
      ret = (int32_t)t->id;
      break;
    case SYS_YIELD:
      r[R_A0] = 0;
      return schedule();
    case SYS_SEND:
      if (a0 >= NTASKS || a0 == t->id) ret = -EINVAL;
      else if (tasks[a0].mbox_full[t->id]) ret = -EAGAIN;
      else {
        tasks[a0].mbox[t->id] = a1;
        tasks[a0].mbox_full[t->id] = 1;
        ret = 0;
      }
      break;
    case SYS_RECV:
      if (a0 >= NTASKS || a0 == t->id) ret = -EINVAL;
      else if (t->mbox_full[a0]) {
        t->mbox_full[a0] = 0;
        r[R_A1] = t->mbox[a0];
        ret = 0;
      } else ret = tasks[a0].done ? -EINVAL : -EAGAIN;
      break;
    default:
      ret = -ENOSYS;
      break;
  }
  r[R_A0] = (uint32_t)ret;
  return r;
}

/* ---- traps from U-mode (entry.S) ---- */

static uint32_t *dispatch(struct task *t, uint32_t scause, uint32_t stval) {
  if (scause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) {
    preemptions++;
    return schedule();
  }
  switch (scause) {
    case EXC_ECALL_U:
      t->r[R_PC] += 4;
      return syscall(t);
    case EXC_INSN_PAGE:
    case EXC_LOAD_PAGE:
    case EXC_STORE_PAGE: {
      enum access acc = scause == EXC_INSN_PAGE ? ACC_X : scause == EXC_LOAD_PAGE ? ACC_R : ACC_W;
      enum fault_result f = vm_fault(t, stval, acc);
      if (f == FAULT_OK) return t->r;
      if (f == FAULT_NOMEM) tprintf(t, "[kernel] task %u: out of memory\n", t->id);
      kill(t, scause, stval);
      return schedule();
    }
    default:
      if ((scause & CAUSE_INTERRUPT) != 0) kpanic("unexpected interrupt scause=%x", scause);
      kill(t, scause, stval);
      return schedule();
  }
}

uint32_t *s_trap(uint32_t *frame) {
  uint32_t scause = csr_read(scause);
  if (cur == 0 || frame != cur->r) kpanic("trap from U-mode without a current task");
  uint32_t *next = dispatch(cur, scause, csr_read(stval));
  /* The next time slice starts as late as possible, so that the next task
   * gets to run even if a slice is hardly longer than the kernel's work. */
  if (scause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) sbi_set_timer(rdtime64() + TIME_SLICE);
  return next;
}

/* ---- boot and shutdown ---- */

static void __attribute__((noreturn)) finish(void) {
  sbi_set_timer(~0ull);
  uint32_t exited = 0, killed = 0, ok = !boot_checks_failed;
  for (uint32_t i = 0; i < NTASKS; i++) {
    struct task *t = &tasks[i];
    const struct program *p = &programs[i];
    if (t->killed) killed++; else exited++;
    if (p->killed ? !(t->killed && t->kill_cause == p->cause && t->kill_tval == p->tval)
                  : (t->killed || t->code != 0)) {
      kprintf("[kernel] task %u (%s) did not end as expected\n", t->id, t->name);
      ok = 0;
    }
    if (t->overflow) ok = 0;
  }
  kprintf("[kernel] all tasks finished: %u exited, %u killed\n", exited, killed);
  kprintf("[kernel] preemption by the timer: %s\n", preemptions > 0 ? "yes" : "no");
  if (preemptions == 0) ok = 0;
  kprintf("[kernel] pages back in the pool: %s\n", vm_free_pages() == boot_free ? "all" : "NOT ALL");
  if (vm_free_pages() != boot_free) ok = 0;
  kprintf("[kernel] %s; shutting down\n", ok ? "PASS" : "FAIL");
  shutdown(ok);
}

void __attribute__((noreturn)) kmain(uint32_t hartid, uint32_t dtb) {
  boot_hart = hartid;
  kprintf("[kernel] S-mode kernel at %x on hart %u\n", (uint32_t)_start, hartid);
  check_device_tree(dtb);
  check_sbi();
  console_check();
  check_time();
  check_pmp();
  check_soft_interrupt();

  vm_init();
  boot_free = vm_free_pages();
  kprintf("[kernel] Sv32 on: RAM %x-%x mapped in 4 MiB pages; page pool of %u pages at %x\n",
          KERNEL_BASE, RAM_END - 1, boot_free, POOL_BASE);

  for (uint32_t i = 0; i < NTASKS; i++) {
    struct task *t = &tasks[i];
    t->id = i;
    t->name = programs[i].name;
    t->bol = 1;
    if (vm_new_space(t) != 0) kpanic("out of memory");
    t->r[R_PC] = (uint32_t)ustart;
    t->r[R_SP] = USTACK_TOP;
    t->r[R_A0] = (uint32_t)programs[i].main;
    t->r[R_A1] = i;
  }
  kprintf("[kernel] %u tasks in U-mode, round-robin, time slice %u ticks; task output is shown in task order\n",
          NTASKS, TIME_SLICE);

  csr_clear(sstatus, SSTATUS_SIE | SSTATUS_SUM | SSTATUS_MXR);
  csr_write(scounteren, 0);
  csr_write(sie, SIP_STIP);
  sbi_set_timer(rdtime64() + TIME_SLICE);
  s_return_user(switch_to(&tasks[0]));
}
