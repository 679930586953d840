#!/bin/bash
# recording.sh [SECONDS] [SESSIONS]: what recording costs per session. Runs the same load twice, side by side in one
# run: RECORDING=off, then RECORDING=always — SESSIONS (5) reference senders (`music-share share --tone`, real time,
# 100 ms chunks of 44.1 kHz stereo) for SECONDS (45) each, no listeners — and prints the server's CPU in each (from
# /proc), the difference per session-second (the Opus encoder the recording keeps running, plus the writer thread),
# and the bytes the recordings take per session-minute. WARMUP (60) seconds of the same load run first on each
# server, unmeasured, so the JIT has compiled the encoder, resampler and writer (WARMUP=0: a cold JVM, as first
# measured). Needs target/music-share.jar (mvn -B -DskipTests package; JAR names another). Leaves nothing running.
set -euo pipefail
seconds=${1:-45}
sessions=${2:-5}
warmup=${WARMUP:-60}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=${JAR:-$here/target/music-share.jar}
port=5471
token=bench-recording-token
mkdir -p "$here/target"
work=$(mktemp -d "$here/target/recording-bench-XXXXXX")
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

load() { # mode first-session-id seconds label: SESSIONS senders in real time, waited for
  local senders=()
  for i in $(seq 1 "$sessions"); do
    java -Xmx64m -jar "$jar" share --url "http://127.0.0.1:$port" --token "$token" --session "$(($2 + i))" \
      --tone 440 --seconds "$3" --title "Bench $i" --artist Bench >"$work/share-$1-$4-$i.log" 2>&1 &
    senders+=($!)
  done
  wait "${senders[@]}"
}

run() { # mode → prints "cpu_seconds bytes"
  local mode=$1
  mkdir -p "$work/$mode" # with RECORDING=off nothing creates it, and find must not fail (pipefail)
  PORT=$port BIND_ADDRESS=127.0.0.1 BEARER_TOKEN=$token RECORDING=$mode RECORDINGS_DIR="$work/$mode" \
    HISTORY_DIR="$work/history-$mode" java ${JAVA_HEAP:--Xmx512m} -jar "$jar" serve >"$work/server-$mode.log" 2>&1 &
  server=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.2; done
  if [ "$warmup" -gt 0 ]; then
    load "$mode" 710000 "$warmup" warmup
    sleep 2 # the writer finishes the warm-up's files
    rm -f "$work/$mode"/*
  fi
  local before
  before=$(cpu_seconds "$server")
  load "$mode" 700000 "$seconds" measured
  local after
  after=$(cpu_seconds "$server")
  sleep 2 # the writer finishes the last files
  kill "$server"; wait "$server" 2>/dev/null || true; server=
  local bytes
  bytes=$(find "$work/$mode" -name '*.opus' -printf '%s\n' 2>/dev/null | awk '{t += $1} END {print t + 0}')
  echo "$(awk -v a="$after" -v b="$before" 'BEGIN {printf "%.2f", a - b}') $bytes"
}

echo "== $sessions sessions x $seconds s after a ${warmup} s warm-up of the same load, 100 ms chunks of 44.1 kHz stereo, no listeners"
read -r cpu_off bytes_off < <(run off)
read -r cpu_on bytes_on < <(run always)
files=$(ls "$work/always"/*.opus 2>/dev/null | wc -l)
echo "server CPU, RECORDING=off:    ${cpu_off} s"
echo "server CPU, RECORDING=always: ${cpu_on} s ($files recordings)"
awk -v off="$cpu_off" -v on="$cpu_on" -v s="$seconds" -v n="$sessions" -v b="$bytes_on" 'BEGIN {
  printf "recording cost: %.1f ms CPU per session-second (%.2f %% of a core per session)\n", (on - off) * 1000 / (s * n), (on - off) * 100 / (s * n)
  printf "written: %.0f bytes per session-minute (%.2f MB), %.1f kbit/s\n", b / n / (s / 60), b / n / (s / 60) / 1e6, b * 8 / n / s / 1000
}'
