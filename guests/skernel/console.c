/*
 * popek S-mode kernel (skernel): console output.
 *
 * kputc collects a line and hands it to the console: the ns16550a UART
 * (fully virtual build: poll LSR.THRE, write THR) or the SBI debug console
 * (paravirtual build: one sbi_debug_console_write per line).
 *
 * Task output is ordered so that the transcript does not depend on where
 * timer interrupts land: the console belongs to the lowest-numbered task
 * that has not finished.  Its output (what it writes with SYS_WRITE, and
 * the kernel's lines about it) goes out at once; every other task's output
 * is held in its buffer and printed when the console passes to it.  The
 * transcript therefore shows the tasks' outputs one after the other, in
 * task order, as if the tasks had run one at a time.
 */
#include "kernel.h"

static char line[128];            /* physical address = virtual address (kernel map) */
static uint32_t line_len;
static uint32_t console_owner;    /* the task that owns the console */

/* Send n bytes at s to the console. */
static void console_out(const char *s, uint32_t n) {
#ifdef PARAVIRT
  while (n > 0) {
    struct sbiret r = SBI3(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, n, (uint32_t)s, 0);
    if (r.error != SBI_SUCCESS || r.value > n) {
      sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_FAILURE);   /* no console left to say so */
      for (;;) { }
    }
    s += r.value;                 /* a partial write: send the rest */
    n -= r.value;
  }
#else
  for (uint32_t i = 0; i < n; i++) {
    while ((mmio_read8(UART_BASE + UART_LSR) & UART_LSR_THRE) == 0) { }
    mmio_write8(UART_BASE + UART_THR, (uint8_t)s[i]);
  }
#endif
}

void console_flush(void) {
  if (line_len > 0) console_out(line, line_len);
  line_len = 0;
}

void kputc(char c) {
  line[line_len++] = c;
  if (c == '\n' || line_len == sizeof line) console_flush();
}

/*
 * The console line of the boot checks.  The paravirtual build writes it
 * with every SBI console call there is: DBCN console_write (the text),
 * console_write_byte ('o') and the legacy console_putchar ('k').
 */
void console_check(void) {
  kprintf("[kernel] console: ");
  console_flush();
#ifdef PARAVIRT
  struct sbiret r = SBI1(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, 'o');
  register uint32_t a0 __asm__("a0") = 'k';
  register uint32_t a7 __asm__("a7") = SBI_EXT_LEGACY_PUTCHAR;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");   /* legacy: only a0 changes */
  if (r.error != SBI_SUCCESS || r.value != 0 || a0 != 0) boot_checks_failed = 1;
#else
  kputc('o');
  kputc('k');
#endif
  kputc('\n');
}

/* %s %c %d %u %x (0x and 8 digits) %% */
void kvprintf(void (*put)(void *, char), void *ctx, const char *fmt, va_list ap) {
  for (; *fmt != 0; fmt++) {
    if (*fmt != '%') { put(ctx, *fmt); continue; }
    fmt++;
    switch (*fmt) {
      case 's':
        for (const char *s = va_arg(ap, const char *); *s != 0; s++) put(ctx, *s);
        break;
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

static void put_console(void *ctx, char c) {
  (void)ctx;
  kputc(c);
}

void kprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  kvprintf(put_console, 0, fmt, ap);
  va_end(ap);
}

/* One byte of task t's stream: to the console if t owns it, else held back. */
static void stream_putc(struct task *t, char c) {
  if (t->id == console_owner) kputc(c);
  else if (t->outlen < OUTBUF_SIZE) t->out[t->outlen++] = c;
  else t->overflow = 1;
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

/* One byte the task wrote; every line gets the prefix "  [<id> <name>] ". */
void task_user_output(struct task *t, char c) {
  if (t->bol) {
    tprintf(t, "  [%u %s] ", t->id, t->name);
    t->bol = 0;
  }
  stream_putc(t, c);
  if (c == '\n') t->bol = 1;
}

/* Task t has finished: if it owned the console, pass the console on,
 * printing what the next tasks held back (and on past finished ones). */
void console_task_done(struct task *t) {
  if (t->id != console_owner) return;
  for (;;) {
    if (++console_owner >= NTASKS) return;
    struct task *n = &tasks[console_owner];
    for (uint32_t i = 0; i < n->outlen; i++) kputc(n->out[i]);
    if (n->overflow) kprintf("[kernel] (output of task %u truncated)\n", n->id);
    n->outlen = 0;
    if (!n->done) return;
  }
}
