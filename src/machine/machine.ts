/**
 * The machine value (STATE-1): configuration, harts, physical memory, devices, console output and
 * halt status. Immutable by contract: engines produce new values (see `engines/reference.ts`).
 */
import type { Config } from './config.js';
import type { IsaSet } from './isa-string.js';
import type { HartState } from '../hart/state.js';
import { resetHart } from '../hart/state.js';
import { emptyStore, type MemStore, withBytes } from '../memory/store.js';
import type { HtifState } from '../devices/htif.js';
import { type Devices, resetDevices } from '../devices/platform.js';
import { type Time, ZERO_TIME } from '../devices/time.js';

export type Halt =
  | { reason: 'exit'; code: number; via: 'htif' | 'finisher' | 'sbi' }
  | { reason: 'reset' };

export interface Machine {
  readonly config: Config;
  readonly isa: IsaSet;
  readonly harts: readonly HartState[];
  readonly mem: MemStore;
  readonly htif: HtifState;
  readonly dev: Devices;
  /** mtime: advances by config.ticksPerInstruction per retired instruction. */
  readonly time: Time;
  /** Everything the machine has printed (HTIF console and UART), in order. */
  readonly out: string;
  readonly halt: Halt | null;
}

/** A program image to load: byte runs at physical addresses, an entry point and symbol addresses. */
export interface Image {
  segments: ReadonlyArray<{ addr: number; bytes: Uint8Array }>;
  entry: number;
  tohost?: number | undefined;
  fromhost?: number | undefined;
}

/**
 * A machine at reset with `image` loaded (STATE-RESET): every hart in M-mode at the entry, with
 * a0 = mhartid, a1 = `a1` (the device-tree address, when one is placed) and a2 = `a2` (the
 * firmware's dynamic-info block with --bios), per QEMU's conventions.
 */
export function createMachine(config: Config, isa: IsaSet, image: Image, a1 = 0, inputBytes: Uint8Array = new Uint8Array(0), a2 = 0): Machine {
  let mem = emptyStore();
  for (const s of image.segments) mem = withBytes(mem, s.addr, s.bytes);
  const harts = Array.from({ length: config.harts }, (_, id) => {
    const h = resetHart(id, image.entry);
    h.x[10] = id;
    h.x[11] = a1 | 0;
    h.x[12] = a2 | 0;
    return h;
  });
  return {
    config, isa, harts, mem,
    htif: { tohost: image.tohost ?? -1, fromhost: image.fromhost ?? -1, low: false, high: false, settle: 0 },
    dev: resetDevices(config, inputBytes),
    time: ZERO_TIME,
    out: '',
    halt: null,
  };
}
