/*
 * popek S-mode kernel (skernel): console output.
 *
 * kputc collects a line and hands it to the console: the ns16550a UART
 * (fully virtual build: poll LSR.THRE, write THR) or the SBI debug console
 * (paravirtual build: one sbi_debug_console_write per line).
 *
 * Printing and the task streams are shared with the M+S kernel
 * (guests/common/task_console.c).
 */
#include "kernel.h"

static char line[128];            /* physical address = virtual address (kernel map) */
static uint32_t line_len;

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

#include "../common/task_console.c"
