/*
 * popek kernel guest: CSR access and constants (shared with the other
 * guests: guests/common/riscv.h), and SFENCE.VMA.
 */
#ifndef RISCV_H
#define RISCV_H

#include "../common/riscv.h"

static inline void sfence_vma_all(void) { __asm__ volatile("sfence.vma zero, zero" : : : "memory"); }
static inline void sfence_vma_va(uint32_t va) { __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory"); }

#endif
