#!/usr/bin/env python3
"""Bytes on the wire per listener-second of push, by transport and codec, from a live session:

  bench/push_bytes.py BASE_URL SESSION TOKEN [SECONDS] [LISTENERS]

For each of SSE + PCM (the seed's JSON chunks), SSE + Opus (codec=opus: base64 frames in event JSON) and WebSocket
+ Opus (binary messages), LISTENERS connections (default 3) read for SECONDS (default 20) after 2 s of catch-up;
every byte the socket delivers after the response headers counts (SSE framing, WebSocket frame headers, event
JSON). One more Opus listener stays connected from 15 s before the first measurement to the end, so the session's
encoder runs (and its JIT-compiled code is warm) throughout, as on a node with Opus listeners. Prints kB/s per
listener and each form's ratio to PCM push. Connects only to BASE_URL."""
import asyncio, base64, os, sys, time, urllib.parse

base, session, token = sys.argv[1], sys.argv[2], sys.argv[3]
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 20.0
count = int(sys.argv[5]) if len(sys.argv) > 5 else 3
url = urllib.parse.urlsplit(base)
host, port = url.hostname, url.port or 80
path = f"{url.path.rstrip('/')}/api/share/{session}"


def request(kind):
    if kind == "ws-opus":
        key = base64.b64encode(os.urandom(16)).decode()
        return (f"GET {path}/ws?codec=opus&access_token={token} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\n\r\n").encode()
    codec = "opus" if kind == "sse-opus" else "pcm"
    return (f"GET {path}/events?codec={codec}&access_token={token} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Accept: text/event-stream\r\n\r\n").encode()


async def listen(kind, counted, stop):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(request(kind)); await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0]
    if b" 200" not in status and b" 101" not in status:
        raise RuntimeError(f"{kind}: {status!r}")
    while not stop.is_set():
        data = await reader.read(65536)
        if not data:
            break
        if counted["on"]:
            counted["bytes"] += len(data)
    writer.close()


async def measure(kind):
    counted = {"bytes": 0, "on": False}
    stop = asyncio.Event()
    tasks = [asyncio.create_task(listen(kind, counted, stop)) for _ in range(count)]
    await asyncio.sleep(2)  # catch-up (the buffer's recent audio) is not counted
    counted["on"] = True; t0 = time.monotonic()
    await asyncio.sleep(seconds)
    counted["on"] = False; elapsed = time.monotonic() - t0
    stop.set()
    for t in tasks: t.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    errors = [r for r in results if isinstance(r, Exception) and not isinstance(r, asyncio.CancelledError)]
    return counted["bytes"] / elapsed / count, errors


async def main():
    keeper_stop = asyncio.Event()
    keeper = asyncio.create_task(listen("sse-opus", {"bytes": 0, "on": False}, keeper_stop))
    await asyncio.sleep(15)
    rates = {}
    for kind in ("sse-pcm", "sse-opus", "ws-opus"):
        rates[kind], errors = await measure(kind)
        if errors:
            print(f"{kind}: errors {errors}"); return 1
    keeper_stop.set(); keeper.cancel()
    for kind, rate in rates.items():
        print(f"{kind} kB_per_listener_s={rate / 1000:.2f} pcm_push_over_this={rates['sse-pcm'] / rate:.1f}x")
    return 0

sys.exit(asyncio.run(main()))
