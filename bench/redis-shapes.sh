#!/bin/bash
# redis-shapes.sh [ROUNDS] [SECONDS]: ingest chunks/s and push connects/s of this build (target/music-share.jar) on
# each Redis shape, side by side in one run with the seed peer (../shared/peers/seed-flask under gunicorn, 4
# workers, on a redis-server of its own):
#   single         one redis-server
#   sentinel       a master, one replica and three sentinels (REDIS_URL=redis-sentinel://…)
#   sentinel+wait  the same setup with REDIS_WAIT_REPLICAS=1: every chunk waits for the replica (WAIT's cost)
#   cluster        3 masters + 3 replicas (redis-cli --cluster create), when this build accepts redis-cluster://
#   seed           the seed peer (ingest only: it has no push endpoint)
# Ingest: bench/ingest.sh (wrk, 2 threads, 8 connections, 10 s, 47 KB chunks). Connects: `music-share bench
# --scenario connect` (8 SSE listeners joining a session with metadata and 5 buffered chunks, in a loop; SECONDS,
# default 10). Each target is warmed up first (one ingest and one connect run, not counted). ROUNDS (default 2) repeat everything with the targets in reverse order every other round; the last
# lines are the medians. Our nodes run with rate limits off, -Xmx512m and REDIS_TIMEOUT_MS=10000 (at load 50 the
# default 2 s was too short for a node to connect at start-up). Needs redis-server, redis-cli, wrk,
# gunicorn, python3-flask, python3-redis (Debian packages) and a built jar (JAR, default target/music-share.jar).
# Leaves nothing running.
# Run it under `flock /work/wt/bench.lock` on a shared machine.
set -euo pipefail
rounds=${1:-2}
seconds=${2:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=${JAR:-$here/target/music-share.jar}
peer=${PEER_DIR:-$here/../shared/peers/seed-flask}
[ -d "$peer" ] || peer=/work/shared/peers/seed-flask
work=$(mktemp -d "${TMPDIR:-/tmp}/redis-shapes-XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cluster_port() { # a free port whose bus port (+10000) is free too, as a cluster node needs
  python3 -c '
import random, socket
while True:
    p = random.randint(20000, 55000)
    try:
        for q in (p, p + 10000):
            s = socket.socket(); s.bind(("127.0.0.1", q)); s.close()
        print(p); break
    except OSError:
        pass'
}
await_ping() { for _ in $(seq 1 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done; echo "redis on $1 did not start" >&2; exit 1; }
redis() { # redis NAME PORT ARGS...: a throwaway redis-server; prints nothing, records its pid in $work/NAME.pid
  local name=$1 port=$2; shift 2
  mkdir -p "$work/$name"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/$name" "$@" \
    >"$work/$name/redis.log" 2>&1 &
  pids+=($!); echo $! >"$work/$name.pid"
  await_ping "$port"
}

# single
single_port=$(free_port); redis single "$single_port"
# sentinel: master, replica, three sentinels deciding after 1 s
master_port=$(free_port); redis master "$master_port"
replica_port=$(free_port); redis replica "$replica_port" --replicaof 127.0.0.1 "$master_port"
sentinels=()
for i in 1 2 3; do
  port=$(free_port); mkdir -p "$work/sentinel$i"
  printf 'port %s\nbind 127.0.0.1\nsentinel monitor bench 127.0.0.1 %s 2\nsentinel down-after-milliseconds bench 1000\n' \
    "$port" "$master_port" >"$work/sentinel$i/sentinel.conf"
  redis-server "$work/sentinel$i/sentinel.conf" --sentinel >"$work/sentinel$i/redis.log" 2>&1 &
  pids+=($!); sentinels+=("127.0.0.1:$port")
done
for _ in $(seq 1 200); do
  redis-cli -p "$master_port" info replication | grep -q 'slave0:.*state=online' && break; sleep 0.1
done
sentinel_url="redis-sentinel://$(IFS=,; echo "${sentinels[*]}")/?sentinelMasterId=bench"
# cluster: 3 masters with a replica each
cluster_ports=()
for i in 1 2 3 4 5 6; do
  port=$(cluster_port); cluster_ports+=("$port")
  redis "cluster$i" "$port" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000
done
redis-cli --cluster create $(for p in "${cluster_ports[@]}"; do printf '127.0.0.1:%s ' "$p"; done) \
  --cluster-replicas 1 --cluster-yes >"$work/cluster-create.log" 2>&1
for _ in $(seq 1 100); do redis-cli -p "${cluster_ports[0]}" cluster info | grep -q 'cluster_state:ok' && break; sleep 0.1; done
cluster_url="redis-cluster://127.0.0.1:${cluster_ports[0]},127.0.0.1:${cluster_ports[1]},127.0.0.1:${cluster_ports[2]}"
# the seed peer on its own redis
seed_redis_port=$(free_port); redis seed-redis "$seed_redis_port"

serve() { # serve NAME REDIS_URL [VAR=VALUE…]: starts one of our nodes in the background; its port in $work/NAME.port
  local name=$1 url=$2; shift 2
  local port; port=$(free_port); echo "$port" >"$work/$name.port"
  env BEARER_TOKEN=Token REDIS_URL="$url" PORT="$port" BIND_ADDRESS=127.0.0.1 HISTORY=off REDIS_TIMEOUT_MS=10000 \
    RATE_LIMIT_SENDER_PER_SECOND=0 RATE_LIMIT_STARTS_PER_MINUTE=0 RATE_LIMIT_MISSES_PER_MINUTE=0 "$@" \
    java -Xmx512m -jar "$jar" >"$work/$name.log" 2>&1 &
  pids+=($!); echo $! >"$work/$name.node.pid"
}
started() { # started NAME: its port once /health answers (up to 5 min on a loaded machine); nothing if it exited
  local name=$1 port; port=$(cat "$work/$name.port")
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && { echo "$port"; return; }
    kill -0 "$(cat "$work/$name.node.pid")" 2>/dev/null || return 0
    sleep 0.5
  done
}
declare -A port_of redis_pids_of
serve single "redis://127.0.0.1:$single_port"
serve sentinel "$sentinel_url"
serve sentinel-wait "$sentinel_url" REDIS_WAIT_REPLICAS=1
serve cluster "$cluster_url"
port_of[single]=$(started single)
redis_pids_of[single]=$(cat "$work/single.pid")
port_of[sentinel]=$(started sentinel)
redis_pids_of[sentinel]=$(cat "$work/master.pid"),$(cat "$work/replica.pid")
port_of[sentinel+wait]=$(started sentinel-wait)
redis_pids_of[sentinel+wait]=${redis_pids_of[sentinel]}
port_of[cluster]=$(started cluster)
redis_pids_of[cluster]=$(for i in 1 2 3 4 5 6; do printf '%s,' "$(cat "$work/cluster$i.pid")"; done | sed 's/,$//')
seed_port=$(free_port)
(cd "$peer" && BEARER_TOKEN=Token REDIS_URL="redis://127.0.0.1:$seed_redis_port/0" \
  exec gunicorn -w 4 -b "127.0.0.1:$seed_port" --log-level warning app:app) >"$work/seed.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$seed_port/" && break; sleep 0.2; done
port_of[seed]=$seed_port
redis_pids_of[seed]=$(cat "$work/seed-redis.pid")

targets=()
for target in single sentinel sentinel+wait cluster seed; do
  if [ -n "${port_of[$target]}" ]; then targets+=("$target"); else
    echo "$target: this build does not start on it ($(grep -m1 -iE 'error|refus|not supported' "$work/${target/+/-}.log" | cut -c1-160))"
  fi
done
echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*'); targets: ${targets[*]}; load $(cut -d' ' -f1-3 /proc/loadavg)"

node_pids() { # the server processes of a target (gunicorn: master and workers)
  if [ "$1" = seed ]; then pgrep -d, -f "gunicorn.*127.0.0.1:${port_of[seed]}"; else cat "$work/${1/+/-}.node.pid"; fi
}
ingest() { # ingest TARGET: one line of figures
  BEARER_TOKEN=Token "$here/bench/ingest.sh" "http://127.0.0.1:${port_of[$1]}" "$(node_pids "$1"),${redis_pids_of[$1]}"
}
connect() { # connect TARGET JSON
  java -Xmx512m -jar "$jar" bench --scenario connect --token Token --seconds "$seconds" --listeners 8 --backlog 5 \
    --url "http://127.0.0.1:${port_of[$1]}" --pid "$(node_pids "$1")" --json "$2" >/dev/null
  python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["runs"][0]["figures"]; print("connects/s=%.1f p50_ms=%.1f p95_ms=%.1f failed=%d" % (f["connects_per_second"], f["connect_p50_ms"], f["connect_p95_ms"], f["failed_connects"]))' "$2"
}
replica_wait() { # the node's mean WAIT time so far, from /metrics
  curl -s "http://127.0.0.1:${port_of[$1]}/metrics" | python3 -c '
import sys
s = c = 0
for line in sys.stdin:
    if "operation=\"replica-wait\"" not in line: continue
    if line.startswith("musicshare_store_operation_seconds_sum"): s = float(line.split()[-1])
    if line.startswith("musicshare_store_operation_seconds_count"): c = float(line.split()[-1])
print("WAIT mean %.3f ms over %d writes" % (s / c * 1000, c) if c else "no WAIT recorded")'
}

# Warm-up, not counted: the JIT compiles the chunk path and the connections open.
for target in "${targets[@]}"; do
  BEARER_TOKEN=Token "$here/bench/ingest.sh" "http://127.0.0.1:${port_of[$target]}" "$(node_pids "$target")" >/dev/null
  [ "$target" = seed ] || connect "$target" "$work/warm-up.json" >/dev/null
done
for round in $(seq 1 "$rounds"); do
  order=("${targets[@]}")
  if [ $((round % 2)) = 0 ]; then order=(); for ((i=${#targets[@]}-1; i>=0; i--)); do order+=("${targets[$i]}"); done; fi
  echo "== round $round: ${order[*]}"
  for target in "${order[@]}"; do
    echo "ingest $target: $(ingest "$target")" | tee -a "$work/ingest.txt"
  done
  for target in "${order[@]}"; do
    [ "$target" = seed ] && continue
    echo "connect $target: $(connect "$target" "$work/connect-$round-${target/+/-}.json")" | tee -a "$work/connect.txt"
  done
done
for target in "${targets[@]}"; do
  [ "$target" = sentinel+wait ] && echo "sentinel+wait: $(replica_wait sentinel+wait)"
done
python3 - "$work" "${targets[@]}" <<'PY'
import re, statistics, sys
work, targets = sys.argv[1], sys.argv[2:]
def medians(file, kind, field):
    out = {}
    for line in open(f"{work}/{file}"):
        m = re.match(rf"{kind} (\S+): .*?{field}=([0-9.]+)", line)
        if m: out.setdefault(m.group(1), []).append(float(m.group(2)))
    return {t: statistics.median(v) for t, v in out.items()}
chunks = medians("ingest.txt", "ingest", "chunks/s")
cpu = medians("ingest.txt", "ingest", "cpu_ms_per_1000_chunks")
connects = medians("connect.txt", "connect", "connects/s")
print("== medians")
print(f"{'target':15} {'ingest chunks/s':>16} {'CPU ms/1000 chunks':>19} {'connects/s':>11}")
for t in targets:
    c = connects.get(t)
    print(f"{t:15} {chunks.get(t, float('nan')):16.1f} {cpu.get(t, float('nan')):19.1f} {'n/a' if c is None else f'{c:.1f}':>11}")
PY
