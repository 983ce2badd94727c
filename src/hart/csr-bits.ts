/** Bit positions and masks of the machine and supervisor CSRs (privileged spec §3.1, §10.1). */

export const MSTATUS = {
  SIE: 1 << 1, MIE: 1 << 3, SPIE: 1 << 5, UBE: 1 << 6, MPIE: 1 << 7, SPP: 1 << 8,
  MPP_SHIFT: 11, MPP: 3 << 11, MPRV: 1 << 17, SUM: 1 << 18, MXR: 1 << 19,
  TVM: 1 << 20, TW: 1 << 21, TSR: 1 << 22,
} as const;

/** mstatus bits software may write (FS, VS, XS, the endianness bits and SD are read-only zero). */
export const MSTATUS_WRITABLE =
  MSTATUS.SIE | MSTATUS.MIE | MSTATUS.SPIE | MSTATUS.MPIE | MSTATUS.SPP | MSTATUS.MPP |
  MSTATUS.MPRV | MSTATUS.SUM | MSTATUS.MXR | MSTATUS.TVM | MSTATUS.TW | MSTATUS.TSR;

/** sstatus is a restricted view of mstatus (§10.1.1): SIE, SPIE, UBE, SPP, VS, FS, XS, SUM, MXR, SD. */
export const SSTATUS_MASK = 0x800de762;

/** Interrupt numbers (mcause codes with the interrupt bit, §3.1.9). */
export const IRQ = { SSI: 1, MSI: 3, STI: 5, MTI: 7, SEI: 9, MEI: 11 } as const;
export const MIP_SSIP = 1 << IRQ.SSI;
export const MIP_MSIP = 1 << IRQ.MSI;
export const MIP_STIP = 1 << IRQ.STI;
export const MIP_MTIP = 1 << IRQ.MTI;
export const MIP_SEIP = 1 << IRQ.SEI;
export const MIP_MEIP = 1 << IRQ.MEI;
/** Interrupts that exist on this hart. */
export const MIE_WRITABLE = MIP_SSIP | MIP_MSIP | MIP_STIP | MIP_MTIP | MIP_SEIP | MIP_MEIP;
/** mip bits software can write (§3.1.9): the supervisor ones; machine bits come from devices. */
export const MIP_SW_WRITABLE = MIP_SSIP | MIP_STIP | MIP_SEIP;
/** Interrupts that mideleg can delegate to S-mode. */
export const MIDELEG_WRITABLE = MIP_SSIP | MIP_STIP | MIP_SEIP;

/** Exception codes (mcause, interrupt bit clear; §3.1.15 Table "Machine cause register values"). */
export const EXC = {
  INSN_MISALIGNED: 0, INSN_ACCESS: 1, ILLEGAL: 2, BREAKPOINT: 3, LOAD_MISALIGNED: 4, LOAD_ACCESS: 5,
  STORE_MISALIGNED: 6, STORE_ACCESS: 7, ECALL_U: 8, ECALL_S: 9, ECALL_M: 11, INSN_PAGE: 12,
  LOAD_PAGE: 13, STORE_PAGE: 15,
  // H extension
  ECALL_VS: 10, INSN_GUEST_PAGE: 20, LOAD_GUEST_PAGE: 21, VIRTUAL: 22, STORE_GUEST_PAGE: 23,
} as const;
/** medeleg bits that may be set: every exception code above except ECALL_M (§3.1.8). */
export const MEDELEG_WRITABLE = 0xb3ff;

export const INTERRUPT_BIT = 0x80000000;

/** Counter-enable bits CY, TM, IR (§3.1.11). hpmcounters are hardwired to zero and not enabled. */
export const COUNTEREN_WRITABLE = 0x7;
/** mcountinhibit: CY and IR are writable; TM does not exist (§3.1.12). */
export const COUNTINHIBIT_WRITABLE = 0x5;
/** menvcfg / senvcfg: only FIOM is implemented (no Zicbom/Zicboz/Svpbmt/Sstc). */
export const ENVCFG_WRITABLE = 0x1;
