#!/bin/sh
# Rebuilds every guest ELF (guests/<name>.elf) from its source.
#
#   guests/<name>.S   -> guests/<name>.elf   (assembly tests, common/test.h)
#   guests/<name>.c   -> guests/<name>.elf   (freestanding C, with common/start.S)
#
# The output is deterministic: no build ids, no .comment, no debug info,
# objects compiled under fixed names (the linker records only their base
# names), fixed file order.  Rebuilding reproduces the committed ELFs byte
# for byte (checked with GCC 12.2 / binutils 2.40 from Debian 12).
#
# Override the toolchain prefix with CROSS=... (default riscv64-unknown-elf-).
# Exit status: 0 = built, 3 = toolchain missing, other = build error.
set -eu

cd "$(dirname "$0")"
CROSS=${CROSS:-riscv64-unknown-elf-}
CC=${CROSS}gcc

if ! command -v "$CC" >/dev/null 2>&1; then
  echo "guests/build.sh: '$CC' not found; install the Debian packages" \
       "gcc-riscv64-unknown-elf and binutils-riscv64-unknown-elf" >&2
  exit 3
fi

export LC_ALL=C
export SOURCE_DATE_EPOCH=0

ARCH="-march=rv32ima_zicsr_zifencei -mabi=ilp32"
COMMON="$ARCH -mno-relax -fno-ident -Icommon"
CFLAGS="-O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -fno-pic -fno-asynchronous-unwind-tables -Wall -Wextra -Werror"
LDFLAGS="$ARCH -nostdlib -nostartfiles -static -Wl,-T,common/link.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments"

OBJ=$(mktemp -d)
trap 'rm -rf "$OBJ"' EXIT INT TERM

for src in $(ls *.S *.c 2>/dev/null | sort); do
  name=${src%.*}
  case $src in
    *.S)
      $CC $COMMON -c -o "$OBJ/$name.o" "$src"
      $CC $LDFLAGS -o "$name.elf" "$OBJ/$name.o"
      ;;
    *.c)
      $CC $COMMON -c -o "$OBJ/start.o" common/start.S
      $CC $COMMON $CFLAGS -c -o "$OBJ/$name.o" "$src"
      $CC $LDFLAGS -o "$name.elf" "$OBJ/start.o" "$OBJ/$name.o"
      ;;
  esac
  echo "built guests/$name.elf"
done

# The guest kernels and the SBI firmware have their own build scripts.
for sub in kernel sbi skernel; do
  bash "./$sub/build.sh"
done
