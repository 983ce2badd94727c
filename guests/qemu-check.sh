#!/bin/sh
# Runs every guest ELF on QEMU as a peer implementation and compares the
# exit status with the status QEMU 7.2 is known to produce.
#
#   qemu-system-riscv32 -M spike -bios none -nographic -kernel <elf>
#     -cpu rv32,c=off,f=off,d=off,s=on,u=on,h=off  (misa = RV32IMA with S and U, as popek)
#     -icount shift=0                                (minstret counts instructions)
#
# A nonzero "QEMU" status below is a known QEMU 7.2 deviation from the
# RISC-V specification, not a guest bug (see README.md); popek must exit 0.
# Exit status: 0 = every guest behaved as listed, 1 = some did not,
# 3 = qemu-system-riscv32 missing.
set -u
cd "$(dirname "$0")"
QEMU=${QEMU:-qemu-system-riscv32}
command -v "$QEMU" >/dev/null 2>&1 || { echo "qemu-check.sh: $QEMU not found (Debian: qemu-system-misc)" >&2; exit 3; }

status=0
while read -r elf expect; do
  out=$(timeout 20 "$QEMU" -M spike -cpu rv32,c=off,f=off,d=off,s=on,u=on,h=off \
          -icount shift=0 -bios none -nographic -kernel "$elf" </dev/null 2>&1)
  rc=$?
  if [ "$rc" = "$expect" ]; then verdict=ok; else verdict=MISMATCH; status=1; fi
  printf '%-22s qemu=%-3s expected-on-qemu=%-3s %-8s %s\n' "$elf" "$rc" "$expect" "$verdict" \
    "$(printf '%s' "$out" | tr '\n' ' ')"
done <<'LIST'
hello.elf 0
rv32i-alu.elf 0
rv32i-branch.elf 0
rv32i-mem.elf 0
rv32m.elf 0
rv32a.elf 0
misaligned.elf 48
zicsr.elf 43
traps.elf 22
fence.elf 0
bench-crc-sieve.elf 0
LIST
exit $status
