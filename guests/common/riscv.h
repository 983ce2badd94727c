/*
 * CSR access and privileged-architecture constants shared by the guest
 * firmware and kernels (RISC-V privileged specification: machine and
 * supervisor chapters, Sv32). The S-mode names are the same bits seen
 * through sstatus/sip.
 */
#ifndef GUEST_RISCV_H
#define GUEST_RISCV_H

#include <stdint.h>

#define csr_read(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" : : "rK"(val) : "memory")
#define csr_set(csr, val) __asm__ volatile("csrs " #csr ", %0" : : "rK"(val) : "memory")
#define csr_clear(csr, val) __asm__ volatile("csrc " #csr ", %0" : : "rK"(val) : "memory")

/* mstatus (sstatus is a view of SIE, SPIE, SPP, SUM, MXR) */
#define MSTATUS_SIE     (1u << 1)
#define MSTATUS_MIE     (1u << 3)
#define MSTATUS_SPIE    (1u << 5)
#define MSTATUS_MPIE    (1u << 7)
#define MSTATUS_SPP     (1u << 8)
#define MSTATUS_MPP     (3u << 11)
#define MSTATUS_MPP_S   (1u << 11)
#define MSTATUS_MPRV    (1u << 17)
#define MSTATUS_SUM     (1u << 18)
#define MSTATUS_MXR     (1u << 19)
#define MSTATUS_TVM     (1u << 20)
#define MSTATUS_TW      (1u << 21)
#define MSTATUS_TSR     (1u << 22)
#define SSTATUS_SIE     MSTATUS_SIE
#define SSTATUS_SPIE    MSTATUS_SPIE
#define SSTATUS_SPP     MSTATUS_SPP
#define SSTATUS_SUM     MSTATUS_SUM
#define SSTATUS_MXR     MSTATUS_MXR

/* interrupts: mip/mie bit numbers and masks (sip/sie: the S bits), cause codes */
#define IRQ_S_SOFT      1
#define IRQ_M_SOFT      3
#define IRQ_S_TIMER     5
#define IRQ_M_TIMER     7
#define IRQ_S_EXT       9
#define MIP_SSIP        (1u << IRQ_S_SOFT)
#define MIP_MSIP        (1u << IRQ_M_SOFT)
#define MIP_STIP        (1u << IRQ_S_TIMER)
#define MIP_MTIP        (1u << IRQ_M_TIMER)
#define MIP_SEIP        (1u << IRQ_S_EXT)
#define SIP_SSIP        MIP_SSIP
#define SIP_STIP        MIP_STIP
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
#define EXC_ECALL_S           9
#define EXC_ECALL_M           11
#define EXC_INSN_PAGE         12
#define EXC_LOAD_PAGE         13
#define EXC_STORE_PAGE        15

/* PMP */
#define PMP_R           0x01u
#define PMP_W           0x02u
#define PMP_X           0x04u
#define PMP_NAPOT       0x18u

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
static inline void mmio_write32(uint32_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }
static inline uint32_t mmio_read32(uint32_t addr) { return *(volatile uint32_t *)addr; }

#endif
