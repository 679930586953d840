#!/usr/bin/env bash
# stream.ogg side by side with Icecast 2.4.4, with the team's listener tool (../shared/tools), in one run:
#   bench/stream-vs-icecast.sh ["1000 2500 5000"] [SECONDS]
# Starts our server (target/music-share.jar, -Xmx768m) with one session fed a 440 Hz tone in real time by the CLI
# sender, and Icecast with a 128 kbps Ogg/Opus mount of a 440 Hz sine fed by ffmpeg; then for each listener count
# measures ours, then Icecast, with stream_listeners.py (listeners that kept real time, kB/s per listener, server CPU
# per listener-second, RSS growth per listener). Also prints our encoder's CPU per session-second (from /metrics).
# JAVA=/path/to/java picks the server's JDK (21+ writes to listeners from virtual threads).
# Needs: mvn package, apt-get install -y icecast2 ffmpeg, python3, ulimit -n above twice the largest count.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=${1:-"1000 2500 5000"}
window=${2:-30}
tools=${TOOLS:-../shared/tools}
[ -d "$tools" ] || tools=/work/shared/tools
token=bench-stream-token
session=424242
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
logs=$(mktemp -d /tmp/stream-bench.XXXX)
ulimit -n 65536 2>/dev/null || true

java=${JAVA:-java}
PORT=$port BIND_ADDRESS=127.0.0.1 BEARER_TOKEN=$token JAVA_TOOL_OPTIONS=-Xmx768m \
  "$java" -jar target/music-share.jar serve >"$logs/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$sender" "$server" 2>/dev/null || true
  [ -n "${icedir:-}" ] && "$tools/icecast-anchor.sh" stop "$icedir" || true
}
trap cleanup EXIT
for _ in $(seq 100); do curl -fs "127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
java -jar target/music-share.jar share --url "http://127.0.0.1:$port" --token "$token" --session "$session" \
  --tone 440 --title Bench --artist Tone >"$logs/sender.log" 2>&1 &
sender=$!
# Measure only once the sender's audio flows (its JVM may take a while to start on a busy machine).
for _ in $(seq 150); do
  curl -fs "127.0.0.1:$port/api/share/$session/audio?since=-1" -H "Authorization: Bearer $token" -o /dev/null \
    -w '%{http_code}' 2>/dev/null | grep -q 200 && break
  sleep 0.2
done
anchor=$("$tools/icecast-anchor.sh" start)
icedir=${anchor##*DIR=}
iceurl=$(sed 's/.*URL=\([^ ]*\).*/\1/' <<<"$anchor")
icepid=$(sed 's/.*PIDS=\([0-9]*\).*/\1/' <<<"$anchor")
sleep 3
ours="http://127.0.0.1:$port/api/share/$session/stream.ogg?access_token=$token"

metric() { curl -fs "127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
echo "# $(date -u +%FT%TZ) $(nproc) cores, window ${window}s, java $("$java" -version 2>&1 | head -1 | cut -d'"' -f2)"
for n in $counts; do
  cpu0=$(metric musicshare_opus_encoder_cpu_seconds_total); t0=$(date +%s.%N)
  echo "ours     n=$n $(python3 "$tools/stream_listeners.py" "$ours" "$n" "$window" --pids "$server" || true)"
  cpu1=$(metric musicshare_opus_encoder_cpu_seconds_total); t1=$(date +%s.%N)
  python3 -c "c=float('$cpu1')-float('${cpu0:-0}'); t=$t1-$t0; print(f'encoder  n=$n encoder_cpu_s={c:.2f} over {t:.0f} s: {c/t*1000:.1f} ms CPU per session-second, {t/c if c else 0:.0f} sessions per core')"
  echo "icecast  n=$n $(python3 "$tools/stream_listeners.py" "$iceurl" "$n" "$window" --pids "$icepid" || true)"
done
