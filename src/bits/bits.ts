/** 32-bit arithmetic helpers shared by the ISA, the hart and the devices. All values are JS numbers. */

/** Interpret the low 32 bits of `x` as unsigned. */
export const u32 = (x: number): number => x >>> 0;

/** Interpret the low 32 bits of `x` as signed. */
export const i32 = (x: number): number => x | 0;

/** Extract bits [hi:lo] of a 32-bit word (inclusive), unsigned. */
export const bits = (x: number, hi: number, lo: number): number =>
  hi - lo === 31 ? x >>> 0 : (x >>> lo) & ((1 << (hi - lo + 1)) - 1);

/** Extract one bit. */
export const bit = (x: number, n: number): number => (x >>> n) & 1;

/** Sign-extend the low `width` bits of `x` to a signed 32-bit value. */
export const sext = (x: number, width: number): number =>
  width >= 32 ? x | 0 : (x << (32 - width)) >> (32 - width);

/** Hex with 0x prefix and 8 digits, as commit logs print registers and addresses. */
export const hex8 = (x: number): string => '0x' + (x >>> 0).toString(16).padStart(8, '0');

/** Hex with 0x prefix and no padding. */
export const hex = (x: number): string => '0x' + (x >>> 0).toString(16);

/** High 32 bits of the 64-bit product of two unsigned 32-bit values, without BigInt. */
export const mulhuu = (a: number, b: number): number => {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const lo = a0 * b0;
  const mid1 = a1 * b0 + (lo >>> 16);
  const mid2 = a0 * b1 + (mid1 & 0xffff);
  return (a1 * b1 + Math.floor(mid1 / 65536) + Math.floor(mid2 / 65536)) >>> 0;
};

/** High 32 bits of signed × signed. Derived from the unsigned product by the usual correction terms. */
export const mulhss = (a: number, b: number): number =>
  (mulhuu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;

/** High 32 bits of signed × unsigned. */
export const mulhsu = (a: number, b: number): number => (mulhuu(a, b) - (a < 0 ? b >>> 0 : 0)) | 0;

/** Split a non-negative integer below 2^64 (held exactly when below 2^53) into 32-bit halves. */
export const lo32 = (x: number): number => x % 4294967296 >>> 0;
export const hi32 = (x: number): number => Math.floor(x / 4294967296) >>> 0;
