#!/usr/bin/env bash
# Installs the Debian packages ihub builds and tests with. A no-op when all are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev            # Beast + Asio (HTTP), Boost.Unordered flat maps
  libsimdjson-dev             # on-demand JSON parsing
  libcereal-dev               # snapshot and journal serialization
  libre2-dev                  # linear-time matching of user-given resource patterns
  libssl-dev                  # SHA-256, CSPRNG, AES-256-GCM
  libxxhash-dev               # XXH3: the hash of the store's string-keyed maps
  libgoogle-perftools-dev     # tcmalloc_minimal: ihubd's allocator (per-request allocations)
  libgtest-dev libgmock-dev   # tests
  libbenchmark-dev            # bench/
  python3-authlib python3-requests-oauthlib  # tests/interop: real OAuth client libraries
  curl                        # quick-start checks
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
