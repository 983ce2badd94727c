/*
 * popek S-mode kernel (skernel): CSR access and constants (shared with the
 * other guests: guests/common/riscv.h), and the 64-bit time read.
 */
#ifndef RISCV_H
#define RISCV_H

#include "../common/riscv.h"

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
