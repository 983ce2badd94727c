/*
 * popek kernel guest: the U-mode programs.
 *
 * Linked at UCODE_BASE (0x40000000) and mapped read-only into every task on
 * demand.  Rules for this file: no writable data (no globals, no statics
 * that are written), no calls to anything outside it (the build checks
 * that user.o has no undefined symbols and no .data/.bss); memory comes from
 * the stack and from the heap region, which is zero-filled on demand.
 *
 * Each program prints whole lines with SYS_WRITE.  The kernel shows the
 * output of the tasks in task order, so the transcript does not depend on
 * how the timer interleaves them.
 */
#include <stdint.h>
#include "platform.h"

#define PAGE_SIZE_U 4096u

/* ---- system calls ---- */

struct sysret { int32_t a0; uint32_t a1; };

static inline struct sysret sys(uint32_t n, uint32_t x0, uint32_t x1) {
  register uint32_t a0 __asm__("a0") = x0;
  register uint32_t a1 __asm__("a1") = x1;
  register uint32_t a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a7) : "memory");
  return (struct sysret){ (int32_t)a0, a1 };
}

static int32_t sys_write(const char *buf, uint32_t len) { return sys(SYS_WRITE, (uint32_t)buf, len).a0; }
static void __attribute__((noreturn)) sys_exit(int32_t code) {
  sys(SYS_EXIT, (uint32_t)code, 0);
  for (;;) { }
}
static int32_t sys_getpid(void) { return sys(SYS_GETPID, 0, 0).a0; }
static int32_t sys_yield(void) { return sys(SYS_YIELD, 0, 0).a0; }
static int32_t sys_send(uint32_t dst, uint32_t v) { return sys(SYS_SEND, dst, v).a0; }
static struct sysret sys_recv(uint32_t src) { return sys(SYS_RECV, src, 0); }
static int32_t sys_pagestate(uint32_t va) { return sys(SYS_PAGESTATE, va, 0).a0; }

/* ---- lines ---- */

#define LINE_CAP 124
static void line_write(const char *buf, uint32_t len) { sys_write(buf, len); }
#include "../common/line.h"

static void say(const char *s) {
  struct line l;
  l.n = 0;
  l_s(&l, s);
  l_end(&l);
}

/* ---- entry: the kernel starts every task here with a0 = main, a1 = pid ---- */

void __attribute__((noreturn)) ustart(int (*main)(uint32_t), uint32_t pid) {
  sys_exit(main(pid));
}

/* Results the workers send to the collector, checked there. */
#define FIB_SUM         46367u      /* fib(0) + ... + fib(22) = fib(24) - 1 */
#define PRIMES_COUNT    3245u       /* primes below 30000 */
#define MEMORY_CHECK    0x6eb46e30u /* memory: checksum of the pattern (see u_memory) */

/* ---- task 0: collects the workers' results, spinning without yielding ----
 * It never gives up the CPU: the workers can only run (and it can only get
 * their results) if the timer preempts it. */
int u_collector(uint32_t pid) {
  static const uint32_t expected[4] = { 0, FIB_SUM, PRIMES_COUNT, MEMORY_CHECK };
  struct line l;
  int bad = 0;
  l.n = 0;
  l_s(&l, "task ");
  l_u(&l, pid);
  l_s(&l, ": waiting for tasks 1-3, spinning, never yielding");
  l_end(&l);
  for (uint32_t src = 1; src <= 3; src++) {
    struct sysret r;
    do r = sys_recv(src); while (r.a0 == -EAGAIN);
    l_s(&l, "task ");
    l_u(&l, src);
    if (r.a0 != 0) {
      l_s(&l, " sent nothing: ");
      l_d(&l, r.a0);
      bad = 1;
    } else {
      l_s(&l, " sent ");
      l_x(&l, r.a1);
      if (r.a1 == expected[src]) {
        l_s(&l, " (correct)");
      } else {
        l_s(&l, " (WRONG, expected ");
        l_x(&l, expected[src]);
        l_s(&l, ")");
        bad = 1;
      }
    }
    l_end(&l);
  }
  say(bad ? "some results are wrong" : "all results correct; the timer must have preempted me");
  return bad;
}

/* ---- task 1: Fibonacci numbers by naive recursion ---- */

static uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int u_fib(uint32_t pid) {
  struct line l;
  uint32_t sum = 0;
  l.n = 0;
  for (uint32_t n = 0; n <= 22; n++) {
    uint32_t f = fib(n);
    sum += f;
    if (n % 8 == 0) {
      l_s(&l, "fib(");
      l_u(&l, n);
      l_s(&l, "..):");
    }
    l_c(&l, ' ');
    l_u(&l, f);
    if (n % 8 == 7 || n == 22) l_end(&l);
    if (n == 15) {
      l_s(&l, "yield -> ");
      l_d(&l, sys_yield());
      l_end(&l);
    }
  }
  l_s(&l, "sum ");
  l_u(&l, sum);
  l_s(&l, ", sending it to task 0 -> ");
  l_d(&l, sys_send(0, sum));
  l_end(&l);
  l_s(&l, "task ");
  l_u(&l, pid);
  l_s(&l, " done");
  l_end(&l);
  return sum == FIB_SUM ? 0 : 1;
}

/* ---- task 2: sieve of Eratosthenes in the (demand-zero) heap ---- */

#define SIEVE_N 30000u

int u_primes(uint32_t pid) {
  uint8_t *composite = (uint8_t *)UHEAP_BASE;
  struct line l;
  uint32_t nonzero = 0, count = 0, sum = 0;
  uint32_t last[5] = { 0, 0, 0, 0, 0 };
  l.n = 0;
  for (uint32_t i = 0; i < SIEVE_N; i++) nonzero |= composite[i];
  l_s(&l, "heap ");
  l_x(&l, UHEAP_BASE);
  l_s(&l, nonzero == 0 ? " reads as zeros" : " is NOT zero-filled");
  l_end(&l);
  for (uint32_t i = 2; i * i < SIEVE_N; i++)
    if (!composite[i])
      for (uint32_t j = i * i; j < SIEVE_N; j += i) composite[j] = 1;
  for (uint32_t i = 2; i < SIEVE_N; i++) {
    if (!composite[i]) {
      count++;
      sum += i;
      last[count % 5] = i;
    }
  }
  l_s(&l, "primes below ");
  l_u(&l, SIEVE_N);
  l_s(&l, ": ");
  l_u(&l, count);
  l_s(&l, ", sum ");
  l_u(&l, sum);
  l_end(&l);
  l_s(&l, "largest:");
  for (uint32_t k = 1; k <= 5; k++) {
    l_c(&l, ' ');
    l_u(&l, last[(count + k) % 5]);
  }
  l_end(&l);
  l_s(&l, "sending the count to task 0 -> ");
  l_d(&l, sys_send(0, count));
  l_end(&l);
  (void)pid;
  return nonzero == 0 && count == PRIMES_COUNT ? 0 : 1;
}

/* ---- task 3: many heap pages (loads, stores, AMOs, LR/SC) and a deep stack ---- */

#define MEM_PAGES 128u
#define WORDS_PER_PAGE 1024u
#define PATTERN_WORDS 64u

static uint32_t pattern(uint32_t p, uint32_t w) {
  return (p * 0x00010001u) ^ (w * 0x9e3779b9u);
}

static uint32_t deep(uint32_t depth) {
  volatile uint32_t frame[256];       /* 1 KiB per level */
  for (uint32_t i = 0; i < 256; i += 64) frame[i] = depth * 7 + i;
  uint32_t below = depth == 0 ? 0 : deep(depth - 1);
  uint32_t s = below;
  for (uint32_t i = 0; i < 256; i += 64) s = s * 3 + frame[i];
  return s;
}

int u_memory(uint32_t pid) {
  volatile uint32_t *heap = (volatile uint32_t *)UHEAP_BASE;
  struct line l;
  uint32_t acc = 0, bad = 0;
  l.n = 0;

  /* 1: load from every page: each is mapped clean and reads as zero */
  for (uint32_t p = 0; p < MEM_PAGES; p++) acc |= heap[p * WORDS_PER_PAGE + 5];
  l_u(&l, MEM_PAGES);
  l_s(&l, " heap pages loaded: ");
  l_s(&l, acc == 0 ? "all zero" : "NOT ZERO");
  l_end(&l);
  bad |= acc;

  /* 2: stores to the even pages */
  for (uint32_t p = 0; p < MEM_PAGES; p += 2)
    for (uint32_t w = 0; w < PATTERN_WORDS; w++) heap[p * WORDS_PER_PAGE + w] = pattern(p, w);
  /* 3: AMOADD.W on the pages p % 4 == 1 */
  for (uint32_t p = 1; p < MEM_PAGES; p += 4)
    __atomic_fetch_add((uint32_t *)&heap[p * WORDS_PER_PAGE + 1], p + 1, __ATOMIC_RELAXED);
  /* 4: LR/SC increments on the pages p % 8 == 3 */
  for (uint32_t p = 3; p < MEM_PAGES; p += 8) {
    uint32_t *a = (uint32_t *)&heap[p * WORDS_PER_PAGE + 2];
    uint32_t old, fail;
    __asm__ volatile("1: lr.w %0, (%2)\n"
                     "   addi %0, %0, 3\n"
                     "   sc.w %1, %0, (%2)\n"
                     "   bnez %1, 1b\n"
                     : "=&r"(old), "=&r"(fail) : "r"(a) : "memory");
  }

  /* 5: read everything back */
  uint32_t check = 0;
  for (uint32_t p = 0; p < MEM_PAGES; p++) {
    for (uint32_t w = 0; w < PATTERN_WORDS; w++) {
      uint32_t v = heap[p * WORDS_PER_PAGE + w];
      uint32_t e = p % 2 == 0 ? pattern(p, w)
                 : (p % 4 == 1 && w == 1) ? p + 1
                 : (p % 8 == 3 && w == 2) ? 3 : 0;
      if (v != e) bad = 1;
      check = check * 33 + v;
    }
  }
  l_s(&l, "pattern written with SW, AMOADD.W, LR/SC and read back: ");
  l_s(&l, bad ? "MISMATCH" : "ok");
  l_end(&l);

  /* 6: the kernel's D bits: exactly the pages stored to are dirty */
  uint32_t dirty = 0, wrong = 0;
  for (uint32_t p = 0; p < MEM_PAGES; p++) {
    int32_t st = sys_pagestate(UHEAP_BASE + p * PAGE_SIZE_U);
    int stored = p % 2 == 0 || p % 4 == 1 || p % 8 == 3;
    if (st == 3) dirty++;
    if (st != (stored ? 3 : 1)) wrong++;
  }
  l_s(&l, "dirty heap pages: ");
  l_u(&l, dirty);
  l_s(&l, " of ");
  l_u(&l, MEM_PAGES);
  l_s(&l, wrong == 0 ? " (exactly the pages stored to)" : " (WRONG)");
  l_end(&l);
  l_s(&l, "unmapped page ");
  l_x(&l, UHEAP_END - PAGE_SIZE_U);
  l_s(&l, " state ");
  l_d(&l, sys_pagestate(UHEAP_END - PAGE_SIZE_U));
  l_s(&l, ", kernel address state ");
  l_d(&l, sys_pagestate(KERNEL_BASE));
  l_end(&l);

  /* 7: a deep recursion grows the stack over many demand-zero pages */
  uint32_t d = deep(40);
  l_s(&l, "stack recursion 40 deep (1 KiB frames): ");
  l_x(&l, d);
  l_end(&l);

  l_s(&l, "checksum ");
  l_x(&l, check);
  l_s(&l, ", sending it to task 0 -> ");
  l_d(&l, sys_send(0, check));
  l_end(&l);
  (void)pid;
  return bad == 0 && wrong == 0 ? 0 : 1;
}

/* ---- task 4: error paths, then an access to kernel memory ---- */

int u_faulty(uint32_t pid) {
  struct line l;
  l.n = 0;
  l_s(&l, "getpid -> ");
  l_d(&l, sys_getpid());
  l_s(&l, " (started as ");
  l_u(&l, pid);
  l_s(&l, ")");
  l_end(&l);
  l_s(&l, "system call 99 -> ");
  l_d(&l, sys(99, 0, 0).a0);
  l_end(&l);
  l_s(&l, "write from kernel address ");
  l_x(&l, KERNEL_BASE);
  l_s(&l, " -> ");
  l_d(&l, sys_write((const char *)KERNEL_BASE, 4));
  l_end(&l);
  l_s(&l, "send to task 9 -> ");
  l_d(&l, sys_send(9, 1));
  l_s(&l, ", receive from itself -> ");
  l_d(&l, sys_recv(pid).a0);
  l_end(&l);
  say("storing to kernel memory; the kernel must kill me");
  *(volatile uint32_t *)KERNEL_BASE = 0xdeadbeefu;
  say("still alive: memory protection does not work");
  return 1;
}
