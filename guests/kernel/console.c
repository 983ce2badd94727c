/*
 * popek kernel guest: console output.
 *
 * kputc/kprintf write to the ns16550a UART (poll LSR.THRE, write THR).
 *
 * Task output is ordered so that the transcript does not depend on where
 * timer interrupts land: the console belongs to the lowest-numbered task
 * that has not finished.  Its output (what it writes with SYS_WRITE, and the
 * kernel's lines about it) goes to the UART at once; every other task's
 * output is kept in its buffer and printed when the console passes to it.
 * The UART therefore shows the tasks' outputs one after the other, in task
 * order, exactly as if the tasks had run one at a time.
 */
#include "kernel.h"

static uint32_t console_owner;    /* index of the task that owns the console */

void kputc(char c) {
  while ((mmio_read8(UART_BASE + UART_LSR) & UART_LSR_THRE) == 0) { }
  mmio_write8(UART_BASE + UART_THR, (uint8_t)c);
}

static void put_uart(void *ctx, char c) {
  (void)ctx;
  kputc(c);
}

/* %s %c %d %u %x (0x + 8 digits) %% */
void kvprintf(void (*put)(void *, char), void *ctx, const char *fmt, va_list ap) {
  for (; *fmt != 0; fmt++) {
    if (*fmt != '%') { put(ctx, *fmt); continue; }
    fmt++;
    switch (*fmt) {
      case 's': {
        const char *s = va_arg(ap, const char *);
        while (*s != 0) put(ctx, *s++);
        break;
      }
      case 'c': put(ctx, (char)va_arg(ap, int)); break;
      case 'd':
      case 'u': {
        uint32_t v = va_arg(ap, uint32_t);
        char digits[10];
        int n = 0;
        if (*fmt == 'd' && (int32_t)v < 0) { put(ctx, '-'); v = -v; }
        do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v != 0);
        while (n > 0) put(ctx, digits[--n]);
        break;
      }
      case 'x': {
        uint32_t v = va_arg(ap, uint32_t);
        put(ctx, '0');
        put(ctx, 'x');
        for (int i = 28; i >= 0; i -= 4) put(ctx, "0123456789abcdef"[(v >> i) & 15]);
        break;
      }
      case '%': put(ctx, '%'); break;
      default: put(ctx, '?'); break;
    }
  }
}

void kprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kvprintf(put_uart, 0, fmt, ap);
  va_end(ap);
}

/* One byte of a task's stream: to the UART if the task owns the console. */
static void stream_putc(struct task *t, char c) {
  if (t->id == console_owner) {
    kputc(c);
  } else if (t->outlen < OUTBUF_SIZE) {
    t->out[t->outlen++] = c;
  } else {
    t->overflow = 1;
  }
}

static void put_stream(void *ctx, char c) {
  stream_putc((struct task *)ctx, c);
}

/* A kernel line about task t, in t's stream. */
void tprintf(struct task *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kvprintf(put_stream, t, fmt, ap);
  va_end(ap);
}

/* One byte the task wrote: every line gets the prefix "  [<id> <name>] ". */
void task_user_output(struct task *t, char c) {
  if (t->bol) {
    tprintf(t, "  [%u %s] ", t->id, t->name);
    t->bol = 0;
  }
  stream_putc(t, c);
  if (c == '\n') t->bol = 1;
}

/* Task t has finished: if it owned the console, pass it on, flushing the
 * buffered output of the next tasks (and passing further over finished ones). */
void console_task_done(struct task *t) {
  if (t->id != console_owner) return;
  for (;;) {
    console_owner++;
    if (console_owner >= NTASKS) return;
    struct task *n = &tasks[console_owner];
    for (uint32_t i = 0; i < n->outlen; i++) kputc(n->out[i]);
    if (n->overflow) kprintf("[kernel] (output of task %u truncated)\n", n->id);
    n->outlen = 0;
    if (!n->done) return;
  }
}
