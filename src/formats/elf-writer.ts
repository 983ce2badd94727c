/**
 * A minimal ELF32 writer for little-endian RISC-V executables (QDIFF-ELF-1 in spec/qemu-deviations.md): the inverse of what
 * `parseElf` accepts. It writes an ELF header, one PT_LOAD program header per segment, the segment
 * bytes, and, when symbols are given, a section table with .symtab, .strtab and .shstrtab (so that
 * `tohost`/`fromhost` can be named for HTIF). Segments are identity-mapped (p_vaddr = p_paddr).
 *
 * Layout: [ELF header][program headers][segment data, each 4-byte aligned][.strtab][.symtab]
 * [.shstrtab][section headers]. Nothing is compressed or merged: a segment's p_filesz is its byte
 * count and p_memsz its byte count plus the requested zero fill.
 */

export interface ElfWriteSegment {
  /** Load address (physical = virtual). */
  addr: number;
  bytes: Uint8Array;
  /** Extra zero-filled bytes after `bytes` (p_memsz - p_filesz). Default 0. */
  zeroFill?: number;
  /** p_flags: PF_X = 1, PF_W = 2, PF_R = 4. Default R|W|X. */
  flags?: number;
}

export interface ElfWriteSpec {
  entry: number;
  segments: readonly ElfWriteSegment[];
  /** Global symbols (name → address), e.g. tohost. Omitted or empty: no section table. */
  symbols?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
}

const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const SHDR_SIZE = 40;
const SYM_SIZE = 16;
const PT_LOAD = 1;
const SHT_SYMTAB = 2, SHT_STRTAB = 3;
const STB_GLOBAL = 1, STT_NOTYPE = 0;
const SHN_ABS = 0xfff1;

const align4 = (n: number): number => (n + 3) & ~3;

/** QDIFF-ELF-1: an ELF32 image that `parseElf` reads back as the same entry, segments and symbols. */
export function writeElf(spec: ElfWriteSpec): Uint8Array {
  const segs = spec.segments;
  const symbols = spec.symbols === undefined ? [] : spec.symbols instanceof Map
    ? [...spec.symbols.entries()] : Object.entries(spec.symbols as Record<string, number>);
  const phoff = EHDR_SIZE;
  let off = phoff + PHDR_SIZE * segs.length;
  const dataOff: number[] = [];
  for (const s of segs) { off = align4(off); dataOff.push(off); off += s.bytes.length; }

  // Symbol and section-name string tables.
  let strtab = new Uint8Array(0), symtab = new Uint8Array(0), shstrtab = new Uint8Array(0);
  const shName = { symtab: 0, strtab: 0, shstrtab: 0 };
  if (symbols.length > 0) {
    const names: number[] = [];
    const parts: number[] = [0];
    for (const [name] of symbols) {
      names.push(parts.length);
      for (const ch of Buffer.from(name, 'utf8')) parts.push(ch);
      parts.push(0);
    }
    strtab = Uint8Array.from(parts);
    symtab = new Uint8Array(SYM_SIZE * (symbols.length + 1));
    const sv = new DataView(symtab.buffer);
    symbols.forEach(([, addr], i) => {
      const o = SYM_SIZE * (i + 1);
      sv.setUint32(o, names[i]!, true);
      sv.setUint32(o + 4, addr >>> 0, true);
      sv.setUint32(o + 8, 0, true);
      sv.setUint8(o + 12, (STB_GLOBAL << 4) | STT_NOTYPE);
      sv.setUint8(o + 13, 0);
      sv.setUint16(o + 14, SHN_ABS, true);
    });
    const sh: number[] = [0];
    const add = (s: string): number => { const at = sh.length; for (const ch of Buffer.from(s)) sh.push(ch); sh.push(0); return at; };
    shName.symtab = add('.symtab');
    shName.strtab = add('.strtab');
    shName.shstrtab = add('.shstrtab');
    shstrtab = Uint8Array.from(sh);
  }
  const strOff = align4(off);
  const symOff = align4(strOff + strtab.length);
  const shstrOff = align4(symOff + symtab.length);
  const shoff = symbols.length > 0 ? align4(shstrOff + shstrtab.length) : 0;
  const shnum = symbols.length > 0 ? 4 : 0;
  const total = symbols.length > 0 ? shoff + SHDR_SIZE * shnum : align4(off);

  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  // e_ident
  out.set([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1 /* LSB */, 1 /* EV_CURRENT */, 0 /* SYSV */], 0);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 243, true); // EM_RISCV
  v.setUint32(20, 1, true); // e_version
  v.setUint32(24, spec.entry >>> 0, true);
  v.setUint32(28, segs.length > 0 ? phoff : 0, true);
  v.setUint32(32, shoff, true);
  v.setUint32(36, 0, true); // e_flags: no RVC, soft-float ABI
  v.setUint16(40, EHDR_SIZE, true);
  v.setUint16(42, PHDR_SIZE, true);
  v.setUint16(44, segs.length, true);
  v.setUint16(46, SHDR_SIZE, true);
  v.setUint16(48, shnum, true);
  v.setUint16(50, shnum > 0 ? 3 : 0, true); // e_shstrndx

  segs.forEach((s, i) => {
    const p = phoff + PHDR_SIZE * i;
    v.setUint32(p, PT_LOAD, true);
    v.setUint32(p + 4, dataOff[i]!, true);
    v.setUint32(p + 8, s.addr >>> 0, true);
    v.setUint32(p + 12, s.addr >>> 0, true);
    v.setUint32(p + 16, s.bytes.length, true);
    v.setUint32(p + 20, s.bytes.length + (s.zeroFill ?? 0), true);
    v.setUint32(p + 24, s.flags ?? 7, true);
    v.setUint32(p + 28, 4, true);
    out.set(s.bytes, dataOff[i]!);
  });

  if (shnum > 0) {
    out.set(strtab, strOff);
    out.set(symtab, symOff);
    out.set(shstrtab, shstrOff);
    const sec = (k: number, name: number, type: number, offset: number, size: number, link: number, info: number, entsize: number): void => {
      const o = shoff + SHDR_SIZE * k;
      v.setUint32(o, name, true);
      v.setUint32(o + 4, type, true);
      v.setUint32(o + 16, offset, true);
      v.setUint32(o + 20, size, true);
      v.setUint32(o + 24, link, true);
      v.setUint32(o + 28, info, true);
      v.setUint32(o + 32, 4, true);
      v.setUint32(o + 36, entsize, true);
    };
    // Section 0 is the null section (all zero).
    sec(1, shName.symtab, SHT_SYMTAB, symOff, symtab.length, 2, 1, SYM_SIZE);
    sec(2, shName.strtab, SHT_STRTAB, strOff, strtab.length, 0, 0, 0);
    sec(3, shName.shstrtab, SHT_STRTAB, shstrOff, shstrtab.length, 0, 0, 0);
  }
  return out;
}
