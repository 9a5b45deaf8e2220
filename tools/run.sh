#!/usr/bin/env bash
# Quick start: install what is missing, build Release into build/, start ihubd with defaults
# (127.0.0.1:8080, data in ./data). Extra arguments are passed to ihubd.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build --target ihubd ihubctl ihub-bench -j "$(nproc)"

data_dir="${IHUB_DATA_DIR:-./data}"
if [[ -z "${IHUB_ROOT_KEY:-}" ]]; then
  echo "ihub: the root key is in ${data_dir}/root.key (created on first start, mode 0600)" >&2
  echo "ihub: try: curl -s -X POST -H \"X-Api-Key: \$(cat ${data_dir}/root.key)\" -d '{\"name\":\"acme\"}' http://127.0.0.1:8080/admin/v1/orgs" >&2
fi
exec build/ihubd "$@"
