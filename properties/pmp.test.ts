/**
 * Physical memory protection (spec/pmp.md, PMP-*) against the independent oracle in
 * properties/oracles/pmp.ts, which decodes every entry byte by byte from Vol. II §3.7: matching
 * and priority on random configurations (`pmpCheck`), the CSR write rules through csrrw/csrrs/csrrc
 * executed in M-mode, and PMP applied end to end to U-, S- and M-mode loads, stores and fetches.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pmpCheck } from '../src/memory/pmp.js';
import { run, step } from '../src/engines/reference.js';
import { pmpAllows, pmpVerdict, readPmpaddr, readPmpcfg, writePmpaddr, writePmpcfg, type PmpState } from './oracles/pmp.js';
import { dumpPmp, pmpCase, pmpState, WINDOWS, WINDOW_BYTES } from './arbitraries/priv-pmp.js';
import { RAM, build, enc, hex, listing, peek, PRIV_NAME } from './arbitraries/priv-harness.js';
import { runs } from './support/runs.js';

const CAUSE = { r: 5, w: 7, x: 1 } as const;

describe('PMP matching against the oracle', () => {
  it('PMP-MATCH-1, PMP-RANGE, PMP-GRAIN: S- and U-mode accesses succeed exactly when the oracle says', () => {
    // Falsified by a configuration (OFF/TOR/NA4/NAPOT entries, locks, granularity, 0..64
    // entries) and an S/U access of 1, 2 or 4 bytes for which pmpCheck and the byte-by-byte
    // oracle disagree: wrong range decoding, wrong priority, a partial match that succeeds, or a
    // missing no-match failure.
    fc.assert(fc.property(pmpCase([0, 1]), (c) => {
      const v = pmpVerdict(c.s, c.pa, c.size, c.acc, c.priv);
      const got = pmpCheck(c.s.cfg, c.s.addr, c.s.entries, c.s.g, c.pa, c.size, c.acc, c.priv);
      expect(got, `${dumpPmp(c.s)}\n${c.acc} of ${c.size} at 0x${c.pa.toString(16)} from ${PRIV_NAME[c.priv]}: oracle ${v.ok} (${v.why})`).toBe(v.ok);
    }), { numRuns: runs(2000) });
  });

  it('PMP-MATCH-1, PMP-LOCK-2: M-mode accesses succeed exactly when the oracle says (locked entries bind M; partial matches fail)', () => {
    // Falsified by an M-mode access for which pmpCheck and the oracle disagree: an unlocked
    // entry that restricts M, a locked entry that does not, or an access that an entry matches
    // only partly (it fails "irrespective of the L, R, W, and X bits", Vol. II §3.7.1).
    fc.assert(fc.property(pmpCase([3]), (c) => {
      const v = pmpVerdict(c.s, c.pa, c.size, c.acc, c.priv);
      const got = pmpCheck(c.s.cfg, c.s.addr, c.s.entries, c.s.g, c.pa, c.size, c.acc, c.priv);
      expect(got, `${dumpPmp(c.s)}\n${c.acc} of ${c.size} at 0x${c.pa.toString(16)} from M: oracle ${v.ok} (${v.why})`).toBe(v.ok);
    }), { numRuns: runs(1000) });
  });

  it('PMP-MATCH-1: an M-mode access that an unlocked entry matches only partly fails (end to end)', () => {
    // Falsified if M-mode's fast path lets it through: entry 0 is TOR [0, 0x80001004) with RWX,
    // unlocked, and `lw` at 0x80001002 (performed misaligned) covers 0x80001002..0x80001005, of
    // which entry 0 matches two bytes. The verdict must not depend on whether some other,
    // unrelated entry happens to be locked (with one locked, popek already faults).
    for (const otherLocked of [false, true]) {
      const m0 = build([enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 })], {
        regs: { 6: 0x80001002 | 0 },
        edit: (h) => {
          const cfg = [...h.csr.pmpcfg], addr = [...h.csr.pmpaddr];
          cfg[0] = 0x08 | 7; addr[0] = 0x80001004 / 4;
          if (otherLocked) { cfg[5] = 0x80 | 0x10 | 7; addr[5] = 0x10000000 / 4; } // NA4 far away, locked
          h.csr.pmpcfg = cfg; h.csr.pmpaddr = addr;
        },
      });
      const h = step(m0).harts[0]!;
      expect([h.csr.mcause, hex(h.csr.mtval)], `lw 0x80001002 in M, entry 0 TOR top 0x80001004 unlocked, other entry locked: ${otherLocked}`)
        .toEqual([5, hex(0x80001002)]);
    }
  });
});

// --- The PMP CSRs, written by csrrw/csrrs/csrrc in M-mode.

interface CsrOp { op: 'csrrw' | 'csrrs' | 'csrrc'; csr: number; v: number }
const CODE_LOCK_ADDR = (RAM / 4 + 0x1ff) >>> 0; // NAPOT 4 KiB over [0x80000000, 0x80001000)
const OUT = 0x80000800; // where the program stores what it reads back

const csrOps = (entries: number): fc.Arbitrary<CsrOp[]> => {
  const nCfg = Math.max(1, Math.min(16, Math.ceil(entries / 4) + 1));
  const nAddr = Math.max(1, Math.min(64, entries + 2));
  const value = fc.oneof(
    fc.integer({ min: 0, max: 0xffffffff }),
    // cfg bytes with interesting A/L/R/W combinations in every byte
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }).map((b) => (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0),
    fc.integer({ min: 0, max: 0xff }).map((x) => (0x20000000 + x) >>> 0), // addresses near RAM's start
  );
  return fc.array(fc.record({
    op: fc.constantFrom<CsrOp['op']>('csrrw', 'csrrw', 'csrrs', 'csrrc'),
    csr: fc.oneof(fc.integer({ min: 0, max: nCfg - 1 }).map((n) => 0x3a0 + n), fc.integer({ min: 0, max: nAddr - 1 }).map((n) => 0x3b0 + n)),
    v: value,
  }), { minLength: 1, maxLength: 15 });
};

describe('PMP CSRs', () => {
  it('PMP-CFG-1, PMP-ADDR-1, PMP-LOCK-1, PMP-ENTRIES: csrrw/csrrs/csrrc on pmpcfg/pmpaddr read back as the oracle legalises them', () => {
    // Falsified if any pmpcfgN/pmpaddrI read back after a random sequence of CSR writes differs
    // from the oracle: reserved bits 6:5 kept, R=0/W=1 stored, NA4 accepted with G >= 1, a write
    // to a locked entry (or to pmpaddr[i-1] under a locked TOR entry i) taking effect, the G-dependent
    // read-back of pmpaddr wrong, or an unimplemented entry not reading as zero.
    const arb = fc.record({ entries: fc.constantFrom(0, 8, 16, 64), g: fc.constantFrom(0, 1, 2, 3, 10) })
      .chain(({ entries, g }) => fc.tuple(fc.constant(entries), fc.constant(g), csrOps(entries)));
    fc.assert(fc.property(arb, ([entries, g, ops]) => {
      // Entry 0 is locked NAPOT RWX over the code page, so M-mode keeps running whatever the writes do.
      let s: PmpState = { cfg: new Array<number>(64).fill(0), addr: new Array<number>(64).fill(0), entries, g };
      if (entries > 0) s = { ...s, cfg: [0x9f, ...s.cfg.slice(1)], addr: [CODE_LOCK_ADDR, ...s.addr.slice(1)] };
      const words: number[] = [];
      ops.forEach((o, j) => words.push(enc({ op: o.op, rd: 0, rs1: j + 1, csr: o.csr })));
      const checks: number[] = [];
      for (let n = 0; n < 16; n++) if (n <= entries / 4 + 1) checks.push(0x3a0 + n);
      for (let i = 0; i < 64; i++) if (i <= entries + 1) checks.push(0x3b0 + i);
      checks.forEach((csr, k) => {
        words.push(enc({ op: 'csrrs', rd: 16, rs1: 0, csr }));
        words.push(enc({ op: 'sw', rs1: 31, rs2: 16, imm: 0 }), enc({ op: 'addi', rd: 31, rs1: 31, imm: 4 }));
      });
      const regs: Record<number, number> = { 31: OUT | 0 };
      ops.forEach((o, j) => { regs[j + 1] = o.v | 0; });
      const m0 = build(words, {
        regs, config: { pmpEntries: entries, pmpGranularity: g },
        edit: (h) => { h.csr.pmpcfg = [...s.cfg]; h.csr.pmpaddr = [...s.addr]; },
      });
      // The oracle: csrrs/csrrc start from the value read (PMP-ADDR-1 read-back included).
      const read = (st: PmpState, csr: number): number => (csr < 0x3b0 ? readPmpcfg(st, csr - 0x3a0) : readPmpaddr(st, csr - 0x3b0));
      for (const o of ops) {
        const old = read(s, o.csr);
        const v = o.op === 'csrrw' ? o.v : o.op === 'csrrs' ? (old | o.v) >>> 0 : (old & ~o.v) >>> 0;
        s = o.csr < 0x3b0 ? writePmpcfg(s, o.csr - 0x3a0, v) : writePmpaddr(s, o.csr - 0x3b0, v);
      }
      const m1 = run(m0, { maxSteps: words.length }).machine;
      const h = m1.harts[0]!;
      const ctx = `${entries} entries, G=${g}\n${listing(words.slice(0, ops.length))}\nwith ${ops.map((o, j) => `x${j + 1}=${hex(o.v)}`).join(' ')}\nthen:\n${dumpPmp(s)}`;
      expect([h.csr.mcause, h.pc], ctx).toEqual([0, RAM + 4 * words.length]);
      checks.forEach((csr, k) => {
        const name = csr < 0x3b0 ? `pmpcfg${csr - 0x3a0}` : `pmpaddr${csr - 0x3b0}`;
        expect(hex(peek(m1, OUT + 4 * k)), `${ctx}\n${name}`).toBe(hex(read(s, csr)));
      });
    }), { numRuns: runs(150) });
  });

  it('PMP-LOCK-1: a locked TOR entry i also locks pmpaddr[i-1]; a locked entry ignores writes to its cfg and addr until reset', () => {
    // Falsified by a concrete case: entry 2 locked TOR; pmpaddr1 and pmpaddr2 and pmp2cfg must
    // ignore writes, pmpaddr0/pmp1cfg must not; clearing L through pmpcfg0 must not unlock.
    const m0 = build([
      enc({ op: 'csrrw', rd: 0, rs1: 1, csr: 0x3b1 }), // pmpaddr1 <- x1
      enc({ op: 'csrrw', rd: 0, rs1: 1, csr: 0x3b2 }), // pmpaddr2 <- x1
      enc({ op: 'csrrw', rd: 0, rs1: 1, csr: 0x3b0 }), // pmpaddr0 <- x1
      enc({ op: 'csrrw', rd: 0, rs1: 0, csr: 0x3a0 }), // pmpcfg0 <- 0 (pmp2cfg is locked)
      enc({ op: 'csrrs', rd: 5, rs1: 0, csr: 0x3a0 }),
      enc({ op: 'csrrs', rd: 6, rs1: 0, csr: 0x3b1 }),
      enc({ op: 'csrrs', rd: 7, rs1: 0, csr: 0x3b2 }),
      enc({ op: 'csrrs', rd: 8, rs1: 0, csr: 0x3b0 }),
    ], {
      regs: { 1: 0x12345678 },
      edit: (h) => {
        const cfg = [...h.csr.pmpcfg], addr = [...h.csr.pmpaddr];
        cfg[1] = 0x0b; cfg[2] = 0x80 | 0x08 | 0x07; addr[1] = 0x24000000; addr[2] = 0x24000100;
        h.csr.pmpcfg = cfg; h.csr.pmpaddr = addr;
      },
    });
    const h = run(m0, { maxSteps: 8 }).machine.harts[0]!;
    expect([hex(h.x[5]!), hex(h.x[6]!), hex(h.x[7]!), hex(h.x[8]!)]).toEqual([hex(0x8f0000), hex(0x24000000), hex(0x24000100), hex(0x12345678)]);
  });
});

describe('PMP granularity', () => {
  it('PMP-GRAIN: writing 0 to pmp0cfg and all ones to pmpaddr0 reads back G as the lowest set bit', () => {
    // Falsified if the discovery sequence of §3.7.1 does not reveal the configured granularity.
    for (const g of [0, 1, 2, 5, 12, 30]) {
      const words = [enc({ op: 'csrrw', rd: 0, rs1: 0, csr: 0x3a0 }), enc({ op: 'csrrw', rd: 0, rs1: 6, csr: 0x3b0 }), enc({ op: 'csrrs', rd: 7, rs1: 0, csr: 0x3b0 })];
      const h = run(build(words, { regs: { 6: -1 }, config: { pmpGranularity: g } }), { maxSteps: 3 }).machine.harts[0]!;
      expect(31 - Math.clz32(h.x[7]! & -h.x[7]!), `G=${g}: pmpaddr0 reads ${hex(h.x[7]!)}`).toBe(g);
    }
  });
});

// --- PMP applied by the machine.

const WIN = WINDOWS[0]!;
/** Instruction words preloaded over the data window: `addi x9, x0, k` at word k. */
const windowWords = (): Array<[number, number]> =>
  Array.from({ length: WINDOW_BYTES / 4 + 16 }, (_, k) => [WIN - 32 + 4 * k, enc({ op: 'addi', rd: 9, rs1: 0, imm: k })]);

const LOAD = { 1: 'lbu', 2: 'lhu', 4: 'lw' } as const;
const STORE = { 1: 'sb', 2: 'sh', 4: 'sw' } as const;

const e2eCase = (privs: Array<0 | 1 | 3>, aligned: boolean) => fc.record({
  s: pmpState(fc.constant(16)).filter((s) => s.addr.slice(0, 8).every((a) => a < 2 ** 32 / 4 * 3)),
  off: fc.integer({ min: -8, max: WINDOW_BYTES + 8 }), size: fc.constantFrom<1 | 2 | 4>(1, 2, 4),
  acc: fc.constantFrom<'r' | 'w' | 'x'>('r', 'w', 'x'), priv: fc.constantFrom(...privs), value: fc.integer({ min: 0, max: 0xffffffff }),
}).map((c) => {
  const size = c.acc === 'x' ? 4 : c.size;
  const pa = aligned || c.acc === 'x' ? WIN + c.off - (((c.off % size) + size) % size) : WIN + c.off;
  return { ...c, size: size as 1 | 2 | 4, pa };
});

/**
 * One access end to end: entry 0 is a NAPOT entry over the code page granting X only (locked for
 * M-mode tests so that it binds M too, with R/W/X), entries 1.. are the random configuration.
 */
function pmpE2E(c: { s: PmpState; pa: number; size: 1 | 2 | 4; acc: 'r' | 'w' | 'x'; priv: 0 | 1 | 3; value: number }): void {
  // Shift the random entries up by one; TOR bottoms then come from the entry before, as in the oracle.
  const cfg = [c.priv === 3 ? 0x9f : 0x1c, ...c.s.cfg.slice(0, 15)], addr = [CODE_LOCK_ADDR, ...c.s.addr.slice(0, 15)];
  const s: PmpState = { cfg, addr, entries: 16, g: c.s.g };
  const code = c.acc === 'w' ? enc({ op: STORE[c.size], rs1: 6, rs2: 7, imm: 0 }) : enc({ op: LOAD[c.size], rd: 5, rs1: 6, imm: 0 });
  const m0 = build([code], {
    priv: c.priv, pc: c.acc === 'x' ? c.pa : RAM, regs: { 6: c.pa | 0, 7: c.value | 0 }, mem: windowWords(),
    config: { pmpGranularity: c.s.g },
    edit: (h) => { h.csr.pmpcfg = [...cfg, ...h.csr.pmpcfg.slice(16)]; h.csr.pmpaddr = [...addr, ...h.csr.pmpaddr.slice(16)]; },
  });
  // The code fetch itself is always allowed: entry 0 matches it first and grants X. The access is
  // checked page by page (MEM-ACCESS-1): a misaligned one that crosses 0x80010000 is two accesses,
  // and a failure reports the address of the piece that failed.
  const split = Math.min(c.size, 4096 - (c.pa % 4096));
  const pieces: Array<[number, number]> = split === c.size ? [[c.pa, c.size]] : [[c.pa, split], [c.pa + split, c.size - split]];
  const verdicts = pieces.map(([pa, n]) => ({ pa, ...pmpVerdict(s, pa, n, c.acc, c.priv) }));
  const v = verdicts.find((x) => !x.ok) ?? verdicts[0]!;
  const m1 = step(m0);
  const h = m1.harts[0]!;
  const ctx = `${dumpPmp(s)}\n${PRIV_NAME[c.priv]}-mode ${c.acc === 'x' ? `fetch at ${hex(c.pa)}` : `${listing([code])} with x6=${hex(c.pa)}`}: oracle ${v.ok} (${verdicts.map((x) => `${hex(x.pa)}: ${x.why}`).join('; ')})`;
  if (!v.ok) {
    expect([h.csr.mcause, hex(h.csr.mtval), hex(h.csr.mepc)], ctx).toEqual([CAUSE[c.acc], hex(v.pa), hex(c.acc === 'x' ? c.pa : RAM)]);
    return;
  }
  expect(h.csr.mcause, ctx).toBe(0);
  const word = (pa: number): number => windowWords().find(([a]) => a === pa)?.[1] ?? 0;
  if (c.acc === 'x') expect(h.x[9], ctx).toBe((c.pa - (WIN - 32)) / 4);
  else if (c.acc === 'r') {
    let v2 = 0;
    for (let b = c.size - 1; b >= 0; b--) { const pa = c.pa + b; v2 = v2 * 256 + (Math.floor(word(pa - (pa % 4)) / 2 ** (8 * (pa % 4))) & 0xff); }
    expect(hex(h.x[5]!), ctx).toBe(hex(v2));
  } else {
    for (let b = 0; b < c.size; b++) {
      const pa = c.pa + b;
      expect((Math.floor(peek(m1, pa - (pa % 4)) / 2 ** (8 * (pa % 4))) & 0xff), `${ctx}\nbyte ${hex(pa)}`).toBe((c.value >>> (8 * b)) & 0xff);
    }
  }
}

describe('PMP applied to accesses', () => {
  it('PMP-APPLY, PMP-FAULT: U- and S-mode loads, stores and fetches (any alignment) succeed or raise access faults as the oracle says', () => {
    // Falsified if a U/S access that the oracle denies is performed, an allowed one faults, the
    // fault is not the access fault of the access type (1, 5, 7) with tval = the address (of the
    // failing page's piece, for an access that crosses a page), or a load/store/fetch that
    // succeeds reads or writes the wrong bytes.
    fc.assert(fc.property(e2eCase([0, 1], false), (c) => pmpE2E(c)), { numRuns: runs(250) });
  });

  it('PMP-APPLY, PMP-LOCK-2: M-mode aligned accesses are checked only against locked entries', () => {
    // Falsified if an unlocked entry restricts an M-mode load/store/fetch, or a locked entry does
    // not (accesses are naturally aligned here, so no entry can match them partly).
    fc.assert(fc.property(e2eCase([3], true), (c) => pmpE2E(c)), { numRuns: runs(150) });
  });

  it('PMP-APPLY: with MPRV = 1 an M-mode load is checked as MPP; the fetch of the load is still an M-mode access', () => {
    // Falsified if MPRV does not make PMP apply MPP's privilege to loads, or applies it to fetches.
    fc.assert(fc.property(fc.constantFrom(0, 1, 3), fc.boolean(), (mpp, grant) => {
      const m0 = build([enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 })], {
        regs: { 6: WIN | 0 }, mem: windowWords(),
        edit: (h) => {
          const cfg = [...h.csr.pmpcfg], addr = [...h.csr.pmpaddr];
          cfg[0] = 0x18 | (grant ? 1 : 0); addr[0] = WIN / 4 + 0x1f; // NAPOT 256 bytes over the window, unlocked
          h.csr.pmpcfg = cfg; h.csr.pmpaddr = addr;
          h.csr.mstatus = ((1 << 17) | (mpp << 11)) >>> 0;
        },
      });
      const h = step(m0).harts[0]!;
      const ok = mpp === 3 || grant;
      expect(h.csr.mcause, `M-mode MPRV=1 MPP=${PRIV_NAME[mpp]}, entry 0 over the window ${grant ? 'R' : 'no R'} (unlocked)`).toBe(ok ? 0 : 5);
    }), { numRuns: runs(20) });
  });

  it('PMP-APPLY: with no entry matching, S and U accesses fail when entries exist and succeed when none are implemented', () => {
    // Falsified if an unmatched S/U access succeeds with PMP entries implemented (all OFF), or
    // fails on a configuration with pmpEntries = 0.
    for (const entries of [0, 16]) for (const priv of [0, 1] as const) {
      const m0 = build([enc({ op: 'lw', rd: 5, rs1: 6, imm: 0 })], { priv, regs: { 6: WIN | 0 }, config: { pmpEntries: entries } });
      const h = step(m0).harts[0]!;
      // The fetch itself is unmatched too: it fails first when entries exist.
      expect([h.csr.mcause, hex(h.csr.mtval)], `${PRIV_NAME[priv]}-mode, ${entries} entries, all OFF`)
        .toEqual(entries === 0 ? [0, hex(0)] : [1, hex(RAM)]);
      expect(pmpAllows({ cfg: [], addr: [], entries, g: 0 }, WIN, 4, 'r', priv)).toBe(entries === 0);
    }
  });
});
