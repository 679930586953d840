#!/bin/bash
# history.sh [SECONDS] [TARGETS]: session-history write load under the desktop app's 50-session load (desktop.sh's
# scenario: 50 senders posting 0.5 s chunks at 2/s and metadata at 4/s, 5 pollers each), against freshly started
# servers, one after the other (TARGETS, default "sqlite postgresql"):
#   sqlite      our jar, history in the embedded SQLite file (the default)
#   postgresql  our jar, history in a PostgreSQL cluster of its own under target/ (Debian's binaries, run as the
#               postgres user; never the machine's own server)
#   baseline    BASELINE_JAR (a build without history, e.g. main before it), for the server's CPU without it
# Prints the load's table, then what history did: batches and steps written, transaction time (mean, p50/p99 as
# the server measured them), statements, rows and size on disk, and PostgreSQL's CPU. Needs
# target/music-share.jar (mvn -B -DskipTests package) and, for postgresql, postgresql (apt-get install -y
# postgresql). HISTORY_SAMPLE_SECONDS (default 60) is passed to the server. Leaves nothing running.
set -euo pipefail
seconds=${1:-60}
targets=${2:-sqlite postgresql}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$here/target/music-share.jar
port=5160
pg_port=5461
work=$(mktemp -d "$here/target/history-bench-XXXXXX")
chmod 755 "$work"
pids=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -d "$work/pg/data" ] && as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

start_postgres() {
  mkdir -p "$work/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$work/pg"
  as_postgres "$pg_bin/initdb" -D "$work/pg/data" -U postgres -A trust --no-sync -E UTF8 --no-locale >/dev/null
  # Durable commits (the default) so the figures are what a deployment pays.
  as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg" start >/dev/null
}

start_server() { # $1: jar, then extra environment
  local server_jar=$1; shift
  env BEARER_TOKEN=Token PORT=$port BIND_ADDRESS=127.0.0.1 RATE_LIMIT_STARTS_PER_MINUTE=0 \
    RATE_LIMIT_MISSES_PER_MINUTE=0 RATE_LIMIT_SENDER_PER_SECOND=0 HISTORY_DIR="$work/sqlite" \
    HISTORY_SAMPLE_SECONDS="${HISTORY_SAMPLE_SECONDS:-60}" "$@" \
    java ${JAVA_HEAP:--Xmx768m} -jar "$server_jar" >"$work/server.log" 2>&1 &
  pids+=($!); server_pid=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/health" >/dev/null || { cat "$work/server.log" >&2; exit 1; }
}

postgres_cpu() { # user+system seconds of our cluster: the postmaster, its reaped children, its live backends
  local master
  master=$(head -1 "$work/pg/data/postmaster.pid")
  { awk '{print $14 + $15 + $16 + $17}' "/proc/$master/stat"
    for child in $(pgrep -P "$master"); do awk '{print $14 + $15}' "/proc/$child/stat" 2>/dev/null || true; done
  } | awk -v hz="$(getconf CLK_TCK)" '{t += $1} END {printf "%.2f", t / hz}'
}

for target in $targets; do
  rm -rf "$work/sqlite"
  case $target in
    sqlite) start_server "$jar" ;;
    postgresql)
      [ -d "$work/pg/data" ] || start_postgres
      psql_db="history_$(date +%s)"
      as_postgres "$pg_bin/psql" -h "$work/pg" -p "$pg_port" -U postgres -qc "CREATE DATABASE $psql_db"
      start_server "$jar" DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/$psql_db" ;;
    baseline) start_server "${BASELINE_JAR:?set BASELINE_JAR to a jar built without history}" ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  pg_before=$([ "$target" = postgresql ] && postgres_cpu || echo 0)
  echo "== $target (server pid $server_pid, $seconds s)"
  java ${TOOL_HEAP:--Xmx1g} -jar "$jar" bench --url "http://127.0.0.1:$port" --token Token --pid "$server_pid" \
    --scenario poll --sessions "${SESSIONS:-50}" --listeners 5 --chunk-ms 500 --poll-ms 400 --metadata-ms 250 \
    --metadata-poll-ms 500 --thumbnail-kb 30 --seconds "$seconds"
  sleep 2 # the last batch
  curl -s "http://127.0.0.1:$port/metrics" > "$work/metrics.txt"
  if [ "$target" != baseline ]; then
    python3 - "$work/metrics.txt" "$seconds" <<'PY'
import re, sys
values = {}
for line in open(sys.argv[1]):
    m = re.match(r'(musicshare_history_\w+)(\{[^}]*\})? (\S+)', line)
    if m: values[m.group(1) + (m.group(2) or '')] = float(m.group(3))
batches = values.get('musicshare_history_write_seconds_count', 0)
total = values.get('musicshare_history_write_seconds_sum', 0)
steps = values.get('musicshare_history_steps_written_total', 0)
p = lambda q: values.get('musicshare_history_write_seconds{quantile="%s"}' % q, float('nan')) * 1000
print(f"history: {batches:.0f} batches ({batches / float(sys.argv[2]):.2f}/s), {steps:.0f} bounded steps, "
      f"transaction mean {1000 * total / max(batches, 1):.2f} ms, p50 {p('0.5'):.2f} ms, p99 {p('0.99'):.2f} ms, "
      f"max {values.get('musicshare_history_write_seconds_max', 0) * 1000:.1f} ms (last minute); "
      f"writer busy {100 * total / float(sys.argv[2]):.1f}% of the run; "
      f"failures {values.get('musicshare_history_write_failures_total', 0):.0f}, "
      f"pending {values.get('musicshare_history_pending', 0):.0f}, dropped {values.get('musicshare_history_steps_dropped_total', 0):.0f}")
PY
    rows=$(curl -s -H "Authorization: Bearer Token" "http://127.0.0.1:$port/api/admin/sessions?limit=1000" | python3 -c '
import json, sys
page = json.load(sys.stdin)
s = page["sessions"]
print(f"records {page[\"total\"]}, chunks {sum(x[\"chunksIn\"] for x in s)}, tracks {sum(x[\"tracks\"] for x in s)}, "
      f"bytes out {sum(sum(x[\"bytesOut\"].values()) for x in s) / 1e6:.0f} MB")')
    echo "history rows: $rows"
  fi
  case $target in
    sqlite) echo "database: $(du -cb "$work/sqlite" | tail -1 | cut -f1) bytes on disk (history.db + WAL)" ;;
    postgresql) echo "database: $(as_postgres "$pg_bin/psql" -h "$work/pg" -p "$pg_port" -U postgres -d "$psql_db" -Atc \
      "SELECT pg_total_relation_size('history_sessions') + pg_total_relation_size('history_tracks') + \
       pg_total_relation_size('history_bytes_out') + pg_total_relation_size('history_listener_samples')") bytes in history_* tables;" \
      "PostgreSQL CPU $(awk -v a="$(postgres_cpu)" -v b="$pg_before" 'BEGIN {printf "%.2f", a - b}') s" ;;
  esac
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
done
