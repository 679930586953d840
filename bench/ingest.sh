#!/bin/bash
# ingest.sh URL PIDS: flat-out ingest of 100 ms stereo 44.1 kHz chunks (47 KB of JSON each) with wrk (2 threads,
# 8 connections, 10 s; Debian package wrk), one session per wrk thread with rising sequence numbers. Prints chunks/s
# and the server's CPU time per 1,000 chunks (PIDS: comma-separated server processes, e.g. gunicorn's workers
# and its redis-server). Runs against any server speaking the API (ours with rate limits off, or the seed's).
set -e
url=$1; pids=$2
cd "$(dirname "$0")"
here=$(pwd)
[ -f prefix.txt ] || python3 make_chunk.py > prefix.txt
for sid in 600100 600101; do
  curl -s -o /dev/null -X POST "$url/api/share/$sid/stop" -H "Authorization: Bearer Token"
  curl -s -o /dev/null -X POST "$url/api/share/start" -H "Authorization: Bearer Token" -H "Content-Type: application/json" -d "{\"sessionId\":\"$sid\"}"
done
cpu() { local t=0; for p in ${pids//,/ }; do s=$(cut -d' ' -f14,15 /proc/$p/stat); t=$((t + ${s% *} + ${s#* })); done; echo $t; }
before=$(cpu)
# wrk runs without the script (plain GETs) when it cannot load it; a run that posted nothing must not pass for one
[ -f "$here/ingest.lua" ] || { echo "ingest.sh: $here/ingest.lua missing" >&2; exit 1; }
out=$(wrk -t2 -c8 -d10s -s "$here/ingest.lua" "$url" 2>&1)
after=$(cpu)
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
socket_errors=$(echo "$out" | awk '/Socket errors/ {print $0}')
reqs=$(echo "$out" | awk '/requests in/ {print $1}')
echo "chunks/s=$rps non2xx=${non2xx:-0}${socket_errors:+ ($socket_errors)} requests=$reqs server_cpu_s=$(( (after-before) ))e-2 cpu_ms_per_1000_chunks=$(python3 -c "print(round(($after-$before)*10/$reqs*1000,1))")"
