#!/usr/bin/env bash
# The ledger's committed transactions a second beside a 3-member etcd cluster's 1 KiB puts, measured in the same
# run on the same machine (issue 25's goal: the ledger at or above etcd). Each round starts a fresh etcd cluster
# on loopback, drives it with wrk through etcd's v3 JSON gateway (/v3/kv/put, 64 connections), stops it, then runs
# `ledger bench commit` for the same duration; the two never run at once. Installs Debian's etcd-server and wrk
# when missing (apt-get; sudo when not root).
#
#   bench/etcd-compare.sh [--duration S] [--warmup S] [--rounds N] [--connections N] [--ledger PATH] [--keep]
#
#   --duration S     seconds measured, for both (default 20, bench commit's default)
#   --warmup S       seconds of the same load first, not counted, for both (default 0, as bench commit)
#   --rounds N       etcd then the ledger, N times in a row (default 1)
#   --connections N  wrk's connections to etcd (default 64, bench commit's submissions in flight)
#   --ledger PATH    the ledger executable (default: built here with `dotnet build -c Release src/Node`)
#   --keep           keep the folder with etcd's logs, wrk's output and the ledger's JSON
#
# Prints one line per round and a last line with the mean ratio; exits non-zero with one line on any failure.
set -euo pipefail

duration=20
warmup=0
rounds=1
connections=64
ledger=""
keep=0

fail() {
  echo "etcd-compare: $*" >&2
  exit 1
}

is_count() { [[ "$1" =~ ^[0-9]+$ ]]; }

while [ $# -gt 0 ]; do
  case "$1" in
    --duration | --warmup | --rounds | --connections | --ledger)
      [ $# -ge 2 ] || fail "$1 needs a value"
      case "$1" in
        --duration) duration=$2 ;;
        --warmup) warmup=$2 ;;
        --rounds) rounds=$2 ;;
        --connections) connections=$2 ;;
        --ledger) ledger=$2 ;;
      esac
      shift 2
      ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done
is_count "$duration" && [ "$duration" -ge 1 ] || fail "--duration must be a whole number of seconds, at least 1 (got '$duration')"
is_count "$warmup" || fail "--warmup must be a whole number of seconds, 0 or more (got '$warmup')"
is_count "$rounds" && [ "$rounds" -ge 1 ] || fail "--rounds must be at least 1 (got '$rounds')"
is_count "$connections" && [ "$connections" -ge 1 ] || fail "--connections must be at least 1 (got '$connections')"

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/etcd-compare.XXXXXX)
pids=()

# Everything this script started is stopped on any exit, Ctrl-C included. SIGTERM, not SIGINT: a background
# process of a script starts with SIGINT ignored; on SIGTERM `bench commit` stops its validator processes and
# deletes their databases itself, and etcd stops cleanly. Whatever still runs after 30 s is killed.
cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$keep" -eq 1 ]; then
    echo "etcd-compare: kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

forget() {
  local pid kept=()
  for pid in "${pids[@]}"; do
    [ "$pid" = "$1" ] || kept+=("$pid")
  done
  pids=("${kept[@]}")
}

# Runs a command in the background and waits for it, so that Ctrl-C reaches the trap at once, not after it ends.
run() {
  "$@" &
  local pid=$!
  pids+=("$pid")
  local status=0
  wait "$pid" || status=$?
  forget "$pid"
  return "$status"
}

missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || fail "${missing[*]} missing and no apt-get to install them: install them first"
  as_root=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "${missing[*]} missing: run as root or install sudo, or install them first"
    as_root="sudo"
  fi
  echo "Installing ${missing[*]} (apt-get)..."
  { $as_root apt-get update -qq && $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$work/apt.log" 2>&1 \
    || fail "apt-get could not install ${missing[*]} (see $work/apt.log with --keep, or run: apt-get install ${missing[*]})"
  # Debian's package may start its own single-member etcd as a service; it is not ours and is left alone.
fi

if [ -z "$ledger" ]; then
  command -v dotnet >/dev/null 2>&1 || fail "dotnet missing: install dotnet-sdk-10.0, or give --ledger PATH"
  echo "Building the ledger (Release)..."
  dotnet build -c Release "$repo/src/Node" >"$work/build.log" 2>&1 || { tail -n 20 "$work/build.log" >&2; fail "the ledger did not build (the lines above)"; }
  ledger="$repo/src/Node/bin/Release/net10.0/ledger"
fi
[ -x "$ledger" ] || fail "--ledger '$ledger' is not an executable file"

# Sets `port` to one nothing listens on (a refused connection), not already picked by this run.
taken=" "
free_port() {
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    case "$taken" in *" $port "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      taken="$taken$port "
      return 0
    fi
  done
  fail "found no free port on 127.0.0.1"
}

# wrk's request: a put of a fresh key (run, thread, counter) with a 1 KiB value, base64 as the JSON gateway wants.
value=$(head -c 1024 /dev/urandom | base64 -w0)
write_lua() {
  cat >"$work/put-$1.lua" <<EOF
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function b64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local d = {math.floor(n / 262144) % 64, math.floor(n / 4096) % 64, math.floor(n / 64) % 64, n % 64}
    out[#out + 1] = alphabet:sub(d[1] + 1, d[1] + 1) .. alphabet:sub(d[2] + 1, d[2] + 1)
      .. (b and alphabet:sub(d[3] + 1, d[3] + 1) or "=") .. (c and alphabet:sub(d[4] + 1, d[4] + 1) or "=")
  end
  return table.concat(out)
end
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, '{"key":"' .. b64("bench/$1/" .. id .. "/" .. n) .. '","value":"$value"}')
end
EOF
}

start_etcd() {
  local round=$1 cluster="" i
  local -a client peer
  for i in 1 2 3; do
    free_port
    client[i]=$port
    free_port
    peer[i]=$port
    cluster="${cluster:+$cluster,}m$i=http://127.0.0.1:${peer[i]}"
  done
  etcd_pids=()
  for i in 1 2 3; do
    etcd --name "m$i" --data-dir "$work/round-$round/m$i" \
      --listen-client-urls "http://127.0.0.1:${client[i]}" --advertise-client-urls "http://127.0.0.1:${client[i]}" \
      --listen-peer-urls "http://127.0.0.1:${peer[i]}" --initial-advertise-peer-urls "http://127.0.0.1:${peer[i]}" \
      --initial-cluster "$cluster" --initial-cluster-token "etcd-compare-$round" --initial-cluster-state new \
      >"$work/etcd-$round-m$i.log" 2>&1 &
    pids+=($!)
    etcd_pids+=($!)
  done
  endpoint="http://127.0.0.1:${client[1]}"
  for _ in $(seq 1 300); do
    if curl -fsS "$endpoint/health" 2>/dev/null | grep -q '"health":"true"'; then
      return 0
    fi
    for pid in "${etcd_pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || fail "an etcd member exited while starting: $(tail -n 1 "$work"/etcd-"$round"-m*.log | grep -v '^==' | grep . | tail -n 1)"
    done
    sleep 0.1
  done
  fail "the etcd cluster was not healthy after 30 s (its logs are kept with --keep)"
}

stop_etcd() {
  local pid
  for pid in "${etcd_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget "$pid"
  done
}

# Sets `rate` to the puts a second over `seconds`, from wrk's "Requests/sec:", and `stored` to the keys etcd then
# holds under the run's prefix; fails when any answer was not a 2xx. (Not a command substitution: the trap must
# see wrk's pid.)
etcd_puts() {
  local seconds=$1 tag=$2 out="$work/wrk-$2.txt" prefix end
  write_lua "$tag"
  run wrk -t 2 -c "$connections" -d "${seconds}s" -s "$work/put-$tag.lua" "$endpoint/v3/kv/put" >"$out" 2>&1 \
    || fail "wrk failed against etcd: $(tail -n 1 "$out")"
  if grep -q 'Non-2xx' "$out"; then
    fail "etcd refused puts ($(grep 'Non-2xx' "$out" | sed 's/^ *//')): not a measurement"
  fi
  rate=$(grep -Eo 'Requests/sec: +[0-9.]+' "$out" | awk '{print $2}')
  [ -n "$rate" ] || fail "wrk printed no Requests/sec: $(tail -n 1 "$out")"
  answered=$(grep -Eo '[0-9]+ requests in' "$out" | awk '{print $1}')
  prefix=$(printf 'bench/%s/' "$tag" | base64 -w0)
  end=$(printf 'bench/%s0' "$tag" | base64 -w0)
  stored=$(curl -fsS -X POST "$endpoint/v3/kv/range" -d "{\"key\":\"$prefix\",\"range_end\":\"$end\",\"count_only\":true}" \
    | grep -Eo '"count":"[0-9]+"' | grep -Eo '[0-9]+' || echo 0)
  [ "$stored" -gt 0 ] || fail "etcd answered wrk's puts but holds none of its keys: not a measurement"
}

load() { cut -d ' ' -f 1-3 /proc/loadavg; }

echo "$(date -u +%FT%TZ) on $(nproc) cores, load average $(load): $rounds round(s) of ${duration} s (warm-up ${warmup} s), etcd $(etcd --version 2>/dev/null | head -n 1 | awk '{print $3}'), wrk -c $connections"
ratios=()
for round in $(seq 1 "$rounds"); do
  start_etcd "$round"
  if [ "$warmup" -gt 0 ]; then
    etcd_puts "$warmup" "$round-warmup"
  fi
  etcd_puts "$duration" "$round"
  etcd_rate=$rate
  stop_etcd

  json="$work/ledger-$round.json"
  run "$ledger" bench commit --duration "$duration" --warmup "$warmup" --json "$json" >"$work/ledger-$round.txt" 2>&1 \
    || fail "ledger bench commit failed: $(tail -n 1 "$work/ledger-$round.txt")"
  ledger_rate=$(grep -Eo '"CommittedPerSecond": *[0-9.]+' "$json" | grep -Eo '[0-9.]+$')
  ceiling=$(grep -Eo '"FractionOfCeiling": *[0-9.]+' "$json" | grep -Eo '[0-9.]+$')
  ratio=$(awk -v l="$ledger_rate" -v e="$etcd_rate" 'BEGIN {printf "%.2f", l / e}')
  ratios+=("$ratio")
  printf 'round %d: etcd %.0f puts/s (%d answered, %d keys stored), ledger %.0f tx/s (%.0f%% of its warm signature ceiling): ledger/etcd %s; load average %s\n' \
    "$round" "$etcd_rate" "$answered" "$stored" "$ledger_rate" "$(awk -v c="$ceiling" 'BEGIN {print c * 100}')" "$ratio" "$(load)"
done
printf 'ledger/etcd: %s (mean of %d round(s)); the goal is at least 1.00\n' \
  "$(printf '%s\n' "${ratios[@]}" | awk '{s += $1} END {printf "%.2f", s / NR}')" "$rounds"
