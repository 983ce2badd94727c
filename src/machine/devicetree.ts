/**
 * The platform's devicetree (DT-3 … DT-6) and where the DTB goes in RAM (DT-7), spec/devicetree.md.
 *
 * The tree describes the configured platform the way QEMU's `virt` machine (hw/riscv/virt.c,
 * without AIA, ACLINT, PCIe, virtio, RTC, flash or fw_cfg, none of which popek models) describes
 * an RV32 system, so that unmodified firmware (OpenSBI's generic platform) and Linux find the harts,
 * RAM, CLINT, PLIC, UART and the test finisher exactly where popek puts them.
 */
import type { Config } from './config.js';
import { parseIsa } from './isa-string.js';
import * as clint from '../devices/clint.js';
import * as plic from '../devices/plic.js';
import * as uart from '../devices/uart.js';
import * as finisher from '../devices/finisher.js';
import { UART_IRQ } from '../devices/platform.js';
import { cells, empty, node, str, strs, toDtb, u64, type FdtNode } from '../formats/fdt.js';

export interface PlatformTreeOptions {
  /** /chosen/bootargs: the kernel command line. */
  bootargs?: string;
  /** /chosen/linux,initrd-start and linux,initrd-end: [start, end) physical addresses. */
  initrd?: [number, number];
}

/** mip bit numbers used as `riscv,cpu-intc` interrupt specifiers (Privileged ISA §3.1.9). */
const IRQ_M_SOFT = 3, IRQ_M_TIMER = 7, IRQ_S_EXT = 9, IRQ_M_EXT = 11;
/** QEMU virt's 16550A input clock (Hz). */
const UART_CLOCK_HZ = 3_686_400;
/** Values the syscon-poweroff / syscon-reboot nodes write to the test finisher (DEV-FIN-2). */
const FINISHER_PASS = 0x5555, FINISHER_RESET = 0x7777;

const hex = (n: number): string => n.toString(16);
/** `reg` with #address-cells = #size-cells = 2 (root and /soc). */
const reg2 = (base: number, size: number) => cells(Math.floor(base / 2 ** 32), base >>> 0, Math.floor(size / 2 ** 32), size >>> 0);

/**
 * Phandles, fixed by position so the tree is a function of the config alone: hart h's cpu node is
 * 2h+1 and its interrupt controller 2h+2; the PLIC and the test device follow.
 */
const phandles = (harts: number) => ({
  cpu: (h: number) => 2 * h + 1,
  intc: (h: number) => 2 * h + 2,
  plic: 2 * harts + 1,
  test: 2 * harts + 2,
});

/** DT-5: the extension names of `riscv,isa-extensions`, in the order i, m, a, zicsr, zifencei, zicntr. */
function isaExtensions(isa: string): string[] {
  const r = parseIsa(isa);
  if (!r.ok) throw new RangeError(`devicetree: ${r.error}`);
  const s = r.isa;
  return ['i', ...(s.m ? ['m'] : []), ...(s.a ? ['a'] : []), ...(s.zicsr ? ['zicsr'] : []),
    ...(s.zifencei ? ['zifencei'] : []), ...(s.zicntr ? ['zicntr'] : [])];
}

/** DT-3 … DT-6: the devicetree of the platform `config` describes. Throws on an unsupported ISA. */
export function platformTree(config: Config, opts: PlatformTreeOptions = {}): FdtNode {
  const harts = Array.from({ length: config.harts }, (_, h) => h);
  const ph = phandles(config.harts);
  const d = config.devices;
  const extensions = isaExtensions(config.isa);
  const uartPath = `/soc/serial@${hex(d.uart)}`;

  // DT-3: /chosen, and the reset nodes that drive the test finisher.
  const chosen = node('chosen', [
    ['stdout-path', str(uartPath)],
    ...(opts.bootargs !== undefined ? [['bootargs', str(opts.bootargs)] as const] : []),
    ...(opts.initrd !== undefined
      ? [['linux,initrd-start', u64(opts.initrd[0])] as const, ['linux,initrd-end', u64(opts.initrd[1])] as const]
      : []),
  ]);
  const syscon = (name: string, compatible: string, value: number) => node(name, [
    ['value', cells(value)],
    ['offset', cells(0)],
    ['regmap', cells(ph.test)],
    ['compatible', str(compatible)],
  ]);

  // DT-4: RAM.
  const memory = node(`memory@${hex(config.ramBase)}`, [
    ['device_type', str('memory')],
    ['reg', reg2(config.ramBase, config.ramSize)],
  ]);

  // DT-5: harts, each with its local interrupt controller, and the topology map.
  const cpu = (h: number) => node(`cpu@${hex(h)}`, [
    ['phandle', cells(ph.cpu(h))],
    ['device_type', str('cpu')],
    ['reg', cells(h)],
    ['status', str('okay')],
    ['compatible', str('riscv')],
    ['riscv,isa-extensions', strs(...extensions)],
    ['riscv,isa-base', str('rv32i')],
    ['riscv,isa', str(config.isa.toLowerCase())],
    ['mmu-type', str('riscv,sv32')],
  ], [
    node('interrupt-controller', [
      ['#interrupt-cells', cells(1)],
      ['interrupt-controller', empty()],
      ['compatible', str('riscv,cpu-intc')],
      ['phandle', cells(ph.intc(h))],
    ]),
  ]);
  const cpus = node('cpus', [
    ['#address-cells', cells(1)],
    ['#size-cells', cells(0)],
    ['timebase-frequency', cells(config.timebaseHz)],
  ], [
    ...harts.map(cpu),
    node('cpu-map', [], [
      node('cluster0', [], harts.map((h) => node(`core${h}`, [['cpu', cells(ph.cpu(h))]]))),
    ]),
  ]);

  // DT-6: the devices on the SoC bus.
  const test = node(`test@${hex(d.finisher)}`, [
    ['phandle', cells(ph.test)],
    ['reg', reg2(d.finisher, finisher.SIZE)],
    ['compatible', strs('sifive,test1', 'sifive,test0', 'syscon')],
  ]);
  const clintNode = node(`clint@${hex(d.clint)}`, [
    ['interrupts-extended', cells(...harts.flatMap((h) => [ph.intc(h), IRQ_M_SOFT, ph.intc(h), IRQ_M_TIMER]))],
    ['reg', reg2(d.clint, clint.SIZE)],
    ['compatible', strs('sifive,clint0', 'riscv,clint0')],
  ]);
  const plicNode = node(`plic@${hex(d.plic)}`, [
    ['phandle', cells(ph.plic)],
    ['riscv,ndev', cells(plic.NUM_SOURCES - 1)],
    ['reg', reg2(d.plic, plic.SIZE)],
    // Context 2h is hart h's M-mode external interrupt, context 2h+1 its S-mode one (DEV-PLIC).
    ['interrupts-extended', cells(...harts.flatMap((h) => [ph.intc(h), IRQ_M_EXT, ph.intc(h), IRQ_S_EXT]))],
    ['interrupt-controller', empty()],
    ['compatible', strs('sifive,plic-1.0.0', 'riscv,plic0')],
    ['#address-cells', cells(0)],
    ['#interrupt-cells', cells(1)],
  ]);
  const serial = node(`serial@${hex(d.uart)}`, [
    ['interrupts', cells(UART_IRQ)],
    ['interrupt-parent', cells(ph.plic)],
    ['clock-frequency', cells(UART_CLOCK_HZ)],
    ['reg', reg2(d.uart, uart.SIZE)],
    ['compatible', str('ns16550a')],
  ]);
  const soc = node('soc', [
    ['#address-cells', cells(2)],
    ['#size-cells', cells(2)],
    ['compatible', str('simple-bus')],
    ['ranges', empty()],
  ], [test, clintNode, plicNode, serial]);

  return node('', [
    ['#address-cells', cells(2)],
    ['#size-cells', cells(2)],
    ['compatible', str('riscv-virtio')],
    ['model', str('riscv-virtio,qemu')],
  ], [
    chosen,
    syscon('poweroff', 'syscon-poweroff', FINISHER_PASS),
    syscon('reboot', 'syscon-reboot', FINISHER_RESET),
    memory,
    cpus,
    soc,
  ]);
}

/** DT-1, DT-3 … DT-6: the platform's DTB (boot CPU 0, no memory reservations). */
export function platformDtb(config: Config, opts: PlatformTreeOptions = {}): Uint8Array {
  return toDtb(platformTree(config, opts), { bootCpuid: 0 });
}

const MiB = 1024 * 1024;
/** RV32 harts can address the DTB only below 4 GiB; QEMU keeps it below 3 GiB when it can. */
const LOW_LIMIT = 3072 * MiB;
const ALIGN = 2 * MiB;

/**
 * DT-7: the physical address at which the DTB of `dtbSize` bytes is placed, as QEMU's
 * `riscv_compute_fdt_addr` (hw/riscv/boot.c) does for a 32-bit virt machine: the end of RAM, or
 * 3 GiB if RAM starts below 3 GiB and extends past it, minus the size, aligned down to 2 MiB.
 * Throws a RangeError when that address is not in RAM or the blob would not lie below 4 GiB.
 */
export function dtbAddress(config: Pick<Config, 'ramBase' | 'ramSize'>, dtbSize: number): number {
  if (!Number.isInteger(dtbSize) || dtbSize <= 0) throw new RangeError(`devicetree: DTB size ${dtbSize} is not a positive integer`);
  const ramEnd = config.ramBase + config.ramSize;
  const top = config.ramBase < LOW_LIMIT ? Math.min(ramEnd, LOW_LIMIT) : ramEnd;
  const addr = Math.floor((top - dtbSize) / ALIGN) * ALIGN;
  if (addr < config.ramBase) {
    throw new RangeError(`devicetree: no 2 MiB-aligned place for a ${dtbSize}-byte DTB in RAM 0x${hex(config.ramBase)}+0x${hex(config.ramSize)}`);
  }
  if (addr + dtbSize > 2 ** 32) {
    throw new RangeError(`devicetree: the DTB would be placed at 0x${hex(addr)}, beyond what an RV32 hart's a1 can point to`);
  }
  return addr;
}
