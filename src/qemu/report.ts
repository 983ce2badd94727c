/**
 * Human-readable reports of a divergence (QDIFF-REPORT-1): the program's initial state, its body
 * disassembled with popek's own disassembler, and the fields in which the final states differ.
 */
import { decode } from '../isa/decode.js';
import { disassemble } from '../isa/disasm.js';
import { csrOperand } from '../isa/disasm.js';
import { regName } from '../isa/registers.js';
import type { BatchImage, TestProgram, Value } from './program.js';
import { showDiff, type FieldDiff, type FinalState } from './dump.js';
import { trapOf } from './classify.js';

const hex = (n: number): string => '0x' + (n >>> 0).toString(16);
const PRIV = ['U', 'S', '?', 'M'];

const value = (v: Value): string => {
  switch (v.k) {
    case 'v': return hex(v.v);
    case 'data': return `data+${v.off} (${v.view})`;
    case 'code': return `&item[${v.item}]${v.off !== 0 ? (v.off > 0 ? '+' : '') + v.off : ''}`;
    case 'satp': return `satp(asid ${v.asid})`;
    case 'vsatp': return `vsatp(asid ${v.asid})`;
    default: return `hgatp(vmid ${v.vmid})`;
  }
};

/** The body of program k, one instruction a line, as objdump would print it. */
export function disassembleBody(img: BatchImage, k: number): string[] {
  const base = img.placements[k]!.body;
  return img.bodyWords[k]!.map((w, n) => `  ${(base + 4 * n).toString(16)}:  ${w.toString(16).padStart(8, '0')}  ${disassemble(decode(w), base + 4 * n)}`);
}

/** The initial state of a program, the way a reader wants it (non-zero registers, data, CSRs). */
export function describeProgram(p: TestProgram): string[] {
  const out: string[] = [];
  out.push(`privilege ${PRIV[p.priv]}, mstatus ${hex(p.mstatus)}${p.priv === 3 ? `, MIE ${p.mie ? 1 : 0}, mepc ${value(p.mepc)}` : ''}, sepc ${value(p.sepc)}`);
  const regs = p.regs.map((r, i) => [i + 1, r] as const).filter(([, r]) => !(r.k === 'v' && r.v === 0));
  if (regs.length > 0) out.push('registers: ' + regs.map(([i, r]) => `${regName(i)}=${value(r)}`).join(' '));
  const csrs = p.csrs.filter(([, v]) => v !== 0);
  if (csrs.length > 0) out.push('csrs: ' + csrs.map(([n, v]) => `${csrOperand(n)}=${hex(v)}`).join(' '));
  const data = p.data.map((w, i) => [i, w] as const).filter(([, w]) => w !== 0);
  if (data.length > 0) out.push('data: ' + data.map(([i, w]) => `[${4 * i}]=${hex(w)}`).join(' '));
  if (p.paging !== null) {
    const g = p.paging;
    out.push(`paging: Sv32 asid ${g.asid}, code ${hex(g.code)}, data4k ${hex(g.data4k)}, alias ${hex(g.alias)}, mega ${hex(g.mega)}, odd PTE ${hex(g.odd)}`);
  }
  out.push(`pmp: ${typeof p.pmp === 'string' ? p.pmp : p.pmp.map((e) => `cfg ${hex(e.cfg)} addr ${hex(e.addr)}`).join('; ')}`);
  const h = p.h;
  if (h !== undefined) {
    const mode = p.priv === 3 ? 'M' : h.v === 1 ? (p.priv === 1 ? 'VS' : 'VU') : p.priv === 1 ? 'HS' : 'U';
    out.push(`H: mode ${mode}${h.v === 1 ? ` (entered by ${h.entry.toUpperCase()})` : ''}, vsepc ${value(h.vsepc)}${h.pmpDeny ? `, PMP entry 0 perm ${h.pmpDeny.perm} over ${h.pmpDeny.region}` : ''}`);
    const hc = h.csrs.filter(([, v]) => v !== 0);
    if (hc.length > 0) out.push('H csrs: ' + hc.map(([n, v]) => `${csrOperand(n)}=${hex(v)}`).join(' '));
    const bits = (o: object): string => Object.entries(o).map(([k, v]) => `${k} ${typeof v === 'number' ? hex(v) : String(v)}`).join(', ');
    out.push(h.g !== null ? `G-stage: Sv32x4, ${bits(h.g)}` : 'G-stage: Bare');
    out.push(h.vs !== null ? `VS-stage: Sv32, ${bits(h.vs)}` : 'VS-stage: Bare');
  }
  return out;
}

/** QDIFF-REPORT-1: a full report of a divergent program. */
export function report(p: TestProgram, img: BatchImage, k: number, popek: FinalState | undefined, qemu: FinalState | undefined, diffs: FieldDiff[]): string {
  const lines = [...describeProgram(p), 'body:', ...disassembleBody(img, k)];
  const trap = (s: FinalState | undefined): string => {
    if (!s) return '(no final state: the program did not finish)';
    const t = trapOf(s);
    return `trap cause ${hex(t.cause)} at ${hex(t.epc)}, tval ${hex(t.tval)}${t.viaS ? ' (taken in S)' : ''}`;
  };
  lines.push(`popek: ${trap(popek)}`, `qemu:  ${trap(qemu)}`);
  if (diffs.length > 0) lines.push('differences (first first):', ...diffs.map((d) => '  ' + showDiff(d)));
  return lines.join('\n');
}
