/**
 * Physical memory and the access pipeline (spec/state.md): MEM-1, MEM-PMA, PMA-EXEC, MEM-PRIV,
 * MEM-ACCESS-1.
 *
 * MEM-1 is checked against a plain Map model of bytes; the platform map used for the PMA oracle is
 * written out from spec/state.md and spec/devices.md (region bases and sizes), not taken from the
 * code. Sv32 page tables are built by hand after the privileged manual §12.3.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode } from '../src/isa/encode.js';
import { decode } from '../src/isa/decode.js';
import { disassemble } from '../src/isa/disasm.js';
import type { Inst, LoadOp, StoreOp } from '../src/isa/inst.js';
import type { Machine } from '../src/machine/machine.js';
import { step } from '../src/engines/reference.js';
import {
  chunkAt, chunkOffsets, emptyStore, type MemStore, MemWriter, newOwner, readByte, readLE, withBytes,
} from '../src/memory/store.js';
import { runs } from './support/runs.js';
import { le32, machine, memSnap, PTE, type Page } from './support/setup.js';

const BASE = 0x80000000;
const E = (i: Inst): number => encode(i);
const show = (w: number, pc = BASE): string => disassemble(decode(w), pc);
const hex = (x: number): string => '0x' + (x >>> 0).toString(16);

// The `virt` platform as spec/state.md (MEM-PMA) and spec/devices.md describe it.
const RAM: readonly [number, number] = [0x80000000, 0x80000000 + 128 * 1024 * 1024];
const DEVICES = {
  clint: [0x02000000, 0x10000],
  plic: [0x0c000000, 0x600000],
  uart: [0x10000000, 0x100],
  finisher: [0x00100000, 0x1000],
} as const;
const overlaps = (a: number, n: number, lo: number, size: number): boolean => a < lo + size && a + n > lo;
const isHole = (a: number, n: number): boolean =>
  !overlaps(a, n, RAM[0], RAM[1] - RAM[0]) && Object.values(DEVICES).every(([lo, size]) => !overlaps(a, n, lo, size));

const MSTATUS_MPRV = 1 << 17;
const MSTATUS_SUM = 1 << 18;





const LOADS: Record<LoadOp, { size: 1 | 2 | 4; signed: boolean }> = {
  lb: { size: 1, signed: true }, lh: { size: 2, signed: true }, lw: { size: 4, signed: true },
  lbu: { size: 1, signed: false }, lhu: { size: 2, signed: false },
};
const STORES: Record<StoreOp, 1 | 2 | 4> = { sb: 1, sh: 2, sw: 4 };
/** The value a load of `size` bytes `bs` (little-endian) gives, per Vol. I §2.6. */
const loadValue = (bs: readonly number[], signed: boolean): number => {
  const v = bs.reduceRight((acc, b) => acc * 256 + b, 0);
  const bits = 8 * bs.length;
  return signed && bits < 32 && v >= 2 ** (bits - 1) ? (v - 2 ** bits) | 0 : v | 0;
};

describe('MEM-1: physical memory is a persistent value', () => {
  const addr = fc.oneof(
    // Around chunk (1 KiB) boundaries in RAM, where copies and splits happen.
    fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: -5, max: 5 })).map(([k, d]) => BASE + 1024 * k + d),
    fc.integer({ min: 2 ** 34 - 64, max: 2 ** 34 - 16 }), // the top of the 34-bit space
    fc.integer({ min: 0, max: 2 ** 34 - 16 }),
    fc.integer({ min: 0, max: 3000 }),
  );
  type Op =
    | { k: 'bytes'; base: number; addr: number; bytes: Uint8Array }
    | { k: 'session'; base: number; writes: Array<{ addr: number; size: 1 | 2 | 4; v: number }>; freezeAt: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ k: fc.constant('bytes' as const), base: fc.nat(), addr, bytes: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
    fc.record({
      k: fc.constant('session' as const), base: fc.nat(),
      writes: fc.array(fc.record({ addr, size: fc.constantFrom(1 as const, 2 as const, 4 as const), v: fc.integer({ min: 0, max: 0xffffffff }) }), { minLength: 1, maxLength: 8 }),
      freezeAt: fc.integer({ min: 0, max: 9 }),
    }),
  );

  it('MEM-1: random writes (withBytes and MemWriter sessions on any earlier version) match a Map model; every version keeps its contents', () => {
    // Model: each version is a Map from address to byte (absent = 0). Falsified if any write is
    // visible in a version it was not made on (an older value, a sibling branch, or a value frozen
    // mid-session before the write — a leaked transient), if unwritten memory reads non-zero, or
    // if readLE disagrees with the bytes (chunk-crossing reads included).
    fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 20 }), fc.array(addr, { maxLength: 20 }), (ops, probes) => {
      const versions: Array<{ store: MemStore; model: Map<number, number> }> = [{ store: emptyStore(), model: new Map() }];
      const touched = new Set<number>(probes);
      for (const o of ops) {
        const base = versions[o.base % versions.length]!;
        const model = new Map(base.model);
        if (o.k === 'bytes') {
          o.bytes.forEach((b, k) => { model.set(o.addr + k, b); touched.add(o.addr + k); });
          versions.push({ store: withBytes(base.store, o.addr, o.bytes), model });
        } else {
          const w = new MemWriter(base.store, newOwner());
          o.writes.forEach((wr, i) => {
            if (i === o.freezeAt) versions.push({ store: w.freeze(), model: new Map(model) });
            if (wr.size === 1) w.writeByte(wr.addr, wr.v & 0xff);
            else w.writeLE(wr.addr, wr.size, wr.v);
            for (let k = 0; k < wr.size; k++) { model.set(wr.addr + k, (wr.v >>> (8 * k)) & 0xff); touched.add(wr.addr + k); }
          });
          versions.push({ store: w.freeze(), model });
        }
      }
      for (const a of [...touched]) { touched.add(a - 1); touched.add(a + 1); }
      versions.forEach(({ store, model }, vi) => {
        for (const a of touched) {
          if (a < 0 || a + 4 > 2 ** 34) continue;
          const want = model.get(a) ?? 0;
          if (readByte(store, a) !== want) throw new Error(`version ${vi}: byte ${hex(a)} reads ${readByte(store, a)}, model ${want}`);
          for (const size of [2, 4] as const) {
            const bs = Array.from({ length: size }, (_, k) => model.get(a + k) ?? 0);
            const got = readLE(store, a, size), exp = loadValue(bs, false) >>> 0;
            if (got !== exp) throw new Error(`version ${vi}: readLE(${hex(a)}, ${size}) = ${hex(got)}, model ${hex(exp)}`);
          }
        }
      });
    }), { numRuns: runs(150) });
  });

  it('MEM-1: a write shares every untouched chunk with the earlier value (O(1) snapshots) and copies the one it changes', () => {
    // Falsified if a write copies the whole memory (untouched chunks are not the same objects), or
    // writes into the old chunk in place (the old value would change).
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 24 - 1 }), { minLength: 2, maxLength: 12 }), fc.nat(), fc.integer({ min: 0, max: 1023 }), (chunks, pick, off) => {
      let s0 = emptyStore();
      for (const c of chunks) s0 = withBytes(s0, c * 1024, Uint8Array.of(c & 0xff | 1));
      const target = chunks[pick % chunks.length]! * 1024;
      const before = chunkAt(s0, target).slice();
      const s1 = withBytes(s0, target + off, Uint8Array.of(0xab));
      for (const c of chunks) {
        if (c * 1024 === target) continue;
        expect(chunkAt(s1, c * 1024)).toBe(chunkAt(s0, c * 1024)); // the same object: shared
      }
      expect(chunkAt(s1, target)).not.toBe(chunkAt(s0, target));
      expect(chunkAt(s0, target)).toEqual(before);
      expect(readByte(s1, target + off)).toBe(0xab);
    }), { numRuns: runs(40) });
  });

  it('MEM-1: an edit session\'s in-place writes never reach a value frozen earlier in the session or the session\'s base', () => {
    // Falsified if MemWriter keeps mutating chunks it created after handing them out through freeze().
    const base = withBytes(emptyStore(), BASE, Uint8Array.of(1, 2, 3, 4));
    const w = new MemWriter(base, newOwner());
    w.writeLE(BASE + 8, 4, 0x11111111); // a chunk this session now owns
    const f1 = w.freeze();
    w.writeLE(BASE + 8, 4, 0x22222222);
    w.writeByte(BASE, 0xee);
    w.writeLE(BASE + 2048 - 2, 4, 0x33333333); // crosses into a chunk nobody had
    const f2 = w.freeze();
    expect([readLE(base, BASE, 4), readLE(base, BASE + 8, 4)]).toEqual([0x04030201, 0]);
    expect([readLE(f1, BASE, 4), readLE(f1, BASE + 8, 4), readLE(f1, BASE + 2046, 4)]).toEqual([0x04030201, 0x11111111, 0]);
    expect([readLE(f2, BASE, 4), readLE(f2, BASE + 8, 4), readLE(f2, BASE + 2046, 4)]).toEqual([0x040302ee, 0x22222222, 0x33333333]);
  });

  it('MEM-1: a store executed by step leaves the earlier machine\'s memory unchanged; unwritten memory reads 0', () => {
    // Falsified if step writes through to the input machine's memory, or if untouched RAM or
    // addresses anywhere in the 34-bit space read non-zero (through readByte or a guest load).
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0x3ff }), fc.array(fc.integer({ min: 0, max: 2 ** 34 - 1 }), { maxLength: 16 }), (v, w, probes) => {
      const D = BASE + 0x2000 + 4 * w;
      const m0 = machine([E({ op: 'sw', rs1: 1, rs2: 2, imm: 0 }), E({ op: 'lw', rd: 3, rs1: 4, imm: 0 })], {
        regs: { 1: D, 2: v | 0, 3: -1, 4: BASE + 0x10000 + 4 * w }, data: [[D, [9, 8, 7, 6]]],
      });
      const before = memSnap(m0.mem);
      const m2 = step(step(m0));
      expect(memSnap(m0.mem)).toEqual(before);
      expect(readLE(m0.mem, D, 4)).toBe(0x06070809);
      expect(readLE(m2.mem, D, 4)).toBe(v >>> 0);
      expect(m2.harts[0]!.x[3]).toBe(0); // unwritten RAM loads 0
      for (const p of probes) if (!(p >= BASE && p < BASE + 8) && !(p >= D && p < D + 4)) expect(readByte(m2.mem, p)).toBe(0);
    }), { numRuns: runs(100) });
  });
});

describe('MEM-PMA: holes and device regions', () => {
  const loadOps = Object.keys(LOADS) as LoadOp[];
  const storeOps = Object.keys(STORES) as StoreOp[];

  it('MEM-PMA: loads and stores to holes raise access faults 5 / 7 with tval = the address, changing nothing', () => {
    // Falsified if an address outside RAM and every device region reads as memory, is written, or
    // faults with another cause or tval (manual Vol. II §3.6: access faults of the access type).
    const hole = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(...loadOps, ...storeOps))
      .map(([a, op]) => {
        const size = op in LOADS ? LOADS[op as LoadOp].size : STORES[op as StoreOp];
        return { a: (a - (a % size)) >>> 0, op, size };
      })
      .filter(({ a, size }) => isHole(a, size));
    fc.assert(fc.property(hole, fc.integer({ min: -2048, max: 2047 }), ({ a, op }, imm) => {
      const i: Inst = op in LOADS ? { op: op as LoadOp, rd: 3, rs1: 1, imm } : { op: op as StoreOp, rs1: 1, rs2: 2, imm };
      const m0 = machine([E(i)], { regs: { 1: (a - imm) | 0, 2: 0x5555, 3: 0x1234 } });
      const m1 = step(m0);
      const h = m1.harts[0]!;
      const msg = `${show(E(i))} at ${hex(a)}`;
      expect(h.csr.mcause, msg).toBe(op in LOADS ? 5 : 7);
      expect(h.csr.mtval, msg).toBe(a);
      expect(h.csr.mepc, msg).toBe(BASE);
      expect(h.x[3], msg).toBe(0x1234);
      expect(memSnap(m1.mem)).toEqual(memSnap(m0.mem));
      expect(m1.dev).toEqual(m0.dev);
      expect(m1.halt).toBeNull();
    }), { numRuns: runs(300) });
  });

  it('MEM-PMA, PMA-EXEC: fetching from a hole or a device region raises instruction access fault 1 with tval = mepc = the address', () => {
    // jalr to the address, then fetch. Falsified if a non-RAM address is executed (device regions
    // are readable as data but not executable) or faults with another cause/tval/epc.
    const target = fc.oneof(
      fc.integer({ min: 0, max: 0x3fffffff }).map((x) => (x * 4) >>> 0).filter((a) => isHole(a, 4)),
      fc.constantFrom(...Object.values(DEVICES)).chain(([lo, size]) => fc.integer({ min: 0, max: size / 4 - 1 }).map((k) => lo + 4 * k)),
      fc.constant(RAM[1]), // the first address past RAM
    );
    fc.assert(fc.property(target, fc.constantFrom(3, 1) as fc.Arbitrary<3 | 1>, (t, priv) => {
      // In S-mode (bare satp, PMP all-RWX) the slow fetch path is used; M-mode takes the fast one.
      const m0 = machine([E({ op: 'jalr', rd: 0, rs1: 5, imm: 0 })], { regs: { 5: t | 0 }, priv, pmpAll: true });
      const m1 = step(m0);
      expect(m1.harts[0]!.pc).toBe(t);
      const h = step(m1).harts[0]!;
      expect([h.csr.mcause, h.csr.mtval, h.csr.mepc], `fetch at ${hex(t)} in priv ${priv}`).toEqual([1, t, t]);
      expect(h.priv).toBe(3);
    }), { numRuns: runs(150) });
  });

  it('PMA-EXEC: the last word of RAM executes; the next fetch (past RAM) faults', () => {
    // Falsified if RAM's executable range is off by one word at its end.
    const last = RAM[1] - 4;
    const m0 = machine([E({ op: 'jalr', rd: 0, rs1: 5, imm: 0 })], { regs: { 5: last | 0 }, data: [[last, le32(E({ op: 'addi', rd: 6, rs1: 0, imm: 42 }))]] });
    const m2 = step(step(m0));
    expect([m2.harts[0]!.x[6], m2.harts[0]!.pc, m2.harts[0]!.csr.mcause]).toEqual([42, RAM[1], 0]);
    const h = step(m2).harts[0]!;
    expect([h.csr.mcause, h.csr.mtval]).toEqual([1, RAM[1]]);
  });

  it('MEM-PMA: device regions accept only the aligned sizes each device lists; the rest fault with tval = the address', () => {
    // spec/devices.md: CLINT and PLIC take aligned 32-bit accesses, the UART bytes at offsets 0..7,
    // the finisher aligned 16/32-bit. Misaligned device accesses fault even under
    // misaligned = "perform". Falsified if any row gets the wrong outcome.
    const C = DEVICES.clint[0], P = DEVICES.plic[0], U = DEVICES.uart[0], F = DEVICES.finisher[0];
    const rows: Array<[string, LoadOp | StoreOp, number, boolean]> = [
      ['CLINT msip word', 'lw', C, true], ['CLINT half', 'lh', C, false], ['CLINT byte', 'lbu', C + 1, false],
      ['CLINT misaligned word', 'lw', C + 2, false], ['CLINT mtimecmp store', 'sw', C + 0x4000, true],
      ['CLINT half store', 'sh', C + 0x4000, false], ['CLINT misaligned store', 'sw', C + 0xbffa, false],
      ['PLIC word', 'lw', P + 4, true], ['PLIC byte', 'lb', P + 4, false], ['PLIC misaligned', 'lw', P + 6, false],
      ['PLIC half store', 'sh', P + 4, false],
      ['UART LSR byte', 'lbu', U + 5, true], ['UART half', 'lh', U, false], ['UART word', 'lw', U + 4, false],
      ['UART IER byte store', 'sb', U + 1, true], ['UART half store', 'sh', U + 2, false], ['UART word store', 'sw', U, false],
      ['finisher half', 'lh', F, true], ['finisher word', 'lw', F + 4, true], ['finisher byte', 'lb', F, false],
      ['finisher misaligned word', 'lw', F + 2, false], ['finisher byte store', 'sb', F, false],
      ['finisher misaligned half store', 'sh', F + 1, false],
    ];
    for (const [what, op, a, ok] of rows) {
      const i: Inst = op in LOADS ? { op: op as LoadOp, rd: 3, rs1: 1, imm: 0 } : { op: op as StoreOp, rs1: 1, rs2: 0, imm: 0 };
      const h = step(machine([E(i)], { regs: { 1: a | 0 } })).harts[0]!;
      if (ok) expect([h.csr.mcause, h.pc], what).toEqual([0, BASE + 4]);
      else expect([h.csr.mcause, h.csr.mtval], what).toEqual([op in LOADS ? 5 : 7, a >>> 0]);
    }
  });
});

describe('MEM-PRIV: effective privilege of loads and stores', () => {
  const UPAGE: Page = { va: 0x00400000, pa: 0x80020000, flags: PTE.V | PTE.R | PTE.W | PTE.X | PTE.U | PTE.A | PTE.D };
  const SPAGE: Page = { va: 0x00401000, pa: 0x80021000, flags: PTE.V | PTE.R | PTE.W | PTE.X | PTE.A | PTE.D };

  it('MEM-PRIV: in M-mode with MPRV = 1, loads and stores translate and check at MPP (U/S, with SUM); MPRV = 0 or MPP = M is untranslated', () => {
    // Exhaustive over MPRV × MPP × SUM × page (U/S) × load/store, with an oracle from Vol. II
    // §3.1.6.3 and §12.3.2 step 5. Falsified if MPRV is ignored, MPP is not the effective mode,
    // SUM is not applied for an effective S, or M-mode accesses get translated.
    for (const mprv of [0, 1]) for (const mpp of [0, 1, 3]) for (const sum of [0, 1]) for (const page of [UPAGE, SPAGE]) for (const store of [false, true]) {
      const i: Inst = store ? { op: 'sw', rs1: 6, rs2: 7, imm: 0 } : { op: 'lw', rd: 5, rs1: 6, imm: 0 };
      const m0 = machine([E(i)], {
        regs: { 5: -1, 6: page.va, 7: 0x5a5a5a5a }, pmpAll: true, pages: [UPAGE, SPAGE],
        mstatus: (mprv ? MSTATUS_MPRV : 0) | (mpp << 11) | (sum ? MSTATUS_SUM : 0),
        data: [[UPAGE.pa, le32(0x11111111)], [SPAGE.pa, le32(0x22222222)]],
      });
      const h = step(m0);
      const eff = mprv ? mpp : 3;
      const isU = page === UPAGE;
      const what = `MPRV=${mprv} MPP=${mpp} SUM=${sum} ${isU ? 'U' : 'S'}-page ${show(E(i))}`;
      const got = h.harts[0]!;
      if (eff === 3) {
        // untranslated: 0x0040x000 is a hole
        expect([got.csr.mcause, got.csr.mtval], what).toEqual([store ? 7 : 5, page.va]);
      } else if (eff === 0 ? !isU : isU && !sum) {
        expect([got.csr.mcause, got.csr.mtval], what).toEqual([store ? 15 : 13, page.va]);
      } else {
        expect(got.csr.mcause, what).toBe(0);
        if (store) expect(readLE(h.mem, page.pa, 4), what).toBe(0x5a5a5a5a);
        else expect(got.x[5], what).toBe(isU ? 0x11111111 : 0x22222222);
      }
    }
  });

  it('MEM-PRIV: fetches use the current mode, not MPP', () => {
    // M-mode, MPRV = 1, MPP = U, Sv32 on: jumping to the U page's virtual address fetches from the
    // *physical* address (a hole → 1), not through the U mapping (which would fetch 0x11111111,
    // an illegal instruction → 2). Falsified if MPRV affects instruction fetch.
    const m0 = machine([E({ op: 'jalr', rd: 0, rs1: 6, imm: 0 })], {
      regs: { 6: UPAGE.va }, pmpAll: true, pages: [UPAGE, SPAGE], mstatus: MSTATUS_MPRV,
      data: [[UPAGE.pa, le32(0x11111111)]],
    });
    const h = step(step(m0)).harts[0]!;
    expect([h.csr.mcause, h.csr.mtval]).toEqual([1, UPAGE.va]);
  });

  it('MEM-PRIV: with MPRV = 1 and MPP = U/S, PMP applies as for U/S (no matching entry → access fault); MPP = M or MPRV = 0 pass', () => {
    // No PMP entry is active (all OFF, 16 implemented): S/U accesses fail, M-mode accesses succeed
    // (Vol. II §3.7.1). Falsified if the effective privilege is not what PMP checks.
    for (const [ms, want] of [[0, 0], [MSTATUS_MPRV | (3 << 11), 0], [MSTATUS_MPRV, 5], [MSTATUS_MPRV | (1 << 11), 5]] as const) {
      const h = step(machine([E({ op: 'lw', rd: 5, rs1: 6, imm: 0 })], { regs: { 6: BASE + 0x1000 }, mstatus: ms })).harts[0]!;
      expect(h.csr.mcause, `mstatus ${hex(ms)}`).toBe(want);
    }
  });
});

describe('MEM-ACCESS-1: misaligned accesses across a page boundary', () => {
  const P0 = 0x00400000, P1 = 0x00401000, PA0 = 0x80020000, PA1 = 0x80030000;
  // *fresh: A and D clear, so a successful walk sets them — which must not happen when the other piece faults.
  const FLAGS = { none: 0, R: PTE.V | PTE.R | PTE.A | PTE.D, RW: PTE.V | PTE.R | PTE.W | PTE.A | PTE.D, Rfresh: PTE.V | PTE.R, RWfresh: PTE.V | PTE.R | PTE.W } as const;
  type Kind = keyof typeof FLAGS;
  const kinds = Object.keys(FLAGS) as Kind[];
  const accesses: Array<[LoadOp | StoreOp, number]> = [
    ['lw', 0xffd], ['lw', 0xffe], ['lw', 0xfff], ['lh', 0xfff], ['lhu', 0xfff], ['sw', 0xffd], ['sw', 0xffe], ['sw', 0xfff], ['sh', 0xfff],
  ];

  it('MEM-ACCESS-1: under Sv32, a fault in either page leaves memory untouched with tval = the faulting piece\'s address; otherwise both pieces are accessed', () => {
    // Effective mode S via MPRV/MPP = S; P0 → PA0, P1 → PA1 (not adjacent), A/D preset so the walk
    // writes nothing (the *fresh kinds leave A/D clear: a faulting access must not set them either,
    // since A/D updates are never speculative). Oracle: pieces in address order, the first one whose page does not permit
    // the access raises a page fault (13/15) with tval = that piece's first byte (Vol. II §3.1.16).
    fc.assert(fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 0xffffffff }), (bytes, v) => {
      for (const k0 of kinds) for (const k1 of kinds) for (const [op, off] of accesses) {
        const isLoad = op in LOADS;
        const size = isLoad ? LOADS[op as LoadOp].size : STORES[op as StoreOp];
        const va = P0 + off;
        const i: Inst = isLoad ? { op: op as LoadOp, rd: 5, rs1: 6, imm: 0 } : { op: op as StoreOp, rs1: 6, rs2: 7, imm: 0 };
        const m0 = machine([E(i)], {
          regs: { 5: 0x7777, 6: va, 7: v | 0 }, pmpAll: true, mstatus: MSTATUS_MPRV | (1 << 11),
          pages: [{ va: P0, pa: PA0, flags: FLAGS[k0] }, { va: P1, pa: PA1, flags: FLAGS[k1] }],
          data: [[PA0 + 0xffc, bytes.subarray(0, 4)], [PA1, bytes.subarray(4)]],
        });
        const m1 = step(m0);
        const h = m1.harts[0]!;
        const what = `${show(E(i))} at ${hex(va)}, P0 ${k0}, P1 ${k1}`;
        const first = 0x1000 - off;
        const pieces: Array<[number, Kind]> = [[va, k0], [P1, k1]];
        const bad = pieces.find(([, k]) => (isLoad ? k === 'none' : k !== 'RW' && k !== 'RWfresh'));
        if (bad !== undefined) {
          expect([h.csr.mcause, h.csr.mtval], what).toEqual([isLoad ? 13 : 15, bad[0]]);
          expect(h.x[5], what).toBe(0x7777);
          expect(memSnap(m1.mem), what).toEqual(memSnap(m0.mem));
        } else {
          expect(h.csr.mcause, what).toBe(0);
          // Physical bytes of the access: the tail of PA0's page, then the head of PA1's page.
          const phys = [...Array.from({ length: first }, (_, k) => PA0 + off + k), ...Array.from({ length: size - first }, (_, k) => PA1 + k)];
          if (isLoad) {
            const bs = phys.map((p) => (p >= PA1 ? bytes[4 + p - PA1]! : bytes[p - PA0 - 0xffc]!));
            expect(h.x[5], what).toBe(loadValue(bs, LOADS[op as LoadOp].signed));
          } else {
            phys.forEach((p, k) => expect(readByte(m1.mem, p), what).toBe((v >>> (8 * k)) & 0xff));
            expect(readByte(m1.mem, PA0 + off - 1), what).toBe(off - 1 >= 0xffc ? bytes[off - 1 - 0xffc]! : 0);
          }
        }
      }
    }), { numRuns: runs(6) });
  });

  it('MEM-ACCESS-1: a PMP fault on either piece leaves memory untouched and reports that piece\'s address', () => {
    // U via MPRV/MPP = U, bare satp. (a) entry 0 TOR [0, 0x80001000) RWX: at 0x80000ffe the second
    // piece (0x80001000) has no matching entry; (b) entry 1 TOR [0x80001000, 0x80002000) RWX: the
    // first piece fails. Falsified if the first piece is written before the second is checked, or
    // tval is not the faulting piece's address.
    const va = 0x80000ffe;
    const cases = [
      { pmp: { cfg: [0x0f], addr: [0x20000400] }, tval: 0x80001000 },
      { pmp: { cfg: [0x00, 0x0f], addr: [0x20000400, 0x20000800] }, tval: va },
    ];
    for (const { pmp, tval } of cases) for (const [op, cause] of [['sw', 7], ['lw', 5], ['sh', 7]] as const) {
      const i: Inst = op === 'lw' ? { op, rd: 5, rs1: 6, imm: 0 } : { op, rs1: 6, rs2: 7, imm: 0 };
      const w = op === 'sh' ? va + 1 : va;
      const m0 = machine([E(i)], { regs: { 5: 0x7777, 6: w, 7: -1 }, mstatus: MSTATUS_MPRV, pmp, data: [[0x80000ff8, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]] });
      const m1 = step(m0);
      const h = m1.harts[0]!;
      const what = `${show(E(i))} at ${hex(w)}, pmp ${JSON.stringify(pmp)}`;
      expect([h.csr.mcause, h.csr.mtval], what).toEqual([cause, op === 'sh' && tval === va ? w : tval]);
      expect(h.x[5], what).toBe(0x7777);
      expect(memSnap(m1.mem), what).toEqual(memSnap(m0.mem));
    }
  });

  it('MEM-ACCESS-1: an access crossing from RAM\'s last page into a hole faults without writing; tval = the first byte past RAM', () => {
    // Regression test (MEM-ACCESS-1 tval), for a bug it found and that is fixed: src/machine/step.ts load/store turn a
    // physRead/physWrite refusal into accessFault(acc, o.addr), so tval is the access's start
    // (0x87fffffe) rather than the address of the piece that faulted (0x88000000), which the spec
    // rule and Vol. II §3.1.16 ("mtval will contain the virtual address of the portion of the access
    // that caused the fault") require. Memory is correctly left unchanged.
    // Falsified if the RAM half is written, or the fault is not 5/7 with tval = RAM end.
    const end = RAM[1];
    for (const [op, cause] of [['sw', 7], ['sh', 7], ['lw', 5], ['lhu', 5]] as const) {
      const a = op === 'sw' || op === 'lw' ? end - 2 : end - 1;
      const i: Inst = op === 'lw' || op === 'lhu' ? { op, rd: 5, rs1: 6, imm: 0 } : { op, rs1: 6, rs2: 7, imm: 0 };
      const m0 = machine([E(i)], { regs: { 5: 0x7777, 6: a | 0, 7: -1 }, data: [[end - 4, [1, 2, 3, 4]]] });
      const m1 = step(m0);
      const h = m1.harts[0]!;
      expect(memSnap(m1.mem), show(E(i))).toEqual(memSnap(m0.mem));
      expect(h.x[5]).toBe(0x7777);
      expect([h.csr.mcause, h.csr.mtval], `${show(E(i))} at ${hex(a)}`).toEqual([cause, end]);
    }
  });

  it('MEM-ACCESS-1: an access crossing from a hole into RAM faults on the first piece, with tval = its address', () => {
    // Falsified if the RAM half is written or read, or tval is not the access's start.
    const a = RAM[0] - 2;
    for (const [op, cause] of [['sw', 7], ['lw', 5]] as const) {
      const i: Inst = op === 'lw' ? { op, rd: 5, rs1: 6, imm: 0 } : { op, rs1: 6, rs2: 7, imm: 0 };
      const m0 = machine([E(i)], { regs: { 5: 0x7777, 6: a | 0, 7: -1 } });
      const m1 = step(m0);
      expect(memSnap(m1.mem)).toEqual(memSnap(m0.mem));
      expect([m1.harts[0]!.csr.mcause, m1.harts[0]!.csr.mtval, m1.harts[0]!.x[5]]).toEqual([cause, a, 0x7777]);
    }
  });
});
