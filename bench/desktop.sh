#!/bin/bash
# desktop.sh TARGET [SECONDS] [RUNS]: the SongRequest desktop app's load (issue 8) — 50 sessions (SESSIONS), each a sender
# posting 0.5 s stereo chunks at 2/s and metadata with a 30 KB cover at 4/s, and 5 receivers polling audio every
# 400 ms and metadata every 500 ms — against one freshly started server:
#   memory  our jar on its embedded store          redis  our jar on a fresh redis-server of its own
#   peer    the seed's Flask app (../shared/peers/seed-flask, gunicorn, 4 workers) on a fresh redis-server
# Prints the bench's table per run and, for Redis targets, Redis's peak memory and the CPU it used. Needs
# target/music-share.jar (mvn -B -DskipTests package), redis-server, and for the peer python3-flask,
# python3-redis and gunicorn (Debian packages). Our servers run with rate limits off and JAVA_HEAP (default
# -Xmx768m). Leaves nothing running.
set -euo pipefail
target=${1:?memory, redis or peer}
seconds=${2:-30}
runs=${3:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$here/target/music-share.jar
peer=${PEER_DIR:-$here/../shared/peers/seed-flask}
port=5150
redis_port=6450
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

start_redis() {
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
    --logfile "$work/redis.log" --daemonize no &
  pids+=($!)
  redis_pid=$!
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "redis-server did not start" >&2; exit 1
}

start_server() {
  case $target in
    memory|redis)
      env BEARER_TOKEN=Token PORT=$port BIND_ADDRESS=127.0.0.1 RATE_LIMIT_STARTS_PER_MINUTE=0 \
        RATE_LIMIT_MISSES_PER_MINUTE=0 RATE_LIMIT_SENDER_PER_SECOND=0 \
        ${redis_pid:+REDIS_URL=redis://127.0.0.1:$redis_port} \
        java ${JAVA_HEAP:--Xmx768m} -jar "$jar" >"$work/server.log" 2>&1 &
      pids+=($!); server_pids=$! ;;
    peer)
      (cd "$peer" && BEARER_TOKEN=Token REDIS_URL=redis://127.0.0.1:$redis_port/0 \
        exec ./run.sh "$port" 4 >"$work/server.log" 2>&1) &
      pids+=($!) ;;
  esac
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/health" >/dev/null || { cat "$work/server.log" >&2; exit 1; }
  # gunicorn's master and its workers all serve; the bench sums their CPU and RSS.
  [ "$target" = peer ] && server_pids=$(pgrep -d, -f "gunicorn.*127.0.0.1:$port")
  return 0
}

for run in $(seq "$runs"); do
  redis_pid=
  [ "$target" != memory ] && start_redis
  start_server
  measured=$server_pids${redis_pid:+,$redis_pid}
  echo "== $target, run $run of $runs (pids $measured)"
  /usr/bin/time -f "load tool: %U s user, %S s sys, %e s elapsed, %M KB peak" java ${TOOL_HEAP:--Xmx1g} -jar "$jar" bench --url "http://127.0.0.1:$port" --token Token --pid "$measured" --scenario poll \
    --sessions "${SESSIONS:-50}" --listeners 5 --chunk-ms 500 --poll-ms 400 --metadata-ms 250 --metadata-poll-ms 500 \
    --thumbnail-kb 30 --seconds "$seconds" --json "$work/run.json"
  if [ -n "$redis_pid" ]; then
    echo "redis: $(redis-cli -p "$redis_port" info memory | grep -E '^used_memory_peak_human' | tr -d '\r')," \
      "cpu $(redis-cli -p "$redis_port" info cpu | grep -E '^used_cpu_(sys|user):' | tr -d '\r' | tr '\n' ' ')," \
      "sent $(redis-cli -p "$redis_port" info stats | grep -E '^total_net_output_bytes' | tr -d '\r')"
  fi
  if [ "$target" != peer ]; then
    curl -s "http://127.0.0.1:$port/metrics" > "$work/metrics.txt"
    grep -E '^musicshare_(store_chunks_read_total|http_errors_total)' "$work/metrics.txt" || true
    # Time spent inside the server per request, by route: what the server adds, apart from the tool's queueing.
    python3 - "$work/metrics.txt" <<'PY'
import re, sys
sums, counts = {}, {}
for line in open(sys.argv[1]):
    m = re.match(r'http_server_requests_seconds_(sum|count)\{method="(\w+)",route="([^"]+)",status="(\d+)"\} (\S+)', line)
    if m: (sums if m[1] == "sum" else counts)[f"{m[2]} {m[3]} {m[4]}"] = float(m[5])
    m = re.match(r'musicshare_store_operation_seconds_(sum|count)\{operation="(\w+)"\} (\S+)', line)
    if m: (sums if m[1] == "sum" else counts)["store " + m[2]] = float(m[3])
for key in sorted(counts):
    if counts[key] >= 100: print(f"server mean {key:60s} {1000 * sums[key] / counts[key]:8.2f} ms over {counts[key]:.0f}")
PY
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  sleep 1
done
