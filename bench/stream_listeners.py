#!/usr/bin/env python3
"""N concurrent listeners of one live Ogg Opus stream over HTTP (our stream.ogg, an Icecast mount), the same tool
for every server compared in one run.

  bench/stream_listeners.py URL N SECONDS [--pids P,Q] [--header 'Name: value'] [--ramp-per-s 500] [--settle 3]

Three reference listeners first measure the stream's rate unloaded (8 s after 2 s of burst). Then N listeners
connect (ramped) and, after the settling time, are measured over a window of SECONDS: every listener's bytes and
the granule position (audio time, 48 kHz for Opus) of the newest Ogg page it has received are read at the same
two instants, the window's start and end.

A listener kept real time when the audio it received during the window covers the window's wall time: at least
99 % of it, less one second for page granularity (a server hands out whole pages or batches: Icecast as ffmpeg
muxes them, ~1 s each; ours in 0.5 s batches). This does not depend on a short reference measurement, which a
burst or one batch more or less skews by 10 % and more; the byte count against the unloaded reference is
printed beside it (kept_by_bytes). With --pids it also prints the servers' CPU per listener-second over the
window (all listeners connected), also without the JIT compiler threads' share (a JVM compiling its hot paths,
a one-time cost that on a starved machine lasts minutes), and RSS growth per listener at mid-window. It also
prints the CPU each added listener costs: the window's CPU less what the server spent at the same rate while only
the three reference listeners were connected (its fixed cost: the sender's ingest, the encoder, timers), per
listener-second. With --jvm-heap (a JVM server) it also measures the live heap at the same two instants as RSS,
each after a full GC (jcmd GC.class_histogram: reachable objects only; its CPU falls in the window), so a heap that merely grows towards -Xmx is not
taken for memory per listener; memory_kB_per_listener adds the RSS growth, which counts only native memory when
the heap is fixed and pre-touched (-Xms = -Xmx, -XX:+AlwaysPreTouch, as bench/stream-vs-icecast.sh runs it).
Stops by itself; connects only to URL."""
import argparse, asyncio, os, statistics, struct, sys, time, urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("url"); ap.add_argument("n", type=int); ap.add_argument("seconds", type=float)
ap.add_argument("--header", action="append", default=[]); ap.add_argument("--pids", default="")
ap.add_argument("--ramp-per-s", type=float, default=500.0); ap.add_argument("--settle", type=float, default=3.0)
ap.add_argument("--jvm-heap", action="store_true", help="also measure the live heap after a full GC (jcmd)")
ap.add_argument("--jit-threads", default="C1 CompilerThre,C2 CompilerThre",
                help="thread names (/proc comm) whose CPU is also reported apart: a JVM's JIT compilers")
args = ap.parse_args()
url = urllib.parse.urlsplit(args.url)
host, port = url.hostname, url.port or 80
target = (url.path or "/") + ("?" + url.query if url.query else "")
request = (f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: stream-listeners\r\nConnection: close\r\n"
           + "".join(h + "\r\n" for h in args.header) + "\r\n").encode()
pids = [int(p) for p in args.pids.split(",") if p.strip()]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
GRANULE_RATE = 48_000  # Opus granule positions count 48 kHz samples (RFC 7845)
PAGE_HEADER = 14       # "OggS", version, flags, then the 8-byte granule position


JIT_THREADS = {name for name in args.jit_threads.split(",") if name}


def cpu_seconds():
    """The servers' CPU seconds, and those of their JIT compiler threads (a one-time cost of a cold JVM)."""
    total = jit = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime of every thread, dead ones included
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/comm") as f:
                    if f.read().strip() not in JIT_THREADS:
                        continue
                with open(f"/proc/{pid}/task/{task}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                jit += int(fields[11]) + int(fields[12])
            except FileNotFoundError:
                pass  # the thread ended
    return total / CLOCK_TICKS, jit / CLOCK_TICKS


async def live_heap_kb():
    """Live heap summed over the servers (kB): jcmd GC.class_histogram, which runs a full GC first and counts only
    reachable objects. Run as a subprocess the event loop awaits, so the listeners keep reading meanwhile."""
    total = 0
    for pid in pids:
        proc = await asyncio.create_subprocess_exec("jcmd", str(pid), "GC.class_histogram",
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
        out, _ = await proc.communicate()
        for line in out.decode(errors="replace").splitlines():
            if line.startswith("Total"):
                total += int(line.split()[2]) // 1024
    return total


def rss_kb():
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


class Listener:
    """Reads one connection; counts body bytes and follows the granule position of the Ogg pages in it."""

    def __init__(self):
        self.bytes = 0; self.granule = None; self.ok = False; self.error = None
        self.tail = b""  # the end of the previous read: a page header may straddle two reads

    def scan(self, data):
        buf = self.tail + data
        at = buf.find(b"OggS")
        while at >= 0 and at + PAGE_HEADER <= len(buf):
            granule = struct.unpack_from("<q", buf, at + 6)[0]
            # -1: no packet ends on this page; a lower or wild value: HTTP chunk framing inside a header, skip it
            if granule >= 0 and (self.granule is None or self.granule <= granule < self.granule + 600 * GRANULE_RATE):
                self.granule = granule
            at = buf.find(b"OggS", at + 4)
        self.tail = buf[-(PAGE_HEADER - 1):]  # too short to hold a whole header: nothing in it was read yet

    async def run(self, stop):
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
            writer.write(request); await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            self.ok = b" 200" in head.split(b"\r\n", 1)[0]
            while not stop.is_set():
                data = await reader.read(65536)
                if not data:
                    break
                self.bytes += len(data)  # chunk framing included, as a server's bytes out count it
                self.scan(data)
            writer.close()
        except Exception as e:
            self.error = type(e).__name__


async def read_for(listeners, seconds):
    stop = asyncio.Event()
    tasks = [asyncio.create_task(l.run(stop)) for l in listeners]
    await asyncio.sleep(seconds); stop.set()
    for t in tasks: t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def main():
    refs = [Listener() for _ in range(3)]
    stop_refs = asyncio.Event()
    ref_tasks = [asyncio.create_task(l.run(stop_refs)) for l in refs]
    await asyncio.sleep(2)
    ref_b0 = [l.bytes for l in refs]; f0 = time.monotonic(); fixed0, fixed_jit0 = cpu_seconds() if pids else (0, 0)
    await asyncio.sleep(8)
    fixed_s = time.monotonic() - f0; fixed1, fixed_jit1 = cpu_seconds() if pids else (0, 0)
    reference = statistics.median((l.bytes - b) / 8.0 for l, b in zip(refs, ref_b0))
    stop_refs.set()
    for t in ref_tasks: t.cancel()
    await asyncio.gather(*ref_tasks, return_exceptions=True)
    if reference <= 0:
        print(f"reference listeners got nothing ({[l.error for l in refs]})"); return 1

    heap0 = await live_heap_kb() if pids and args.jvm_heap else 0
    rss0 = rss_kb() if pids else 0
    listeners = [Listener() for _ in range(args.n)]
    stop = asyncio.Event()
    tasks = []
    for i, l in enumerate(listeners):
        tasks.append(asyncio.create_task(l.run(stop)))
        if i % 50 == 49:
            await asyncio.sleep(50 / args.ramp_per_s)
    await asyncio.sleep(args.settle)

    w0 = time.monotonic(); cpu0, jit0 = cpu_seconds() if pids else (0, 0)
    start = [(l.bytes, l.granule) for l in listeners]
    await asyncio.sleep(args.seconds / 2)
    heap1 = await live_heap_kb() if pids and args.jvm_heap else 0
    rss1 = rss_kb() if pids else 0
    await asyncio.sleep(max(0.0, w0 + args.seconds - time.monotonic()))
    window = time.monotonic() - w0; cpu1, jit1 = cpu_seconds() if pids else (0, 0)
    end = [(l.bytes, l.granule) for l in listeners]
    stop.set()
    for t in tasks: t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    connected = sum(1 for l in listeners if l.ok)
    through = [i for i, l in enumerate(listeners) if l.ok and start[i][1] is not None and end[i][1] is not None
               and (l.error is None)]
    audio = [(end[i][1] - start[i][1]) / GRANULE_RATE for i in through]
    rates = [(end[i][0] - start[i][0]) / window for i in through]
    kept = sum(1 for a in audio if a >= 0.99 * window - 1.0)
    kept_by_bytes = sum(1 for r in rates if r * window >= 0.99 * reference * window - reference)
    kinds = {}
    for l in listeners:
        if l.error: kinds[l.error] = kinds.get(l.error, 0) + 1
    out = dict(listeners=args.n, connected=connected, kept_real_time=kept, kept_by_bytes=kept_by_bytes,
               window_s=round(window, 1),
               median_audio_s=round(statistics.median(audio), 2) if audio else 0,
               min_audio_s=round(min(audio), 2) if audio else 0,
               reference_kBps=round(reference / 1000, 2),
               median_kBps=round(statistics.median(rates) / 1000, 2) if rates else 0,
               errors=sum(kinds.values()))
    if kinds: out["error_kinds"] = ",".join(f"{k}:{v}" for k, v in sorted(kinds.items()))
    if pids:
        listener_s = max(connected * window, 1)
        out.update(server_cpu_s=round(cpu1 - cpu0, 2), jit_cpu_s=round(jit1 - jit0, 2),
                   cpu_us_per_listener_s=round((cpu1 - cpu0) / listener_s * 1e6, 1),
                   cpu_us_per_listener_s_without_jit=round((cpu1 - cpu0 - (jit1 - jit0)) / listener_s * 1e6, 1),
                   rss_MB=round(rss1 / 1024, 1), rss_growth_kB_per_listener=round((rss1 - rss0) / max(connected, 1), 1))
        # The fixed cost at the reference phase's rate (3 listeners), JIT compiler threads left out of both.
        fixed_rate = (fixed1 - fixed0 - (fixed_jit1 - fixed_jit0)) / fixed_s
        added = (cpu1 - cpu0 - (jit1 - jit0)) - fixed_rate * window
        out.update(fixed_cpu_ms_per_s=round(fixed_rate * 1000, 1),
                   cpu_us_per_added_listener_s=round(added / listener_s * 1e6, 1))
        if args.jvm_heap:
            out.update(heap_live_MB=round(heap1 / 1024, 1),
                       heap_live_growth_kB_per_listener=round((heap1 - heap0) / max(connected, 1), 1),
                       memory_kB_per_listener=round((heap1 - heap0 + rss1 - rss0) / max(connected, 1), 1))
    print(" ".join(f"{k}={v}" for k, v in out.items()))
    return 0 if kept == args.n else 1

sys.exit(asyncio.run(main()))
