#!/usr/bin/env bash
# Installs the Debian packages that multi-process tests and fault campaigns need, when their commands are
# missing: `scripts/ensure-packages.sh nft faketime chromium`. Needs root (CI has it) and apt; prints what it
# does; exits non-zero with a one-line reason when it cannot. Idempotent: does nothing when all are present.
set -euo pipefail
declare -A PACKAGE=(
  [nft]=nftables
  [tc]=iproute2
  [ip]=iproute2
  [faketime]=faketime
  [chromium]=chromium
)
missing=()
for cmd in "$@"; do
  pkg="${PACKAGE[$cmd]:-}"
  if [ -z "$pkg" ]; then
    echo "ensure-packages: unknown command '$cmd' (known: ${!PACKAGE[*]})" >&2
    exit 2
  fi
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ] && [ ! -x "/usr/bin/$cmd" ]; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ensure-packages: need root to install ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "ensure-packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A lock held by another apt run (a parallel test) is waited for, not failed on.
apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >&2
