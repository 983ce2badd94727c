/*
 * One output line built in a fixed buffer and written with one system call:
 * the user programs of both guest kernels (guests/kernel, guests/skernel).
 * The includer defines LINE_CAP (the buffer size; longer lines are cut) and
 * a function line_write(const char *buf, uint32_t len).
 */
#ifndef GUEST_LINE_H
#define GUEST_LINE_H
#include <stdint.h>

struct line { uint32_t n; char b[LINE_CAP]; };

static inline void l_c(struct line *l, char c) {
  if (l->n < sizeof l->b) l->b[l->n++] = c;
}

static inline void l_s(struct line *l, const char *s) {
  while (*s != 0) l_c(l, *s++);
}

static inline void l_u(struct line *l, uint32_t v) {
  char d[10];
  int n = 0;
  do { d[n++] = (char)('0' + v % 10); v /= 10; } while (v != 0);
  while (n > 0) l_c(l, d[--n]);
}

static inline void l_d(struct line *l, int32_t v) {
  if (v < 0) { l_c(l, '-'); l_u(l, -(uint32_t)v); } else { l_u(l, (uint32_t)v); }
}

static inline void l_x(struct line *l, uint32_t v) {
  l_s(l, "0x");
  for (int i = 28; i >= 0; i -= 4) l_c(l, "0123456789abcdef"[(v >> i) & 15]);
}

static inline void l_end(struct line *l) {
  l_c(l, '\n');
  line_write(l->b, l->n);
  l->n = 0;
}

#endif
