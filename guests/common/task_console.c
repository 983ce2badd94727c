/*
 * Console output shared by the two guest kernels (guests/kernel, guests/skernel):
 * formatted printing and the per-task output streams. Each kernel's console.c
 * defines kputc (how a byte reaches its console) and includes this file once,
 * after its kernel.h (struct task, tasks[], NTASKS, OUTBUF_SIZE).
 *
 * Task output is ordered so that the transcript does not depend on where
 * timer interrupts land: the console belongs to the lowest-numbered task that
 * has not finished. Its output (what it writes with SYS_WRITE, and the
 * kernel's lines about it) goes out at once; every other task's output is
 * held in its buffer and printed when the console passes to it. The
 * transcript therefore shows the tasks' outputs one after the other, in task
 * order, as if the tasks had run one at a time.
 */

static uint32_t console_owner;    /* index of the task that owns the console */

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
