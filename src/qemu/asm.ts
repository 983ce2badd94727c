/**
 * A tiny assembler over popek's own encoder (QDIFF harness): instructions are `Inst` values encoded
 * with `encode`, labels are resolved in a second pass, and a few pseudo-instructions (li, la, j,
 * call, ret) expand to fixed-size sequences so that addresses never depend on label values.
 */
import type { BranchOp, Inst } from '../isa/inst.js';
import { encode } from '../isa/encode.js';

/** Split a 32-bit value into lui/addi parts: hi (imm[31:12] << 12, signed) and lo (signed 12-bit). */
export function hiLo(v: number): { hi: number; lo: number } {
  const u = v >>> 0;
  const lo = ((u & 0xfff) << 20) >> 20;
  const hi = ((u - lo) >>> 0) & 0xfffff000;
  return { hi: hi | 0, lo };
}

type Item = { word: number } | { fix: (addr: number) => number };

export class Asm {
  private readonly items: Item[] = [];
  private readonly labels = new Map<string, number>();
  constructor(readonly base: number) {}

  /** Address of the next instruction. */
  get pc(): number { return this.base + 4 * this.items.length; }
  get size(): number { return 4 * this.items.length; }

  label(name: string): number {
    if (this.labels.has(name)) throw new Error(`label ${name} defined twice`);
    this.labels.set(name, this.pc);
    return this.pc;
  }
  /** Define a label at an arbitrary address (e.g. in another Asm). */
  labelAt(name: string, addr: number): void {
    if (this.labels.has(name)) throw new Error(`label ${name} defined twice`);
    this.labels.set(name, addr);
  }
  /** Pad with `fill` words until pc is a multiple of `n` bytes. */
  align(n: number, fill = 0): void { while (this.pc % n !== 0) this.word(fill); }

  /** Address of a label (after it has been defined; use in fixups for forward ones). */
  addr(name: string): number {
    const a = this.labels.get(name);
    if (a === undefined) throw new Error(`undefined label ${name}`);
    return a;
  }
  has(name: string): boolean { return this.labels.has(name); }

  word(w: number): void { this.items.push({ word: w >>> 0 }); }
  i(inst: Inst): void { this.items.push({ word: encode(inst) }); }
  /** An instruction that depends on label addresses: `f(pcOfThisInstruction)` builds it at the end. */
  fix(f: (pc: number) => Inst): void { this.items.push({ fix: (pc) => encode(f(pc)) }); }

  /** rd = v, always two instructions (lui + addi). */
  li(rd: number, v: number): void {
    const { hi, lo } = hiLo(v);
    this.i({ op: 'lui', rd, imm: hi });
    this.i({ op: 'addi', rd, rs1: rd, imm: lo });
  }
  /** rd = address of label (two instructions, resolved later). */
  la(rd: number, name: string): void {
    this.fix(() => ({ op: 'lui', rd, imm: hiLo(this.addr(name)).hi }));
    this.fix(() => ({ op: 'addi', rd, rs1: rd, imm: hiLo(this.addr(name)).lo }));
  }
  jal(rd: number, name: string): void { this.fix((pc) => ({ op: 'jal', rd, imm: this.addr(name) - pc })); }
  j(name: string): void { this.jal(0, name); }
  call(name: string): void { this.jal(1, name); }
  ret(): void { this.i({ op: 'jalr', rd: 0, rs1: 1, imm: 0 }); }
  branch(op: BranchOp, rs1: number, rs2: number, name: string): void {
    this.fix((pc) => ({ op, rs1, rs2, imm: this.addr(name) - pc }));
  }
  csrr(rd: number, csr: number): void { this.i({ op: 'csrrs', rd, rs1: 0, csr }); }
  csrw(csr: number, rs1: number): void { this.i({ op: 'csrrw', rd: 0, rs1, csr }); }

  /** The assembled bytes (little-endian words). */
  bytes(): Uint8Array {
    const out = new Uint8Array(4 * this.items.length);
    const v = new DataView(out.buffer);
    this.items.forEach((it, k) => {
      const pc = this.base + 4 * k;
      v.setUint32(4 * k, 'word' in it ? it.word : it.fix(pc), true);
    });
    return out;
  }
}
