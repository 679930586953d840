#!/usr/bin/env bash
# stream.ogg side by side with Icecast 2.4.4, measured by the same listener tool (bench/stream_listeners.py), in one run:
#   bench/stream-vs-icecast.sh ["1000 2500 5000"] [SECONDS] [WARMUP_LISTENERS]
# Starts our server (target/music-share.jar, a fixed pre-touched heap: HEAP, default 256m) with one session fed a 440 Hz tone in real time by the CLI
# sender, and Icecast with a 128 kbps Ogg/Opus mount of a 440 Hz sine fed by ffmpeg (../shared/tools/icecast-anchor.sh).
# Both first serve WARMUP_LISTENERS (default 1000) for the window, unmeasured: our JVM compiles its hot paths
# then (the first minute of a cold JVM costs several times the steady state, mostly in the JIT compiler). Then for
# each listener count: ours, then Icecast. Per server and count it prints listeners that kept real time (by audio
# time, see the tool), kB/s per listener, CPU per listener-second over the window, and RSS; for ours also the
# encoder's CPU in that time (musicshare_opus_encoder_cpu_seconds_total) and the CPU per listener-second without
# it (Icecast's figure does not include ffmpeg, its encoder), also without the JIT compiler threads (a cold
# JVM's one-time cost, which on a starved machine outlasts the warm-up), and RSS growth since before the first
# listener.
# Memory per listener: for ours the live heap after a full GC plus RSS growth (with the heap fixed and pre-touched,
# RSS grows only by native memory), both between before the listeners and mid-window; for Icecast RSS growth.
# The tool also prints CPU per added listener-second: the window's CPU less the server's fixed cost (sender ingest,
# encoder, timers) measured at the same rate while its three reference listeners alone were connected.
# JAVA=/path/to/java picks the server's JDK (default: java on PATH). NICE=-5 runs servers, feeders and the tool at
# that niceness (root only), to measure on a machine shared with niced jobs; say so when you quote the figures.
# Needs: mvn package, apt-get install -y icecast2 ffmpeg, python3, ulimit -n above the largest count plus margin.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=${1:-"1000 2500 5000"}
window=${2:-30}
warmup=${3:-1000}
tools=${TOOLS:-../shared/tools}
[ -d "$tools" ] || tools=/work/shared/tools
listeners="python3 bench/stream_listeners.py"
token=bench-stream-token
session=424242
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
logs=$(mktemp -d /tmp/stream-bench.XXXX)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
run=(); [ -n "${NICE:-}" ] && run=(nice -n "$NICE")

java=${JAVA:-java}
heap=${HEAP:-256m}
jar=${JAR:-target/music-share.jar} # JAR=copy.jar: a build in progress cannot change the one measured
PORT=$port BIND_ADDRESS=127.0.0.1 BEARER_TOKEN=$token JAVA_TOOL_OPTIONS="-Xms$heap -Xmx$heap -XX:+AlwaysPreTouch" \
  "${run[@]}" "$java" -jar "$jar" serve >"$logs/server.log" 2>&1 &
server=$!
cleanup() {
  kill "${sender:-}" "$server" 2>/dev/null || true
  [ -n "${icedir:-}" ] && "$tools/icecast-anchor.sh" stop "$icedir" || true
}
trap cleanup EXIT
for _ in $(seq 300); do curl -m 5 -fs "127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
"${run[@]}" java -jar "$jar" share --url "http://127.0.0.1:$port" --token "$token" --session "$session" \
  --tone 440 --title Bench --artist Tone >"$logs/sender.log" 2>&1 &
sender=$!
# Measure only once the sender's audio flows (its JVM may take a while to start on a busy machine).
for _ in $(seq 300); do
  curl -m 5 -fs "127.0.0.1:$port/api/share/$session/audio?since=-1" -H "Authorization: Bearer $token" -o /dev/null \
    -w '%{http_code}' 2>/dev/null | grep -q 200 && break
  sleep 0.2
done
anchor=$("${run[@]}" "$tools/icecast-anchor.sh" start)
icedir=${anchor##*DIR=}
iceurl=$(sed 's/.*URL=\([^ ]*\).*/\1/' <<<"$anchor")
icepid=$(sed 's/.*PIDS=\([0-9]*\).*/\1/' <<<"$anchor")
sleep 3
ours="http://127.0.0.1:$port/api/share/$session/stream.ogg?access_token=$token"
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
idle_ours=$(rss_kb "$server"); idle_ice=$(rss_kb "$icepid")

metric() { curl -m 10 -fs "127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), window ${window}s, server java $("$java" -version 2>&1 | head -1 | cut -d'"' -f2), heap $heap fixed, nice ${NICE:-0}"
echo "# idle RSS before any listener: ours $((idle_ours / 1024)) MB, icecast $((idle_ice / 1024)) MB"
if [ "$warmup" -gt 0 ]; then
  echo "warmup   ours    n=$warmup $("${run[@]}" $listeners "$ours" "$warmup" "$window" --pids "$server" --jvm-heap || true)"
  echo "warmup   icecast n=$warmup $("${run[@]}" $listeners "$iceurl" "$warmup" "$window" --pids "$icepid" || true)"
fi
for n in $counts; do
  cpu0=$(metric musicshare_opus_encoder_cpu_seconds_total); t0=$(date +%s.%N)
  line=$("${run[@]}" $listeners "$ours" "$n" "$window" --pids "$server" --jvm-heap || true)
  cpu1=$(metric musicshare_opus_encoder_cpu_seconds_total); t1=$(date +%s.%N)
  echo "ours     n=$n $line"
  # The encoder's CPU over the tool's whole run (reference, ramp, window) against the tool's window figure: an
  # upper bound of the encoder's share of the window, per listener-second.
  python3 - "$line" "${cpu0:-0}" "${cpu1:-0}" "$idle_ours" "$n" "$window" "$t0" "$t1" <<'PY'
import sys
fields = dict(kv.split("=", 1) for kv in sys.argv[1].split() if "=" in kv)
enc = float(sys.argv[3]) - float(sys.argv[2]); idle = int(sys.argv[4]); n = int(sys.argv[5]); window = float(sys.argv[6])
connected = int(fields.get("connected", 0) or 0); total = float(fields.get("cpu_us_per_listener_s", 0) or 0)
no_jit = float(fields.get("cpu_us_per_listener_s_without_jit", total) or 0)
run_s = float(sys.argv[8]) - float(sys.argv[7])  # the tool's whole run, as the counter saw it
enc_window_us = enc * (window / run_s) / max(connected * window, 1) * 1e6
rss = float(fields.get("rss_MB", 0) or 0) * 1024
print(f"encoder  n={n} encoder_cpu_s={enc:.2f} ({enc / run_s * 1000:.1f} ms CPU per session-second, "
      f"{run_s / enc if enc else 0:.0f} sessions per core) ours_without_encoder_us_per_listener_s="
      f"{total - enc_window_us:.1f} ours_without_encoder_or_jit_us_per_listener_s={no_jit - enc_window_us:.1f} "
      f"rss_over_idle_kB_per_listener={(rss - idle) / max(connected, 1):.1f}")
PY
  line=$("${run[@]}" $listeners "$iceurl" "$n" "$window" --pids "$icepid" || true)
  echo "icecast  n=$n $line"
  python3 - "$line" "$idle_ice" <<'PY'
import sys
fields = dict(kv.split("=", 1) for kv in sys.argv[1].split() if "=" in kv)
connected = int(fields.get("connected", 0) or 0); rss = float(fields.get("rss_MB", 0) or 0) * 1024
print(f"icecast  rss_over_idle_kB_per_listener={(rss - int(sys.argv[2])) / max(connected, 1):.1f}")
PY
done
echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg); logs in $logs"
