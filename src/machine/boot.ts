/**
 * Building a machine from user inputs (BOOT-*): a config file, an ISA string, ELF files. Every
 * failure is a one-line message (Left), never an exception.
 */
import { readFileSync } from 'node:fs';
import { type Either, left, right, isLeft } from 'fp-ts/lib/Either.js';
import { type Config, DEFAULT_CONFIG, decodeConfig } from './config.js';
import { parseIsa } from './isa-string.js';
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

/** A machine at reset with the kernel ELF loaded, per BOOT-1. */
export function boot(spec: BootSpec): Either<string, { machine: Machine; symbols: Map<string, number> }> {
  const cfg = readConfig(spec.configPath);
  if (isLeft(cfg)) return cfg;
  const config = spec.isa !== undefined ? { ...cfg.right, isa: spec.isa } : cfg.right;
  const isa = parseIsa(config.isa);
  if (!isa.ok) return left(isa.error);
  const loaded = loadElfFile(spec.kernel, config);
  if (isLeft(loaded)) return left(`${spec.kernel}: ${loaded.left}`);
  const image: Image = loaded.right.image;
  return right({ machine: createMachine(config, isa.isa, image, 0, spec.input), symbols: loaded.right.elf.symbols });
}
