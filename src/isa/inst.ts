/**
 * The decoded-instruction union: what an instruction IS (ISA-DEC-*).
 * Every 32-bit word decodes to exactly one of these; words that are not a defined
 * RV32IMA + Zicsr + Zifencei + privileged instruction decode to `illegal`.
 * Reserved-but-ignored fields (FENCE's fm/rd/rs1, FENCE.I's imm/rd/rs1, AMO aq/rl) are kept so that
 * `encode(decode(w)) === w` for every word that is not illegal.
 */

export type RegOp =
  | 'add' | 'sub' | 'sll' | 'slt' | 'sltu' | 'xor' | 'srl' | 'sra' | 'or' | 'and'
  | 'mul' | 'mulh' | 'mulhsu' | 'mulhu' | 'div' | 'divu' | 'rem' | 'remu';
export type ImmOp = 'addi' | 'slti' | 'sltiu' | 'xori' | 'ori' | 'andi';
export type ShiftImmOp = 'slli' | 'srli' | 'srai';
export type BranchOp = 'beq' | 'bne' | 'blt' | 'bge' | 'bltu' | 'bgeu';
export type LoadOp = 'lb' | 'lh' | 'lw' | 'lbu' | 'lhu';
export type StoreOp = 'sb' | 'sh' | 'sw';
export type AmoOp =
  | 'amoswap.w' | 'amoadd.w' | 'amoxor.w' | 'amoand.w' | 'amoor.w'
  | 'amomin.w' | 'amomax.w' | 'amominu.w' | 'amomaxu.w';
export type CsrOp = 'csrrw' | 'csrrs' | 'csrrc';
export type CsrImmOp = 'csrrwi' | 'csrrsi' | 'csrrci';
export type SystemOp = 'ecall' | 'ebreak' | 'mret' | 'sret' | 'wfi';
/** H extension: hypervisor virtual-machine loads and stores, and fences. */
export type HlvOp = 'hlv.b' | 'hlv.bu' | 'hlv.h' | 'hlv.hu' | 'hlvx.hu' | 'hlv.w' | 'hlvx.wu';
export type HsvOp = 'hsv.b' | 'hsv.h' | 'hsv.w';
export type HfenceOp = 'hfence.vvma' | 'hfence.gvma';

export type Inst =
  | { op: RegOp; rd: number; rs1: number; rs2: number }
  | { op: ImmOp; rd: number; rs1: number; imm: number }
  | { op: ShiftImmOp; rd: number; rs1: number; shamt: number }
  | { op: 'lui' | 'auipc'; rd: number; imm: number }
  | { op: 'jal'; rd: number; imm: number }
  | { op: 'jalr'; rd: number; rs1: number; imm: number }
  | { op: BranchOp; rs1: number; rs2: number; imm: number }
  | { op: LoadOp; rd: number; rs1: number; imm: number }
  | { op: StoreOp; rs1: number; rs2: number; imm: number }
  | { op: 'fence'; fm: number; pred: number; succ: number; rd: number; rs1: number }
  | { op: 'fence.i'; rd: number; rs1: number; imm: number }
  | { op: SystemOp }
  | { op: 'sfence.vma'; rs1: number; rs2: number }
  | { op: HlvOp; rd: number; rs1: number }
  | { op: HsvOp; rs1: number; rs2: number }
  | { op: HfenceOp; rs1: number; rs2: number }
  | { op: CsrOp; rd: number; rs1: number; csr: number }
  | { op: CsrImmOp; rd: number; uimm: number; csr: number }
  | { op: 'lr.w'; rd: number; rs1: number; aq: number; rl: number }
  | { op: 'sc.w' | AmoOp; rd: number; rs1: number; rs2: number; aq: number; rl: number }
  | { op: 'illegal'; word: number };

export type Op = Inst['op'];

/** The instruction variant whose op is `O`. */
export type InstOf<O extends Op> = Inst extends infer I
  ? I extends { op: infer P } ? (O extends P ? Omit<I, 'op'> & { op: O } : never) : never
  : never;
