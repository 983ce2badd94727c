/*
 * Kernel pieces shared by the two guest kernels (guests/kernel, guests/skernel):
 * memset, exception names, the round-robin scheduler and killing a task. Each
 * kernel.c includes this file once, after its globals `tasks`, `last`; it
 * defines switch_to, task_finished and finish.
 */

static uint32_t *switch_to(struct task *t);
static void task_finished(struct task *t);
static void __attribute__((noreturn)) finish(void);

void *memset(void *d, int c, size_t n) {
  uint8_t *p = d;
  if (((uint32_t)p & 3) == 0 && (n & 3) == 0) {     /* whole words (pages) */
    uint32_t w = (uint8_t)c * 0x01010101u;
    for (uint32_t *q = (uint32_t *)p; n != 0; n -= 4) *q++ = w;
    return d;
  }
  while (n-- != 0) *p++ = (uint8_t)c;
  return d;
}

static const char *cause_name(uint32_t c) {
  switch (c) {
    case EXC_INSN_MISALIGNED: return "instruction address misaligned";
    case EXC_INSN_ACCESS: return "instruction access fault";
    case EXC_ILLEGAL: return "illegal instruction";
    case EXC_BREAKPOINT: return "breakpoint";
    case EXC_LOAD_MISALIGNED: return "load address misaligned";
    case EXC_LOAD_ACCESS: return "load access fault";
    case EXC_STORE_MISALIGNED: return "store/AMO address misaligned";
    case EXC_STORE_ACCESS: return "store/AMO access fault";
    case EXC_INSN_PAGE: return "instruction page fault";
    case EXC_LOAD_PAGE: return "load page fault";
    case EXC_STORE_PAGE: return "store/AMO page fault";
    default: return "exception";
  }
}

/* The next task to run after the last one, round-robin (itself last). */
static uint32_t *schedule(void) {
  for (uint32_t k = 1; k <= NTASKS; k++) {
    struct task *t = &tasks[(last + k) % NTASKS];
    if (!t->done) return switch_to(t);
  }
  finish();
}

static void kill(struct task *t, uint32_t cause, uint32_t tval) {
  t->killed = 1;
  t->kill_cause = cause;
  t->kill_tval = tval;
  task_finished(t);
}
