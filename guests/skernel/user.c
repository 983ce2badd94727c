/*
 * popek S-mode kernel (skernel): the U-mode programs.
 *
 * Linked at UCODE_BASE (0x40000000) and mapped read-only into every task
 * on demand.  Rules for this file: no writable data, no calls outside it
 * (build.sh checks that user.o has no undefined symbols; link.ld that it
 * has no .data or .bss); memory comes from the stack and from the heap
 * region, both zero-filled on demand.  Identical in both kernel builds.
 *
 * Each program prints whole lines with SYS_WRITE; the kernel shows the
 * tasks' output in task order, whatever the timer does.
 */
#include <stdint.h>
#include "platform.h"

/* ---- system calls ---- */

struct sysret { int32_t a0; uint32_t a1; };

static inline struct sysret sys(uint32_t n, uint32_t x0, uint32_t x1) {
  register uint32_t a0 __asm__("a0") = x0;
  register uint32_t a1 __asm__("a1") = x1;
  register uint32_t a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a7) : "memory");
  return (struct sysret){ (int32_t)a0, a1 };
}

static int32_t sys_write(const void *buf, uint32_t len) { return sys(SYS_WRITE, (uint32_t)buf, len).a0; }
static int32_t sys_send(uint32_t dst, uint32_t v) { return sys(SYS_SEND, dst, v).a0; }
static struct sysret sys_recv(uint32_t src) { return sys(SYS_RECV, src, 0); }

/* ---- building lines ---- */

#define LINE_CAP 116
static void line_write(const char *buf, uint32_t len) { sys_write(buf, len); }
#include "../common/line.h"

/* ---- entry: every task starts here with a0 = its main, a1 = its id ---- */

void __attribute__((noreturn)) ustart(int (*main)(uint32_t), uint32_t pid) {
  sys(SYS_EXIT, (uint32_t)main(pid), 0);
  for (;;) { }
}

#define FIB_SUM       17710u      /* fib(0) + ... + fib(20) = fib(22) - 1 */
#define SIEVE_N       20000u
#define PRIMES_COUNT  2262u       /* primes below 20000 */

/* ---- task 0: waits for the results of tasks 1 and 2, spinning ----
 * It never yields: the others only run, and it only gets their results,
 * if the timer preempts it. */
int u_collector(uint32_t pid) {
  static const uint32_t expected[3] = { 0, FIB_SUM, PRIMES_COUNT };
  struct line l;
  l.n = 0;
  int bad = 0;
  l_s(&l, "task ");
  l_u(&l, pid);
  l_s(&l, " spins until tasks 1 and 2 send their results; it never yields");
  l_end(&l);
  for (uint32_t src = 1; src <= 2; src++) {
    struct sysret r;
    do r = sys_recv(src); while (r.a0 == -EAGAIN);
    l_s(&l, "from task ");
    l_u(&l, src);
    if (r.a0 != 0) {
      l_s(&l, ": nothing, error ");
      l_d(&l, r.a0);
      bad = 1;
    } else {
      l_s(&l, ": ");
      l_u(&l, r.a1);
      l_s(&l, r.a1 == expected[src] ? " (correct)" : " (WRONG)");
      bad |= r.a1 != expected[src];
    }
    l_end(&l);
  }
  l_s(&l, bad ? "some results are wrong" : "both results correct: the timer preempted me");
  l_end(&l);
  return bad;
}

/* ---- task 1: Fibonacci numbers by naive recursion, with a yield ---- */

static uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int u_fib(uint32_t pid) {
  struct line l;
  l.n = 0;
  uint32_t sum = 0;
  for (uint32_t n = 0; n <= 20; n++) {
    uint32_t f = fib(n);
    sum += f;
    if (n % 7 == 0) {
      l_s(&l, "fib(");
      l_u(&l, n);
      l_s(&l, "..):");
    }
    l_c(&l, ' ');
    l_u(&l, f);
    if (n % 7 == 6 || n == 20) l_end(&l);
    if (n == 13) {
      l_s(&l, "yield -> ");
      l_d(&l, sys(SYS_YIELD, 0, 0).a0);
      l_end(&l);
    }
  }
  l_s(&l, "sum ");
  l_u(&l, sum);
  l_s(&l, ", sent to task 0 -> ");
  l_d(&l, sys_send(0, sum));
  l_end(&l);
  l_s(&l, "task ");
  l_u(&l, pid);
  l_s(&l, " done");
  l_end(&l);
  return sum == FIB_SUM ? 0 : 1;
}

/* ---- task 2: sieve in the demand-zero heap, atomics, a deep stack ---- */

static uint32_t deep(uint32_t depth) {
  volatile uint32_t frame[256];           /* 1 KiB per level */
  frame[0] = depth;
  frame[255] = depth * 3;
  uint32_t below = depth == 0 ? 1 : deep(depth - 1);
  return below * 31 + frame[0] + frame[255];
}

int u_sieve(uint32_t pid) {
  uint8_t *composite = (uint8_t *)UHEAP_BASE;
  volatile uint32_t *words = (volatile uint32_t *)(UHEAP_BASE + 0x10000);
  struct line l;
  l.n = 0;
  uint32_t nonzero = 0, count = 0, sum = 0, bad = 0;
  for (uint32_t i = 0; i < SIEVE_N; i++) nonzero |= composite[i];
  l_s(&l, "heap at ");
  l_x(&l, UHEAP_BASE);
  l_s(&l, nonzero == 0 ? " reads as zeros" : " is NOT zero-filled");
  l_end(&l);
  for (uint32_t i = 2; i * i < SIEVE_N; i++)
    if (!composite[i])
      for (uint32_t j = i * i; j < SIEVE_N; j += i) composite[j] = 1;
  for (uint32_t i = 2; i < SIEVE_N; i++)
    if (!composite[i]) { count++; sum += i; }
  l_s(&l, "primes below ");
  l_u(&l, SIEVE_N);
  l_s(&l, ": ");
  l_u(&l, count);
  l_s(&l, ", their sum ");
  l_u(&l, sum);
  l_end(&l);

  /* AMOADD.W on a fresh page (loaded first: clean, then dirty), LR/SC on another */
  uint32_t before = words[0];
  for (uint32_t k = 1; k <= 10; k++) __atomic_fetch_add((uint32_t *)&words[0], k, __ATOMIC_RELAXED);
  uint32_t *w = (uint32_t *)&words[2048];
  for (uint32_t k = 0; k < 5; k++) {
    uint32_t v, fail;
    __asm__ volatile("1: lr.w %0, (%2)\n"
                     "   addi %0, %0, 7\n"
                     "   sc.w %1, %0, (%2)\n"
                     "   bnez %1, 1b\n"
                     : "=&r"(v), "=&r"(fail) : "r"(w) : "memory");
  }
  bad |= before != 0 || words[0] != 55 || *w != 35;
  l_s(&l, "AMOADD.W and LR/SC on heap pages: ");
  l_s(&l, bad ? "WRONG" : "ok");
  l_end(&l);

  uint32_t d = deep(24);
  l_s(&l, "recursion 24 deep with 1 KiB frames: ");
  l_x(&l, d);
  l_end(&l);

  l_s(&l, "sent the count to task 0 -> ");
  l_d(&l, sys_send(0, count));
  l_end(&l);
  (void)pid;
  return nonzero == 0 && count == PRIMES_COUNT && !bad ? 0 : 1;
}

/* ---- task 3: error paths, then a store to kernel memory ---- */

int u_faulty(uint32_t pid) {
  struct line l;
  l.n = 0;
  l_s(&l, "getpid -> ");
  l_d(&l, sys(SYS_GETPID, 0, 0).a0);
  l_s(&l, " (started as ");
  l_u(&l, pid);
  l_s(&l, "); system call 99 -> ");
  l_d(&l, sys(99, 0, 0).a0);
  l_end(&l);
  l_s(&l, "write from kernel address ");
  l_x(&l, KERNEL_BASE);
  l_s(&l, " -> ");
  l_d(&l, sys_write((const void *)KERNEL_BASE, 4));
  l_end(&l);
  l_s(&l, "send to task 9 -> ");
  l_d(&l, sys_send(9, 1));
  l_s(&l, ", receive from itself -> ");
  l_d(&l, sys_recv(pid).a0);
  l_end(&l);
  l_s(&l, "storing to kernel memory; the kernel must kill me");
  l_end(&l);
  *(volatile uint32_t *)KERNEL_BASE = 0xdeadbeefu;
  l_s(&l, "still alive: memory protection does not work");
  l_end(&l);
  return 1;
}
