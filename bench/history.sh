#!/bin/bash
# history.sh [SECONDS] [SESSIONS]: session history's write load at SESSIONS (50) desktop-app sessions in real time
# (`music-share bench-history`: a 0.5 s chunk twice a second and metadata four times a second per session, five
# pollers each, a new track every 3 minutes, a listener sample a minute), first on the embedded SQLite file, then on
# a PostgreSQL cluster of this script's own under target/ (Debian's binaries as the postgres user, durable commits;
# never the machine's own server). Prints the bench's figures — the request path's cost per call, the history
# thread's CPU and transaction times, what was stored — and the database's size and PostgreSQL's CPU. Needs
# target/music-share.jar (mvn -B -DskipTests package) and postgresql (apt-get install -y postgresql).
# Leaves nothing running.
set -euo pipefail
seconds=${1:-60}
sessions=${2:-50}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$here/target/music-share.jar
pg_port=5461
mkdir -p "$here/target"
work=$(mktemp -d "$here/target/history-bench-XXXXXX")
chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -f "$work/pg/data/postmaster.pid" ] && as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1
  [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

postgres_cpu() { # user+system seconds of the cluster: the postmaster, its reaped children, its live backends
  local master
  master=$(head -1 "$work/pg/data/postmaster.pid")
  { awk '{print $14 + $15 + $16 + $17}' "/proc/$master/stat"
    for child in $(pgrep -P "$master"); do awk '{print $14 + $15}' "/proc/$child/stat" 2>/dev/null || true; done
  } | awk -v hz="$(getconf CLK_TCK)" '{t += $1} END {printf "%.2f", t / hz}'
}

echo "== SQLite (HISTORY_DIR=$work/sqlite)"
java ${JAVA_HEAP:--Xmx512m} -jar "$jar" bench-history --sessions "$sessions" --seconds "$seconds" \
  --history-dir "$work/sqlite"
echo "database on disk: $(du -cb "$work/sqlite" | tail -1 | cut -f1) bytes (history.db and its WAL)"

echo "== PostgreSQL ($pg_bin, port $pg_port)"
mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres "$work/pg"
as_postgres "$pg_bin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg" start >/dev/null
as_postgres "$pg_bin/psql" -h "$work/pg" -p "$pg_port" -U postgres -qc "CREATE DATABASE history_bench"
before=$(postgres_cpu)
java ${JAVA_HEAP:--Xmx512m} -jar "$jar" bench-history --sessions "$sessions" --seconds "$seconds" \
  --database-url "postgresql://postgres@127.0.0.1:$pg_port/history_bench"
echo "PostgreSQL CPU during the run: $(awk -v a="$(postgres_cpu)" -v b="$before" 'BEGIN {printf "%.2f", a - b}') s;" \
  "history_* tables: $(as_postgres "$pg_bin/psql" -h "$work/pg" -p "$pg_port" -U postgres -d history_bench -Atc \
  "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname LIKE 'history\_%' AND c.relkind = 'r'") bytes"
