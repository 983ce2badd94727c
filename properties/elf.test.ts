/**
 * Properties of the ELF loader (ELF-1 … ELF-5, spec/elf.md). ELF files are built by hand by the
 * test-only `buildElf` below, which writes bytes at the offsets of the gABI figures and shares no
 * code with the parser.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { parseElf, elfImage, loadElfFile, type Elf } from '../src/formats/elf.js';
import { runs } from './support/runs.js';

const RUNS = runs(300);
const RAM = { ramBase: 0x8000_0000, ramSize: 128 * 1024 * 1024 };
const ROOT = join(import.meta.dirname, '..');

// ---------------------------------------------------------------------------------------------
// A tiny, independent ELF32 writer

interface BSeg { type?: number; vaddr: number; paddr?: number; flags: number; data: Uint8Array; memsz?: number }
interface BSym { name: string; value: number; bind?: number; type?: number; shndx?: number }
interface BOpts { entry: number; segs: BSeg[]; syms?: BSym[] }
/** Where the builder put things, for tests that corrupt a specific field. */
interface Built { bytes: Uint8Array; phoff: number; shoff: number; segOff: number[]; symoff: number; stroff: number; strsize: number }

const PT_LOAD = 1, PF_X = 1, PF_W = 2, PF_R = 4, SHN_ABS = 0xfff1;
const EHDR = 52, PHDR = 32, SHDR = 40, SYM = 16;
const align4 = (n: number): number => (n + 3) & ~3;

function buildElf(o: BOpts): Built {
  const enc = new TextEncoder();
  const syms = o.syms;
  const phoff = EHDR;
  let off = phoff + PHDR * o.segs.length;
  const segOff = o.segs.map((s) => { const at = off; off = align4(off + s.data.length); return at; });
  // .strtab: "\0name\0name\0"; .shstrtab: section names
  const nameOff: number[] = [];
  const strParts: number[] = [0];
  for (const s of syms ?? []) { nameOff.push(strParts.length); strParts.push(...enc.encode(s.name), 0); }
  const shstr = [0, ...enc.encode('.symtab'), 0, ...enc.encode('.strtab'), 0, ...enc.encode('.shstrtab'), 0];
  const stroff = off; off = align4(off + strParts.length);
  const shstroff = off; off = align4(off + shstr.length);
  const symoff = off; off += SYM * ((syms?.length ?? 0) + 1);
  const shnum = syms === undefined ? 0 : 4;
  const shoff = syms === undefined ? 0 : off;
  off += SHDR * shnum;
  const b = new Uint8Array(off);
  const w8 = (at: number, v: number) => { b[at] = v & 0xff; };
  const w16 = (at: number, v: number) => { w8(at, v); w8(at + 1, v >>> 8); };
  const w32 = (at: number, v: number) => { w16(at, v & 0xffff); w16(at + 2, v >>> 16); };
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  w16(16, 2); w16(18, 243); w32(20, 1); w32(24, o.entry); w32(28, o.segs.length ? phoff : 0); w32(32, shoff);
  w32(36, 0); w16(40, EHDR); w16(42, PHDR); w16(44, o.segs.length); w16(46, SHDR); w16(48, shnum); w16(50, shnum ? 3 : 0);
  o.segs.forEach((s, i) => {
    const p = phoff + i * PHDR;
    w32(p, s.type ?? PT_LOAD); w32(p + 4, segOff[i]!); w32(p + 8, s.vaddr); w32(p + 12, s.paddr ?? s.vaddr);
    w32(p + 16, s.data.length); w32(p + 20, s.memsz ?? s.data.length); w32(p + 24, s.flags); w32(p + 28, 4);
    b.set(s.data, segOff[i]!);
  });
  if (syms !== undefined) {
    b.set(strParts, stroff);
    b.set(shstr, shstroff);
    syms.forEach((s, i) => {
      const p = symoff + SYM * (i + 1);
      w32(p, nameOff[i]!); w32(p + 4, s.value); w32(p + 8, 0);
      w8(p + 12, ((s.bind ?? 1) << 4) | (s.type ?? 0)); w8(p + 13, 0); w16(p + 14, s.shndx ?? SHN_ABS);
    });
    const sh = (i: number, name: number, type: number, o2: number, size: number, link: number, entsize: number) => {
      const p = shoff + i * SHDR;
      w32(p, name); w32(p + 4, type); w32(p + 16, o2); w32(p + 20, size); w32(p + 24, link); w32(p + 32, 1); w32(p + 36, entsize);
    };
    sh(1, 1, 2, symoff, SYM * (syms.length + 1), 2, SYM);
    sh(2, 9, 3, stroff, strParts.length, 0, 0);
    sh(3, 17, 3, shstroff, shstr.length, 0, 0);
  }
  return { bytes: b, phoff, shoff, segOff, symoff, stroff, strsize: strParts.length };
}

const put32 = (b: Uint8Array, at: number, v: number): Uint8Array => {
  const c = b.slice();
  c[at] = v & 0xff; c[at + 1] = (v >>> 8) & 0xff; c[at + 2] = (v >>> 16) & 0xff; c[at + 3] = (v >>> 24) & 0xff;
  return c;
};
const put16 = (b: Uint8Array, at: number, v: number): Uint8Array => {
  const c = b.slice();
  c[at] = v & 0xff; c[at + 1] = (v >>> 8) & 0xff;
  return c;
};
const put8 = (b: Uint8Array, at: number, v: number): Uint8Array => { const c = b.slice(); c[at] = v; return c; };

const code = Uint8Array.from([0x13, 0, 0, 0, 0x6f, 0, 0, 0]); // nop; j .
/** A small, realistic guest: text at RAM base, data + bss (with tohost/fromhost) a page later. */
const sample = (): Built => buildElf({
  entry: 0x8000_0000,
  segs: [
    { vaddr: 0x8000_0000, flags: PF_R | PF_X, data: code },
    { vaddr: 0x8000_1000, flags: PF_R | PF_W, data: Uint8Array.from([1, 2, 3, 4]), memsz: 0x2000 },
  ],
  syms: [
    { name: 'loop', value: 0x8000_0004, bind: 0, shndx: 1 },
    { name: '_start', value: 0x8000_0000, shndx: 1 },
    { name: 'tohost', value: 0x8000_1000, type: 1, shndx: 1 },
    { name: 'fromhost', value: 0x8000_1008, type: 1, shndx: 1 },
    { name: '.text', value: 0x8000_0000, bind: 0, type: 3, shndx: 1 },
    { name: 'external', value: 0, shndx: 0 },
  ],
});

const errOf = <A>(r: Either<string, A>): string => (isLeft(r) ? r.left : `(Right)`);
const parseErr = (b: Uint8Array): string => errOf(parseElf(b));
const loadErr = (b: Uint8Array, ram = RAM): string => {
  const r = parseElf(b);
  return isLeft(r) ? `parse: ${r.left}` : errOf(elfImage(r.right, ram));
};
const ok = <A>(r: Either<string, A>): A => {
  if (isLeft(r)) throw new Error(`expected Right, got Left: ${r.left}`);
  return r.right;
};

// ---------------------------------------------------------------------------------------------

describe('ELF-1: accepted files', () => {
  it('ELF-1: a hand-built minimal executable parses to its entry, segments and symbols', () => {
    // Falsified by any difference between what buildElf wrote and what parseElf returns: a field
    // read from the wrong offset, a lost segment, a skipped or spurious symbol (section symbols
    // and undefined symbols must not appear), or data not equal to the file bytes.
    const b = sample();
    const elf = ok(parseElf(b.bytes));
    expect(elf.entry).toBe(0x8000_0000);
    expect(elf.segments.map(({ data, ...s }) => ({ ...s, data: [...data] }))).toEqual([
      { type: 1, paddr: 0x8000_0000, vaddr: 0x8000_0000, filesz: 8, memsz: 8, flags: 5, data: [...code] },
      { type: 1, paddr: 0x8000_1000, vaddr: 0x8000_1000, filesz: 4, memsz: 0x2000, flags: 6, data: [1, 2, 3, 4] },
    ]);
    expect(elf.symbols).toEqual(new Map([
      ['loop', 0x8000_0004], ['_start', 0x8000_0000], ['tohost', 0x8000_1000], ['fromhost', 0x8000_1008],
    ]));
  });

  it('ELF-1: random well-formed executables round-trip through parseElf', () => {
    // Falsified by a generated file (1–4 load segments in RAM, random data and bss sizes, random
    // flags, random unique global symbols, or no symbol table at all) whose parse differs from
    // what was written.
    const seg = fc.record({
      data: fc.uint8Array({ maxLength: 64 }),
      bss: fc.integer({ min: 0, max: 0x10000 }),
      flags: fc.integer({ min: 0, max: 7 }),
      gap: fc.integer({ min: 0, max: 0x1000 }),
    });
    const name = fc.stringMatching(/^[A-Za-z_.$][A-Za-z0-9_.$]{0,20}$/).filter((n) => n !== 'tohost' && n !== 'fromhost');
    const arb = fc.record({
      segs: fc.array(seg, { minLength: 1, maxLength: 4 }),
      syms: fc.option(fc.uniqueArray(fc.tuple(name, fc.nat({ max: 0xffffffff })), { maxLength: 20, selector: ([n]) => n }), { nil: undefined }),
    });
    fc.assert(fc.property(arb, ({ segs, syms }) => {
      let addr = RAM.ramBase;
      const bsegs: BSeg[] = segs.map((s, i) => {
        const at = addr + s.gap;
        addr = at + s.data.length + s.bss + 1;
        return { vaddr: at, flags: i === 0 ? s.flags | PF_X : s.flags, data: s.data, memsz: s.data.length + s.bss + 1 };
      });
      const b = buildElf({ entry: bsegs[0]!.vaddr, segs: bsegs, syms: syms?.map(([n, v]) => ({ name: n, value: v })) });
      const elf = ok(parseElf(b.bytes));
      expect(elf.entry).toBe(bsegs[0]!.vaddr);
      expect(elf.segments.length).toBe(bsegs.length);
      elf.segments.forEach((s, i) => {
        const w = bsegs[i]!;
        expect([s.type, s.vaddr, s.paddr, s.filesz, s.memsz, s.flags]).toEqual([1, w.vaddr, w.vaddr, w.data.length, w.memsz, w.flags]);
        expect([...s.data]).toEqual([...w.data]);
      });
      expect(elf.symbols).toEqual(new Map(syms ?? []));
      const img = ok(elfImage(elf, RAM));
      expect(img.entry).toBe(bsegs[0]!.vaddr);
      expect(img.segments.map((s) => [s.addr, [...s.bytes]])).toEqual(bsegs.map((s) => [s.vaddr, [...s.data]]));
    }), { numRuns: RUNS });
  });

  const guestDir = join(ROOT, 'guests');
  const guests = existsSync(guestDir) ? readdirSync(guestDir).filter((f) => f.endsWith('.elf')).sort() : [];
  it.skipIf(guests.length === 0)(`ELF-1/ELF-3/ELF-4: every committed guests/*.elf (${guests.length}) loads into default RAM`, () => {
    // Falsified by a committed guest that does not parse or load, whose entry or any loaded byte
    // lies outside RAM, whose image bytes differ from the file bytes at p_offset, or that lacks
    // tohost/fromhost (every guest talks HTIF). Skipped only when no guest ELF exists.
    for (const g of guests) {
      const path = join(guestDir, g);
      const r = loadElfFile(path, RAM);
      expect(isRight(r), `${g}: ${errOf(r)}`).toBe(true);
      const { elf, image } = ok(r);
      const inRam = (a: number, n: number) => a >= RAM.ramBase && a + n <= RAM.ramBase + RAM.ramSize;
      expect(inRam(image.entry, 4), g).toBe(true);
      expect(image.tohost !== undefined && inRam(image.tohost, 8), `${g}: tohost`).toBe(true);
      expect(image.fromhost !== undefined && inRam(image.fromhost, 8), `${g}: fromhost`).toBe(true);
      const loads = elf.segments.filter((s) => s.type === 1 && s.memsz > 0);
      expect(image.segments.length, g).toBe(loads.length);
      // Cross-check the data against the raw file, read here with an independent decoder.
      const file = readFileSync(path);
      const phoff = file.readUInt32LE(28), phnum = file.readUInt16LE(44);
      let k = 0;
      for (let i = 0; i < phnum; i++) {
        const p = phoff + 32 * i;
        if (file.readUInt32LE(p) !== 1 || file.readUInt32LE(p + 20) === 0) continue;
        const seg = image.segments[k++]!;
        expect(seg.addr, g).toBe(file.readUInt32LE(p + 12));
        expect(inRam(seg.addr, file.readUInt32LE(p + 20)), g).toBe(true);
        const o = file.readUInt32LE(p + 4);
        expect(Buffer.from(seg.bytes).equals(file.subarray(o, o + file.readUInt32LE(p + 16))), g).toBe(true);
      }
    }
  });
});

describe('ELF-2: rejections', () => {
  const b = sample();
  const cases: Array<[string, Uint8Array, string | RegExp]> = [
    ['bad magic', put8(b.bytes, 1, 0x46), 'not an ELF file (bad magic)'],
    ['empty input', new Uint8Array(0), 'not an ELF file (empty)'],
    ['text file', new TextEncoder().encode('#!/bin/sh\necho hi\n'), 'not an ELF file (bad magic)'],
    ['short identification', b.bytes.slice(0, 10), 'truncated: 10 bytes, the ELF identification needs 16'],
    ['class 64', put8(b.bytes, 4, 2), 'ELF class 64: popek loads ELF32 only'],
    ['class 0', put8(b.bytes, 4, 0), /^invalid ELF class 0/],
    ['big endian', put8(b.bytes, 5, 2), 'big-endian ELF: popek loads little-endian only'],
    ['data encoding 3', put8(b.bytes, 5, 3), /^invalid ELF data encoding 3/],
    ['EI_VERSION 0', put8(b.bytes, 6, 0), /^unsupported ELF identification version 0/],
    ['short header', b.bytes.slice(0, 40), 'truncated: 40 bytes, the ELF header needs 52'],
    ['ET_REL', put16(b.bytes, 16, 1), /^not an executable \(e_type 1, ET_REL/],
    ['ET_DYN', put16(b.bytes, 16, 3), /^not an executable \(e_type 3, ET_DYN/],
    ['ET_CORE', put16(b.bytes, 16, 4), /^not an executable \(e_type 4/],
    ['x86-64', put16(b.bytes, 18, 62), 'machine 62 (x86-64): not RISC-V (243)'],
    ['AArch64', put16(b.bytes, 18, 183), 'machine 183 (AArch64): not RISC-V (243)'],
    ['unknown machine', put16(b.bytes, 18, 9999), 'machine 9999: not RISC-V (243)'],
    ['e_version 2', put32(b.bytes, 20, 2), /^unsupported ELF version 2/],
    ['e_ehsize', put16(b.bytes, 40, 64), /^e_ehsize 64/],
    ['PN_XNUM', put16(b.bytes, 44, 0xffff), /PN_XNUM/],
    ['e_phentsize', put16(b.bytes, 42, 56), /^e_phentsize 56/],
    ['e_shentsize', put16(b.bytes, 46, 64), /^e_shentsize 64/],
    ['e_phoff 0', put32(b.bytes, 28, 0), /^e_phnum 2 but e_phoff is 0/],
    ['extended section numbering', put16(b.bytes, 48, 0), /extended section numbering/],
    ['program header table past EOF', put32(b.bytes, 28, b.bytes.length - 40),
      `truncated: program header 1 extends past end of file (offset 0x${(b.bytes.length - 8).toString(16).padStart(8, '0')}, file size ${b.bytes.length})`],
    ['huge e_phnum', put16(b.bytes, 44, 65534), /^truncated: program header \d+ extends past end of file/],
    ['section header table past EOF', put32(b.bytes, 32, b.bytes.length - 60), /^truncated: section header 1 extends past end of file/],
    ['segment data past EOF', put32(b.bytes, b.phoff + PHDR + 16, 0x1000), /^truncated: segment 1 file data \[.*\) extends past end of file/],
    ['filesz > memsz', put32(b.bytes, b.phoff + PHDR + 20, 2), 'segment 1: filesz > memsz (0x00000004 > 0x00000002)'],
    ['paddr wraps', put32(put32(b.bytes, b.phoff + PHDR + 12, 0xffff_f000), b.phoff + PHDR + 8, 0), /^segment 1: paddr 0xfffff000 \+ memsz 0x00002000 wraps past 2\^32/],
    ['vaddr wraps', put32(b.bytes, b.phoff + PHDR + 8, 0xffff_f000), /^segment 1: vaddr 0xfffff000 \+ memsz 0x00002000 wraps past 2\^32/],
    ['PT_INTERP', put32(b.bytes, b.phoff + PHDR, 3), /^segment 1: PT_INTERP/],
    ['section past EOF', put32(b.bytes, b.shoff + SHDR * 2 + 20, 0x10_0000), /^truncated: section 2 \[/],
    ['huge symtab size', put32(b.bytes, b.shoff + SHDR + 20, 0xffff_fff0), /^truncated: section 1 \[/],
    ['symtab entsize', put32(b.bytes, b.shoff + SHDR + 36, 24), /^symbol table \(section 1\): sh_entsize 24/],
    ['symtab size', put32(b.bytes, b.shoff + SHDR + 20, 17), /^symbol table \(section 1\): sh_size 17 is not a multiple of 16/],
    ['symtab link out of range', put32(b.bytes, b.shoff + SHDR + 24, 9), /^symbol table \(section 1\): sh_link 9 is not a section/],
    ['symtab link not a strtab', put32(b.bytes, b.shoff + SHDR + 24, 1), /^symbol table \(section 1\): sh_link 1 is not a string table/],
    ['strtab without final NUL', put8(b.bytes, b.stroff + b.strsize - 1, 0x41), /^string table \(section 2\): does not end with a NUL byte/],
    ['symbol name past strtab', put32(b.bytes, b.symoff + SYM * 2, 0x4000), /^symbol 2: name offset 0x00004000 past end of string table/],
    ['symbol section index', put16(b.bytes, b.symoff + SYM * 2 + 14, 77), /^symbol 2: section index 77 out of range \(e_shnum 4\)/],
  ];
  for (const [what, bytes, msg] of cases) {
    it(`ELF-2: ${what} is rejected with its own message`, () => {
      // Falsified by acceptance, by a different (e.g. earlier, less specific) message, or by a
      // message that spans several lines.
      const e = parseErr(bytes);
      if (typeof msg === 'string') expect(e).toBe(msg); else expect(e).toMatch(msg);
      expect(e).not.toContain('\n');
    });
  }

  it('ELF-2: the sample itself is accepted (so each rejection above is caused by its one change)', () => {
    // Falsified if the unmodified file were rejected: then the cases above would prove nothing.
    expect(isRight(parseElf(b.bytes))).toBe(true);
    expect(isRight(elfImage(ok(parseElf(b.bytes)), RAM))).toBe(true);
  });

  it('ELF-2: ignored fields (EI_OSABI, e_flags, p_align, e_shstrndx, sh_name) do not matter', () => {
    // Falsified if changing a field that spec/elf.md lists as unread changes the result.
    const ref = ok(parseElf(b.bytes));
    for (const m of [put8(b.bytes, 7, 3), put32(b.bytes, 36, 0xdeadbeef), put32(b.bytes, b.phoff + 28, 7),
      put16(b.bytes, 50, 999), put32(b.bytes, b.shoff + SHDR, 0xffffffff)]) {
      expect(ok(parseElf(m))).toEqual(ref);
    }
  });
});

describe('ELF-3: loading', () => {
  it('ELF-3: segments become file bytes at p_paddr; the zero fill is left to reset RAM', () => {
    // Falsified by an image whose segments are not [p_paddr, file bytes] in header order, that
    // materialises the bss, or whose entry is not e_entry.
    const img = ok(elfImage(ok(parseElf(sample().bytes)), RAM));
    expect(img.entry).toBe(0x8000_0000);
    expect(img.segments.map((s) => [s.addr, [...s.bytes]])).toEqual([[0x8000_0000, [...code]], [0x8000_1000, [1, 2, 3, 4]]]);
  });

  it('ELF-3: a segment outside RAM is rejected with both ranges', () => {
    // Falsified by acceptance of a segment below, above or straddling the end of RAM, or by a
    // message that does not name the segment and both ranges.
    const at = (vaddr: number, memsz: number) => buildElf({
      entry: 0x8000_0000, segs: [{ vaddr: 0x8000_0000, flags: PF_X, data: code }, { vaddr, flags: PF_W, data: new Uint8Array(4), memsz }],
    }).bytes;
    expect(loadErr(at(0x7fff_fff0, 0x20))).toBe('segment 1 [0x7ffffff0, 0x80000010) lies outside RAM [0x80000000, 0x88000000)');
    expect(loadErr(at(0x87ff_fff0, 0x20))).toBe('segment 1 [0x87fffff0, 0x88000010) lies outside RAM [0x80000000, 0x88000000)');
    expect(loadErr(at(0x1000, 4))).toBe('segment 1 [0x00001000, 0x00001004) lies outside RAM [0x80000000, 0x88000000)');
    expect(loadErr(at(0x87ff_fff0, 0x10))).toBe('(Right)'); // the last 16 bytes of RAM are fine
  });

  it('ELF-3, ELF-5: a huge p_memsz is bounds-checked without allocating it', () => {
    // Falsified by an allocation of memsz bytes (slow or out of memory) or by bss bytes in the image.
    const b = buildElf({ entry: 0x8000_0000, segs: [{ vaddr: 0x8000_0000, flags: PF_X, data: code, memsz: 0x7fff_ffff }] }).bytes;
    const t0 = performance.now();
    expect(loadErr(b)).toBe('segment 0 [0x80000000, 0xffffffff) lies outside RAM [0x80000000, 0x88000000)');
    const img = ok(elfImage(ok(parseElf(b)), { ramBase: 0x8000_0000, ramSize: 2 ** 31 }));
    expect(img.segments[0]!.bytes.length).toBe(code.length);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('ELF-3: the entry must lie in an executable loaded segment', () => {
    // Falsified by acceptance of an entry outside every segment, in a non-executable segment, or
    // in a non-PT_LOAD segment.
    const one = (entry: number, flags: number, type = PT_LOAD) => buildElf({ entry, segs: [{ type, vaddr: 0x8000_0000, flags, data: code }] }).bytes;
    expect(loadErr(one(0x8000_0100, PF_R | PF_X))).toBe('entry 0x80000100 lies outside every executable loaded segment');
    expect(loadErr(one(0x8000_0000, PF_R | PF_W))).toBe('entry 0x80000000 lies outside every executable loaded segment');
    expect(loadErr(one(0x8000_0000, PF_R | PF_X, 4))).toBe('entry 0x80000000 lies outside every executable loaded segment');
    expect(loadErr(one(0x8000_0004, PF_X))).toBe('(Right)');
  });

  it('ELF-3: overlapping loaded segments are rejected', () => {
    // Falsified by acceptance of two PT_LOAD segments that share a physical byte.
    const b = buildElf({ entry: 0x8000_0000, segs: [
      { vaddr: 0x8000_0000, flags: PF_X, data: code, memsz: 0x100 },
      { vaddr: 0x8000_00ff, flags: PF_W, data: new Uint8Array(1) },
    ] }).bytes;
    expect(loadErr(b)).toBe('segments 0 and 1 overlap at 0x800000ff');
  });

  it('ELF-3: with p_vaddr ≠ p_paddr, bytes go to p_paddr and the entry is translated', () => {
    // Falsified by loading at p_vaddr, or by an untranslated (virtual) entry.
    const b = buildElf({ entry: 0xc000_0004, segs: [{ vaddr: 0xc000_0000, paddr: 0x8020_0000, flags: PF_X, data: code }] }).bytes;
    const img = ok(elfImage(ok(parseElf(b)), RAM));
    expect(img.segments[0]!.addr).toBe(0x8020_0000);
    expect(img.entry).toBe(0x8020_0004);
  });
});

describe('ELF-4: HTIF symbols', () => {
  it('ELF-4: tohost/fromhost come from the symbol table, undefined when absent', () => {
    // Falsified by wrong addresses, or by made-up addresses for a file without the symbols.
    const img = ok(elfImage(ok(parseElf(sample().bytes)), RAM));
    expect([img.tohost, img.fromhost]).toEqual([0x8000_1000, 0x8000_1008]);
    const bare = ok(elfImage(ok(parseElf(buildElf({ entry: 0x8000_0000, segs: [{ vaddr: 0x8000_0000, flags: PF_X, data: code }] }).bytes)), RAM));
    expect([bare.tohost, bare.fromhost]).toEqual([undefined, undefined]);
    const noHtif = ok(parseElf(buildElf({ entry: 0x8000_0000, segs: [{ vaddr: 0x8000_0000, flags: PF_X, data: code }], syms: [{ name: 'main', value: 1 }] }).bytes));
    expect(ok(elfImage(noHtif, RAM)).tohost).toBeUndefined();
  });

  it('ELF-4, ELF-1: global beats local on duplicate names; an HTIF word outside the segments is rejected', () => {
    // Falsified by a local symbol shadowing the global tohost, or by accepting a tohost whose
    // 8-byte word is not inside a loaded segment.
    const mk = (syms: BSym[]) => buildElf({ entry: 0x8000_0000, segs: [{ vaddr: 0x8000_0000, flags: PF_X | PF_W, data: code, memsz: 0x100 }], syms }).bytes;
    const dup = ok(parseElf(mk([{ name: 'tohost', value: 0x8000_0010, bind: 0 }, { name: 'tohost', value: 0x8000_0020 }, { name: 'tohost', value: 0x8000_0030, bind: 0 }])));
    expect(dup.symbols.get('tohost')).toBe(0x8000_0020);
    expect(loadErr(mk([{ name: 'tohost', value: 0x8000_00fc }]))).toBe('symbol tohost [0x800000fc, 0x80000104) lies outside every loaded segment');
    expect(loadErr(mk([{ name: 'fromhost', value: 0x1000 }]))).toBe('symbol fromhost [0x00001000, 0x00001008) lies outside every loaded segment');
  });
});

describe('ELF-5: totality and bounded work', () => {
  const BOUND_MS = 250;
  /** Parse (and load when accepted), checking the result shape and the time taken. */
  const total = (bytes: Uint8Array): Either<string, Elf> => {
    const t0 = performance.now();
    const r = parseElf(bytes);
    expect(r._tag === 'Left' || r._tag === 'Right').toBe(true);
    if (isLeft(r)) {
      expect(typeof r.left).toBe('string');
      expect(r.left).not.toMatch(/internal error/);
    } else {
      const img = elfImage(r.right, RAM);
      expect(img._tag === 'Left' || img._tag === 'Right').toBe(true);
      if (isLeft(img)) expect(img.left).not.toMatch(/internal error/);
    }
    expect(performance.now() - t0).toBeLessThan(BOUND_MS);
    return r;
  };

  it('ELF-5: random bytes never throw and answer quickly', () => {
    // Falsified by an exception, an "internal error" Left, a non-Either result, or a call slower
    // than BOUND_MS on up to 4 KiB of input (plain random, or behind a valid identification and
    // a RISC-V executable header so that the tables are reached).
    const header = sample().bytes.slice(0, 52);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), (r, withHeader) => {
      if (!withHeader) { total(r); return; }
      const b = new Uint8Array(52 + r.length);
      b.set(header); b.set(r, 52);
      total(b);
    }), { numRuns: RUNS });
  });

  it('ELF-5: mutated valid ELFs (byte flips, 32-bit field overwrites) never throw', () => {
    // Falsified by an exception, an "internal error" Left or a slow call for any mutation of the
    // sample or of a committed guest.
    const bases = [sample().bytes];
    const guestDir = join(ROOT, 'guests');
    if (existsSync(guestDir)) {
      const g = readdirSync(guestDir).filter((f) => f.endsWith('.elf')).sort()[0];
      if (g !== undefined) bases.push(new Uint8Array(readFileSync(join(guestDir, g))));
    }
    const u32 = fc.oneof(fc.nat({ max: 0xffffffff }), fc.constantFrom(0, 1, 0xffff, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff));
    const flip = fc.record({ pos: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) });
    const field = fc.record({ pos: fc.nat(), value: u32, aligned: fc.boolean() });
    fc.assert(fc.property(fc.nat(), fc.array(flip, { maxLength: 8 }), fc.array(field, { maxLength: 4 }), (bi, flips, fields) => {
      let b: Uint8Array = bases[bi % bases.length]!.slice();
      for (const f of flips) { const p = f.pos % b.length; b[p] = b[p]! ^ f.xor; }
      // Header and table fields are the interesting targets: bias half the writes into the first 256 bytes.
      for (const f of fields) {
        const lim = f.aligned ? Math.min(256, b.length) : b.length;
        b = put32(b, (f.pos % (lim - 3)) & (f.aligned ? ~3 : ~0), f.value);
      }
      total(b);
    }), { numRuns: RUNS });
  });

  it('ELF-5, ELF-2: every truncation of a valid ELF is a "truncated" Left', () => {
    // Falsified by a prefix of a valid file that is accepted, throws, or is rejected for another
    // reason (this builder and the linker put the section header table last, so every cut loses
    // bytes that a header names). Exhaustive for the sample; random cuts of the committed guests.
    const s = sample().bytes;
    for (let n = 1; n < s.length; n++) expect(errOf(total(s.subarray(0, n))), `cut at ${n}`).toMatch(/^truncated: /);
    const guestDir = join(ROOT, 'guests');
    const gs = existsSync(guestDir) ? readdirSync(guestDir).filter((f) => f.endsWith('.elf')).map((f) => new Uint8Array(readFileSync(join(guestDir, f)))) : [];
    if (gs.length > 0) {
      fc.assert(fc.property(fc.nat(), fc.nat(), (gi, cut) => {
        const g = gs[gi % gs.length]!;
        expect(errOf(total(g.subarray(0, 1 + (cut % (g.length - 1)))))).toMatch(/^truncated: /);
      }), { numRuns: RUNS });
    }
  });

  it('ELF-5: hostile counts and sizes cost linear time', () => {
    // Falsified by a slow call (quadratic or unbounded work) on: 65534 program headers in a 2 MiB
    // file, a 1 MiB symbol table whose 65535 symbols all name the same long string, and the same
    // table with every symbol naming a different suffix of that string (name budget).
    const BIG = 2 * 1024 * 1024;
    const t0 = performance.now();
    const many = new Uint8Array(BIG);
    many.set(sample().bytes.slice(0, 52));
    const phdrs = put16(put32(put32(many, 28, 52), 32, 0), 44, 65534);
    const r1 = parseElf(put16(phdrs, 48, 0)); // 65534 PT_NULL headers of zeros: accepted, no sections
    expect(isRight(r1) && r1.right.segments.length).toBe(65534);
    expect(performance.now() - t0).toBeLessThan(2000);

    // A file whose symbol table covers 1 MiB and whose string table is 512 KiB of 'a' then NUL.
    const nsym = 65536, strsize = 512 * 1024;
    const symoff = 64, stroff = symoff + nsym * SYM, shoff = stroff + strsize;
    const f = new Uint8Array(shoff + 3 * SHDR);
    f.set(sample().bytes.slice(0, 52));
    const dv = new DataView(f.buffer);
    dv.setUint32(28, 0, true); dv.setUint16(44, 0, true); dv.setUint32(32, shoff, true); dv.setUint16(48, 3, true);
    f.fill(0x61, stroff, stroff + strsize - 1);
    const sh = (i: number, type: number, off: number, size: number, link: number, ent: number) => {
      const p = shoff + i * SHDR;
      dv.setUint32(p + 4, type, true); dv.setUint32(p + 16, off, true); dv.setUint32(p + 20, size, true);
      dv.setUint32(p + 24, link, true); dv.setUint32(p + 36, ent, true);
    };
    sh(1, 2, symoff, nsym * SYM, 2, SYM);
    sh(2, 3, stroff, strsize, 0, 0);
    for (let i = 1; i < nsym; i++) { dv.setUint32(symoff + i * SYM, 0, true); dv.setUint16(symoff + i * SYM + 14, SHN_ABS, true); dv.setUint8(symoff + i * SYM + 12, 0x10); }
    const t1 = performance.now();
    const same = ok(parseElf(f));
    expect(same.symbols.size).toBe(1);
    for (let i = 1; i < nsym; i++) dv.setUint32(symoff + i * SYM, i, true);
    expect(parseErr(f)).toMatch(/^symbol \d+: symbol names overlap excessively/);
    expect(performance.now() - t1).toBeLessThan(3000);
  });

  it('ELF-5: elfImage never throws on arbitrary Elf values', () => {
    // Falsified by an exception from elfImage for hand-made (not parsed) values, including
    // inconsistent ones (data length ≠ filesz, filesz > memsz, entry anywhere).
    const seg = fc.record({
      type: fc.constantFrom(0, 1, 1, 4), paddr: fc.nat({ max: 0xffffffff }), vaddr: fc.nat({ max: 0xffffffff }),
      filesz: fc.nat({ max: 64 }), memsz: fc.nat({ max: 0xffffffff }), flags: fc.nat({ max: 7 }), data: fc.uint8Array({ maxLength: 64 }),
    });
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), fc.array(seg, { maxLength: 5 }), fc.dictionary(fc.constantFrom('tohost', 'fromhost', 'x'), fc.nat({ max: 0xffffffff })),
      (entry, segments, syms) => {
        const r = elfImage({ entry, segments, symbols: new Map(Object.entries(syms)) }, RAM);
        expect(r._tag === 'Left' || r._tag === 'Right').toBe(true);
        if (isLeft(r)) expect(r.left).not.toMatch(/internal error/);
      }), { numRuns: RUNS });
  });

  it('ELF-5: an unreadable file is a one-line Left naming the path', () => {
    // Falsified by an exception or a message without the path and reason.
    const missing = join(ROOT, 'properties', 'fixtures', 'no-such-file.elf');
    expect(errOf(loadElfFile(missing, RAM))).toBe(`cannot read ${missing}: no such file or directory`);
    expect(errOf(loadElfFile(ROOT, RAM))).toBe(`cannot read ${ROOT}: is a directory`);
    expect(errOf(loadElfFile(join(ROOT, 'package.json'), RAM))).toBe(`${join(ROOT, 'package.json')}: not an ELF file (bad magic)`);
  });
});
