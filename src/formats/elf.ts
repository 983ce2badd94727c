/**
 * ELF32 loader for little-endian RISC-V executables (ELF-1 … ELF-5, spec/elf.md).
 *
 * The file is decoded at the edge: each fixed-size structure (identification, file header,
 * program header, section header, symbol) is read into a plain record of unsigned numbers by a
 * layout table, then validated by an io-ts codec whose single-field rules carry the one-line
 * rejection messages of ELF-2; rules that relate several fields or the file size are checked in
 * an fp-ts `Either` pipeline. Nothing here throws (ELF-5): every input yields `Left` or `Right`.
 *
 * All values are plain numbers below 2^32, so sums of two or three of them are exact (< 2^53) and
 * no offset arithmetic can overflow. Every loop is bounded by a count that has first been checked
 * against the file size, so work is linear in the input.
 */
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { readFileSync } from 'node:fs';
import type { Image } from '../machine/machine.js';
import { formatErrors } from './errors.js';

type Either<L, R> = E.Either<L, R>;

/** One program header, with the file bytes it names (a view into the parsed buffer, no copy). */
export interface ElfSegment {
  /** p_type: 1 = PT_LOAD; other types are kept but never loaded. */
  type: number;
  paddr: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  /** p_flags: PF_X = 1, PF_W = 2, PF_R = 4. */
  flags: number;
  /** The p_filesz bytes at p_offset (empty for PT_NULL). */
  data: Uint8Array;
}

/** A parsed executable. `segments[i]` is program header i. */
export interface Elf {
  entry: number;
  segments: ElfSegment[];
  /** Defined, named symbols of SHT_SYMTAB (ELF-4 says which ones win on duplicate names). */
  symbols: Map<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Constants (gABI ELF32; RISC-V psABI)

const ELF_MAGIC = 0x464c457f; // "\x7fELF" read as a little-endian u32
const EI_NIDENT = 16;
const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const SHDR_SIZE = 40;
const SYM_SIZE = 16;
const ELFCLASS32 = 1, ELFCLASS64 = 2;
const ELFDATA2LSB = 1, ELFDATA2MSB = 2;
const EV_CURRENT = 1;
const ET_EXEC = 2;
const EM_RISCV = 243;
const PN_XNUM = 0xffff;
const PT_NULL = 0, PT_LOAD = 1, PT_INTERP = 3;
const PF_X = 1;
const SHT_NULL = 0, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOBITS = 8;
const SHN_UNDEF = 0, SHN_LORESERVE = 0xff00;
const STT_SECTION = 3, STT_FILE = 4;
const STB_GLOBAL = 1, STB_WEAK = 2;
/** HTIF words are 64-bit (DEV-HTIF-1). */
const HTIF_WORD = 8;

const ET_NAMES: Record<number, string> = {
  0: 'ET_NONE, no file type', 1: 'ET_REL, a relocatable object: link it first',
  3: 'ET_DYN, a shared object or PIE: link with -static -no-pie', 4: 'ET_CORE, a core dump',
};
const EM_NAMES: Record<number, string> = {
  0: 'none', 2: 'SPARC', 3: 'x86', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390',
  40: 'ARM', 42: 'SuperH', 43: 'SPARC V9', 50: 'IA-64', 62: 'x86-64', 183: 'AArch64',
  247: 'BPF', 258: 'LoongArch',
};

export const hex = (n: number): string => '0x' + n.toString(16).padStart(8, '0');

// ---------------------------------------------------------------------------------------------
// Layouts and codecs

/** [field, byte offset within the structure, width in bytes]; all fields little-endian unsigned. */
type Layout<K extends string> = ReadonlyArray<readonly [K, number, 1 | 2 | 4]>;

function readStruct<K extends string>(v: DataView, base: number, layout: Layout<K>): Record<K, number> {
  const r = {} as Record<K, number>;
  for (const [k, off, w] of layout) {
    const p = base + off;
    r[k] = w === 1 ? v.getUint8(p) : w === 2 ? v.getUint16(p, true) : v.getUint32(p, true);
  }
  return r;
}

const isUint = (u: unknown, max: number): u is number =>
  typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= max;

/** An unsigned field of `max` range. */
const uint = (name: string, max: number) => new t.Type<number, number, unknown>(
  name, (u): u is number => isUint(u, max),
  (u, c) => (isUint(u, max) ? t.success(u) : t.failure(u, c)), (a) => a,
);
const U8 = uint('u8', 0xff), U16 = uint('u16', 0xffff), U32 = uint('u32', 0xffffffff);

/** A field that must satisfy `ok`; otherwise it fails with the ELF-2 message `msg(value)`. */
const must = (name: string, base: t.Type<number, number, unknown>, ok: (n: number) => boolean, msg: (n: number) => string) =>
  new t.Type<number, number, unknown>(
    name, (u): u is number => base.is(u) && ok(u),
    (u, c) => (base.is(u) ? (ok(u) ? t.success(u) : t.failure(u, c, msg(u))) : t.failure(u, c)), (a) => a,
  );

/** Decode with `codec`: the first failure's own message, else the io-ts rendering. */
const decodeWith = <A>(codec: t.Decoder<unknown, A>, u: unknown): Either<string, A> =>
  pipe(codec.decode(u), E.mapLeft((errs) => errs.find((e) => e.message !== undefined)?.message ?? formatErrors(errs)));

const IDENT_LAYOUT = [['ei_class', 4, 1], ['ei_data', 5, 1], ['ei_version', 6, 1]] as const;
/** ELF-2 (identification). Fields are checked in this order. */
const IdentCodec = t.type({
  ei_class: must('EI_CLASS', U8, (n) => n === ELFCLASS32,
    (n) => (n === ELFCLASS64 ? 'ELF class 64: popek loads ELF32 only' : `invalid ELF class ${n} (EI_CLASS must be 1, ELFCLASS32)`)),
  ei_data: must('EI_DATA', U8, (n) => n === ELFDATA2LSB,
    (n) => (n === ELFDATA2MSB ? 'big-endian ELF: popek loads little-endian only' : `invalid ELF data encoding ${n} (EI_DATA must be 1, ELFDATA2LSB)`)),
  ei_version: must('EI_VERSION', U8, (n) => n === EV_CURRENT, (n) => `unsupported ELF identification version ${n} (EI_VERSION must be 1)`),
});

const EHDR_LAYOUT = [
  ['e_type', 16, 2], ['e_machine', 18, 2], ['e_version', 20, 4], ['e_entry', 24, 4], ['e_phoff', 28, 4],
  ['e_shoff', 32, 4], ['e_flags', 36, 4], ['e_ehsize', 40, 2], ['e_phentsize', 42, 2], ['e_phnum', 44, 2],
  ['e_shentsize', 46, 2], ['e_shnum', 48, 2], ['e_shstrndx', 50, 2],
] as const;
/** ELF-2 (file header, single fields). Cross-field and bounds rules follow in `checkTables`. */
const HeaderCodec = t.type({
  e_type: must('e_type', U16, (n) => n === ET_EXEC,
    (n) => `not an executable (e_type ${n}${ET_NAMES[n] !== undefined ? `, ${ET_NAMES[n]}` : ''})`),
  e_machine: must('e_machine', U16, (n) => n === EM_RISCV,
    (n) => `machine ${n}${EM_NAMES[n] !== undefined ? ` (${EM_NAMES[n]})` : ''}: not RISC-V (${EM_RISCV})`),
  e_version: must('e_version', U32, (n) => n === EV_CURRENT, (n) => `unsupported ELF version ${n} (e_version must be 1)`),
  e_entry: U32,
  e_phoff: U32,
  e_shoff: U32,
  e_ehsize: must('e_ehsize', U16, (n) => n === EHDR_SIZE, (n) => `e_ehsize ${n}: an ELF32 header is ${EHDR_SIZE} bytes`),
  e_phentsize: U16,
  e_phnum: must('e_phnum', U16, (n) => n !== PN_XNUM,
    () => `e_phnum 0xffff (PN_XNUM, extended program header numbering) is not supported`),
  e_shentsize: U16,
  e_shnum: U16,
});
type Header = t.TypeOf<typeof HeaderCodec>;

const PHDR_LAYOUT = [
  ['p_type', 0, 4], ['p_offset', 4, 4], ['p_vaddr', 8, 4], ['p_paddr', 12, 4],
  ['p_filesz', 16, 4], ['p_memsz', 20, 4], ['p_flags', 24, 4],
] as const;
const PhdrCodec = t.type({ p_type: U32, p_offset: U32, p_vaddr: U32, p_paddr: U32, p_filesz: U32, p_memsz: U32, p_flags: U32 });
type Phdr = t.TypeOf<typeof PhdrCodec>;

const SHDR_LAYOUT = [['sh_type', 4, 4], ['sh_offset', 16, 4], ['sh_size', 20, 4], ['sh_link', 24, 4], ['sh_entsize', 36, 4]] as const;
const ShdrCodec = t.type({ sh_type: U32, sh_offset: U32, sh_size: U32, sh_link: U32, sh_entsize: U32 });
type Shdr = t.TypeOf<typeof ShdrCodec>;

const SYM_LAYOUT = [['st_name', 0, 4], ['st_value', 4, 4], ['st_info', 12, 1], ['st_shndx', 14, 2]] as const;
const SymCodec = t.type({ st_name: U32, st_value: U32, st_info: U8, st_shndx: U16 });

// ---------------------------------------------------------------------------------------------
// Parsing

/** ELF-2: a table of `num` entries of `size` bytes at `off` must lie inside the file. */
function tableInFile(what: string, off: number, num: number, size: number, len: number): Either<string, void> {
  if (num === 0 || off + num * size <= len) return E.right(undefined);
  const i = off >= len ? 0 : Math.floor((len - off) / size); // the first entry that does not fit; i < num
  return E.left(`truncated: ${what} ${i} extends past end of file (offset ${hex(off + i * size)}, file size ${len})`);
}

/** ELF-2: a byte range named by a header must lie inside the file. */
function rangeInFile(what: string, off: number, size: number, len: number): Either<string, void> {
  return off + size <= len ? E.right(undefined)
    : E.left(`truncated: ${what} [${hex(off)}, ${hex(off + size)}) extends past end of file (file size ${len})`);
}

/** ELF-2: the identification bytes (magic, class, data encoding, version). */
function checkIdent(bytes: Uint8Array, v: DataView): Either<string, void> {
  const magic = [0x7f, 0x45, 0x4c, 0x46];
  const n = Math.min(bytes.length, 4);
  for (let i = 0; i < n; i++) if (bytes[i] !== magic[i]) return E.left('not an ELF file (bad magic)');
  if (bytes.length < EI_NIDENT) {
    return E.left(bytes.length === 0 ? 'not an ELF file (empty)'
      : `truncated: ${bytes.length} bytes, the ELF identification needs ${EI_NIDENT}`);
  }
  if (v.getUint32(0, true) !== ELF_MAGIC) return E.left('not an ELF file (bad magic)');
  return pipe(decodeWith(IdentCodec, readStruct(v, 0, IDENT_LAYOUT)), E.map(() => undefined));
}

/** ELF-2: entry sizes, table offsets and table bounds of the file header. */
function checkTables(h: Header, len: number): Either<string, Header> {
  if (h.e_phnum > 0 && h.e_phentsize !== PHDR_SIZE) return E.left(`e_phentsize ${h.e_phentsize}: ELF32 program headers are ${PHDR_SIZE} bytes`);
  if (h.e_phnum > 0 && h.e_phoff === 0) return E.left(`e_phnum ${h.e_phnum} but e_phoff is 0 (no program header table)`);
  if (h.e_shnum === 0 && h.e_shoff !== 0) return E.left(`e_shnum 0 with e_shoff ${hex(h.e_shoff)} (extended section numbering) is not supported`);
  if (h.e_shnum > 0 && h.e_shoff === 0) return E.left(`e_shnum ${h.e_shnum} but e_shoff is 0 (no section header table)`);
  if (h.e_shnum > 0 && h.e_shentsize !== SHDR_SIZE) return E.left(`e_shentsize ${h.e_shentsize}: ELF32 section headers are ${SHDR_SIZE} bytes`);
  return pipe(
    tableInFile('program header', h.e_phoff, h.e_phnum, PHDR_SIZE, len),
    E.chain(() => tableInFile('section header', h.e_shoff, h.e_shnum, SHDR_SIZE, len)),
    E.map(() => h),
  );
}

/** ELF-2: program headers — file bounds of each segment's bytes, filesz ≤ memsz, no wrap, no PT_INTERP. */
function readSegments(bytes: Uint8Array, v: DataView, h: Header): Either<string, ElfSegment[]> {
  const out: ElfSegment[] = [];
  for (let i = 0; i < h.e_phnum; i++) {
    const r = decodeWith(PhdrCodec, readStruct(v, h.e_phoff + i * PHDR_SIZE, PHDR_LAYOUT));
    if (E.isLeft(r)) return E.left(`program header ${i}: ${r.left}`);
    const p: Phdr = r.right;
    if (p.p_type === PT_INTERP) return E.left(`segment ${i}: PT_INTERP asks for a dynamic linker; popek loads static executables only`);
    if (p.p_type !== PT_NULL) {
      const inFile = rangeInFile(`segment ${i} file data`, p.p_offset, p.p_filesz, bytes.length);
      if (E.isLeft(inFile)) return inFile;
    }
    if (p.p_type === PT_LOAD) {
      if (p.p_filesz > p.p_memsz) return E.left(`segment ${i}: filesz > memsz (${hex(p.p_filesz)} > ${hex(p.p_memsz)})`);
      if (p.p_paddr + p.p_memsz > 2 ** 32) return E.left(`segment ${i}: paddr ${hex(p.p_paddr)} + memsz ${hex(p.p_memsz)} wraps past 2^32`);
      if (p.p_vaddr + p.p_memsz > 2 ** 32) return E.left(`segment ${i}: vaddr ${hex(p.p_vaddr)} + memsz ${hex(p.p_memsz)} wraps past 2^32`);
    }
    out.push({
      type: p.p_type, paddr: p.p_paddr, vaddr: p.p_vaddr, filesz: p.p_filesz, memsz: p.p_memsz, flags: p.p_flags,
      data: p.p_type === PT_NULL ? new Uint8Array(0) : bytes.subarray(p.p_offset, p.p_offset + p.p_filesz),
    });
  }
  return E.right(out);
}

/** ELF-2: section headers — file bounds of every section with file contents. */
function readSections(bytes: Uint8Array, v: DataView, h: Header): Either<string, Shdr[]> {
  const out: Shdr[] = [];
  for (let i = 0; i < h.e_shnum; i++) {
    const r = decodeWith(ShdrCodec, readStruct(v, h.e_shoff + i * SHDR_SIZE, SHDR_LAYOUT));
    if (E.isLeft(r)) return E.left(`section header ${i}: ${r.left}`);
    const s = r.right;
    if (s.sh_type !== SHT_NULL && s.sh_type !== SHT_NOBITS) {
      const inFile = rangeInFile(`section ${i}`, s.sh_offset, s.sh_size, bytes.length);
      if (E.isLeft(inFile)) return inFile;
    }
    out.push(s);
  }
  return E.right(out);
}

const bindRank = (info: number): number => {
  const b = info >> 4;
  return b === STB_GLOBAL ? 2 : b === STB_WEAK ? 1 : 0;
};

/**
 * ELF-2/ELF-4: the first SHT_SYMTAB and its sh_link string table. Names are NUL-terminated inside
 * the string table (its last byte must be NUL). Work is linear: the entry count is bounded by the
 * (already bounds-checked) section size, each distinct name offset is decoded once, and the bytes
 * of all distinct names together may not exceed a budget proportional to the string table.
 */
function readSymbols(bytes: Uint8Array, v: DataView, secs: Shdr[]): Either<string, Map<string, number>> {
  const symbols = new Map<string, number>();
  const si = secs.findIndex((s) => s.sh_type === SHT_SYMTAB);
  const st = secs[si];
  if (st === undefined) return E.right(symbols);
  if (st.sh_entsize !== SYM_SIZE) return E.left(`symbol table (section ${si}): sh_entsize ${st.sh_entsize}, ELF32 symbols are ${SYM_SIZE} bytes`);
  if (st.sh_size % SYM_SIZE !== 0) return E.left(`symbol table (section ${si}): sh_size ${st.sh_size} is not a multiple of ${SYM_SIZE}`);
  const str = secs[st.sh_link];
  if (str === undefined) return E.left(`symbol table (section ${si}): sh_link ${st.sh_link} is not a section (e_shnum ${secs.length})`);
  if (str.sh_type !== SHT_STRTAB) return E.left(`symbol table (section ${si}): sh_link ${st.sh_link} is not a string table (sh_type ${str.sh_type})`);
  const n = st.sh_size / SYM_SIZE;
  if (n <= 1) return E.right(symbols);
  const strtab = bytes.subarray(str.sh_offset, str.sh_offset + str.sh_size);
  if (strtab.length === 0 || strtab[strtab.length - 1] !== 0) {
    return E.left(`string table (section ${st.sh_link}): does not end with a NUL byte`);
  }
  const decoder = new TextDecoder('utf-8');
  const names = new Map<number, string>();
  let budget = 8 * strtab.length + 65536;
  const rank = new Map<string, number>();
  for (let i = 1; i < n; i++) { // entry 0 is the reserved undefined symbol
    const r = decodeWith(SymCodec, readStruct(v, st.sh_offset + i * SYM_SIZE, SYM_LAYOUT));
    if (E.isLeft(r)) return E.left(`symbol ${i}: ${r.left}`);
    const s = r.right;
    if (s.st_name >= strtab.length) return E.left(`symbol ${i}: name offset ${hex(s.st_name)} past end of string table (size ${strtab.length})`);
    if (s.st_shndx !== SHN_UNDEF && s.st_shndx < SHN_LORESERVE && s.st_shndx >= secs.length) {
      return E.left(`symbol ${i}: section index ${s.st_shndx} out of range (e_shnum ${secs.length})`);
    }
    const type = s.st_info & 0xf;
    if (s.st_shndx === SHN_UNDEF || type === STT_SECTION || type === STT_FILE) continue;
    let name = names.get(s.st_name);
    if (name === undefined) {
      const end = strtab.indexOf(0, s.st_name); // found: the last byte is NUL
      budget -= end - s.st_name + 1;
      if (budget < 0) return E.left(`symbol ${i}: symbol names overlap excessively (more than ${8 * strtab.length + 65536} bytes of names)`);
      name = decoder.decode(strtab.subarray(s.st_name, end));
      names.set(s.st_name, name);
    }
    if (name === '') continue;
    const rk = bindRank(s.st_info), old = rank.get(name);
    if (old === undefined || rk > old) {
      rank.set(name, rk);
      symbols.set(name, s.st_value);
    }
  }
  return E.right(symbols);
}

function parseUnsafe(bytes: Uint8Array): Either<string, Elf> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return pipe(
    checkIdent(bytes, v),
    E.chain(() => (bytes.length < EHDR_SIZE
      ? E.left(`truncated: ${bytes.length} bytes, the ELF header needs ${EHDR_SIZE}`)
      : decodeWith(HeaderCodec, readStruct(v, 0, EHDR_LAYOUT)))),
    E.chain((h) => checkTables(h, bytes.length)),
    E.chain((h) => pipe(
      readSegments(bytes, v, h),
      E.chain((segments) => pipe(
        readSections(bytes, v, h),
        E.chain((secs) => readSymbols(bytes, v, secs)),
        E.map((symbols): Elf => ({ entry: h.e_entry, segments, symbols })),
      )),
    )),
  );
}

const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * ELF-1/ELF-2/ELF-5: parse a little-endian ELF32 RISC-V executable. Never throws; segment `data`
 * are views into `bytes` (not copies).
 */
export function parseElf(bytes: Uint8Array): Either<string, Elf> {
  try {
    if (!(bytes instanceof Uint8Array)) return E.left('not an ELF file (input is not a byte array)');
    return parseUnsafe(bytes);
  } catch (e) {
    return E.left(`internal error while parsing ELF: ${describeError(e)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Loading

interface Loaded { i: number; s: ElfSegment }

/** The loaded segment (by virtual address) holding [va, va + size), if any. */
const holding = (loaded: readonly Loaded[], va: number, size: number, exec: boolean): Loaded | undefined =>
  loaded.find(({ s }) => (!exec || (s.flags & PF_X) !== 0) && s.vaddr <= va && va + size <= s.vaddr + s.memsz);

/** Virtual to physical through the segment holding the address (identity when vaddr = paddr). */
const toPhys = (l: Loaded, va: number): number => va - l.s.vaddr + l.s.paddr;

function symbolAddress(elf: Elf, loaded: readonly Loaded[], name: string): Either<string, number | undefined> {
  const va = elf.symbols.get(name);
  if (va === undefined) return E.right(undefined);
  const l = holding(loaded, va, HTIF_WORD, false);
  return l === undefined
    ? E.left(`symbol ${name} [${hex(va)}, ${hex(va + HTIF_WORD)}) lies outside every loaded segment`)
    : E.right(toPhys(l, va));
}

function imageUnsafe(elf: Elf, config: { ramBase: number; ramSize: number }): Either<string, Image> {
  const ramLo = config.ramBase, ramHi = config.ramBase + config.ramSize;
  const loaded: Loaded[] = [];
  elf.segments.forEach((s, i) => { if (s.type === PT_LOAD && s.memsz > 0) loaded.push({ i, s }); });
  for (const { i, s } of loaded) {
    // Bounds first: nothing is allocated, whatever memsz claims (ELF-5).
    if (!(s.paddr >= ramLo && s.paddr + s.memsz <= ramHi)) {
      return E.left(`segment ${i} [${hex(s.paddr)}, ${hex(s.paddr + s.memsz)}) lies outside RAM [${hex(ramLo)}, ${hex(ramHi)})`);
    }
    if (s.filesz > s.memsz) return E.left(`segment ${i}: filesz > memsz (${hex(s.filesz)} > ${hex(s.memsz)})`);
    if (s.data.length !== s.filesz) return E.left(`segment ${i}: has ${s.data.length} data bytes but filesz ${s.filesz}`);
  }
  const byAddr = [...loaded].sort((a, b) => a.s.paddr - b.s.paddr);
  for (let k = 1; k < byAddr.length; k++) {
    const a = byAddr[k - 1]!, b = byAddr[k]!;
    if (a.s.paddr + a.s.memsz > b.s.paddr) {
      return E.left(`segments ${Math.min(a.i, b.i)} and ${Math.max(a.i, b.i)} overlap at ${hex(b.s.paddr)}`);
    }
  }
  const ex = holding(loaded, elf.entry, 1, true);
  if (ex === undefined) return E.left(`entry ${hex(elf.entry)} lies outside every executable loaded segment`);
  return pipe(
    symbolAddress(elf, loaded, 'tohost'),
    E.chain((tohost) => pipe(
      symbolAddress(elf, loaded, 'fromhost'),
      E.map((fromhost): Image => ({
        // ELF-3: only the p_filesz file bytes; the zero fill up to p_memsz is RAM's reset value.
        segments: loaded.map(({ s }) => ({ addr: s.paddr, bytes: s.data })),
        entry: toPhys(ex, elf.entry),
        tohost,
        fromhost,
      })),
    )),
  );
}

/** ELF-3/ELF-4: the image to load into a machine with RAM [ramBase, ramBase + ramSize). Never throws. */
export function elfImage(elf: Elf, config: { ramBase: number; ramSize: number }): Either<string, Image> {
  try {
    return imageUnsafe(elf, config);
  } catch (e) {
    return E.left(`internal error while loading ELF: ${describeError(e)}`);
  }
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory',
  ENOTDIR: 'a path component is not a directory', ERR_FS_FILE_TOO_LARGE: 'file too large',
};

/** Read, parse and load an ELF file. Errors are one line: "cannot read PATH: reason" or "PATH: reason". */
export function loadElfFile(path: string, config: { ramBase: number; ramSize: number }): Either<string, { elf: Elf; image: Image }> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const reason = typeof code === 'string' && FS_REASONS[code] !== undefined ? FS_REASONS[code] : describeError(e);
    return E.left(`cannot read ${path}: ${reason}`);
  }
  return pipe(
    parseElf(bytes),
    E.chain((elf) => pipe(elfImage(elf, config), E.map((image) => ({ elf, image })))),
    E.mapLeft((msg) => `${path}: ${msg}`),
  );
}
