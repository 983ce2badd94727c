/*
 * popek kernel guest: console output. kputc writes to the ns16550a UART
 * (poll LSR.THRE, write THR); printing and the task streams are shared with
 * the S-mode kernel (guests/common/task_console.c).
 */
#include "kernel.h"

void kputc(char c) {
  while ((mmio_read8(UART_BASE + UART_LSR) & UART_LSR_THRE) == 0) { }
  mmio_write8(UART_BASE + UART_THR, (uint8_t)c);
}

#include "../common/task_console.c"
