/**
 * Generated S-mode programs under the SBI service (src/vmm/see.ts), for the hardware-assisted VMM's
 * properties: supervisor and user code, CSR traffic (S CSRs, counters, and M-mode and hypervisor
 * CSRs the vCPU does not have), SBI calls with random extension and function ids, page-table
 * writes, traps between S and U, device accesses, the firmware's protected region, and timers.
 *
 * Layout (guest-physical; 8 MiB of RAM at 0x8000_0000, the first 64 KiB the SBI firmware's):
 *   0x8040_0000  code: `code` words; stvec points into it, so traps land in generated code
 *   0x8040_2000  data page (random words)
 *   0x8041_0000  Sv32 root table; 0x8041_1000 second-level table
 * Pointer registers x4..x9 hold "elsewhere" (the firmware region, a hole, the PLIC, the device
 * tree, or addresses past the end of RAM), the data page, the two tables, the UART and the CLINT's mtimecmp.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { encode } from '../../src/isa/encode.js';
import { decode } from '../../src/isa/decode.js';
import { disassemble } from '../../src/isa/disasm.js';
import { wordsToBytes } from '../../src/machine/program.js';
import type { Machine } from '../../src/machine/machine.js';
import { DEFAULT_CONFIG } from '../../src/machine/config.js';
import { parseIsa } from '../../src/machine/isa-string.js';
import { freeze, thaw } from '../../src/machine/core.js';
import { MIP_MTIP, MSTATUS } from '../../src/hart/csr-bits.js';
import { seeMachine } from '../../src/vmm/see.js';
import { EID, mmio } from '../../src/vmm/sbi.js';
import { guestInst, ptFlagsArb } from './programs.js';

export const SBASE = 0x80400000;
export const SDATA = 0x80402000;
export const SROOT = 0x80410000;
export const SL2 = 0x80411000;
export const S_RAM = 8 << 20;
const UART = 0x10000000, CLINT = 0x02000000;

export interface SProgram {
  code: number[];
  data: number[];
  ptFlags: { code: number; data: number; tables: number; valid: boolean[] };
  priv: 0 | 1;
  sstatus: number;
  sie: number;
  paging: boolean;
  /** An SBI timer already set (`mtimecmp`, with MTIE) or none. */
  timer: number | null;
  elsewhere: number;
  /** x1..x15, then a6 (FID) and a7 (EID). */
  regs: number[];
  fid: number;
  eid: number;
}

const S_CSRS = [
  0x100, 0x104, 0x105, 0x106, 0x10a, 0x140, 0x141, 0x142, 0x143, 0x144, 0x180, // supervisor
  0xc00, 0xc01, 0xc02, 0xc80, 0xc81, // counters
  0x300, 0x304, 0x344, 0x341, 0xf14, // machine: illegal from S
  0x600, 0x602, 0x603, 0x680, 0x200, 0x280, 0x645, // hypervisor and VS: the vCPU has no H
  0x7c0,
];

const value = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  fc.constantFrom(0, 1, -1, 2, 0x20, 0x22, 0x100, 0x222, 0x40000, 0x80000, SBASE | 0, (SBASE + 0x100) | 0, SDATA | 0, 0x80000000 | 0),
);

export const sProgram: Arbitrary<SProgram> = fc.record({
  code: fc.array(guestInst(S_CSRS, fc.integer({ min: 4, max: 9 })), { minLength: 8, maxLength: 48 }).map((is) => is.map(encode)),
  data: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 4, maxLength: 16 }),
  ptFlags: ptFlagsArb,
  priv: fc.constantFrom<0 | 1>(0, 1),
  sstatus: fc.oneof(fc.constant(0), fc.constant(0x22), fc.integer({ min: 0, max: 0xfffff })),
  sie: fc.oneof(fc.constant(0), fc.constant(0x222), fc.integer({ min: 0, max: 0x3ff })),
  paging: fc.boolean(),
  timer: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  // The firmware's region, a hole, the PLIC, the device tree, RAM below the kernel, and past the
  // end of RAM where, in the host, the G-stage tables and other VMs' RAM lie.
  elsewhere: fc.constantFrom(0x80000000, 0x40000000, 0x0c200000, 0x80600000, 0x80010000, 0x80800000, 0x80c00000, 0x88000000),
  regs: fc.array(value, { minLength: 15, maxLength: 15 }),
  fid: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }) }),
  eid: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(EID.BASE, EID.TIME, EID.IPI, EID.RFENCE, EID.HSM, EID.DBCN, EID.LEGACY_PUTCHAR) },
    { weight: 1, arbitrary: fc.constant(EID.SRST) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x7fffffff }) },
  ),
});

const pte = (pa: number, f: number, v: boolean): number => ((Math.floor(pa / 4096) << 10) | f | (v ? 1 : 0)) >>> 0;

/** The S-mode machine (under the SBI service) a program describes. */
export function sProgramMachine(p: SProgram): Machine {
  const code = new Array<number>(0x100).fill(0x00000013);
  p.code.forEach((w, i) => { code[i] = w; });
  // Identity map: root[0x201] -> L2, which maps the code, data and table pages; megapages over the
  // UART, the CLINT and the firmware's region (PMP still denies S and U there).
  const root = new Array<number>(1024).fill(0);
  root[0x201] = pte(SL2, 0, true);
  root[0x040] = pte(UART, 0xc7, true);
  root[0x008] = pte(CLINT, 0xc7, true);
  root[0x200] = pte(0x80000000, 0xcf, true);
  const l2 = new Array<number>(1024).fill(0);
  l2[0x000] = pte(SBASE, p.ptFlags.code, p.ptFlags.valid[0]!);
  l2[0x002] = pte(SDATA, p.ptFlags.data, p.ptFlags.valid[1]!);
  l2[0x010] = pte(SROOT, p.ptFlags.tables, p.ptFlags.valid[2]!);
  l2[0x011] = pte(SL2, p.ptFlags.tables, p.ptFlags.valid[2]!);
  const config = { ...DEFAULT_CONFIG, ramSize: S_RAM };
  const isa = parseIsa(config.isa);
  if (!isa.ok) throw new Error(isa.error);
  const segments = [[SBASE, code], [SDATA, p.data], [SROOT, root], [SL2, l2]].map(([addr, words]) => ({ addr: addr as number, bytes: wordsToBytes(words as number[]) }));
  const m = seeMachine({ config, isa: isa.isa, image: { segments, entry: SBASE }, symbols: new Map() });
  if (m._tag === 'Left') throw new Error(m.left);
  const c = thaw(m.right);
  const h = c.hart;
  p.regs.forEach((v, i) => { h.x[i + 1] = v; });
  Object.assign(h.x, { 4: p.elsewhere | 0, 5: SDATA | 0, 6: SROOT | 0, 7: SL2 | 0, 8: UART, 9: CLINT + 0x4000, 16: p.fid, 17: p.eid });
  h.priv = p.priv;
  const sBits = MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.SPP | MSTATUS.SUM | MSTATUS.MXR;
  h.csr.mstatus = ((h.csr.mstatus & ~sBits) | (p.sstatus & sBits)) >>> 0;
  h.csr.mie = (h.csr.mie & ~0x222) | (p.sie & 0x222);
  h.csr.stvec = SBASE + 0x40;
  h.csr.satp = p.paging ? (0x80000000 | (SROOT >>> 12)) >>> 0 : 0;
  if (p.timer !== null) {
    mmio(c, CLINT + 0x4004, 4, 0);
    mmio(c, CLINT + 0x4000, 4, p.timer);
    h.csr.mie |= MIP_MTIP;
  }
  return freeze(c);
}

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

/** The program as assembly, for counterexamples. */
export function showSProgram(p: SProgram): string {
  const lines = p.code.map((w, i) => `  ${(SBASE + 4 * i).toString(16)}: ${disassemble(decode(w), SBASE + 4 * i)}`);
  return [`priv=${p.priv ? 'S' : 'U'} sstatus=${hex(p.sstatus & 0xc0122)} sie=${hex(p.sie & 0x222)} paging=${p.paging} timer=${p.timer} ` +
    `a7=${hex(p.eid)} a6=${hex(p.fid)} x4=${hex(p.elsewhere)} pte(code,data,tables)=${hex(p.ptFlags.code)},${hex(p.ptFlags.data)},${hex(p.ptFlags.tables)} valid=${p.ptFlags.valid}`,
  ...lines].join('\n');
}
