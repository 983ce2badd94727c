/*
 * popek S-mode kernel (skernel): calling the SBI (guests/sbi/sbi.h for the
 * numbers).  ECALL with a7 = EID, a6 = FID, a0-a5 = arguments; the result
 * comes back in a0 (error) and a1 (value); every other register is kept.
 */
#ifndef SBI_CALL_H
#define SBI_CALL_H

#include <stdint.h>
#include "sbi.h"

struct sbiret { int32_t error; uint32_t value; };

static inline struct sbiret sbi_call(uint32_t eid, uint32_t fid, uint32_t x0, uint32_t x1,
                                     uint32_t x2, uint32_t x3, uint32_t x4, uint32_t x5) {
  register uint32_t a0 __asm__("a0") = x0;
  register uint32_t a1 __asm__("a1") = x1;
  register uint32_t a2 __asm__("a2") = x2;
  register uint32_t a3 __asm__("a3") = x3;
  register uint32_t a4 __asm__("a4") = x4;
  register uint32_t a5 __asm__("a5") = x5;
  register uint32_t a6 __asm__("a6") = fid;
  register uint32_t a7 __asm__("a7") = eid;
  __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7) : "memory");
  return (struct sbiret){ (int32_t)a0, a1 };
}

#define SBI0(e, f) sbi_call(e, f, 0, 0, 0, 0, 0, 0)
#define SBI1(e, f, x) sbi_call(e, f, x, 0, 0, 0, 0, 0)
#define SBI2(e, f, x, y) sbi_call(e, f, x, y, 0, 0, 0, 0)
#define SBI3(e, f, x, y, z) sbi_call(e, f, x, y, z, 0, 0, 0)
#define SBI4(e, f, x, y, z, w) sbi_call(e, f, x, y, z, w, 0, 0)
#define SBI5(e, f, x, y, z, w, v) sbi_call(e, f, x, y, z, w, v, 0)

static inline void sbi_set_timer(uint64_t t) {
  SBI2(SBI_EXT_TIME, SBI_TIME_SET_TIMER, (uint32_t)t, (uint32_t)(t >> 32));
}

static inline struct sbiret sbi_system_reset(uint32_t type, uint32_t reason) {
  return SBI2(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, type, reason);
}

#endif
