/*
 * popek SBI firmware: M-mode runtime for one hart of QEMU's virt machine.
 *
 * fw_boot   checks the fw_dynamic_info block, sets up PMP, delegation and
 *           counters, and enters the kernel (next_addr) in S-mode with
 *           a0 = hart id, a1 = device tree.
 * fw_trap   serves SBI calls (ECALL from S-mode) and the two machine
 *           interrupts it uses: the timer (forwarded to S-mode as STIP) and
 *           the software interrupt (forwarded as SSIP, for sbi_send_ipi).
 *
 * The calls are those of the SBI specification v2.0; see README.md for the
 * table.  Everything is synchronous and local: this firmware serves a
 * machine with one hart, so "remote" operations run on the calling hart.
 */
#include <stdint.h>
#include "sbi.h"
#include "../common/riscv.h"

/* ---- QEMU virt memory map ---------------------------------------------- */
#define RAM_BASE        0x80000000u
#define RAM_END         0x88000000u         /* virt's default 128 MiB; the device tree is not read */
#define FW_BASE         RAM_BASE
#define FW_SIZE         0x10000u            /* the firmware's region (link.ld): PMP-protected */
#define FW_END          (FW_BASE + FW_SIZE)
#define FINISHER        0x00100000u         /* SiFive test finisher */
#define FINISHER_PASS   0x5555u             /* exit 0 */
#define FINISHER_FAIL   0x3333u             /* exit (value >> 16) */
#define FINISHER_RESET  0x7777u             /* reset the machine */
#define CLINT_MSIP      0x02000000u         /* + 4 * hart */
#define CLINT_MTIMECMP  0x02004000u         /* + 8 * hart: low, high */
#define UART            0x10000000u         /* ns16550a */
#define UART_RBR        0u
#define UART_THR        0u
#define UART_LSR        5u
#define UART_LSR_DR     0x01u
#define UART_LSR_THRE   0x20u

/* ---- privileged architecture: guests/common/riscv.h ------------------- */

/*
 * Delegation.  Every exception S-mode can handle goes straight to S-mode:
 * this firmware emulates nothing (popek and QEMU implement the whole ISA,
 * and perform misaligned loads and stores in hardware), so a trap it did
 * not delegate could only be bounced back to S-mode.  Unlike OpenSBI, which
 * keeps illegal instructions, misaligned loads/stores and access faults in
 * M-mode to emulate or redirect them, this firmware delegates them.  Only
 * ECALL from S-mode (the SBI) stays here; ECALL from M-mode cannot happen.
 * The supervisor interrupts are delegated; the firmware raises STIP and
 * SSIP for S-mode from the machine timer and software interrupts.
 */
#define MEDELEG_BITS ((1u << EXC_INSN_MISALIGNED) | (1u << EXC_INSN_ACCESS) | (1u << EXC_ILLEGAL) | \
                      (1u << EXC_BREAKPOINT) | (1u << EXC_LOAD_MISALIGNED) | (1u << EXC_LOAD_ACCESS) | \
                      (1u << EXC_STORE_MISALIGNED) | (1u << EXC_STORE_ACCESS) | (1u << EXC_ECALL_U) | \
                      (1u << EXC_INSN_PAGE) | (1u << EXC_LOAD_PAGE) | (1u << EXC_STORE_PAGE))
#define MIDELEG_BITS (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define MCOUNTEREN_BITS 7u              /* cycle, time, instret readable in S-mode */


/* The registers saved by fw_trap_vector: x[n] = register xn (ra, sp,
 * t0-t6, a0-a7 are saved; the rest are untouched by the firmware). */
struct fw_frame { uint32_t x[32]; };
#define A0 10
#define A1 11
#define A2 12
#define A3 13
#define A4 14
#define A6 16
#define A7 17

/* The fw_dynamic_info block (OpenSBI's layout, version 2, RV32 words). */
struct fw_dynamic_info {
  uint32_t magic, version, next_addr, next_mode, options, boot_hart;
};
#define FW_DYNAMIC_MAGIC   0x4942534fu   /* "OSBI" */
#define FW_DYNAMIC_MODE_S  1u

struct sbiret { int32_t error; uint32_t value; };

extern char __fw_stack_top[], __fw_end[];
extern void __attribute__((noreturn)) fw_enter_s(uint32_t a0, uint32_t a1);

static uint32_t hart_id;            /* the one hart this firmware runs */

/* ---- console and machine exit ------------------------------------------- */

static void uart_putc(uint8_t c) {
  while ((mmio_read8(UART + UART_LSR) & UART_LSR_THRE) == 0) { }
  mmio_write8(UART + UART_THR, c);
}

static void puts_(const char *s) {
  while (*s != 0) uart_putc((uint8_t)*s++);
}

static void puthex(uint32_t v) {
  puts_("0x");
  for (int i = 28; i >= 0; i -= 4) uart_putc((uint8_t)"0123456789abcdef"[(v >> i) & 15]);
}

static void __attribute__((noreturn)) finisher(uint32_t value) {
  mmio_write32(FINISHER, value);
  for (;;) __asm__ volatile("wfi");
}

static void __attribute__((noreturn)) panic(const char *what, uint32_t v) {
  puts_("[sbi] panic: ");
  puts_(what);
  puts_(" ");
  puthex(v);
  puts_("\n");
  finisher((3u << 16) | FINISHER_FAIL);
}

/* ---- boot --------------------------------------------------------------- */

void __attribute__((noreturn)) fw_boot(uint32_t hartid, uint32_t dtb, const struct fw_dynamic_info *info) {
  hart_id = hartid;
  puts_("[sbi] popek SBI firmware 1.0: SBI 2.0, implementation id 0x504f\n");
  if (info->magic != FW_DYNAMIC_MAGIC) panic("no fw_dynamic_info at a2 (-bios with -kernel?), a2 =", (uint32_t)info);
  if (info->version < 2) panic("fw_dynamic_info version", info->version);
  if (info->boot_hart != hartid) panic("fw_dynamic_info boot_hart", info->boot_hart);
  if (info->next_mode != FW_DYNAMIC_MODE_S) panic("fw_dynamic_info next_mode is not S:", info->next_mode);
  if ((uint32_t)__fw_end > FW_END) panic("firmware larger than its region, end", (uint32_t)__fw_end);

  /* PMP entry 0: NAPOT [FW_BASE, FW_END), no access for S and U (not
   * locked: M-mode is unrestricted).  Entry 1: NAPOT over the whole
   * physical address space, RWX.  The lower-numbered entry wins. */
  csr_write(pmpaddr0, (FW_BASE >> 2) | ((FW_SIZE >> 3) - 1));
  csr_write(pmpaddr1, 0xffffffffu);
  csr_write(pmpcfg0, PMP_NAPOT | ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 8));
  puts_("[sbi] PMP: ");
  puthex(FW_BASE);
  puts_("-");
  puthex(FW_END - 1);
  puts_(" firmware only, the rest of memory open to S and U\n");

  csr_write(medeleg, MEDELEG_BITS);
  csr_write(mideleg, MIDELEG_BITS);
  csr_write(mcounteren, MCOUNTEREN_BITS);
  if (csr_read(medeleg) != MEDELEG_BITS) panic("medeleg reads back", csr_read(medeleg));
  if ((csr_read(mideleg) & MIDELEG_BITS) != MIDELEG_BITS) panic("mideleg reads back", csr_read(mideleg));
  if ((csr_read(mcounteren) & MCOUNTEREN_BITS) != MCOUNTEREN_BITS) panic("mcounteren reads back", csr_read(mcounteren));
  puts_("[sbi] medeleg=");
  puthex(MEDELEG_BITS);
  puts_(" mideleg=");
  puthex(MIDELEG_BITS);
  puts_(" mcounteren=");
  puthex(MCOUNTEREN_BITS);
  puts_("\n");

  /* No Sstc (menvcfg.STCE = 0: mip.STIP stays the firmware's to drive),
   * no other menvcfg features. */
  csr_write(menvcfg, 0);
  csr_write(menvcfgh, 0);

  /* Timer disarmed until the first sbi_set_timer; the machine software
   * interrupt (sbi_send_ipi) always enabled. */
  mmio_write32(CLINT_MTIMECMP + 8 * hartid + 4, 0xffffffffu);
  mmio_write32(CLINT_MTIMECMP + 8 * hartid, 0xffffffffu);
  mmio_write32(CLINT_MSIP + 4 * hartid, 0);
  csr_clear(mip, MIP_SSIP | MIP_STIP | MIP_SEIP);
  csr_write(mie, MIP_MSIP);

  /* Enter the kernel as sbi_hart_start would: S-mode, satp = 0, sstatus.SIE = 0. */
  csr_write(satp, 0);
  csr_clear(mstatus, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MPRV | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP |
                     MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR);
  csr_set(mstatus, MSTATUS_MPP_S);
  csr_write(mepc, info->next_addr);
  puts_("[sbi] next: S-mode at ");
  puthex(info->next_addr);
  puts_(", a0 = ");
  puthex(hartid);
  puts_(" (hart id), a1 = ");
  puthex(dtb);
  puts_(" (device tree)\n");
  csr_write(mscratch, (uint32_t)__fw_stack_top);
  fw_enter_s(hartid, dtb);
}

/* ---- argument checks ------------------------------------------------------ */

/*
 * A hart mask (binary encoding, "Hart list parameter"): 1 if it names this
 * hart, 0 if it names no hart, -1 if it names a hart that does not exist.
 */
static int hart_mask_selects_me(uint32_t mask, uint32_t base) {
  if (base == 0xffffffffu) return 1;            /* every hart */
  int me = 0;
  for (uint32_t i = 0; i < 32; i++) {
    if (((mask >> i) & 1) == 0) continue;
    if (base + i < base || base + i != hart_id) return -1;
    me = 1;
  }
  return me;
}

/* [lo, lo + n) with address bits above 31 in hi: inside RAM, outside the firmware. */
static int s_memory(uint32_t n, uint32_t lo, uint32_t hi) {
  uint64_t end = (uint64_t)lo + n;
  if (hi != 0 || lo < RAM_BASE || end > RAM_END) return 0;
  return !(lo < FW_END && end > FW_BASE);
}

/* ---- extensions ------------------------------------------------------------ */

static int probe(uint32_t eid) {
  switch (eid) {
    case SBI_EXT_LEGACY_PUTCHAR:
    case SBI_EXT_BASE:
    case SBI_EXT_TIME:
    case SBI_EXT_IPI:
    case SBI_EXT_RFENCE:
    case SBI_EXT_HSM:
    case SBI_EXT_SRST:
    case SBI_EXT_DBCN:
      return 1;
    default:
      return 0;
  }
}

static struct sbiret base(uint32_t fid, const uint32_t *a) {
  switch (fid) {
    case SBI_BASE_GET_SPEC_VERSION: return (struct sbiret){ SBI_SUCCESS, SBI_SPEC_VERSION };
    case SBI_BASE_GET_IMPL_ID: return (struct sbiret){ SBI_SUCCESS, SBI_IMPL_ID };
    case SBI_BASE_GET_IMPL_VERSION: return (struct sbiret){ SBI_SUCCESS, SBI_IMPL_VERSION };
    case SBI_BASE_PROBE_EXTENSION: return (struct sbiret){ SBI_SUCCESS, (uint32_t)probe(a[0]) };
    case SBI_BASE_GET_MVENDORID: return (struct sbiret){ SBI_SUCCESS, csr_read(mvendorid) };
    case SBI_BASE_GET_MARCHID: return (struct sbiret){ SBI_SUCCESS, csr_read(marchid) };
    case SBI_BASE_GET_MIMPID: return (struct sbiret){ SBI_SUCCESS, csr_read(mimpid) };
    default: return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
  }
}

/* sbi_set_timer: mtimecmp = the 64-bit time (a0 low, a1 high).  STIP is
 * cleared now and raised by the machine timer interrupt once mtime >=
 * mtimecmp (fw_trap); (uint64_t)-1 is never reached. */
static struct sbiret timer(uint32_t fid, const uint32_t *a) {
  if (fid != SBI_TIME_SET_TIMER) return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
  uint32_t cmp = CLINT_MTIMECMP + 8 * hart_id;
  mmio_write32(cmp + 4, 0xffffffffu);     /* no transient value below the target */
  mmio_write32(cmp, a[0]);
  mmio_write32(cmp + 4, a[1]);
  csr_clear(mip, MIP_STIP);
  csr_set(mie, MIP_MTIP);
  return (struct sbiret){ SBI_SUCCESS, 0 };
}

/* sbi_send_ipi: msip of each named hart (only this one); the machine
 * software interrupt it causes becomes SSIP in fw_trap. */
static struct sbiret ipi(uint32_t fid, const uint32_t *a) {
  if (fid != SBI_IPI_SEND_IPI) return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
  int sel = hart_mask_selects_me(a[0], a[1]);
  if (sel < 0) return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
  if (sel > 0) mmio_write32(CLINT_MSIP + 4 * hart_id, 1);
  return (struct sbiret){ SBI_SUCCESS, 0 };
}

static inline void sfence_vma(uint32_t va, int by_asid, uint32_t asid) {
  if (by_asid) __asm__ volatile("sfence.vma %0, %1" : : "r"(va), "r"(asid) : "memory");
  else __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}

static inline void sfence_vma_all(int by_asid, uint32_t asid) {
  if (by_asid) __asm__ volatile("sfence.vma zero, %0" : : "r"(asid) : "memory");
  else __asm__ volatile("sfence.vma zero, zero" : : : "memory");
}

/* The RFENCE calls, executed on this hart: one SFENCE.VMA per 4 KiB page of
 * [start, start + size), or one for the whole address space when asked
 * (start = size = 0, or size = 2^32 - 1) or when the range spans more than
 * 64 pages. */
#define RFENCE_MAX_PAGES 64u

static struct sbiret rfence(uint32_t fid, const uint32_t *a) {
  if (fid > SBI_RFENCE_SFENCE_VMA_ASID) return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };  /* HFENCE: no H */
  int sel = hart_mask_selects_me(a[0], a[1]);
  if (sel < 0) return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
  if (fid == SBI_RFENCE_FENCE_I) {
    if (sel > 0) __asm__ volatile("fence.i" : : : "memory");
    return (struct sbiret){ SBI_SUCCESS, 0 };
  }
  uint32_t start = a[2], size = a[3], asid = a[4];
  int by_asid = fid == SBI_RFENCE_SFENCE_VMA_ASID;
  int all = (start == 0 && size == 0) || size == 0xffffffffu;
  if (!all && (uint64_t)start + size > 0x100000000ull) return (struct sbiret){ SBI_ERR_INVALID_ADDRESS, 0 };
  if (sel == 0) return (struct sbiret){ SBI_SUCCESS, 0 };
  uint32_t first = start >> 12, last = (uint32_t)(((uint64_t)start + size + 0xfff) >> 12);   /* pages [first, last) */
  if (all || last - first > RFENCE_MAX_PAGES) {
    sfence_vma_all(by_asid, asid);
  } else {
    for (uint32_t p = first; p < last; p++) sfence_vma(p << 12, by_asid, asid);
  }
  return (struct sbiret){ SBI_SUCCESS, 0 };
}

/* Wait for an interrupt (pending and enabled in mie, whatever mstatus.MIE
 * says) without taking it here: it is taken after the return to S-mode. */
static void wait_for_interrupt(void) {
  __asm__ volatile("wfi" : : : "memory");
}

static struct sbiret hsm(uint32_t fid, const uint32_t *a) {
  switch (fid) {
    case SBI_HSM_HART_START:
      return (struct sbiret){ a[0] == hart_id ? SBI_ERR_ALREADY_AVAILABLE : SBI_ERR_INVALID_PARAM, 0 };
    case SBI_HSM_HART_STOP:
      /* Stopped for good: no other hart exists to start it again. */
      csr_write(mie, 0);
      for (;;) wait_for_interrupt();
    case SBI_HSM_HART_GET_STATUS:
      if (a[0] != hart_id) return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
      return (struct sbiret){ SBI_SUCCESS, SBI_HSM_STATE_STARTED };
    case SBI_HSM_HART_SUSPEND:
      if (a[0] == SBI_HSM_SUSPEND_RETENTIVE) {
        wait_for_interrupt();
        return (struct sbiret){ SBI_SUCCESS, 0 };
      }
      if (a[0] == SBI_HSM_SUSPEND_NON_RETENTIVE) {
        if (!s_memory(4, a[1], 0) || (a[1] & 3) != 0) return (struct sbiret){ SBI_ERR_INVALID_ADDRESS, 0 };
        wait_for_interrupt();
        /* Resume at resume_addr instead of after the ECALL: S-mode, satp = 0,
         * sstatus.SIE = 0, and the "result" registers become a0 = hart id,
         * a1 = opaque. */
        csr_write(satp, 0);
        csr_clear(mstatus, MSTATUS_SIE);
        csr_write(mepc, a[1]);
        return (struct sbiret){ (int32_t)hart_id, a[2] };
      }
      return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };   /* reserved or platform-specific */
    default:
      return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
  }
}

/* sbi_system_reset through the SiFive test finisher: shutdown exits with
 * status 0 (reason "no reason") or 1 (reason "system failure"); cold and
 * warm reboot reset the machine. */
static struct sbiret srst(uint32_t fid, const uint32_t *a) {
  if (fid != SBI_SRST_SYSTEM_RESET) return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
  uint32_t type = a[0], reason = a[1];
  if (type > SBI_SRST_TYPE_WARM_REBOOT || reason > SBI_SRST_REASON_FAILURE)
    return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };       /* reserved, or vendor-specific: none here */
  if (type != SBI_SRST_TYPE_SHUTDOWN) finisher(FINISHER_RESET);
  finisher(reason == SBI_SRST_REASON_NONE ? FINISHER_PASS : (1u << 16) | FINISHER_FAIL);
}

/* The debug console on the UART.  console_write blocks until every byte is
 * sent; console_read returns what the UART has received, up to num_bytes. */
static struct sbiret dbcn(uint32_t fid, const uint32_t *a) {
  switch (fid) {
    case SBI_DBCN_CONSOLE_WRITE: {
      if (!s_memory(a[0], a[1], a[2])) return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
      const uint8_t *p = (const uint8_t *)a[1];
      for (uint32_t i = 0; i < a[0]; i++) uart_putc(p[i]);
      return (struct sbiret){ SBI_SUCCESS, a[0] };
    }
    case SBI_DBCN_CONSOLE_READ: {
      if (!s_memory(a[0], a[1], a[2])) return (struct sbiret){ SBI_ERR_INVALID_PARAM, 0 };
      uint8_t *p = (uint8_t *)a[1];
      uint32_t n = 0;
      while (n < a[0] && (mmio_read8(UART + UART_LSR) & UART_LSR_DR) != 0) p[n++] = mmio_read8(UART + UART_RBR);
      return (struct sbiret){ SBI_SUCCESS, n };
    }
    case SBI_DBCN_CONSOLE_WRITE_BYTE:
      uart_putc((uint8_t)a[0]);
      return (struct sbiret){ SBI_SUCCESS, 0 };
    default:
      return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
  }
}

static void sbi_call(struct fw_frame *f) {
  uint32_t eid = f->x[A7], fid = f->x[A6];
  const uint32_t *a = &f->x[A0];                  /* a0-a5 */
  struct sbiret r;
  if (eid == SBI_EXT_LEGACY_PUTCHAR) {             /* legacy: result in a0 only */
    uart_putc((uint8_t)a[0]);
    f->x[A0] = 0;
    return;
  }
  switch (eid) {
    case SBI_EXT_BASE: r = base(fid, a); break;
    case SBI_EXT_TIME: r = timer(fid, a); break;
    case SBI_EXT_IPI: r = ipi(fid, a); break;
    case SBI_EXT_RFENCE: r = rfence(fid, a); break;
    case SBI_EXT_HSM: r = hsm(fid, a); break;
    case SBI_EXT_SRST: r = srst(fid, a); break;
    case SBI_EXT_DBCN: r = dbcn(fid, a); break;
    default: r = (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 }; break;
  }
  f->x[A0] = (uint32_t)r.error;
  f->x[A1] = r.value;
}

/* ---- traps ------------------------------------------------------------------ */

/* Report the trap being handled (mcause, mepc, mtval after `what`) and exit with status 3. */
static void __attribute__((noreturn)) trap_fatal(const char *what) {
  puts_(what);
  puthex(csr_read(mcause));
  puts_(" mepc=");
  puthex(csr_read(mepc));
  puts_(" mtval=");
  puthex(csr_read(mtval));
  puts_("\n");
  finisher((3u << 16) | FINISHER_FAIL);
}

void fw_trap(struct fw_frame *f) {
  uint32_t cause = csr_read(mcause);
  switch (cause) {
    case CAUSE_INTERRUPT | IRQ_M_TIMER:
      /* due: hand it to S-mode, and stay quiet until the next sbi_set_timer */
      csr_clear(mie, MIP_MTIP);
      csr_set(mip, MIP_STIP);
      return;
    case CAUSE_INTERRUPT | IRQ_M_SOFT:
      mmio_write32(CLINT_MSIP + 4 * hart_id, 0);
      csr_set(mip, MIP_SSIP);
      return;
    case EXC_ECALL_S:
      csr_write(mepc, csr_read(mepc) + 4);
      sbi_call(f);
      return;
    default:
      trap_fatal("[sbi] unexpected trap from S/U-mode: mcause=");
  }
}

void __attribute__((noreturn)) fw_trap_in_firmware(void) {
  trap_fatal("[sbi] trap in M-mode: mcause=");
}
