/*
 * popek kernel guest: the S-mode kernel.
 *
 * kmain builds the kernel page table, creates the tasks (each with its own
 * Sv32 address space, initially empty) and enters the first one.  After
 * that the kernel only runs in s_trap, with interrupts off: on a supervisor
 * timer interrupt (round-robin preemption), a system call, a page fault
 * (demand paging, A/D bits) or any other exception (the task is killed).
 * When every task has finished it prints a summary and stops the machine
 * through the firmware (exit code 0 if every task ended as expected).
 */
#include "kernel.h"

struct task tasks[NTASKS];
static struct task *cur;         /* the task whose address space is in satp, or 0 */
static uint32_t last;             /* the task that ran last (round-robin position) */
static uint32_t preemptions, ticks, boot_free;

extern char __user_start[], __user_end[], __user_phys[], __free_start[];
extern char s_start[];
extern void __attribute__((noreturn)) s_return_user(uint32_t *frame);
extern uint32_t s_probe_load(uint32_t addr);

/* User programs (user.c): these are user virtual addresses, never called here. */
extern char ustart[];
extern char u_collector[], u_fib[], u_primes[], u_memory[], u_faulty[];

static const struct program {
  const char *name;
  const char *main;
  int killed;                     /* expected end: killed with this cause at this address */
  uint32_t cause, tval;
} programs[NTASKS] = {
  { "collector", u_collector, 0, 0, 0 },
  { "fib", u_fib, 0, 0, 0 },
  { "primes", u_primes, 0, 0, 0 },
  { "memory", u_memory, 0, 0, 0 },
  { "faulty", u_faulty, 1, EXC_STORE_PAGE, KERNEL_BASE },
};

/* ---- small library ---- */

#include "../common/kernel_common.c"

void *memcpy(void *d, const void *s, size_t n) {
  uint8_t *p = d;
  const uint8_t *q = s;
  while (n-- != 0) *p++ = *q++;
  return d;
}

/* ---- firmware calls ---- */

static int32_t fw_call(uint32_t fid, uint32_t arg) {
  register uint32_t a0 __asm__("a0") = arg;
  register uint32_t a1 __asm__("a1") = 0;
  register uint32_t a6 __asm__("a6") = fid;
  register uint32_t a7 __asm__("a7") = FW_EID;
  __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
  return (int32_t)a0;
}

void fw_exit(uint32_t code) {
  fw_call(FW_EXIT, code);
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
  fw_exit(2);
}

/* A trap taken while the kernel runs (s_entry.S): always a kernel bug. */
void __attribute__((noreturn)) s_kernel_trap(uint32_t scause, uint32_t sepc, uint32_t stval) {
  kpanic("trap in S-mode: scause=%x sepc=%x stval=%x", scause, sepc, stval);
}

/* Exceptions whose stval is the faulting address (page, access and
 * misalignment faults); for the others its value is not needed here. */
static int cause_has_address(uint32_t c) {
  return c == EXC_INSN_MISALIGNED || c == EXC_INSN_ACCESS || c == EXC_LOAD_MISALIGNED ||
         c == EXC_LOAD_ACCESS || c == EXC_STORE_MISALIGNED || c == EXC_STORE_ACCESS ||
         c == EXC_INSN_PAGE || c == EXC_LOAD_PAGE || c == EXC_STORE_PAGE;
}

/* ---- tasks ---- */

static uint32_t *switch_to(struct task *t) {
  if (cur != t) {
    csr_write(satp, t->satp);
    sfence_vma_all();
    cur = t;
  }
  last = t->id;
  return t->r;
}

static void task_finished(struct task *t) {
  uint32_t mapped = t->npages, dirty = vm_count_dirty(t);
  if (!t->bol) tprintf(t, "\n");
  if (t->killed && cause_has_address(t->kill_cause))
    tprintf(t, "[kernel] task %u (%s) killed: %s at %x\n", t->id, t->name, cause_name(t->kill_cause), t->kill_tval);
  else if (t->killed)
    tprintf(t, "[kernel] task %u (%s) killed: %s\n", t->id, t->name, cause_name(t->kill_cause));
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
  for (uint32_t off = 0; off < len; ) {
    if (vm_user_pa(t, va + off, ACC_R) == 0) return -EFAULT;
    off += PAGE_SIZE - ((va + off) & (PAGE_SIZE - 1));
  }
  for (uint32_t off = 0; off < len; ) {
    uint32_t pa = vm_user_pa(t, va + off, ACC_R);
    uint32_t n = PAGE_SIZE - ((va + off) & (PAGE_SIZE - 1));
    if (n > len - off) n = len - off;
    for (uint32_t i = 0; i < n; i++) task_user_output(t, ((const char *)pa)[i]);
    off += n;
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
      if (a0 >= NTASKS || a0 == t->id) {
        ret = -EINVAL;
      } else if (tasks[a0].mbox_full[t->id]) {
        ret = -EAGAIN;
      } else {
        tasks[a0].mbox[t->id] = a1;
        tasks[a0].mbox_full[t->id] = 1;
        ret = 0;
      }
      break;
    case SYS_RECV:
      if (a0 >= NTASKS || a0 == t->id) {
        ret = -EINVAL;
      } else if (t->mbox_full[a0]) {
        t->mbox_full[a0] = 0;
        r[R_A1] = t->mbox[a0];
        ret = 0;
      } else {
        ret = tasks[a0].done ? -EINVAL : -EAGAIN;
      }
      break;
    case SYS_PAGESTATE:
      ret = vm_pagestate(t, a0);
      if (ret < 0) ret = -EINVAL;
      break;
    default:
      ret = -ENOSYS;
      break;
  }
  r[R_A0] = (uint32_t)ret;
  return r;
}

/* ---- traps from U-mode (s_entry.S) ---- */

static uint32_t *s_trap_dispatch(uint32_t *frame, uint32_t scause, uint32_t stval) {
  struct task *t = cur;
  if (t == 0 || frame != t->r) kpanic("trap from U-mode without a current task");
  if ((scause & CAUSE_INTERRUPT) != 0) {
    if (scause != (CAUSE_INTERRUPT | IRQ_S_TIMER)) kpanic("unexpected interrupt scause=%x", scause);
    preemptions++;
    if (++ticks % AGING_INTERVAL == 0) vm_age(t);
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
      kill(t, scause, stval);
      return schedule();
  }
}

uint32_t *s_trap(uint32_t *frame) {
  uint32_t scause = csr_read(scause);
  uint32_t *next = s_trap_dispatch(frame, scause, csr_read(stval));
  /* The next time slice starts as late as possible, so that the next task
   * runs even if a slice is hardly longer than the kernel's own work. */
  if (scause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) fw_call(FW_SET_TIMER_REL, TIME_SLICE);
  return next;
}

/* ---- boot and shutdown ---- */

static void __attribute__((noreturn)) finish(void) {
  fw_call(FW_STOP_TIMER, 0);
  uint32_t exited = 0, killed = 0, ok = 1;
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
#ifdef KERNEL_STATS
  /* Timing- and policy-dependent numbers: never in the normal transcript. */
  for (uint32_t i = 0; i < NTASKS; i++)
    kprintf("[stats] task %u: A/D faults %u, spurious faults %u\n", i, tasks[i].ad_faults, tasks[i].spurious_faults);
  kprintf("[stats] timer interrupts %u\n", preemptions);
#endif
  kprintf("[kernel] %s\n", ok ? "PASS" : "FAIL");
  fw_exit(ok ? 0 : 1);
}

void __attribute__((noreturn)) kmain(void) {
  kprintf("[kernel] S-mode kernel at %x\n", (uint32_t)s_start);
  vm_init();
  kprintf("[kernel] Sv32 on; kernel map: 4 MiB pages for RAM %x-%x, UART %x, test finisher %x\n",
          RAM_BASE, RAM_BASE + RAM_SIZE - 1, UART_BASE, FINISHER_BASE);
  kprintf("[kernel] user image %x-%x (%u bytes) at physical %x; user pages are mapped on demand\n",
          (uint32_t)__user_start, (uint32_t)__user_end - 1, (uint32_t)(__user_end - __user_start), (uint32_t)__user_phys);
  uint32_t probe = s_probe_load(RAM_BASE);
  kprintf("[kernel] PMP check: load from firmware memory %x -> %s\n", RAM_BASE,
          probe == 0 ? "no trap (NOT PROTECTED)" : cause_name(probe));
  if (probe != EXC_LOAD_ACCESS) kpanic("the firmware is not protected by PMP");
  boot_free = vm_free_pages();
  kprintf("[kernel] page pool: %u free pages\n", boot_free);

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
  kprintf("[kernel] %u tasks, round-robin, time slice %u ticks; task output is shown in task order\n",
          NTASKS, TIME_SLICE);

  csr_clear(sstatus, MSTATUS_SIE | MSTATUS_SUM | MSTATUS_MXR);
  csr_write(sie, MIP_STIP);
  fw_call(FW_SET_TIMER_REL, TIME_SLICE);
  s_return_user(switch_to(&tasks[0]));
}
