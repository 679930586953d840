#!/bin/bash
# connect.sh BEFORE_JAR [SECONDS] [ROUNDS] [LISTENERS] [BACKLOG]: push connects per second of this build
# (target/music-share.jar) against BEFORE_JAR (a jar built from an earlier commit), side by side in one run on one
# throwaway redis-server on a free port (database 1 for this build, 2 for the other). Each round runs
# `music-share bench --scenario connect` against both, alternating which goes first; the last lines are the
# medians over the rounds. A connect is an SSE listener joining a session with metadata and BACKLOG (5) buffered
# 100 ms chunks and reading until it holds them all; LISTENERS (8) do so in a loop. Needs redis-server.
# Leaves nothing running.
set -euo pipefail
before_jar=${1:?usage: connect.sh BEFORE_JAR [SECONDS] [ROUNDS] [LISTENERS] [BACKLOG]}
seconds=${2:-10}
rounds=${3:-3}
listeners=${4:-8}
backlog=${5:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
after_jar=$here/target/music-share.jar
work=$(mktemp -d "${TMPDIR:-/tmp}/connect-bench-XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
serve() { # serve JAR DB PORT: a node on the throwaway Redis; prints its pid
  BEARER_TOKEN=bench REDIS_URL="redis://127.0.0.1:$redis_port/$2" PORT=$3 BIND_ADDRESS=127.0.0.1 \
    java ${JAVA_HEAP:--Xmx512m} -jar "$1" >"$work/server-$2.log" 2>&1 &
  echo $!
}
after_port=$(free_port)
before_port=$(free_port)
after_pid=$(serve "$after_jar" 1 "$after_port")
pids+=("$after_pid")
before_pid=$(serve "$before_jar" 2 "$before_port")
pids+=("$before_pid")
for db in 1 2; do
  port=$([ $db = 1 ] && echo "$after_port" || echo "$before_port")
  for attempt in $(seq 1 360); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
    if [ "$attempt" = 360 ]; then echo "server $db did not start:" >&2; tail -5 "$work/server-$db.log" >&2; exit 1; fi
    sleep 0.5
  done
done
after=http://127.0.0.1:$after_port
before=http://127.0.0.1:$before_port
echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*') on port $redis_port; after=$after_jar, before=$before_jar"

bench() { # bench FIRST_URL FIRST_PID SECOND_URL SECOND_PID JSON
  java -Xmx512m -jar "$after_jar" bench --scenario connect --token bench --seconds "$seconds" \
    --listeners "$listeners" --backlog "$backlog" --url "$1" --pid "$2" --compare-url "$3" --compare-pid "$4" \
    --json "$5"
}
bench "$after" "$after_pid" "$before" "$before_pid" "$work/warm-up.json" >/dev/null # JIT and connections warm
for round in $(seq 1 "$rounds"); do
  echo "== round $round"
  if [ $((round % 2)) = 1 ]; then
    bench "$after" "$after_pid" "$before" "$before_pid" "$work/round-$round.json"
  else
    bench "$before" "$before_pid" "$after" "$after_pid" "$work/round-$round.json"
  fi
done
python3 - "$after" "$work" "$rounds" <<'PY'
import json, statistics, sys
after, work, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
figures = {"after": {}, "before": {}}
for r in range(1, rounds + 1):
    for run in json.load(open(f"{work}/round-{r}.json"))["runs"]:
        side = "after" if run["url"] == after else "before"
        for name, value in run["figures"].items():
            figures[side].setdefault(name, []).append(value)
print(f"== medians of {rounds} rounds")
print(f"{'':24} {'after':>12} {'before':>12} {'ratio':>8}")
for name in ["connects_per_second", "connect_p50_ms", "connect_p95_ms", "server_cpu_cores", "failed_connects"]:
    a, b = statistics.median(figures["after"][name]), statistics.median(figures["before"][name])
    print(f"{name:24} {a:12.2f} {b:12.2f} {a / b if b else float('nan'):8.2f}")
PY
