/**
 * The SBI service (HX-SBI-*): the Supervisor Binary Interface v2.0 calls that popek's own firmware
 * (guests/sbi, table in guests/sbi/README.md) serves, written once more as a function on a machine
 * value, for the environments where no firmware code runs: the hardware-assisted VMM's hypercalls
 * and its native counterpart (src/vmm/see.ts). It is the same SBI implementation (same
 * implementation id, version, extensions, errors and effects), so a kernel cannot tell them apart.
 *
 * `sbiCall` is entered with the hart in M-mode right after an ECALL from S-mode trapped there;
 * it performs the call on the machine (device writes go through the platform's MMIO, as the
 * firmware's stores do) and sets a0/a1 and mepc the way the firmware's return does.
 */
import type { Core } from '../machine/core.js';
import { physRead, physWrite } from '../machine/access.js';
import { storeHit } from '../machine/step.js';
import { MIP_MTIP, MIP_STIP, MSTATUS } from '../hart/csr-bits.js';

/** SBI error codes (SBI v2.0, "Standard SBI Errors"). */
export const SBI_ERR = {
  SUCCESS: 0, FAILED: -1, NOT_SUPPORTED: -2, INVALID_PARAM: -3, DENIED: -4, INVALID_ADDRESS: -5, ALREADY_AVAILABLE: -6,
} as const;

/** Extension ids (a7). */
export const EID = {
  LEGACY_PUTCHAR: 0x01, BASE: 0x10, TIME: 0x54494d45, IPI: 0x735049, RFENCE: 0x52464e43, HSM: 0x48534d,
  SRST: 0x53525354, DBCN: 0x4442434e,
} as const;

/** What the base extension reports (guests/sbi/sbi.h): SBI 2.0, implementation "PO" 1.0. */
export const SBI_SPEC_VERSION = 0x02000000;
export const SBI_IMPL_ID = 0x504f;
export const SBI_IMPL_VERSION = 0x00010000;

/** The firmware's own region at the start of RAM, closed to S and U by PMP (guests/sbi/link.ld). */
export const FW_SIZE = 0x10000;

const HSM_SUSPEND_RETENTIVE = 0x00000000;
const HSM_SUSPEND_NON_RETENTIVE = 0x80000000;
const FINISHER_PASS = 0x5555, FINISHER_FAIL = 0x3333, FINISHER_RESET = 0x7777;
const UART_LSR = 5, LSR_DR = 0x01;

interface SbiRet { error: number; value: number }
const ret = (error: number, value = 0): SbiRet => ({ error, value });

/** Store to a device register, as the firmware's MMIO stores do (output, halts and lines follow). */
export const mmio = (c: Core, pa: number, size: number, v: number): void => { physWrite(c, [[pa, size]], v >>> 0); };

/** HX-SBI-CONSOLE: one byte on the UART (its transmitter is always ready in popek). */
export const putByte = (c: Core, b: number): void => mmio(c, c.config.devices.uart, 1, b & 0xff);

export const putText = (c: Core, s: string): void => { for (let i = 0; i < s.length; i++) putByte(c, s.charCodeAt(i)); };

export const hex = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');

/** The finisher write that ends the run (exit status value >> 16 with 0x3333, 0 with 0x5555, reset with 0x7777). */
export const finish = (c: Core, value: number): void => mmio(c, c.config.devices.finisher, 4, value);

/** A hart mask names: 1 this hart, 0 no hart, -1 a hart that does not exist (SBI "Hart list parameter"). */
function selectsMe(c: Core, mask: number, base: number): number {
  if (base === 0xffffffff) return 1;
  let me = 0;
  for (let i = 0; i < 32; i++) {
    if (((mask >>> i) & 1) === 0) continue;
    if (base + i > 0xffffffff || base + i !== c.hart.id) return -1;
    me = 1;
  }
  return me;
}

/** [lo, lo + n) with address bits above 31 in `hi`: inside RAM and outside the firmware's region. */
function sMemory(c: Core, n: number, lo: number, hi: number): boolean {
  const { ramBase, ramSize } = c.config;
  const end = lo + n;
  if (hi !== 0 || lo < ramBase || end > ramBase + ramSize) return false;
  return !(lo < ramBase + FW_SIZE && end > ramBase);
}

const EXTENSIONS: readonly number[] = Object.values(EID);

function base(c: Core, fid: number, a: readonly number[]): SbiRet {
  switch (fid) {
    case 0: return ret(SBI_ERR.SUCCESS, SBI_SPEC_VERSION);
    case 1: return ret(SBI_ERR.SUCCESS, SBI_IMPL_ID);
    case 2: return ret(SBI_ERR.SUCCESS, SBI_IMPL_VERSION);
    case 3: return ret(SBI_ERR.SUCCESS, EXTENSIONS.includes(a[0]!) ? 1 : 0);
    // mvendorid, marchid, mimpid: popek's are 0 (PRIV-CSR-ID).
    case 4: case 5: case 6: return ret(SBI_ERR.SUCCESS, 0);
    default: return ret(SBI_ERR.NOT_SUPPORTED);
  }
}

/** HX-SBI-TIMER: mtimecmp = the 64-bit value; STIP cleared now, raised by the machine timer (see.ts). */
function timer(c: Core, fid: number, a: readonly number[]): SbiRet {
  if (fid !== 0) return ret(SBI_ERR.NOT_SUPPORTED);
  const cmp = c.config.devices.clint + 0x4000 + 8 * c.hart.id;
  mmio(c, cmp + 4, 4, 0xffffffff);
  mmio(c, cmp, 4, a[0]!);
  mmio(c, cmp + 4, 4, a[1]!);
  c.hart.csr.mipSw &= ~MIP_STIP;
  c.hart.csr.mie |= MIP_MTIP;
  return ret(SBI_ERR.SUCCESS);
}

function ipi(c: Core, fid: number, a: readonly number[]): SbiRet {
  if (fid !== 0) return ret(SBI_ERR.NOT_SUPPORTED);
  const sel = selectsMe(c, a[0]!, a[1]!);
  if (sel < 0) return ret(SBI_ERR.INVALID_PARAM);
  if (sel > 0) mmio(c, c.config.devices.clint + 4 * c.hart.id, 4, 1);
  return ret(SBI_ERR.SUCCESS);
}

/** RFENCE: popek keeps no architectural TLB (XLATE-NOTLB), so a fence has nothing to order; only the checks remain. */
function rfence(c: Core, fid: number, a: readonly number[]): SbiRet {
  if (fid > 2) return ret(SBI_ERR.NOT_SUPPORTED);
  const sel = selectsMe(c, a[0]!, a[1]!);
  if (sel < 0) return ret(SBI_ERR.INVALID_PARAM);
  if (fid === 0) return ret(SBI_ERR.SUCCESS);
  const start = a[2]!, size = a[3]!;
  const all = (start === 0 && size === 0) || size === 0xffffffff;
  if (!all && start + size > 0x100000000) return ret(SBI_ERR.INVALID_ADDRESS);
  return ret(SBI_ERR.SUCCESS);
}

/**
 * HX-SBI-HSM: the firmware waits in M-mode with WFI and returns; a wait that ends on an interrupt
 * pending and enabled in mie is the same as returning first and waiting in S-mode (the interrupt
 * is taken after the return either way), which is what the service does.
 */
function hsm(c: Core, fid: number, a: readonly number[]): SbiRet | 'resume' {
  const h = c.hart;
  switch (fid) {
    case 0: return ret(a[0] === h.id ? SBI_ERR.ALREADY_AVAILABLE : SBI_ERR.INVALID_PARAM);
    case 1:
      h.csr.mie = 0;
      h.waiting = true;
      return ret(SBI_ERR.SUCCESS);
    case 2: return a[0] === h.id ? ret(SBI_ERR.SUCCESS, 0) : ret(SBI_ERR.INVALID_PARAM);
    case 3:
      if (a[0] === HSM_SUSPEND_RETENTIVE) { h.waiting = true; return ret(SBI_ERR.SUCCESS); }
      if (a[0] === HSM_SUSPEND_NON_RETENTIVE) {
        if (!sMemory(c, 4, a[1]!, 0) || (a[1]! & 3) !== 0) return ret(SBI_ERR.INVALID_ADDRESS);
        h.waiting = true;
        h.csr.satp = 0;
        h.csr.mstatus &= ~MSTATUS.SIE;
        h.csr.mepc = a[1]!;
        h.x[10] = h.id;
        h.x[11] = a[2]!;
        return 'resume';
      }
      return ret(SBI_ERR.INVALID_PARAM);
    default: return ret(SBI_ERR.NOT_SUPPORTED);
  }
}

/** HX-SBI-SRST: shutdown and reboot through the test finisher, as the firmware does. */
function srst(c: Core, fid: number, a: readonly number[]): SbiRet {
  if (fid !== 0) return ret(SBI_ERR.NOT_SUPPORTED);
  const [type, reason] = [a[0]!, a[1]!];
  if (type > 2 || reason > 1) return ret(SBI_ERR.INVALID_PARAM);
  finish(c, type !== 0 ? FINISHER_RESET : reason === 0 ? FINISHER_PASS : (1 << 16) | FINISHER_FAIL);
  return ret(SBI_ERR.SUCCESS);
}

function dbcn(c: Core, fid: number, a: readonly number[]): SbiRet {
  const uart = c.config.devices.uart;
  switch (fid) {
    case 0: {
      if (!sMemory(c, a[0]!, a[1]!, a[2]!)) return ret(SBI_ERR.INVALID_PARAM);
      for (let i = 0; i < a[0]!; i++) putByte(c, c.mem.read(a[1]! + i, 1));
      return ret(SBI_ERR.SUCCESS, a[0]!);
    }
    case 1: {
      if (!sMemory(c, a[0]!, a[1]!, a[2]!)) return ret(SBI_ERR.INVALID_PARAM);
      let n = 0;
      while (n < a[0]! && ((physRead(c, [[uart + UART_LSR, 1]], 1) ?? 0) & LSR_DR) !== 0) {
        // A store as the firmware's: it breaks reservations, hits watched pages and may be an HTIF command.
        c.mem.writeByte(a[1]! + n, physRead(c, [[uart, 1]], 1) ?? 0);
        storeHit(c, a[1]! + n, 1);
        n++;
      }
      return ret(SBI_ERR.SUCCESS, n);
    }
    case 2:
      putByte(c, a[0]!);
      return ret(SBI_ERR.SUCCESS);
    default: return ret(SBI_ERR.NOT_SUPPORTED);
  }
}

/**
 * HX-SBI-CALL: serve the SBI call of the ECALL that just trapped to M-mode (a7 = EID, a6 = FID,
 * a0-a5 arguments): mepc moves past the ECALL, a0 = error and a1 = value (legacy putchar: a0 = 0,
 * a1 kept). The caller returns to S-mode with MRET.
 */
export function sbiCall(c: Core): void {
  const h = c.hart, x = h.x;
  const a = [x[10]! >>> 0, x[11]! >>> 0, x[12]! >>> 0, x[13]! >>> 0, x[14]! >>> 0, x[15]! >>> 0];
  const eid = x[17]! >>> 0, fid = x[16]! >>> 0;
  h.csr.mepc = (h.csr.mepc + 4) >>> 0;
  if (eid === EID.LEGACY_PUTCHAR) { putByte(c, a[0]!); x[10] = 0; return; }
  const r = eid === EID.BASE ? base(c, fid, a)
    : eid === EID.TIME ? timer(c, fid, a)
      : eid === EID.IPI ? ipi(c, fid, a)
        : eid === EID.RFENCE ? rfence(c, fid, a)
          : eid === EID.HSM ? hsm(c, fid, a)
            : eid === EID.SRST ? srst(c, fid, a)
              : eid === EID.DBCN ? dbcn(c, fid, a)
                : ret(SBI_ERR.NOT_SUPPORTED);
  if (r === 'resume') return;
  x[10] = r.error;
  x[11] = r.value | 0;
}
