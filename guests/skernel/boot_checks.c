/*
 * popek S-mode kernel (skernel): what the kernel checks at boot, before
 * paging is on (satp = 0): the device tree, the SBI, time, the firmware's
 * PMP and a software interrupt to itself.
 *
 * Both builds print the same lines.  The fully virtual build calls only the
 * Base, TIME and SRST extensions (as Linux does on a platform it drives
 * itself); the paravirtual build also checks HSM, IPI, RFENCE and DBCN,
 * including their error returns.  A failed check prints a line of its own
 * and makes the kernel end with FAIL.
 */
#include "kernel.h"

volatile uint32_t soft_interrupts;
int boot_checks_failed;

static int expect(const char *what, struct sbiret r, int32_t error) {
  if (r.error == error) return 1;
  kprintf("[kernel] SBI check failed: %s returned error %d, expected %d\n", what, r.error, error);
  boot_checks_failed = 1;
  return 0;
}

static void expect_value(const char *what, struct sbiret r, uint32_t value) {
  if (expect(what, r, SBI_SUCCESS) && r.value != value) {
    kprintf("[kernel] SBI check failed: %s returned value %x, expected %x\n", what, r.value, value);
    boot_checks_failed = 1;
  }
}

/* The flattened device tree header starts with the big-endian magic 0xd00dfeed. */
void check_device_tree(uint32_t dtb) {
  int ok = dtb >= KERNEL_BASE && dtb < RAM_END - 4 && (dtb & 3) == 0 &&
           *(volatile uint32_t *)dtb == 0xedfe0dd0u;
  kprintf("[kernel] device tree at %x: %s\n", dtb, ok ? "header ok" : "MISSING");
  if (!ok) boot_checks_failed = 1;
}

#ifdef PARAVIRT
#define PV_NEEDS 1                   /* the paravirtual build needs every extension */
#else
#define PV_NEEDS 0
#endif

static const struct { uint32_t eid; const char *name; int needed; } extensions[] = {
  { SBI_EXT_TIME, "TIME", 1 },
  { SBI_EXT_IPI, "IPI", PV_NEEDS },
  { SBI_EXT_RFENCE, "RFENCE", PV_NEEDS },
  { SBI_EXT_HSM, "HSM", PV_NEEDS },
  { SBI_EXT_SRST, "SRST", 1 },
  { SBI_EXT_DBCN, "DBCN", PV_NEEDS },
  { SBI_EXT_LEGACY_PUTCHAR, "legacy-putchar", PV_NEEDS },
};

#define NEXT (sizeof extensions / sizeof extensions[0])
#define EID_UNKNOWN 0x0a000000u      /* firmware-specific range, unused */

void check_sbi(void) {
  struct sbiret spec = SBI0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
  struct sbiret impl = SBI0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID);
  struct sbiret ver = SBI0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION);
  if (spec.error != SBI_SUCCESS || impl.error != SBI_SUCCESS || ver.error != SBI_SUCCESS)
    kpanic("SBI Base extension calls fail");
  kprintf("[kernel] SBI %u.%u, implementation id %x, version %x\n",
          (spec.value >> 24) & 0x7f, spec.value & 0xffffff, impl.value, ver.value);
#ifdef PARAVIRT
  if (spec.value < 0x02000000u) kpanic("the paravirtual kernel needs SBI 2.0 (DBCN)");
#else
  if (spec.value < 0x00000003u) kpanic("the kernel needs SBI 0.3 or later (SRST)");
#endif

  kprintf("[kernel] SBI extensions:");
  for (uint32_t i = 0; i < NEXT; i++) {
    struct sbiret r = SBI1(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, extensions[i].eid);
    if (r.error == SBI_SUCCESS && r.value != 0) kprintf(" %s", extensions[i].name);
    else if (extensions[i].needed) kpanic("\nthe kernel needs the SBI extension %s", extensions[i].name);
  }
  kprintf("\n");

  /* Base, TIME, SRST: both builds */
  expect("get_mvendorid", SBI0(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID), SBI_SUCCESS);
  expect("get_marchid", SBI0(SBI_EXT_BASE, SBI_BASE_GET_MARCHID), SBI_SUCCESS);
  expect("get_mimpid", SBI0(SBI_EXT_BASE, SBI_BASE_GET_MIMPID), SBI_SUCCESS);
  expect_value("probe_extension(unknown)", SBI1(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, EID_UNKNOWN), 0);
  expect("unknown extension", SBI0(EID_UNKNOWN, 0), SBI_ERR_NOT_SUPPORTED);
  expect("Base function 7", SBI0(SBI_EXT_BASE, 7), SBI_ERR_NOT_SUPPORTED);
  expect("TIME function 1", SBI0(SBI_EXT_TIME, 1), SBI_ERR_NOT_SUPPORTED);
  expect("SRST function 1", SBI0(SBI_EXT_SRST, 1), SBI_ERR_NOT_SUPPORTED);
  expect("system_reset(reserved type)", sbi_system_reset(3, SBI_SRST_REASON_NONE), SBI_ERR_INVALID_PARAM);
  expect("system_reset(vendor type)", sbi_system_reset(0xf0000000u, SBI_SRST_REASON_NONE), SBI_ERR_INVALID_PARAM);
  expect("system_reset(reserved reason)", sbi_system_reset(SBI_SRST_TYPE_SHUTDOWN, 2), SBI_ERR_INVALID_PARAM);

#ifdef PARAVIRT
  uint32_t h = boot_hart;
  static char buf[16];

  /* HSM: one hart, started */
  expect_value("hart_get_status(self)", SBI1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h), SBI_HSM_STATE_STARTED);
  expect("hart_get_status(other)", SBI1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, h + 1), SBI_ERR_INVALID_PARAM);
  expect("hart_start(self)", SBI3(SBI_EXT_HSM, SBI_HSM_HART_START, h, KERNEL_BASE, 0), SBI_ERR_ALREADY_AVAILABLE);
  expect("hart_start(other)", SBI3(SBI_EXT_HSM, SBI_HSM_HART_START, h + 1, KERNEL_BASE, 0), SBI_ERR_INVALID_PARAM);
  expect("hart_suspend(reserved type)", SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 1, 0, 0), SBI_ERR_INVALID_PARAM);
  /* Retentive suspend until the timer fires.  The hart wakes for interrupts
   * enabled in sie (sstatus.SIE = 0 keeps it from being taken; STIP stays
   * pending), so STIE must be on, also in case the timer fires before the
   * call. */
  csr_write(sie, SIP_STIP);
  sbi_set_timer(rdtime64() + 1000);
  expect("hart_suspend(retentive)", SBI3(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, SBI_HSM_SUSPEND_RETENTIVE, 0, 0), SBI_SUCCESS);
  for (uint32_t i = 0; i < 1000000 && (csr_read(sip) & SIP_STIP) == 0; i++) { }
  int woke = (csr_read(sip) & SIP_STIP) != 0;
  sbi_set_timer(~0ull);
  csr_write(sie, 0);
  if (!woke || (csr_read(sip) & SIP_STIP) != 0) {
    kprintf("[kernel] SBI check failed: timer interrupt after hart_suspend %s, after set_timer(-1) %s\n",
            woke ? "pending" : "NOT PENDING", (csr_read(sip) & SIP_STIP) != 0 ? "STILL PENDING" : "cleared");
    boot_checks_failed = 1;
  }

  /* IPI and RFENCE: hart masks, ranges */
  expect("send_ipi(other hart)", SBI2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, h + 1), SBI_ERR_INVALID_PARAM);
  expect("send_ipi(no hart)", SBI2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 0, h), SBI_SUCCESS);
  expect("IPI function 1", SBI0(SBI_EXT_IPI, 1), SBI_ERR_NOT_SUPPORTED);
  expect("remote_fence_i", SBI2(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 1, h), SBI_SUCCESS);
  expect("remote_sfence_vma(all harts)", SBI4(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 0, 0xffffffffu, 0, 0), SBI_SUCCESS);
  expect("remote_sfence_vma(wrapping range)", SBI4(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 1, h, 0xfffff000u, 0x2000),
         SBI_ERR_INVALID_ADDRESS);
  expect("remote_sfence_vma(other hart)", SBI4(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 2, h, 0, 0), SBI_ERR_INVALID_PARAM);
  expect("remote_sfence_vma_asid", SBI5(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, 1, h, 0x40000000u, 0x3000, 0),
         SBI_SUCCESS);
  expect("remote_hfence_gvma_vmid", SBI5(SBI_EXT_RFENCE, 3, 1, h, 0, 0, 0), SBI_ERR_NOT_SUPPORTED);

  /* DBCN: the buffer must be memory the kernel may use */
  expect("console_write(firmware memory)", SBI3(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 4, RAM_BASE, 0),
         SBI_ERR_INVALID_PARAM);
  expect("console_write(above 4 GiB)", SBI3(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 4, (uint32_t)buf, 1),
         SBI_ERR_INVALID_PARAM);
  struct sbiret rd = SBI3(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, sizeof buf, (uint32_t)buf, 0);
  if (expect("console_read", rd, SBI_SUCCESS) && rd.value > sizeof buf) {
    kprintf("[kernel] SBI check failed: console_read returned %u bytes\n", rd.value);
    boot_checks_failed = 1;
  }
  expect("DBCN function 3", SBI0(SBI_EXT_DBCN, 3), SBI_ERR_NOT_SUPPORTED);
#endif
  kprintf("[kernel] SBI error returns: %s\n", boot_checks_failed ? "WRONG" : "ok");
}

/* The time CSR (mcounteren.TM lets S-mode read it) must advance. */
void check_time(void) {
  uint64_t t0 = rdtime64();
  uint32_t i = 0;
  while (rdtime64() == t0 && i < 1000000) i++;
  int ok = rdtime64() != t0;
  kprintf("[kernel] time: %s\n", ok ? "advancing" : "STUCK");
  if (!ok) boot_checks_failed = 1;
}

/* The firmware's own memory must be closed to S-mode (PMP). */
void check_pmp(void) {
  uint32_t cause = probe_load(RAM_BASE);
  int ok = cause == EXC_LOAD_ACCESS;
  kprintf("[kernel] firmware memory at %x: %s\n", RAM_BASE,
          ok ? "load access fault, as it should be" : cause == 0 ? "READABLE" : "UNEXPECTED FAULT");
  if (!ok) boot_checks_failed = 1;
}

/* A supervisor software interrupt to this hart, taken in S-mode: raised by
 * writing sip.SSIP (fully virtual) or by sbi_send_ipi (paravirtual). */
void check_soft_interrupt(void) {
  csr_write(sie, SIP_SSIP);
#ifdef PARAVIRT
  expect("send_ipi(self)", SBI2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, boot_hart), SBI_SUCCESS);
#else
  csr_set(sip, SIP_SSIP);
#endif
  csr_set(sstatus, SSTATUS_SIE);
  for (uint32_t i = 0; i < 1000000 && soft_interrupts == 0; i++) { }
  csr_clear(sstatus, SSTATUS_SIE);
  csr_write(sie, 0);
  int ok = soft_interrupts == 1;
  kprintf("[kernel] software interrupt to self: %s\n", ok ? "taken" : "NOT TAKEN OR TAKEN TWICE");
  if (!ok) boot_checks_failed = 1;
}
