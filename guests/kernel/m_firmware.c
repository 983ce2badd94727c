/*
 * popek kernel guest: the M-mode firmware.
 *
 * m_boot: PMP (entry 0 locks S and U out of the firmware's 32 KiB, entry 1
 * opens all of the physical address space to them), exception and interrupt
 * delegation to S-mode, the machine timer, then mret to the S-mode kernel.
 *
 * m_trap: the machine timer interrupt is forwarded to S-mode as a supervisor
 * timer interrupt (mtimecmp is disarmed and mip.STIP raised); ecalls from
 * S-mode are firmware calls (platform.h: FW_*).  Anything else is a panic.
 */
#include "platform.h"
#include "riscv.h"

struct mframe {
  uint32_t ra, t0, t1, t2, t3, t4, t5, t6;
  uint32_t a0, a1, a2, a3, a4, a5, a6, a7;
};

extern char __m_stack_top[];
extern char __m_region_end[];
extern char s_start[];

#define MEDELEG_BITS ((1u << EXC_INSN_MISALIGNED) | (1u << EXC_INSN_ACCESS) | (1u << EXC_ILLEGAL) | \
                      (1u << EXC_BREAKPOINT) | (1u << EXC_LOAD_MISALIGNED) | (1u << EXC_LOAD_ACCESS) | \
                      (1u << EXC_STORE_MISALIGNED) | (1u << EXC_STORE_ACCESS) | (1u << EXC_ECALL_U) | \
                      (1u << EXC_INSN_PAGE) | (1u << EXC_LOAD_PAGE) | (1u << EXC_STORE_PAGE))
#define MIDELEG_BITS (MIP_SSIP | MIP_STIP | MIP_SEIP)

/* ---- firmware console (panics and the boot banner only) ---- */

static void m_putc(char c) {
  while ((mmio_read8(UART_BASE + UART_LSR) & UART_LSR_THRE) == 0) { }
  mmio_write8(UART_BASE + UART_THR, (uint8_t)c);
}

static void m_puts(const char *s) {
  while (*s != 0) m_putc(*s++);
}

static void m_puthex(uint32_t v) {
  m_puts("0x");
  for (int i = 28; i >= 0; i -= 4) m_putc("0123456789abcdef"[(v >> i) & 15]);
}

static void __attribute__((noreturn)) m_exit(uint32_t code) {
  mmio_write32(FINISHER_BASE, code == 0 ? FINISHER_PASS : ((code << 16) | FINISHER_FAIL));
  for (;;) __asm__ volatile("wfi");
}

static void __attribute__((noreturn)) m_panic(const char *what, uint32_t v) {
  m_puts("[firmware] panic: ");
  m_puts(what);
  m_puts(" ");
  m_puthex(v);
  m_puts("\n");
  m_exit(3);
}

/* ---- machine timer ---- */

static uint64_t m_mtime(void) {
  uint32_t hi, lo;
  do {
    hi = mmio_read32(CLINT_MTIME + 4);
    lo = mmio_read32(CLINT_MTIME);
  } while (hi != mmio_read32(CLINT_MTIME + 4));
  return ((uint64_t)hi << 32) | lo;
}

/* Write mtimecmp without a transient value below the target (RV32: two halves). */
static void m_set_mtimecmp(uint64_t t) {
  mmio_write32(CLINT_MTIMECMP + 4, 0xffffffffu);
  mmio_write32(CLINT_MTIMECMP, (uint32_t)t);
  mmio_write32(CLINT_MTIMECMP + 4, (uint32_t)(t >> 32));
}

static void m_disarm_timer(void) {
  mmio_write32(CLINT_MTIMECMP + 4, 0xffffffffu);
  mmio_write32(CLINT_MTIMECMP, 0xffffffffu);
}

/* ---- boot ---- */

void __attribute__((noreturn)) m_boot(void) {
  m_puts("[firmware] M-mode boot on hart 0\n");

  /* PMP entry 0: NAPOT [RAM_BASE, RAM_BASE + FW_SIZE), no permission (not
   * locked, so M-mode is not constrained).  Entry 1: NAPOT with pmpaddr all
   * ones, the whole physical address space, RWX.  Entry 0 has priority. */
  csr_write(pmpaddr0, (RAM_BASE >> 2) | ((FW_SIZE >> 3) - 1));
  csr_write(pmpaddr1, 0xffffffffu);
  csr_write(pmpcfg0, (uint32_t)PMP_NAPOT | ((uint32_t)(PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 8));
  __asm__ volatile("sfence.vma zero, zero" : : : "memory");
  if ((uint32_t)__m_region_end > RAM_BASE + FW_SIZE) m_panic("firmware larger than its PMP region, end", (uint32_t)__m_region_end);
  m_puts("[firmware] PMP: S/U locked out of ");
  m_puthex(RAM_BASE);
  m_puts("-");
  m_puthex(RAM_BASE + FW_SIZE - 1);
  m_puts(", all other memory RWX\n");

  /* Delegation: page faults, ecall from U, illegal instruction, breakpoint,
   * misaligned and access faults go straight to S-mode; ecall from S comes
   * here.  Supervisor interrupts are delegated. */
  csr_write(medeleg, MEDELEG_BITS);
  csr_write(mideleg, MIDELEG_BITS);
  if (csr_read(medeleg) != MEDELEG_BITS) m_panic("medeleg reads back", csr_read(medeleg));
  if ((csr_read(mideleg) & MIDELEG_BITS) != MIDELEG_BITS) m_panic("mideleg reads back", csr_read(mideleg));
  m_puts("[firmware] medeleg=");
  m_puthex(MEDELEG_BITS);
  m_puts(" mideleg=");
  m_puthex(MIDELEG_BITS);
  m_puts("\n");

  /* No counters for S/U, no Sstc/Svpbmt/ADUE behaviour from menvcfg. */
  csr_write(mcounteren, 0);
  csr_write(menvcfg, 0);
  csr_write(menvcfgh, 0);
  csr_write(satp, 0);

  /* The machine timer: disarmed until S-mode asks; MTIE on.  Timer
   * interrupts are forwarded to S-mode through mip.STIP. */
  m_disarm_timer();
  csr_clear(mip, MIP_STIP | MIP_SSIP | MIP_SEIP);
  csr_write(mie, MIP_MTIP);
  m_puts("[firmware] machine timer forwarded to S-mode as STIP\n");

  /* Enter the kernel in S-mode with interrupts off (mstatus.SIE = 0). */
  csr_write(mscratch, (uint32_t)__m_stack_top);
  csr_clear(mstatus, MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SUM | MSTATUS_MXR);
  csr_set(mstatus, MSTATUS_MPP_S);
  csr_write(mepc, (uint32_t)s_start);
  m_puts("[firmware] entering S-mode at ");
  m_puthex((uint32_t)s_start);
  m_puts("\n");
  __asm__ volatile("mret");
  __builtin_unreachable();
}

/* ---- traps ---- */

static void m_firmware_call(struct mframe *f) {
  int32_t err = 0;
  if (f->a7 != FW_EID) {
    err = SBI_ERR_NOT_SUPPORTED;
  } else {
    switch (f->a6) {
      case FW_SET_TIMER_REL:
        m_set_mtimecmp(m_mtime() + f->a0);
        csr_clear(mip, MIP_STIP);
        break;
      case FW_STOP_TIMER:
        m_disarm_timer();
        csr_clear(mip, MIP_STIP);
        break;
      case FW_EXIT:
        m_exit(f->a0);
      default:
        err = SBI_ERR_NOT_SUPPORTED;
        break;
    }
  }
  f->a0 = (uint32_t)err;
  f->a1 = 0;
}

void m_trap(struct mframe *f) {
  uint32_t cause = csr_read(mcause);
  if (cause == (CAUSE_INTERRUPT | IRQ_M_TIMER)) {
    m_disarm_timer();
    csr_set(mip, MIP_STIP);
    return;
  }
  if (cause == EXC_ECALL_S) {
    csr_write(mepc, csr_read(mepc) + 4);
    m_firmware_call(f);
    return;
  }
  m_puts("[firmware] unexpected trap: mcause=");
  m_puthex(cause);
  m_puts(" mepc=");
  m_puthex(csr_read(mepc));
  m_puts(" mtval=");
  m_puthex(csr_read(mtval));
  m_puts(" mstatus=");
  m_puthex(csr_read(mstatus));
  m_puts("\n");
  m_exit(3);
}
