/**
 * `popek cosim --stdio` (ORA-COSIM-5): the co-simulation oracle over JSON lines. One request per
 * input line, one reply per output line, in order; a malformed request gets {"error": "..."} and
 * the session goes on. The protocol is in spec/oracle.md.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { EXIT } from './exit-codes.js';
import { bool, parseArgs, str } from './args.js';
import { ArchStateCodec, closed, commitJson, CommitJsonCodec, Hex32, hex32, intRange } from '../formats/arch-state.js';
import { describeErrors } from '../formats/vector.js';
import { IRQ_LINES, tryCreateOracle, type Oracle } from '../oracle/cosim.js';
import { haltJson } from '../oracle/state.js';

export const COSIM_HELP = `usage: popek cosim --stdio [--config FILE] [--isa STRING]

Run popek as a co-simulation oracle over JSON lines on stdin/stdout (spec/oracle.md):
  {"cmd":"load","elf":"prog.elf"}        {"cmd":"reset","state":{...}}      {"cmd":"step"}
  {"cmd":"step","n":100}                 {"cmd":"state"}                    {"cmd":"read","addr":"0x80000000","len":16}
  {"cmd":"irq","mip":"0x800"}            {"cmd":"irq","mip":null}           {"cmd":"mmio","value":"0x41"}
  {"cmd":"sc","success":false}           {"cmd":"quit"}
Each request gets one reply line; a malformed request gets {"error":"..."}.`;

/** A 32-bit value as a hex string or a JSON integer. */
const Word = t.union([Hex32, intRange(0, 0xffffffff, 'uint32')]);

const Request = t.union([
  closed('load', { cmd: t.literal('load'), elf: t.string }),
  closed('reset', { cmd: t.literal('reset'), state: ArchStateCodec }),
  closed('step', { cmd: t.literal('step') }, { n: intRange(1, 10_000_000) }),
  closed('state', { cmd: t.literal('state') }),
  closed('read', { cmd: t.literal('read'), addr: Word, len: intRange(0, 1 << 20) }),
  closed('irq', { cmd: t.literal('irq'), mip: t.union([Word, t.null]) }),
  closed('mmio', { cmd: t.literal('mmio'), value: Word }),
  closed('sc', { cmd: t.literal('sc'), success: t.boolean }),
  closed('quit', { cmd: t.literal('quit') }),
]);
type Request = t.TypeOf<typeof Request>;

const commitOut = (o: Oracle, r: ReturnType<Oracle['step']>): unknown => (r === null ? null : CommitJsonCodec.encode(commitJson(r)));

/** ORA-COSIM-5: the reply to one request line (never throws for any input). */
export function handleLine(o: Oracle, line: string): { reply: unknown; quit: boolean } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    return { reply: { error: `not JSON: ${(e as Error).message}` }, quit: false };
  }
  const cmd = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>)['cmd'] : undefined;
  const known = ['load', 'reset', 'step', 'state', 'read', 'irq', 'mmio', 'sc', 'quit'];
  if (typeof cmd !== 'string' || !known.includes(cmd)) {
    return { reply: { error: `expected {"cmd": ${known.map((k) => `"${k}"`).join(' | ')}, ...}, got cmd ${JSON.stringify(cmd) ?? 'missing'}` }, quit: false };
  }
  // Decode against the one alternative the cmd names, so the error is about that request.
  const alt = Request.types[known.indexOf(cmd)]!;
  const d = alt.decode(json);
  if (isLeft(d)) return { reply: { error: `${cmd}: ${describeErrors(d.left)}` }, quit: false };
  const r = d.right as Request;
  switch (r.cmd) {
    case 'load': {
      const res = o.load(r.elf);
      return { reply: isLeft(res) ? { error: `load: ${res.left}` } : { ok: true, entry: hex32(res.right.entry) }, quit: false };
    }
    case 'reset': {
      const res = o.reset(r.state);
      return { reply: isLeft(res) ? { error: `reset: ${res.left}` } : { ok: true }, quit: false };
    }
    case 'step': {
      if (r.n === undefined) {
        const rec = o.step();
        return { reply: rec === null ? { commit: null, halt: haltOut(o) } : { commit: commitOut(o, rec) }, quit: false };
      }
      const commits: unknown[] = [];
      for (let i = 0; i < r.n; i++) {
        const rec = o.step();
        if (rec === null) break;
        commits.push(commitOut(o, rec));
      }
      return { reply: { commits, halt: haltOut(o) }, quit: false };
    }
    case 'state': {
      const s = o.state();
      const csrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.csrs)) csrs[k] = hex32(v);
      return { reply: { pc: hex32(s.pc), priv: s.priv, v: 0, x: s.x.map(hex32), csrs, out: s.out, halt: haltOut(o) }, quit: false };
    }
    case 'read': return { reply: { addr: hex32(r.addr), bytes: Buffer.from(o.read(r.addr, r.len)).toString('hex') }, quit: false };
    case 'irq': {
      if (r.mip !== null && (r.mip & ~IRQ_LINES) !== 0) return { reply: { error: `irq: mip ${hex32(r.mip)} has bits other than the lines MSIP, MTIP, SEIP, MEIP (${hex32(IRQ_LINES)})` }, quit: false };
      o.setInterruptPending(r.mip);
      return { reply: { ok: true }, quit: false };
    }
    case 'mmio': o.overrideMmioLoad(r.value); return { reply: { ok: true }, quit: false };
    case 'sc': o.forceScResult(r.success); return { reply: { ok: true }, quit: false };
    case 'quit': return { reply: { ok: true }, quit: true };
  }
}

const haltOut = (o: Oracle): unknown => haltJson(o.machine());

const FLAGS = { stdio: 'bool', config: 'string', isa: 'string', help: 'bool' } as const;

export async function cosimCommand(argv: readonly string[]): Promise<number> {
  const p = parseArgs(argv, FLAGS);
  if (!p.ok) { process.stderr.write(`popek cosim: ${p.error}\n`); return EXIT.BAD_INPUT; }
  const a = p.args;
  if (bool(a, 'help')) { process.stdout.write(COSIM_HELP + '\n'); return EXIT.OK; }
  if (!bool(a, 'stdio')) { process.stderr.write('popek cosim: only --stdio is supported (see popek cosim --help)\n'); return EXIT.BAD_INPUT; }
  if (a.positional.length > 0) { process.stderr.write(`popek cosim: unexpected argument "${a.positional[0]}"\n`); return EXIT.BAD_INPUT; }
  let config: Record<string, unknown> = {};
  const cfgPath = str(a, 'config');
  if (cfgPath !== undefined) {
    try {
      const j: unknown = JSON.parse(readFileSync(cfgPath, 'utf8'));
      if (typeof j !== 'object' || j === null || Array.isArray(j)) { process.stderr.write(`popek cosim: ${cfgPath}: expected a JSON object\n`); return EXIT.BAD_INPUT; }
      config = j as Record<string, unknown>;
    } catch (e) {
      process.stderr.write(`popek cosim: cannot read config ${cfgPath}: ${(e as Error).message.split('\n')[0]}\n`);
      return EXIT.BAD_INPUT;
    }
  }
  const isa = str(a, 'isa');
  if (isa !== undefined) config = { ...config, isa };
  const o = tryCreateOracle(config);
  if (isLeft(o)) { process.stderr.write(`popek cosim: ${o.left}\n`); return EXIT.BAD_INPUT; }
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    let res: { reply: unknown; quit: boolean };
    try {
      res = handleLine(o.right, line);
    } catch (e) {
      res = { reply: { error: `internal error: ${e instanceof Error ? e.message : String(e)}` }, quit: false };
    }
    process.stdout.write(JSON.stringify(res.reply) + '\n');
    if (res.quit) break;
  }
  rl.close();
  return EXIT.OK;
}
