#!/usr/bin/env bash
# Builds the example plugins (plugins/examples) for wasm32-unknown-unknown in
# release and copies the .wasm files into OUT_DIR.
#
#   plugins/build-examples.sh [OUT_DIR]     # default: plugins/target-wasm
#
# HEARTH_EXAMPLES_TARGET_DIR overrides the examples' cargo target directory
# (default: plugins/examples/target). The WAT example (examples/wat/*.wat) needs
# no build: tests and the host's users parse it with the `wat` crate.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/target-wasm}"
target_dir="${HEARTH_EXAMPLES_TARGET_DIR:-$here/examples/target}"

if command -v rustup >/dev/null 2>&1; then
  # Idempotent: a no-op when the target is installed.
  rustup target add wasm32-unknown-unknown >&2
fi

mkdir -p "$out"
cd "$here/examples"
# Flags meant for the host build (or for another target) must not leak into the guests'.
env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u CARGO_BUILD_TARGET -u CARGO_BUILD_RUSTFLAGS \
  CARGO_TARGET_DIR="$target_dir" \
  cargo build --release --target wasm32-unknown-unknown >&2

shopt -s nullglob
built=("$target_dir"/wasm32-unknown-unknown/release/*.wasm)
if [ "${#built[@]}" -eq 0 ]; then
  echo "build-examples.sh: no .wasm files were produced in $target_dir" >&2
  exit 1
fi
cp "${built[@]}" "$out/"
for f in "${built[@]}"; do
  echo "$out/$(basename "$f")"
done
