/*
 * popek S-mode kernel (skernel): CSR access and supervisor-level
 * constants (RISC-V privileged specification, supervisor chapter, Sv32).
 */
#ifndef RISCV_H
#define RISCV_H

#include <stdint.h>

#define csr_read(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" : : "rK"(val) : "memory")
#define csr_set(csr, val) __asm__ volatile("csrs " #csr ", %0" : : "rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" : : "rK"(val) : "memory")

/* sstatus */
#define SSTATUS_SIE     (1u << 1)
#define SSTATUS_SPIE    (1u << 5)
#define SSTATUS_SPP     (1u << 8)
#define SSTATUS_SUM     (1u << 18)
#define SSTATUS_MXR     (1u << 19)

/* interrupts: sip/sie bits, scause codes */
#define IRQ_S_SOFT      1
#define IRQ_S_TIMER     5
#define SIP_SSIP        (1u << IRQ_S_SOFT)
#define SIP_STIP        (1u << IRQ_S_TIMER)
#define CAUSE_INTERRUPT 0x80000000u

/* exception codes */
#define EXC_INSN_MISALIGNED   0
#define EXC_INSN_ACCESS       1
#define EXC_ILLEGAL           2
#define EXC_BREAKPOINT        3
#define EXC_LOAD_MISALIGNED   4
#define EXC_LOAD_ACCESS       5
#define EXC_STORE_MISALIGNED  6
#define EXC_STORE_ACCESS      7
#define EXC_ECALL_U           8
#define EXC_INSN_PAGE         12
#define EXC_LOAD_PAGE         13
#define EXC_STORE_PAGE        15

/* Sv32 */
#define SATP_SV32       0x80000000u
#define PTE_V           0x001u
#define PTE_R           0x002u
#define PTE_W           0x004u
#define PTE_X           0x008u
#define PTE_U           0x010u
#define PTE_G           0x020u
#define PTE_A           0x040u
#define PTE_D           0x080u
#define PAGE_SIZE       4096u
#define MEGAPAGE_SIZE   0x400000u
#define PTE_PPN(pa)     (((uint32_t)(pa) >> 12) << 10)
#define PTE_PA(pte)     (((uint32_t)(pte) >> 10) << 12)

static inline void mmio_write8(uint32_t addr, uint8_t v) { *(volatile uint8_t *)addr = v; }
static inline uint8_t mmio_read8(uint32_t addr) { return *(volatile uint8_t *)addr; }

/* The 64-bit time CSR, read as two halves without tearing. */
static inline uint64_t rdtime64(void) {
  uint32_t hi, lo;
  do {
    hi = csr_read(timeh);
    lo = csr_read(time);
  } while (hi != csr_read(timeh));
  return ((uint64_t)hi << 32) | lo;
}

#endif
