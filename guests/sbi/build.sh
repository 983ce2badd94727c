#!/bin/sh
# Builds guests/sbi/fw.elf, popek's SBI firmware, from its sources.
#
# Same conventions as guests/build.sh: deterministic output (no build id,
# no .comment, no debug info, objects compiled under fixed names in a
# temporary directory and linked from there under their bare names, fixed
# file order), so rebuilding reproduces the committed ELF byte for byte
# (GCC 12.2 / binutils 2.40 from Debian 12).
#
# Override the toolchain prefix with CROSS=... (default riscv64-unknown-elf-).
# Exit status: 0 = built, 3 = toolchain missing, other = build error.
set -eu

cd "$(dirname "$0")"
DIR=$(pwd)
CROSS=${CROSS:-riscv64-unknown-elf-}
CC=${CROSS}gcc

if ! command -v "$CC" >/dev/null 2>&1; then
  echo "guests/sbi/build.sh: '$CC' not found; install the Debian packages" \
       "gcc-riscv64-unknown-elf and binutils-riscv64-unknown-elf" >&2
  exit 3
fi

export LC_ALL=C
export SOURCE_DATE_EPOCH=0

ARCH="-march=rv32ima_zicsr_zifencei -mabi=ilp32"
COMMON="$ARCH -mno-relax -fno-ident -I$DIR"
CFLAGS="-O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -fno-pic -fno-asynchronous-unwind-tables -Wall -Wextra -Werror"
LDFLAGS="$ARCH -nostdlib -nostartfiles -static -Wl,-T,$DIR/link.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments"

OBJS="fw_entry.o fw.o"

OBJ=$(mktemp -d)
trap 'rm -rf "$OBJ"' EXIT INT TERM

for o in $OBJS; do
  base=${o%.o}
  if [ -f "$base.S" ]; then
    $CC $COMMON -c -o "$OBJ/$o" "$base.S"
  else
    $CC $COMMON $CFLAGS -c -o "$OBJ/$o" "$base.c"
  fi
done

(cd "$OBJ" && $CC $LDFLAGS -o fw.elf $OBJS)
cp "$OBJ/fw.elf" fw.elf
echo "built guests/sbi/fw.elf"
