#!/bin/sh
# Builds the two images of popek's S-mode kernel from the same sources:
#
#   kernel.elf     fully virtual: UART, local SFENCE.VMA, sip writes;
#                  the SBI only for the timer and to shut down
#   kernel-pv.elf  paravirtual (-DPARAVIRT): the SBI for everything
#
# Same conventions as guests/build.sh: deterministic output (no build id,
# no .comment, no debug info, objects compiled under fixed names in a
# temporary directory and linked from there under their bare names, fixed
# file order), so rebuilding reproduces the committed ELFs byte for byte
# (GCC 12.2 / binutils 2.40 from Debian 12).
#
# Override the toolchain prefix with CROSS=... (default riscv64-unknown-elf-).
# Exit status: 0 = built, 3 = toolchain missing, other = build error.
set -eu

cd "$(dirname "$0")"
KDIR=$(pwd)
CROSS=${CROSS:-riscv64-unknown-elf-}
CC=${CROSS}gcc
NM=${CROSS}nm

if ! command -v "$CC" >/dev/null 2>&1 || ! command -v "$NM" >/dev/null 2>&1; then
  echo "guests/skernel/build.sh: '$CC' not found; install the Debian packages" \
       "gcc-riscv64-unknown-elf and binutils-riscv64-unknown-elf" >&2
  exit 3
fi

export LC_ALL=C
export SOURCE_DATE_EPOCH=0

ARCH="-march=rv32ima_zicsr_zifencei -mabi=ilp32"
COMMON="$ARCH -mno-relax -fno-ident -I$KDIR -I$KDIR/../sbi"
CFLAGS="-O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -fno-pic -fno-asynchronous-unwind-tables -Wall -Wextra -Werror"
LDFLAGS="$ARCH -nostdlib -nostartfiles -static -Wl,-T,$KDIR/link.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments"

# Link order: kernel, then the user programs.
OBJS="entry.o kernel.o boot_checks.o vm.o console.o user.o"

OBJ=$(mktemp -d)
trap 'rm -rf "$OBJ"' EXIT INT TERM

build() {  # build <output name> <extra flags>
  out=$1
  extra=$2
  rm -f "$OBJ"/*.o
  for o in $OBJS; do
    base=${o%.o}
    if [ -f "$base.S" ]; then
      $CC $COMMON $extra -c -o "$OBJ/$o" "$base.S"
    else
      $CC $COMMON $CFLAGS $extra -c -o "$OBJ/$o" "$base.c"
    fi
  done
  # The user programs run in U-mode from their own pages: they must not
  # call into the kernel.
  undefined=$($NM -u "$OBJ/user.o")
  if [ -n "$undefined" ]; then
    echo "guests/skernel/build.sh: user.c refers to symbols outside itself:" >&2
    echo "$undefined" >&2
    exit 1
  fi
  (cd "$OBJ" && $CC $LDFLAGS -o "$out" $OBJS)
  cp "$OBJ/$out" "$out"
  echo "built guests/skernel/$out"
}

build kernel.elf ""
build kernel-pv.elf "-DPARAVIRT"
