/*
 * bench-crc-sieve: compute-bound benchmark guest (freestanding C, -O2).
 *
 *  1. fills a 64 KiB buffer with a linear congruential generator
 *     (x = x * 1103515245 + 12345, byte = bits 23..16 of x, seed 0x2545f491);
 *  2. CRC-32 (IEEE 802.3, reflected, polynomial 0xedb88320, as zlib.crc32)
 *     of the buffer repeated 4 times, bit by bit;
 *  3. the same CRC with a 256-entry table;
 *  4. sieve of Eratosthenes over the odd numbers below 2^21 (one bit per
 *     odd number) and a SWAR population count of the primes.
 *
 * The expected values were computed independently on the host with Python
 * (zlib.crc32 of the same byte sequence; a plain byte-array sieve):
 *     crc32(buffer * 4)  = 0x80c26669
 *     pi(2^21)           = 155611
 *
 * Exit status: 0 = pass, 1 = bitwise CRC wrong, 2 = table CRC wrong,
 * 3 = prime count wrong, 255 = unexpected trap.
 * Roughly 40 million instructions retired.
 */
#include <stdint.h>

#define BUF_SIZE     65536u
#define CRC_ROUNDS   4u
#define LCG_SEED     0x2545f491u
#define SIEVE_LIMIT  (1u << 21)
#define SIEVE_BITS   (SIEVE_LIMIT / 2u)          /* bit i <-> odd number 2i+1 */

#define EXPECTED_CRC     0x80c26669u
#define EXPECTED_PRIMES  155611u

static uint8_t buffer[BUF_SIZE];
static uint32_t crc_table[256];
static uint32_t composite[SIEVE_BITS / 32u];

int main(void);

static void fill_buffer(uint8_t *p, uint32_t n, uint32_t seed)
{
  uint32_t x = seed;
  for (uint32_t i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    p[i] = (uint8_t)(x >> 16);
  }
}

static uint32_t crc32_bitwise(uint32_t crc, const uint8_t *p, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++)
      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return crc;
}

static void crc32_make_table(uint32_t *table)
{
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++)
      c = (c & 1u) ? (c >> 1) ^ 0xedb88320u : c >> 1;
    table[n] = c;
  }
}

static uint32_t crc32_table(const uint32_t *table, uint32_t crc, const uint8_t *p, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    crc = table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
  return crc;
}

static uint32_t popcount32(uint32_t v)
{
  v = v - ((v >> 1) & 0x55555555u);
  v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
  v = (v + (v >> 4)) & 0x0f0f0f0fu;
  return (v * 0x01010101u) >> 24;
}

/* Number of primes below SIEVE_LIMIT. */
static uint32_t count_primes(uint32_t *bits)
{
  for (uint32_t w = 0; w < SIEVE_BITS / 32u; w++)
    bits[w] = 0;
  bits[0] = 1u;                                  /* 1 is not prime */
  for (uint32_t i = 1;; i++) {
    uint32_t p = 2u * i + 1u;
    if (p * p >= SIEVE_LIMIT)
      break;
    if (bits[i >> 5] & (1u << (i & 31u)))
      continue;
    for (uint32_t j = (p * p) >> 1; j < SIEVE_BITS; j += p)
      bits[j >> 5] |= 1u << (j & 31u);
  }
  uint32_t count = 1;                            /* the prime 2 */
  for (uint32_t w = 0; w < SIEVE_BITS / 32u; w++)
    count += 32u - popcount32(bits[w]);
  return count;
}

int main(void)
{
  fill_buffer(buffer, BUF_SIZE, LCG_SEED);

  uint32_t crc = 0xffffffffu;
  for (uint32_t r = 0; r < CRC_ROUNDS; r++)
    crc = crc32_bitwise(crc, buffer, BUF_SIZE);
  if ((crc ^ 0xffffffffu) != EXPECTED_CRC)
    return 1;

  crc32_make_table(crc_table);
  crc = 0xffffffffu;
  for (uint32_t r = 0; r < CRC_ROUNDS; r++)
    crc = crc32_table(crc_table, crc, buffer, BUF_SIZE);
  if ((crc ^ 0xffffffffu) != EXPECTED_CRC)
    return 2;

  if (count_primes(composite) != EXPECTED_PRIMES)
    return 3;
  return 0;
}
