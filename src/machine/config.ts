/**
 * Platform configuration as data (CFG-*), decoded with io-ts at the edge. Defaults follow QEMU's
 * `virt` machine for RV32 (RAM at 0x8000_0000, 128 MiB; CLINT, PLIC, UART, test finisher).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { formatErrors } from '../formats/errors.js';

const Uint = new t.Type<number, number, unknown>(
  'uint32',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 0xffffffff,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 0xffffffff ? t.success(u) : t.failure(u, c)),
  (a) => a,
);
const range = (lo: number, hi: number, name: string) => new t.Type<number, number, unknown>(
  name,
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= lo && u <= hi,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= lo && u <= hi ? t.success(u) : t.failure(u, c)),
  (a) => a,
);

export const ConfigCodec = t.strict({
  /** Spike-style ISA string, e.g. rv32ima_zicsr_zifencei_zicntr. */
  isa: t.string,
  ramBase: Uint,
  /** Bytes; a multiple of 4 KiB. */
  ramSize: Uint,
  harts: range(1, 8, 'harts (1..8)'),
  /** CFG-MISALIGNED: what a misaligned load/store does; misaligned LR/SC/AMO always raise. */
  misaligned: t.keyof({ perform: null, trap: null }),
  /** CFG-AD: hardware A/D update, or a page fault as in Svade. */
  adUpdate: t.keyof({ hardware: null, fault: null }),
  pmpEntries: range(0, 64, 'pmpEntries (0..64)'),
  /** G: PMP regions are 2^(G+2) bytes at least (§3.7.1). */
  pmpGranularity: range(0, 30, 'pmpGranularity (0..30)'),
  /** mtime ticks per retired instruction (time is derived from retired instructions only). */
  ticksPerInstruction: range(1, 1_000_000, 'ticksPerInstruction (1..1000000)'),
  /** Timebase frequency advertised in the device tree (Hz). */
  timebaseHz: Uint,
  devices: t.strict({
    clint: Uint, plic: Uint, uart: Uint, finisher: Uint,
  }),
});
export type Config = t.TypeOf<typeof ConfigCodec>;

export const DEFAULT_CONFIG: Config = {
  isa: 'rv32ima_zicsr_zifencei_zicntr',
  ramBase: 0x8000_0000,
  ramSize: 128 * 1024 * 1024,
  harts: 1,
  misaligned: 'perform',
  adUpdate: 'hardware',
  pmpEntries: 16,
  pmpGranularity: 0,
  ticksPerInstruction: 1,
  timebaseHz: 10_000_000,
  devices: { clint: 0x0200_0000, plic: 0x0c00_0000, uart: 0x1000_0000, finisher: 0x0010_0000 },
};

/**
 * Decode a (partial) JSON configuration: missing keys take the defaults; unknown keys and bad values
 * are errors naming the field.
 */
export function decodeConfig(u: unknown): { ok: true; config: Config } | { ok: false; error: string } {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(u)) return { ok: false, error: 'config: expected a JSON object' };
  const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  const extra = Object.keys(u).find((k) => !own(DEFAULT_CONFIG, k));
  if (extra !== undefined) return { ok: false, error: `config: unknown key "${extra}"` };
  const devs = own(u, 'devices') ? u['devices'] : {};
  if (!isObject(devs)) return { ok: false, error: 'config: at $.devices: expected an object of device base addresses' };
  const extraDev = Object.keys(devs).find((k) => !own(DEFAULT_CONFIG.devices, k));
  if (extraDev !== undefined) return { ok: false, error: `config: unknown device "${extraDev}" in $.devices` };
  const merged = { ...DEFAULT_CONFIG, ...u, devices: { ...DEFAULT_CONFIG.devices, ...devs } };
  const r = ConfigCodec.decode(merged);
  if (isLeft(r)) return { ok: false, error: `config: ${formatErrors(r.left)}` };
  const c = r.right;
  if (c.ramSize === 0 || c.ramSize % 4096 !== 0) return { ok: false, error: 'config: ramSize must be a non-zero multiple of 4096' };
  if (c.ramBase % 4096 !== 0 || c.ramBase + c.ramSize > 2 ** 34) return { ok: false, error: 'config: ramBase must be 4 KiB aligned and RAM must end below 2^34' };
  return { ok: true, config: c };
}
