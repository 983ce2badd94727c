/**
 * Hand-picked cases for spec/devices.md (DEV-CLINT, DEV-PLIC, DEV-UART, DEV-FIN): MMIO programs in
 * M-mode; and HTIF (DEV-HTIF), whose tohost/fromhost words a vector names in its `htif` field.
 */
import { A0, A1, A2, A3, A4, A5, A6, A7, S0, S1, T0, T1, T2, T3, amo, csr, ld, lr, NOP, ri, sc, st, WFI } from '../asm.js';
import { type Case, CLINT, FINISHER, HANDLER, PLIC, UART } from './util.js';

const TRAP = { mtvec: HANDLER };
/** A program on device base t0, with a1.. preset; `rules` first is the main rule. */
const dev = (rules: string[], desc: string, base: number, prog: number[], more: Partial<Case> = {}): Case =>
  ({ rules, desc, prog, ...more, x: { [T0]: base, ...(more.x ?? {}) }, csrs: { ...TRAP, ...(more.csrs ?? {}) } });
const rdMip = (rd: number): number => csr('csrrs', rd, 'mip', 0);

function clint(): Case[] {
  const o: Case[] = [];
  const c = ['DEV-CLINT-1', 'PRIV-TRAP-ENTRY'];
  o.push(dev(c, 'CLINT: a byte load faults', CLINT, [ld('lb', A0, T0, 0)]));
  o.push(dev(c, 'CLINT: a halfword load of mtime faults', CLINT, [ld('lh', A0, T0, 0x7ff)], { x: { [T0]: CLINT + 0xb7f9 } }));
  o.push(dev(c, 'CLINT: a halfword store faults', CLINT, [st('sh', A1, T0, 0)], { x: { [A1]: 1 } }));
  o.push(dev(['DEV-CLINT-1'], 'CLINT: a word load of msip is accepted', CLINT, [ld('lw', A0, T0, 0)], { x: { [A0]: 5 } }));
  o.push(dev(['DEV-CLINT-1', 'PRIV-TRAP-ENTRY'], 'CLINT: the region ends at 0x10000', CLINT, [ld('lw', A0, T0, 0)], { x: { [T0]: CLINT + 0x10000 } }));
  o.push(dev(['DEV-CLINT-2', 'PRIV-CSR-MIP'], 'msip: only bit 0 is kept, and it drives mip.MSIP', CLINT, [st('sw', A1, T0, 0), ld('lw', A0, T0, 0), rdMip(A2)], { x: { [A1]: 0xffffffff } }));
  o.push(dev(['DEV-CLINT-2', 'PRIV-CSR-MIP'], 'msip cleared again clears mip.MSIP', CLINT, [st('sw', A1, T0, 0), st('sw', 0, T0, 0), rdMip(A2)], { x: { [A1]: 1 } }));
  o.push(dev(['DEV-CLINT-3'], 'mtimecmp halves are written separately', CLINT, [st('sw', A1, T0, 0x7f8), st('sw', A2, T0, 0x7fc), ld('lw', A3, T0, 0x7f8), ld('lw', A4, T0, 0x7fc), st('sw', 0, T0, 0x7f8), ld('lw', A5, T0, 0x7fc)], { x: { [T0]: CLINT + 0x3808, [A1]: 0x12345678, [A2]: 0x9abc } }));
  const mt = CLINT + 0xbff8;
  o.push(dev(['DEV-CLINT-4', 'STEP-TIME'], 'mtime reads the retired-instruction time', mt, [NOP, NOP, ld('lw', A0, T0, 0), ld('lw', A1, T0, 4)]));
  o.push(dev(['DEV-CLINT-4', 'STEP-TIME'], 'a store to mtime sets the low half; time continues from it', mt, [st('sw', A1, T0, 0), csr('csrrs', A0, 'time', 0), csr('csrrs', A2, 'timeh', 0)], { x: { [A1]: 1000 }, watch: ['time'] }));
  o.push(dev(['DEV-CLINT-4'], 'a store to mtime high keeps the low half', mt, [st('sw', A1, T0, 4), ld('lw', A0, T0, 0), ld('lw', A2, T0, 4)], { x: { [A1]: 7 } }));
  o.push(dev(['DEV-CLINT-5', 'DEV-CLINT-3', 'PRIV-CSR-MIP'], 'MTIP is mtime >= mtimecmp: clear after mtimecmp = 4, set again once time reaches it', CLINT + 0x4000, [st('sw', A1, T0, 0), rdMip(A2), NOP, NOP, rdMip(A3)], { x: { [A1]: 4, [A2]: 0xff } }));
  o.push(dev(['DEV-CLINT-5'], 'MTIP compares 64-bit values: mtimecmp high = 1 keeps MTIP clear', CLINT + 0x4000, [st('sw', A1, T0, 4), rdMip(A2)], { x: { [A1]: 1 } }));
  o.push(dev(['DEV-CLINT-6'], 'CLINT: msip of absent harts and the gap after mtime read 0 and ignore stores', CLINT, [st('sw', A1, T0, 4), ld('lw', A0, T0, 4), ld('lw', A2, T0, 0x7f8), ld('lw', A3, T0, 0x7fc), ld('lw', A4, T1, 0)], { x: { [T1]: CLINT + 0xc000, [A1]: 1 } }));
  o.push(dev(['DEV-CLINT-7', 'WFI-2', 'WFI-1', 'PRIV-WFI', 'STEP-SCHED'], 'wfi with MTIE: time jumps to mtimecmp, the hart wakes (no trap with MIE = 0)', CLINT + 0x4000, [st('sw', A1, T0, 0), WFI, csr('csrrs', A0, 'time', 0)], { steps: 4, x: { [A1]: 0x1000 }, csrs: { mie: 0x80 }, watch: ['time'] }));
  o.push(dev(['DEV-CLINT-7', 'WFI-2', 'PRIV-WFI'], 'wfi with no future timer event: time does not move', CLINT + 0x4000, [WFI, NOP], { steps: 3, csrs: { mie: 0x8 }, watch: ['time'] }));
  o.push(dev(['DEV-CLINT-8'], 'reset: msip 0, mtimecmp 0, so MTIP is pending', CLINT, [ld('lw', A0, T0, 0), ld('lw', A1, T1, 0), rdMip(A2)], { x: { [T1]: CLINT + 0x4000 } }));
  return o;
}

function plic(): Case[] {
  const o: Case[] = [];
  const P = (off: number): number => PLIC + off;
  // Base registers: t0 = priorities, s0 = pending, s1 = enables of context 0 (context 1 at +0x80),
  // t1 = threshold/claim of context 0, a7 = threshold/claim of context 1, t2 = the UART.
  const x = { [T1]: P(0x200000), [S0]: P(0x1000), [S1]: P(0x2000), [A7]: P(0x201000), [T2]: UART, [A1]: 0xffffffff };
  const m = (rules: string[], desc: string, prog: number[], more: Partial<Case> = {}): Case => dev(rules, desc, PLIC, prog, { ...more, x: { ...x, ...(more.x ?? {}) } });
  o.push(m(['DEV-PLIC-1', 'PRIV-TRAP-ENTRY'], 'PLIC: a byte load faults', [ld('lb', A0, T0, 40)]));
  o.push(m(['DEV-PLIC-1', 'PRIV-TRAP-ENTRY'], 'PLIC: the region ends at 0x600000', [ld('lw', A0, T0, 0)], { x: { [T0]: P(0x600000) } }));
  o.push(m(['DEV-PLIC-1'], 'PLIC: offsets without a register read 0', [ld('lw', A0, S0, 0xc), ld('lw', A2, T1, 8)]));
  o.push(m(['DEV-PLIC-2'], 'PLIC priorities keep 3 bits; source 0 has none', [st('sw', A1, T0, 40), ld('lw', A0, T0, 40), st('sw', A1, T0, 0), ld('lw', A2, T0, 0)]));
  o.push(m(['DEV-PLIC-3'], 'PLIC pending bits ignore stores', [st('sw', A1, S0, 0), ld('lw', A0, S0, 0)]));
  o.push(m(['DEV-PLIC-4'], 'PLIC enables: bit 0 (source 0) is hardwired to 0; contexts are separate', [st('sw', A1, S1, 0), ld('lw', A0, S1, 0), ld('lw', A2, S1, 0x80)]));
  o.push(m(['DEV-PLIC-5'], 'PLIC thresholds keep 3 bits, per context', [st('sw', A1, T1, 0), ld('lw', A0, T1, 0), ld('lw', A2, A7, 0)]));
  o.push(m(['DEV-PLIC-10'], 'PLIC reset: priorities, pending, enables, threshold and claim read 0', [ld('lw', A0, T0, 40), ld('lw', A2, S0, 0), ld('lw', A3, S1, 0), ld('lw', A4, T1, 0), ld('lw', A5, T1, 4)]));
  // The UART (source 10) raises its line when IER.ETBEI arms the THR-empty interrupt.
  const arm = [st('sb', A2, T2, 1)];
  const uartX = { [A2]: 2, [A3]: 1, [A4]: 1 << 10 };
  const setup = [...arm, st('sw', A3, T0, 40), st('sw', A4, S1, 0)];
  o.push(m(['DEV-PLIC-6', 'DEV-UART-9', 'DEV-UART-8'], 'UART THR-empty interrupt armed: source 10 becomes pending', [...arm, ld('lw', A0, S0, 0)], { x: uartX }));
  o.push(m(['DEV-PLIC-9', 'DEV-PLIC-7', 'PRIV-CSR-MIP'], 'source 10 enabled with priority 1 for context 0: MEIP; a claim returns 10 and clears MEIP', [...setup, rdMip(A5), ld('lw', A0, T1, 4), ld('lw', A6, S0, 0), rdMip(T3)], { x: uartX }));
  o.push(m(['DEV-PLIC-7', 'DEV-PLIC-5'], 'a claim with threshold >= priority returns 0', [...setup, st('sw', A3, T1, 0), ld('lw', A0, T1, 4), rdMip(A5)], { x: uartX }));
  o.push(m(['DEV-PLIC-8', 'DEV-PLIC-6'], 'completing source 10 with its line still high makes it pending again', [...setup, ld('lw', A0, T1, 4), ld('lw', A5, S0, 0), st('sw', A0, T1, 4), ld('lw', A6, S0, 0)], { x: uartX }));
  o.push(m(['DEV-PLIC-8'], 'completing an ID not enabled for the context is ignored', [...setup, ld('lw', A0, T1, 4), st('sw', 0, S1, 0), st('sw', A0, T1, 4), ld('lw', A5, S0, 0)], { x: uartX }));
  o.push(m(['DEV-PLIC-9', 'PRIV-CSR-MIP'], 'context 1 (S-mode of hart 0) drives mip.SEIP', [...arm, st('sw', A3, T0, 40), st('sw', A4, S1, 0x80), rdMip(A5), ld('lw', A0, A7, 4)], { x: uartX }));
  return o;
}

function uart(): Case[] {
  const o: Case[] = [];
  const u = (rules: string[], desc: string, prog: number[], more: Partial<Case> = {}): Case => dev(rules, desc, UART, prog, more);
  o.push(u(['DEV-UART-1', 'PRIV-TRAP-ENTRY'], 'UART: a word load faults', [ld('lw', A0, T0, 0)]));
  o.push(u(['DEV-UART-1', 'PRIV-TRAP-ENTRY'], 'UART: offset 8 is outside the 8 registers', [ld('lb', A0, T0, 8)]));
  o.push(u(['DEV-UART-1', 'PRIV-TRAP-ENTRY'], 'UART: a halfword store faults', [st('sh', A1, T0, 0)], { x: { [A1]: 0x41 } }));
  o.push(u(['DEV-UART-2'], 'UART: with no input, LSR.DR = 0 and RBR reads 0', [ld('lbu', A0, T0, 5), ld('lbu', A1, T0, 0)]));
  o.push(u(['DEV-UART-3'], 'UART: THR stores transmit at once; LSR reads THRE | TEMT', [st('sb', A1, T0, 0), st('sb', A2, T0, 0), ld('lbu', A0, T0, 5)], { x: { [A1]: 0x48, [A2]: 0x169 } }));
  o.push(u(['DEV-UART-4', 'DEV-UART-3'], 'UART: DLAB = 1 maps offsets 0 and 1 to the divisor; DLAB = 0 transmits again', [st('sb', A1, T0, 3), st('sb', A2, T0, 0), st('sb', A3, T0, 1), ld('lbu', A4, T0, 0), ld('lbu', A5, T0, 1), st('sb', 0, T0, 3), st('sb', A2, T0, 0)], { x: { [A1]: 0x80, [A2]: 0x41, [A3]: 0x12 } }));
  o.push(u(['DEV-UART-5'], 'UART: IER keeps 4 bits, MCR 5, SCR 8; LSR and MSR ignore stores', [st('sb', A1, T0, 1), ld('lbu', A2, T0, 1), st('sb', A1, T0, 4), ld('lbu', A3, T0, 4), st('sb', A1, T0, 7), ld('lbu', A4, T0, 7), st('sb', 0, T0, 5), ld('lbu', A5, T0, 5)], { x: { [A1]: 0xff } }));
  o.push(u(['DEV-UART-6', 'DEV-UART-7'], 'UART: FCR enables FIFOs: IIR reads 0xc1', [st('sb', A1, T0, 2), ld('lbu', A0, T0, 2)], { x: { [A1]: 0x01 } }));
  o.push(u(['DEV-UART-6', 'DEV-UART-8'], 'UART: a transmit FIFO reset re-arms the THR-empty interrupt', [st('sb', A1, T0, 1), ld('lbu', A2, T0, 2), ld('lbu', A3, T0, 2), st('sb', A4, T0, 2), ld('lbu', A5, T0, 2)], { x: { [A1]: 2, [A4]: 5 } }));
  o.push(u(['DEV-UART-7', 'DEV-UART-8'], 'UART: IER.ETBEI arms THR empty (IIR 0x02); reading IIR disarms it; a THR store re-arms it', [st('sb', A1, T0, 1), ld('lbu', A2, T0, 2), ld('lbu', A3, T0, 2), st('sb', A5, T0, 0), ld('lbu', A4, T0, 2)], { x: { [A1]: 2, [A5]: 0x41 } }));
  o.push(u(['DEV-UART-8'], 'UART: an IER store that keeps ETBEI does not re-arm', [st('sb', A1, T0, 1), ld('lbu', A2, T0, 2), st('sb', A3, T0, 1), ld('lbu', A4, T0, 2)], { x: { [A1]: 2, [A3]: 3 } }));
  o.push(u(['DEV-UART-10'], 'UART: MSR reads 0xb0; in loopback it mirrors MCR', [ld('lbu', A0, T0, 6), st('sb', A1, T0, 4), ld('lbu', A2, T0, 6), st('sb', A3, T0, 4), ld('lbu', A4, T0, 6)], { x: { [A1]: 0x1f, [A3]: 0x10 } }));
  o.push(u(['DEV-UART-10'], 'UART: in loopback a THR store transmits nothing', [st('sb', A1, T0, 4), st('sb', A2, T0, 0)], { x: { [A1]: 0x10, [A2]: 0x41 } }));
  o.push(u(['DEV-UART-11'], 'UART reset: IER 0, IIR 0x01, LCR 0, MCR 0x08, LSR 0x60, MSR 0xb0, SCR 0', [1, 2, 3, 4, 5, 6, 7].map((k) => ld('lbu', 10 + k, T0, k))));
  o.push(u(['DEV-UART-11', 'DEV-UART-4'], 'UART reset: divisor latch 0x000c', [st('sb', A1, T0, 3), ld('lbu', A2, T0, 0), ld('lbu', A3, T0, 1)], { x: { [A1]: 0x80 } }));
  return o;
}

function finisher(): Case[] {
  const o: Case[] = [];
  const f = (rules: string[], desc: string, prog: number[], more: Partial<Case> = {}): Case => dev(rules, desc, FINISHER, prog, { halt: 16, ...more });
  o.push(f(['DEV-FIN-1'], 'finisher: word and halfword loads read 0', [ld('lw', A0, T0, 0), ld('lh', A1, T0, 0x10)], { halt: undefined, x: { [A0]: 9, [A1]: 9 } }));
  o.push(f(['DEV-FIN-1', 'PRIV-TRAP-ENTRY'], 'finisher: a byte load faults', [ld('lb', A0, T0, 0)], { halt: undefined }));
  o.push(f(['DEV-FIN-1', 'PRIV-TRAP-ENTRY'], 'finisher: a byte store faults', [st('sb', A1, T0, 0)], { halt: undefined, x: { [A1]: 0x55 } }));
  o.push(f(['DEV-FIN-2'], 'finisher: 0x5555 exits with status 0', [st('sw', A1, T0, 0), NOP], { x: { [A1]: 0x5555 } }));
  o.push(f(['DEV-FIN-2'], 'finisher: 0x00423333 exits with code 0x42', [st('sw', A1, T0, 0), NOP], { x: { [A1]: 0x00423333 } }));
  o.push(f(['DEV-FIN-2'], 'finisher: a 16-bit 0x3333 exits with code 0', [st('sh', A1, T0, 0), NOP], { x: { [A1]: 0x00423333 } }));
  o.push(f(['DEV-FIN-2'], 'finisher: 0x7777 requests a reset', [st('sw', A1, T0, 0), NOP], { x: { [A1]: 0x7777 } }));
  o.push(f(['DEV-FIN-2'], 'finisher: other values do nothing; the program goes on and then passes', [st('sw', A1, T0, 0), st('sw', A2, T0, 4), ri('addi', A3, A3, 1), st('sw', A2, T0, 0)], { x: { [A1]: 0x1234, [A2]: 0x5555 } }));
  o.push(f(['DEV-FIN-2', 'DEV-UART-3'], 'print "ok\\n" on the UART, then exit through the finisher', [st('sb', A1, T1, 0), st('sb', A2, T1, 0), st('sb', A3, T1, 0), st('sw', A4, T0, 0)], { x: { [T1]: UART, [A1]: 0x6f, [A2]: 0x6b, [A3]: 0x0a, [A4]: 0x5555 } }));
  return o;
}

// --- HTIF (DEV-HTIF-1, DEV-HTIF-2). tohost and fromhost are listed as an initial region (zeros
// unless a case says otherwise), so every expectation shows them; t0 = &tohost.
const TOHOST = 0x8000_1000, FROMHOST = 0x8000_1008, BLOCK = 0x8000_2000, BUF = 0x8000_3000;
const PUTCHAR = 0x0101_0000; // device 1, command 1 (the high word)
/** exit(code) as the low word of tohost: payload (code << 1) | 1. */
const exitWord = (code: number): number => ((code << 1) | 1) >>> 0;
/** n instructions that count in a0, so the step at which a command is taken shows in a0. */
const counting = (n: number): number[] => new Array<number>(n).fill(ri('addi', A0, A0, 1));
/** Bytes of a string, as little-endian words. */
const textWords = (text: string): number[] => {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 4) {
    let w = 0;
    for (let k = 3; k >= 0; k--) w = (w * 256) + (i + k < text.length ? text.charCodeAt(i + k) : 0);
    out.push(w >>> 0);
  }
  return out;
};
/** Words at consecutive addresses from `at`. */
const block = (at: number, ws: number[]): Record<number, number> => Object.fromEntries(ws.map((w, i) => [at + 4 * i, w >>> 0]));

function htif(): Case[] {
  const o: Case[] = [];
  const HOST = { tohost: TOHOST, fromhost: FROMHOST };
  const hc = (rules: string[], desc: string, prog: number[], more: Partial<Case> = {}): Case => ({
    rules, desc, prog, htif: HOST, ...more,
    x: { [T0]: TOHOST, ...(more.x ?? {}) },
    words: { ...block(TOHOST, [0, 0, 0, 0]), ...(more.words ?? {}) },
  });
  const both = (lo: number, hi: number): number[] => [st('sw', lo, T0, 0), st('sw', hi, T0, 4)];
  const H1 = ['DEV-HTIF-1'];
  // DEV-HTIF-1: exit, putchar, magic_mem syscalls and the fromhost acknowledgement.
  o.push(hc(H1, 'HTIF: tohost = 1 (device 0, command 0, payload 1) exits with status 0', [...both(A1, 0), NOP], { halt: 16, x: { [A1]: exitWord(0) } }));
  o.push(hc(H1, 'HTIF: tohost = (42 << 1) | 1 exits with status 42; tohost is cleared', [...both(A1, 0), NOP], { halt: 16, x: { [A1]: exitWord(42) } }));
  o.push(hc(H1, 'HTIF: tohost = (1000 << 1) | 1 exits with status 1000', [...both(A1, 0), NOP], { halt: 16, x: { [A1]: exitWord(1000) } }));
  o.push(hc(H1, 'HTIF: device 1, command 1 prints the low byte of the payload ("A"); tohost is cleared', both(A1, A2), { x: { [A1]: 0x41, [A2]: PUTCHAR } }));
  o.push(hc(H1, 'HTIF: putchar prints only the payload\'s low byte (0x12345668 prints "h")', both(A1, A2), { x: { [A1]: 0x12345668, [A2]: PUTCHAR } }));
  o.push(hc(H1, 'HTIF: three putchar commands print "ok\\n" in order', [...both(A1, A4), ...both(A2, A4), ...both(A3, A4)], { x: { [A1]: 0x6f, [A2]: 0x6b, [A3]: 0x0a, [A4]: PUTCHAR } }));
  const write = (fd: number, text: string): Record<number, number> => ({ ...block(BLOCK, [64, 0, fd, 0, BUF, 0, text.length, 0]), ...block(BUF, textWords(text)) });
  o.push(hc(H1, 'HTIF magic_mem: SYS_write(1, buf, 6) prints "hello!", returns 6 in the block and sets fromhost = 1', both(A1, 0), { x: { [A1]: BLOCK }, words: write(1, 'hello!') }));
  o.push(hc(H1, 'HTIF magic_mem: SYS_write to fd 2 prints too ("err\\n")', both(A1, 0), { x: { [A1]: BLOCK }, words: write(2, 'err\n') }));
  o.push(hc(H1, 'HTIF magic_mem: SYS_exit(7) halts with status 7 (no acknowledgement)', [...both(A1, 0), NOP], { halt: 16, x: { [A1]: BLOCK }, words: block(BLOCK, [93, 0, 7, 0]) }));
  o.push(hc(H1, 'HTIF magic_mem: an unknown call (999) returns -38 (ENOSYS) as a 64-bit value and sets fromhost = 1', both(A1, 0), { x: { [A1]: BLOCK }, words: block(BLOCK, [999, 0, 1, 0]) }));
  o.push({ ...hc(H1, 'HTIF magic_mem without a fromhost word: SYS_write prints and returns 6; nothing is acknowledged', both(A1, 0), { x: { [A1]: BLOCK }, words: write(1, 'hello!') }), htif: { tohost: TOHOST } });
  o.push(hc(H1, 'HTIF magic_mem: the program polls fromhost after SYS_write and reads the acknowledgement', [...both(A1, 0), ld('lw', A3, T0, 8), st('sw', 0, T0, 8)], { x: { [A1]: BLOCK }, words: write(1, 'hi') }));
  // DEV-HTIF-2: two 32-bit halves, in either order; the 64-instruction settle for a half-written command.
  const H2 = ['DEV-HTIF-2', 'DEV-HTIF-1'];
  o.push(hc(H2, 'HTIF putchar written low word first: taken at the end of the high-word store', both(A1, A2), { x: { [A1]: 0x41, [A2]: PUTCHAR } }));
  o.push(hc(H2, 'HTIF putchar written high word first: taken at the end of the low-word store, not read as exit or syscall', [st('sw', A2, T0, 4), st('sw', A1, T0, 0)], { x: { [A1]: 0x41, [A2]: PUTCHAR } }));
  o.push(hc(H2, 'HTIF: after a command, both halves must be written again: putchar "A", a low-word "B" waits for its high word, then "B"', [...both(A1, A3), st('sw', A2, T0, 0), ld('lw', A4, T0, 8), st('sw', A3, T0, 4)], { x: { [A1]: 0x41, [A2]: 0x42, [A3]: PUTCHAR } }));
  o.push(hc(H2, 'HTIF: exit(1) written as the low word only is not taken 63 instructions after the store', [st('sw', A1, T0, 0), ...counting(80)], { steps: 64, x: { [A1]: exitWord(1) } }));
  o.push(hc(H2, 'HTIF: exit(1) written as the low word only is taken 64 instructions after the store (a0 = 64 at the halt)', [st('sw', A1, T0, 0), ...counting(80)], { halt: 200, x: { [A1]: exitWord(1) } }));
  o.push(hc(H2, 'HTIF: a second write of the low word restarts the settle: exit(2) is taken 64 instructions after it (a0 = 74)', [st('sw', A1, T0, 0), ...counting(10), st('sw', A2, T0, 0), ...counting(80)], { halt: 200, x: { [A1]: exitWord(1), [A2]: exitWord(2) } }));
  o.push(hc(H2, 'HTIF: only the high word written (putchar, low word "Z" already in memory): printed 64 instructions later (a0 = 64)', [st('sw', A2, T0, 4), ...counting(70)], { steps: 65, x: { [A2]: PUTCHAR }, words: block(TOHOST, [0x5a, 0, 0, 0]) }));
  o.push(hc(H2, 'HTIF: an AMO (amoswap.w) to the high word completes a putchar', [st('sw', A1, T0, 0), amo('amoswap.w', A3, A2, T1)], { x: { [A1]: 0x41, [A2]: PUTCHAR, [T1]: TOHOST + 4 } }));
  o.push(hc(H2, 'HTIF: a successful SC to the high word completes a putchar', [st('sw', A1, T0, 0), lr(A3, T1), sc(A4, A2, T1)], { x: { [A1]: 0x41, [A2]: PUTCHAR, [T1]: TOHOST + 4 } }));
  return o;
}

export const deviceCases = (): Case[] => [...clint(), ...plic(), ...uart(), ...finisher(), ...htif()];
