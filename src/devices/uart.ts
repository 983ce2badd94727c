/**
 * The ns16550a UART (DEV-UART-*) of QEMU's `virt` machine: eight byte-wide registers one byte apart
 * (reg-shift 0), interrupt source 10 on the PLIC. Transmission is instantaneous; received bytes come
 * from a fixed input buffer that the receiver takes one byte at a time, as the guest reads them.
 */

/** DEV-UART-1: size of the UART window in QEMU virt's memory map (VIRT_UART0). */
export const SIZE = 0x100;

const REGS = 8;
const IER_ERBFI = 0x01;
const IER_ETBEI = 0x02;
const IER_MASK = 0x0f;
const IIR_NONE = 0x01;
const IIR_THRE = 0x02;
const IIR_RDA = 0x04;
const IIR_FIFOS = 0xc0;
const FCR_FE = 0x01;
const FCR_XFR = 0x04;
const FCR_STICKY = 0xc9;
const LCR_DLAB = 0x80;
const MCR_OUT2 = 0x08;
const MCR_LOOP = 0x10;
const MCR_MASK = 0x1f;
const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
const MSR_CTS = 0x10;
const MSR_DSR = 0x20;
const MSR_DCD = 0x80;

export interface UartState {
  /** Bytes the host will deliver, in order; shared between states and never written. */
  readonly input: Uint8Array;
  /** How many of `input` the guest has read. */
  readonly inPos: number;
  readonly ier: number;
  readonly lcr: number;
  readonly mcr: number;
  readonly scr: number;
  /** Divisor latch, low and high byte. */
  readonly dll: number;
  readonly dlm: number;
  /** The FCR bits that stick: FIFO enable, DMA mode, receiver trigger level. */
  readonly fcr: number;
  /** The THR-empty interrupt is armed (QEMU's thr_ipending). */
  readonly thrIrq: boolean;
}

/** DEV-UART-11: the state after reset, with `input` as the bytes still to be received. */
export function reset(input: Uint8Array): UartState {
  // QEMU's reset values: 9600 baud divisor (12), OUT2 set, FIFOs off, no interrupt armed.
  return { input, inPos: 0, ier: 0, lcr: 0, mcr: MCR_OUT2, scr: 0, dll: 0x0c, dlm: 0, fcr: 0, thrIrq: false };
}

const dataReady = (s: UartState): boolean => s.inPos < s.input.length;
const dlab = (s: UartState): boolean => (s.lcr & LCR_DLAB) !== 0;

/** DEV-UART-7: the interrupt identification register as it reads now. */
function iir(s: UartState): number {
  const id = (s.ier & IER_ERBFI) !== 0 && dataReady(s) ? IIR_RDA
    : (s.ier & IER_ETBEI) !== 0 && s.thrIrq ? IIR_THRE
      : IIR_NONE;
  return id | ((s.fcr & FCR_FE) !== 0 ? IIR_FIFOS : 0);
}

/** DEV-UART-2, 3: the line status register: the transmitter is always empty. */
const lsr = (s: UartState): number => LSR_THRE | LSR_TEMT | (dataReady(s) ? LSR_DR : 0);

/** DEV-UART-10: the modem status register. */
function msr(s: UartState): number {
  if ((s.mcr & MCR_LOOP) === 0) return MSR_DCD | MSR_DSR | MSR_CTS;
  // Loopback wires OUT2->DCD, OUT1->RI, DTR->DSR, RTS->CTS.
  return ((s.mcr & 0x0c) << 4) | ((s.mcr & 0x02) << 3) | ((s.mcr & 0x01) << 5);
}

/** DEV-UART-1: a single-byte access to one of the eight registers. */
const accepted = (off: number, size: number): boolean =>
  size === 1 && Number.isInteger(off) && off >= 0 && off < REGS;

/** DEV-UART-2: the byte an empty receiver returns: 0 with FIFOs, else the last byte again (QEMU). */
const staleByte = (s: UartState): number =>
  (s.fcr & FCR_FE) !== 0 || s.inPos === 0 ? 0 : (s.input[s.inPos - 1] ?? 0);

/** DEV-UART-1..10: an MMIO load; null (access fault) unless it is a byte access to offsets 0..7. */
export function read(s: UartState, off: number, size: number): { s: UartState; v: number } | null {
  if (!accepted(off, size)) return null;
  switch (off) {
    case 0: {
      if (dlab(s)) return { s, v: s.dll };
      if (!dataReady(s)) return { s, v: staleByte(s) };
      return { s: { ...s, inPos: s.inPos + 1 }, v: s.input[s.inPos] ?? 0 };
    }
    case 1: return { s, v: dlab(s) ? s.dlm : s.ier };
    case 2: {
      const v = iir(s);
      // DEV-UART-7: reading IIR while it reports THR empty acknowledges that interrupt.
      return { s: (v & 0x0f) === IIR_THRE ? { ...s, thrIrq: false } : s, v };
    }
    case 3: return { s, v: s.lcr };
    case 4: return { s, v: s.mcr };
    case 5: return { s, v: lsr(s) };
    case 6: return { s, v: msr(s) };
    default: return { s, v: s.scr };
  }
}

/** DEV-UART-1..10: an MMIO store, with the transmitted character if any; null as for read. */
export function write(s: UartState, off: number, size: number, v: number): { s: UartState; out?: string } | null {
  if (!accepted(off, size)) return null;
  const b = v & 0xff;
  switch (off) {
    case 0: {
      if (dlab(s)) return { s: { ...s, dll: b } };
      // DEV-UART-8: the byte leaves at once, so THR is empty again and the interrupt re-arms.
      const ns = s.thrIrq ? s : { ...s, thrIrq: true };
      // DEV-UART-10: in loopback the byte would go to the receiver; that path is not modelled.
      return (s.mcr & MCR_LOOP) !== 0 ? { s: ns } : { s: ns, out: String.fromCharCode(b) };
    }
    case 1: {
      if (dlab(s)) return { s: { ...s, dlm: b } };
      const ier = b & IER_MASK;
      // DEV-UART-8: as in QEMU, only a change of ETBEI resamples THRE (which is always 1 here).
      const thrIrq = ((ier ^ s.ier) & IER_ETBEI) !== 0 ? (ier & IER_ETBEI) !== 0 : s.thrIrq;
      return { s: { ...s, ier, thrIrq } };
    }
    case 2: {
      // DEV-UART-6: toggling FIFO enable implies both FIFO resets; a transmit reset empties THR.
      const xfr = (b & FCR_XFR) !== 0 || ((b ^ s.fcr) & FCR_FE) !== 0;
      return { s: { ...s, fcr: b & FCR_STICKY, thrIrq: xfr ? true : s.thrIrq } };
    }
    case 3: return { s: { ...s, lcr: b } };
    case 4: return { s: { ...s, mcr: b & MCR_MASK } };
    case 7: return { s: { ...s, scr: b } };
    // DEV-UART-5: LSR and MSR are read-only; writes are ignored.
    default: return { s };
  }
}

/** DEV-UART-9: the interrupt line: some interrupt is identified in IIR (MCR.OUT2 does not gate it). */
export const irq = (s: UartState): boolean => (iir(s) & 0x0f) !== IIR_NONE;
