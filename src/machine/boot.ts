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

export interface BootSpec {
  kernel: string;
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
  return right({ config, isa: isa.isa, image: loaded.right.image, symbols: loaded.right.elf.symbols });
}

/** A machine at reset with the kernel ELF loaded, per BOOT-1. */
export function boot(spec: BootSpec): Either<string, { machine: Machine; symbols: Map<string, number> }> {
  const l = loadProgram(spec);
  if (isLeft(l)) return l;
  const { config, isa, image, symbols } = l.right;
  return right({ machine: createMachine(config, isa, image, 0, spec.input), symbols });
}
