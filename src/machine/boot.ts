/**
 * Building a machine from user inputs (BOOT-*): a config file, an ISA string, ELF files. Every
 * failure is a one-line message (Left), never an exception.
 */
import { readFileSync } from 'node:fs';
import { type Either, left, right, isLeft } from 'fp-ts/lib/Either.js';
import { type Config, DEFAULT_CONFIG, decodeConfig } from './config.js';
import { parseIsa, type IsaSet } from './isa-string.js';
import { createMachine, type Image, type Machine } from './machine.js';
import { loadElfFile } from '../formats/elf.js';
import { dtbAddress, platformDtb } from './devicetree.js';
import { wordsToBytes } from './program.js';

export interface BootSpec {
  kernel: string;
  /** Firmware ELF started first, as QEMU's -bios (the kernel is then only loaded). */
  bios?: string | undefined;
  configPath?: string | undefined;
  isa?: string | undefined;
  /** Bytes for the UART receive queue. */
  input?: Uint8Array | undefined;
}

/** Read and decode a JSON config file (defaults for missing keys). */
export function readConfig(path: string | undefined): Either<string, Config> {
  if (path === undefined) return right(DEFAULT_CONFIG);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return left(`cannot read config ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return left(`config ${path}: not JSON (${(e as Error).message})`);
  }
  const r = decodeConfig(json);
  return r.ok ? right(r.config) : left(`${path}: ${r.error}`);
}

export interface Loaded {
  config: Config;
  isa: IsaSet;
  image: Image;
  symbols: Map<string, number>;
  /** With --bios: the kernel's entry, passed to the firmware in its dynamic-info block. */
  next?: number;
}

/** BOOT-1: decode the config and ISA and load the kernel ELF, without building a machine yet. */
export function loadProgram(spec: BootSpec): Either<string, Loaded> {
  const cfg = readConfig(spec.configPath);
  if (isLeft(cfg)) return cfg;
  const config = spec.isa !== undefined ? { ...cfg.right, isa: spec.isa } : cfg.right;
  const isa = parseIsa(config.isa);
  if (!isa.ok) return left(isa.error);
  const loaded = loadElfFile(spec.kernel, config);
  if (isLeft(loaded)) return left(`${spec.kernel}: ${loaded.left}`);
  const k = loaded.right;
  if (spec.bios === undefined) return right({ config, isa: isa.isa, image: k.image, symbols: k.elf.symbols });
  // BOOT-BIOS: firmware and kernel both at their link addresses; the firmware starts.
  const fw = loadElfFile(spec.bios, config);
  if (isLeft(fw)) return left(`${spec.bios}: ${fw.left}`);
  const f = fw.right;
  const clash = overlap(f.image.segments, k.image.segments);
  if (clash !== null) return left(`${spec.bios} and ${spec.kernel} overlap at ${hex(clash)}`);
  const image: Image = {
    segments: [...f.image.segments, ...k.image.segments],
    entry: f.image.entry,
    tohost: f.image.tohost ?? k.image.tohost,
    fromhost: f.image.fromhost ?? k.image.fromhost,
  };
  return right({ config, isa: isa.isa, image, symbols: new Map([...k.elf.symbols, ...f.elf.symbols]), next: k.image.entry });
}

const hex = (x: number): string => '0x' + x.toString(16).padStart(8, '0');

/** The first address where two sets of segments overlap, or null. */
function overlap(a: Image['segments'], b: Image['segments']): number | null {
  for (const x of a) for (const y of b) {
    const lo = Math.max(x.addr, y.addr), hi = Math.min(x.addr + x.bytes.length, y.addr + y.bytes.length);
    if (lo < hi) return lo;
  }
  return null;
}

/** OpenSBI's fw_dynamic_info block (version 2): magic "OSBI", version, next_addr, next_mode (S), options, boot_hart. */
const FW_DYNAMIC_MAGIC = 0x4942534f;

/**
 * BOOT-DTB: a machine at reset for a loaded program, as QEMU's virt machine boots it: the device tree
 * of the configured platform is placed where QEMU places it (DT-7) and passed in a1; with --bios the
 * firmware also gets, in a2, a dynamic-info block naming the kernel's entry and S-mode. RAM too small
 * for the device tree (below 2 MiB) gets none, and a1 = 0.
 */
export function machineOf(l: Loaded, input?: Uint8Array): Either<string, Machine> {
  const dtb = platformDtb(l.config);
  let at: number;
  try {
    at = dtbAddress(l.config, dtb.length);
  } catch {
    return right(createMachine(l.config, l.isa, l.image, 0, input));
  }
  const extra = [{ addr: at, bytes: dtb }];
  let a2 = 0;
  if (l.next !== undefined) {
    a2 = at - 4096;
    extra.push({ addr: a2, bytes: wordsToBytes([FW_DYNAMIC_MAGIC, 2, l.next, 1, 0, 0]) });
  }
  const clash = overlap(l.image.segments, extra);
  if (clash !== null) return left(`the program overlaps the device tree QEMU's rules place at ${hex(at)}`);
  return right(createMachine(l.config, l.isa, { ...l.image, segments: [...l.image.segments, ...extra] }, at, input, a2));
}

/** A machine at reset with the program loaded and the device tree placed (BOOT-1, BOOT-DTB). */
export function boot(spec: BootSpec): Either<string, { machine: Machine; symbols: Map<string, number> }> {
  const l = loadProgram(spec);
  if (isLeft(l)) return l;
  const m = machineOf(l.right, spec.input);
  return isLeft(m) ? m : right({ machine: m.right, symbols: l.right.symbols });
}
