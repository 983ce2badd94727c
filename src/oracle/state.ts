/**
 * Between architectural-state JSON (src/formats/arch-state.ts) and machine values (ORA-VEC-2):
 * build a machine whose hart 0 has a given state, and read a state back from a machine.
 */
import { type Either, left, right } from 'fp-ts/lib/Either.js';
import type { ArchState, FinalState, HaltJson, MemRegion, Virt } from '../formats/arch-state.js';
import { privName, privNumber } from '../formats/arch-state.js';
import type { Config } from '../machine/config.js';
import { decodeConfig } from '../machine/config.js';
import type { IsaSet } from '../machine/isa-string.js';
import { parseIsa } from '../machine/isa-string.js';
import { createMachine, type Image, type Machine } from '../machine/machine.js';
import { csrCheck, csrName, csrRead, csrWrite, implementedCsrs } from '../hart/csrs.js';
import { machineCsrEnv } from '../machine/observe.js';
import { readByte } from '../memory/store.js';
import { hex32 } from '../formats/arch-state.js';
import { type HartState, resetHart } from '../hart/state.js';

/** Implemented CSRs by name (those of the H extension included). */
export const CSR_NUMBERS: ReadonlyMap<string, number> = new Map(implementedCsrs().map((n) => [csrName(n)!, n]));

const csrEnvOf = (isa: IsaSet) => ({ misa: isa.misa, pmpEntries: 0, pmpGranularity: 0, timeLo: 0, timeHi: 0, lines: 0 });
const AT_RESET = resetHart(0, 0);
/**
 * Whether CSR `name` exists on a hart with `isa`: an M-mode read of it is not an illegal
 * instruction (the H CSRs exist only with `h` in the ISA string, HV-CSR-ACCESS).
 */
export function csrExists(name: string, isa: IsaSet): boolean {
  const n = CSR_NUMBERS.get(name);
  return n !== undefined && csrCheck(AT_RESET, n, false, csrEnvOf(isa)).ok;
}

/** The names of the CSRs a hart with `isa` has, in ascending CSR-number order. */
export const csrNamesOf = (isa: IsaSet): string[] => [...CSR_NUMBERS.keys()].filter((n) => csrExists(n, isa));

/** A decoded platform: the config and its ISA. */
export interface Platform { config: Config; isa: IsaSet }

/** Decode a partial config (as vectors and `--config` files hold it) and its ISA string. */
export function platformOf(partial: unknown): Either<string, Platform> {
  const c = decodeConfig(partial);
  if (!c.ok) return left(c.error);
  const isa = parseIsa(c.config.isa);
  if (!isa.ok) return left(`config: ${isa.error}`);
  return right({ config: c.config, isa: isa.isa });
}

const inRam = (config: Config, addr: number, len: number): boolean =>
  addr >= config.ramBase && addr + len <= config.ramBase + config.ramSize;

/** Problems with memory regions: each must lie inside RAM. `where` is the JSON path of the list. */
export function regionProblem(config: Config, regions: readonly MemRegion[], where: string): string | null {
  for (const [i, r] of regions.entries()) {
    if (!inRam(config, r.addr, r.bytes.length)) {
      return `at ${where}[${i}]: region ${hex32(r.addr)}+${r.bytes.length} is not inside RAM [${hex32(config.ramBase)}, ${hex32(config.ramBase + config.ramSize)})`;
    }
  }
  return null;
}

/** Problems with CSR names (must be implemented; the H CSRs only when `isa` has H). */
export function csrNameProblem(names: Iterable<string>, where: string, isa?: IsaSet): string | null {
  for (const n of names) {
    if (!CSR_NUMBERS.has(n)) return `at ${where}.${n}: not a CSR popek implements`;
    if (isa !== undefined && !csrExists(n, isa)) return `at ${where}.${n}: not a CSR of this ISA (the hypervisor CSRs need h in config.isa)`;
  }
  return null;
}

const order = (name: string): number => (name.startsWith('pmpaddr') ? 0 : name.startsWith('pmpcfg') ? 2 : 1);

/**
 * Set hart `h` of machine `m` (a value being built, not yet shared) to `state`'s registers and
 * CSRs. CSRs are written through their WARL legalisation, pmpaddr before the other CSRs and pmpcfg
 * last (so lock bits do not block the writes), and must read back exactly the given value.
 */
function applyHart(m: Machine, h: HartState, state: ArchState, where: string): string | null {
  // ORA-VEC-2: V = 1 exists only with the H extension, and never with M-mode (HV: "Privilege Modes").
  if (state.v === 1 && !m.isa.h) return `at ${where}.v: V = 1 needs the H extension (h in config.isa)`;
  if (state.v === 1 && state.priv === 'M') return `at ${where}.v: V = 1 never goes with priv M`;
  h.pc = state.pc >>> 0;
  h.priv = privNumber(state.priv);
  for (let i = 1; i < 32; i++) h.x[i] = state.x[i]! | 0;
  const names = Object.keys(state.csrs);
  const bad = csrNameProblem(names, `${where}.csrs`, m.isa);
  if (bad !== null) return bad;
  // CSRs are written and read back as M-mode (V = 0) sees them; V is set last.
  const sorted = [...names].sort((a, b) => order(a) - order(b));
  for (const n of sorted) csrWrite(h, CSR_NUMBERS.get(n)!, state.csrs[n]!, machineCsrEnv(m, h));
  for (const n of names) {
    const got = csrRead(h, CSR_NUMBERS.get(n)!, machineCsrEnv(m, h));
    if (got !== state.csrs[n]! >>> 0) return `at ${where}.csrs.${n}: ${hex32(state.csrs[n]!)} cannot be set (the CSR reads back ${hex32(got)})`;
  }
  h.v = state.v;
  return null;
}

/**
 * ORA-VEC-2: a machine at reset (STATE-RESET) whose RAM holds `image` (if any) and then the state's
 * memory regions, and whose hart 0 has the state's pc, privilege, registers and CSRs. Other harts
 * stay at reset.
 */
export function machineFromState(p: Platform, state: ArchState, image?: Image, where = '$.initial'): Either<string, Machine> {
  const bad = regionProblem(p.config, state.mem, `${where}.mem`);
  if (bad !== null) return left(bad);
  const segments = [...(image?.segments ?? []), ...state.mem.map((r) => ({ addr: r.addr, bytes: r.bytes }))];
  const m = createMachine(p.config, p.isa, { segments, entry: state.pc, tohost: image?.tohost, fromhost: image?.fromhost });
  const err = applyHart(m, m.harts[0]!, state, where);
  return err === null ? right(m) : left(err);
}

/** Bytes [addr, addr + len) of a machine's physical memory. */
export function readBytes(m: Machine, addr: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = readByte(m.mem, addr + i);
  return b;
}

/** CSR values of hart `h`, read as M-mode reads them (so with V = 0: `time` is mtime, HV-TIME). */
export function readCsrs(m: Machine, h0: HartState, names: Iterable<string>): Record<string, number> {
  const h = h0.v === 0 ? h0 : { ...h0, v: 0 as const };
  const env = machineCsrEnv(m, h);
  const out: Record<string, number> = {};
  for (const n of names) {
    const num = CSR_NUMBERS.get(n);
    if (num !== undefined) out[n] = csrRead(h, num, env);
  }
  return out;
}

export const haltJson = (m: Machine): HaltJson =>
  m.halt === null ? null : m.halt.reason === 'reset' ? { reason: 'reset' } : { reason: 'exit', code: m.halt.code >>> 0 };

/** What to read back from a machine. */
export interface Selection {
  csrs: readonly string[];
  mem: ReadonlyArray<{ addr: number; len: number }>;
}

/** ORA-VEC-2: the final state of hart 0 with the selected CSRs and memory, console output and halt. */
export function stateOf(m: Machine, sel: Selection): FinalState & { out: string; halt: HaltJson; v: Virt; csrs: Record<string, number>; mem: MemRegion[] } {
  const h = m.harts[0]!;
  return {
    pc: h.pc >>> 0,
    priv: privName(h.priv),
    v: h.v,
    x: [...h.x].map((v) => v >>> 0),
    csrs: readCsrs(m, h, sel.csrs),
    mem: sel.mem.map((r) => ({ addr: r.addr, bytes: readBytes(m, r.addr, r.len) })),
    out: m.out,
    halt: haltJson(m),
  };
}
