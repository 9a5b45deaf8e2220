#!/usr/bin/env bash
# compare.sh: ihub against nginx answering a fixed {"active":true}, with the same load generator,
# the same requests, connections, threads and duration, alternating A B A B, on 127.0.0.1.
#
# It starts ihubd (Release build, temporary data dir, --access-log off), seeds it with ihub-bench
# (measuring ihubd's RSS around the token phase), starts nginx (bench/http/nginx.conf) on another
# port, then for each scenario runs ihub-bench against each server in turn and prints a table of
# requests/s, p99 and their ratios ihub/nginx. Every process it starts is stopped by its pid on
# exit. See docs/load-testing.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/http/compare.sh [options]
  --quick               smoke run: 20,000 tokens / 2,000 clients, 3 s runs, 1 s warm-up, 2 rounds
  --tokens N            live tokens to seed (default 1,000,000)
  --clients N           API clients (default 100,000)
  --orgs N              orgs (default 100)
  --scenarios "A B"     from introspect authorize client-get token mixed
                        (default "introspect authorize client-get token")
  --connections C       keep-alive connections (default 64)
  --threads T           ihub-bench threads (default 2)
  --duration S          measured seconds per run (default 10)
  --warmup S            warm-up seconds per run (default 2)
  --rounds R            A B rounds per scenario, at least 2 (default 3; --quick 2)
  --ihub-threads N      ihubd --threads (default: ihubd's own default, the core count)
  --nginx-workers N     nginx worker_processes (default 1; the notes also quote 2)
  --fsync MODE          ihubd --fsync (default batch; "none" only if you say so here)
  --ihub-port P         (default 18080)   --nginx-port P (default 18081)
  --build-dir DIR       where ihubd and ihub-bench are (default <repo>/build)
EOF
}

repo=$(cd "$(dirname "$0")/../.." && pwd)
build="$repo/build"
tokens=1000000 clients=100000 orgs=100
scenarios="introspect authorize client-get token"
connections=64 threads=2 duration=10 warmup=2 rounds=3
ihub_threads="" nginx_workers=1 fsync=batch
ihub_port=18080 nginx_port=18081
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) tokens=20000 clients=2000 orgs=20 duration=3 warmup=1 rounds=2 ;;
    --tokens) tokens=$2; shift ;;
    --clients) clients=$2; shift ;;
    --orgs) orgs=$2; shift ;;
    --scenarios) scenarios=$2; shift ;;
    --connections) connections=$2; shift ;;
    --threads) threads=$2; shift ;;
    --duration) duration=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --ihub-threads) ihub_threads=$2; shift ;;
    --nginx-workers) nginx_workers=$2; shift ;;
    --fsync) fsync=$2; shift ;;
    --ihub-port) ihub_port=$2; shift ;;
    --nginx-port) nginx_port=$2; shift ;;
    --build-dir) build=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
(( rounds >= 2 )) || { echo "compare.sh: --rounds must be at least 2" >&2; exit 2; }

for bin in ihubd ihub-bench; do
  if [[ ! -x "$build/$bin" ]]; then
    echo "compare.sh: $build/$bin not found. Build first: tools/run.sh, or" >&2
    echo "  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build ihubd ihub-bench" >&2
    exit 1
  fi
done
if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
  echo "compare.sh: installing Debian's nginx" >&2
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx >/dev/null \
    || { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
         $sudo apt-get install -y -qq --no-install-recommends nginx >/dev/null; }
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d /tmp/ihub-compare.XXXXXX)
chmod 700 "$work"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    # ihubd snapshots on SIGTERM; give it a bounded time, then insist.
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"  # the seed file holds keys, secrets and tokens
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
wait_http() {  # port path: until it answers 200, at most 30 s
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$1$2" && return 0
    sleep 0.1
  done
  echo "compare.sh: nothing answered on 127.0.0.1:$1$2" >&2
  return 1
}

# A port already taken would mislead: nginx binds with reuseport and would share it silently.
for port in "$ihub_port" "$nginx_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "compare.sh: something already listens on 127.0.0.1:$port; pick another with --ihub-port/--nginx-port" >&2
    exit 1
  fi
done

# The root key is made here and handed to ihubd and ihub-bench through the environment only.
IHUB_ROOT_KEY="ihub_root_$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
export IHUB_ROOT_KEY

echo "== ihubd on 127.0.0.1:$ihub_port (fsync $fsync, access log off, data in $work/data)"
ihub_args=(--listen "127.0.0.1:$ihub_port" --data-dir "$work/data" --access-log off
           --fsync "$fsync" --snapshot-interval 0)
[[ -n "$ihub_threads" ]] && ihub_args+=(--threads "$ihub_threads")
"$build/ihubd" "${ihub_args[@]}" 2>"$work/ihubd.log" &
ihub_pid=$!
pids+=("$ihub_pid")
wait_http "$ihub_port" /livez || { tail -5 "$work/ihubd.log" >&2; exit 1; }

bench=("$build/ihub-bench" --host 127.0.0.1 --connections "$connections" --threads "$threads")
rss_empty=$(rss_kib "$ihub_pid")
echo "== seeding $orgs orgs, $clients clients, then $tokens tokens"
"${bench[@]}" --port "$ihub_port" --orgs "$orgs" --clients "$clients" --tokens 0 \
  --scenario none --seed-file "$work/clients.seed"
rss_clients=$(rss_kib "$ihub_pid")
"${bench[@]}" --port "$ihub_port" --use-seed-file "$work/clients.seed" --add-tokens "$tokens" \
  --scenario none --seed-file "$work/all.seed"
rss_tokens=$(rss_kib "$ihub_pid")
# The seed file (tens of MB at a million tokens) is fresh dirty page cache: write it back now,
# or the kernel does it about 30 s later, in the middle of the first scenario's runs.
sync

echo "== nginx ($nginx_workers worker(s)) on 127.0.0.1:$nginx_port"
mkdir -p "$work/nginx"
sed -e "s#@PREFIX@#$work/nginx#g; s#@PORT@#$nginx_port#; s#@WORKERS@#$nginx_workers#" \
  "$repo/bench/http/nginx.conf" >"$work/nginx/nginx.conf"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" \
  2>>"$work/nginx/error.log" &
pids+=("$!")
wait_http "$nginx_port" / || { tail -5 "$work/nginx/error.log" >&2; exit 1; }

# run <port> <scenario>: one measured run; prints "rps p99_us non2xx connerrors".
run() {
  "${bench[@]}" --port "$1" --scenario "$2" --use-seed-file "$work/all.seed" \
    --duration "$duration" --warmup "$warmup" --json --quiet |
    python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["requests_per_s"], d["latency_us"]["p99"], d["non_2xx"], d["connection_errors"])'
}
median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

declare -A result
for sc in $scenarios; do
  declare -a i_rps=() i_p99=() n_rps=() n_p99=()
  for r in $(seq 1 "$rounds"); do
    out=$(run "$ihub_port" "$sc")
    read -r rps p99 non2xx cerr <<<"$out"
    printf '   %-10s round %d  ihub  %9.0f req/s  p99 %8.0f us  non-2xx %s  conn errors %s\n' \
      "$sc" "$r" "$rps" "$p99" "$non2xx" "$cerr"
    i_rps+=("$rps"); i_p99+=("$p99")
    out=$(run "$nginx_port" "$sc")
    read -r rps p99 non2xx cerr <<<"$out"
    printf '   %-10s round %d  nginx %9.0f req/s  p99 %8.0f us  non-2xx %s  conn errors %s\n' \
      "$sc" "$r" "$rps" "$p99" "$non2xx" "$cerr"
    n_rps+=("$rps"); n_p99+=("$p99")
  done
  result[$sc]="$(echo "${i_rps[*]}" | median) $(echo "${n_rps[*]}" | median) $(echo "${i_p99[*]}" | median) $(echo "${n_p99[*]}" | median)"
done

echo
echo "ihub vs nginx ($nginx_workers worker(s), fixed answer): $connections connections, $threads bench threads,"
echo "${duration} s runs after ${warmup} s warm-up, median of $rounds alternating rounds; dataset $tokens tokens, $clients clients"
printf '%-11s %12s %12s %7s %10s %10s %9s\n' scenario "ihub req/s" "nginx req/s" ratio "ihub p99" "nginx p99" "p99 ratio"
for sc in $scenarios; do
  read -r ir nr ip np <<<"${result[$sc]}"
  awk -v s="$sc" -v ir="$ir" -v nr="$nr" -v ip="$ip" -v np="$np" 'BEGIN {
    printf "%-11s %12.0f %12.0f %6.2fx %8.2fms %8.2fms %8.2fx\n", s, ir, nr, (nr > 0 ? ir / nr : 0),
      ip / 1000, np / 1000, (np > 0 ? ip / np : 0) }'
done
echo
awk -v e="$rss_empty" -v c="$rss_clients" -v t="$rss_tokens" -v n="$tokens" -v k="$clients" 'BEGIN {
  printf "ihubd RSS: %.1f MiB empty, %.1f MiB with %d clients, %.1f MiB with %d tokens too\n",
    e / 1024, c / 1024, k, t / 1024, n
  if (n > 0) printf "bytes of RSS per live token: %.0f (token phase only; %.0f including clients)\n",
    (t - c) * 1024 / n, (t - e) * 1024 / n }'
