/**
 * The `virt` platform's devices as one value (DEV-*): address decoding, MMIO dispatch and the
 * interrupt lines each hart sees. Every device is a pure model `(state, access) -> (state', value)`.
 */
import type { Config } from '../machine/config.js';
import { MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP } from '../hart/csr-bits.js';
import * as clint from './clint.js';
import * as plic from './plic.js';
import * as uart from './uart.js';
import * as finisher from './finisher.js';
import type { Time } from './time.js';

export interface Devices {
  readonly clint: clint.ClintState;
  readonly plic: plic.PlicState;
  readonly uart: uart.UartState;
}

/** What an MMIO access did besides returning a value. */
export interface MmioEffect {
  dev: Devices;
  v: number;
  /** Bytes the device transmitted (UART THR). */
  out?: string;
  /** Finisher: exit with a code, or reset. */
  finish?: finisher.FinisherAction;
  /** A new value of mtime (a CLINT mtime write). */
  time?: Time;
}

export const UART_IRQ = 10;

export function resetDevices(config: Config, input: Uint8Array): Devices {
  return { clint: clint.reset(config.harts), plic: plic.reset(config.harts), uart: uart.reset(input) };
}

type Region = 'clint' | 'plic' | 'uart' | 'finisher';
const inRegion = (pa: number, base: number, size: number): boolean => pa >= base && pa < base + size;

/** Which device region holds physical address `pa`, if any. */
export function regionOf(config: Config, pa: number): Region | null {
  const d = config.devices;
  if (inRegion(pa, d.clint, clint.SIZE)) return 'clint';
  if (inRegion(pa, d.plic, plic.SIZE)) return 'plic';
  if (inRegion(pa, d.uart, uart.SIZE)) return 'uart';
  if (inRegion(pa, d.finisher, finisher.SIZE)) return 'finisher';
  return null;
}

/** Propagate the UART's interrupt line into the PLIC (level-triggered source UART_IRQ). */
const wire = (d: Devices): Devices => ({ ...d, plic: plic.setSource(d.plic, UART_IRQ, uart.irq(d.uart)) });

/**
 * DEV-MMIO-1: an MMIO load. Returns null when the device does not accept the access (a load access
 * fault): unknown offsets, wrong sizes or misaligned addresses, as each device documents.
 */
export function mmioRead(config: Config, d: Devices, pa: number, size: number, time: Time): MmioEffect | null {
  const r = regionOf(config, pa);
  if (r === null || pa % size !== 0) return null;
  switch (r) {
    case 'clint': {
      const v = clint.read(d.clint, pa - config.devices.clint, size, time);
      return v === null ? null : { dev: d, v };
    }
    case 'plic': {
      const res = plic.read(d.plic, pa - config.devices.plic, size);
      return res === null ? null : { dev: wire({ ...d, plic: res.s }), v: res.v };
    }
    case 'uart': {
      const res = uart.read(d.uart, pa - config.devices.uart, size);
      return res === null ? null : { dev: wire({ ...d, uart: res.s }), v: res.v };
    }
    case 'finisher': {
      const v = finisher.read(pa - config.devices.finisher, size);
      return v === null ? null : { dev: d, v };
    }
  }
}

/** DEV-MMIO-2: an MMIO store; null when the device does not accept it (a store access fault). */
export function mmioWrite(config: Config, d: Devices, pa: number, size: number, v: number, time: Time): MmioEffect | null {
  const r = regionOf(config, pa);
  if (r === null || pa % size !== 0) return null;
  switch (r) {
    case 'clint': {
      const res = clint.write(d.clint, pa - config.devices.clint, size, v, time);
      return res === null ? null : { dev: { ...d, clint: res.s }, v: 0, time: res.time };
    }
    case 'plic': {
      const s = plic.write(d.plic, pa - config.devices.plic, size, v);
      return s === null ? null : { dev: wire({ ...d, plic: s }), v: 0 };
    }
    case 'uart': {
      const res = uart.write(d.uart, pa - config.devices.uart, size, v);
      if (res === null) return null;
      const eff: MmioEffect = { dev: wire({ ...d, uart: res.s }), v: 0 };
      if (res.out !== undefined) eff.out = res.out;
      return eff;
    }
    case 'finisher': {
      const a = finisher.write(pa - config.devices.finisher, size, v);
      if (a === null) return null;
      const eff: MmioEffect = { dev: d, v: 0 };
      if (a.kind !== 'none') eff.finish = a;
      return eff;
    }
  }
}

/** DEV-IRQ-1: the machine-level and supervisor-level interrupt lines of hart `hart`, as mip bits. */
export function lines(d: Devices, hart: number, time: Time): number {
  let m = 0;
  if (clint.msip(d.clint, hart)) m |= MIP_MSIP;
  if (clint.mtip(d.clint, hart, time)) m |= MIP_MTIP;
  if (plic.eip(d.plic, plic.context(hart, 'M'))) m |= MIP_MEIP;
  if (plic.eip(d.plic, plic.context(hart, 'S'))) m |= MIP_SEIP;
  return m;
}

/** The earliest future time at which some hart's timer fires, or null if none is armed. */
export const nextTimerEvent = (d: Devices, time: Time): Time | null => clint.nextEvent(d.clint, time);
