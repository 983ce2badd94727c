/** The host side of HTIF (DEV-HTIF-*): take the command in tohost, act on it, clear tohost. */
import type { Core } from './core.js';
import { ENOSYS, htifCommand, SYS_EXIT, SYS_WRITE } from '../devices/htif.js';
import { inRam } from './access.js';

const read32 = (c: Core, pa: number): number => (inRam(c, pa, 4) ? c.mem.read(pa, 4) : 0);

/** Bytes [addr, addr + len) of RAM as latin1 text (stops at the end of RAM). */
function ramText(c: Core, addr: number, len: number): string {
  let s = '';
  for (let k = 0; k < len && inRam(c, addr + k, 1); k++) s += String.fromCharCode(c.mem.read(addr + k, 1));
  return s;
}

export function htifService(c: Core): void {
  const t = c.htif.tohost;
  c.htif = { ...c.htif, low: false, high: false, settle: 0 };
  const cmd = htifCommand(read32(c, t), read32(c, t + 4));
  if (cmd.kind === 'none') return;
  c.mem.writeLE(t, 4, 0);
  c.mem.writeLE(t + 4, 4, 0);
  switch (cmd.kind) {
    case 'exit':
      c.halt = { reason: 'exit', code: cmd.code, via: 'htif' };
      return;
    case 'putchar':
      c.out += String.fromCharCode(cmd.ch);
      return;
    case 'syscall': {
      // magic_mem: eight 64-bit words; we read the low halves of [n, a0, a1, a2].
      const n = read32(c, cmd.addr), a0 = read32(c, cmd.addr + 8), a1 = read32(c, cmd.addr + 16), a2 = read32(c, cmd.addr + 24);
      let ret = ENOSYS;
      if (n === SYS_WRITE && (a0 === 1 || a0 === 2)) { c.out += ramText(c, a1, a2); ret = a2; }
      if (n === SYS_EXIT) { c.halt = { reason: 'exit', code: a0, via: 'htif' }; return; }
      if (inRam(c, cmd.addr, 8)) { c.mem.writeLE(cmd.addr, 4, ret >>> 0); c.mem.writeLE(cmd.addr + 4, 4, ret < 0 ? 0xffffffff : 0); }
      const f = c.htif.fromhost;
      if (f >= 0 && inRam(c, f, 8)) { c.mem.writeLE(f, 4, 1); c.mem.writeLE(f + 4, 4, 0); }
      return;
    }
  }
}
