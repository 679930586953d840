#!/usr/bin/env python3
"""Prints the listening-together figures of the last ListenTogetherPageTest run, PCM and Opus side by side.

Run after `mvn -B -o verify -Dtest=ListenTogetherPageTest` (it writes target/test-artifacts/<codec>/together-figures.json):
    python3 bench/together-figures.py [artifact-dir]
Each figure is p50 / p95 / max unless named otherwise; docs/benchmarks.md quotes this output.
"""
import json
import sys
from pathlib import Path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else "target/test-artifacts")


def number(value):
    return round(value, 1) if isinstance(value, float) else value


def triple(summary):
    if not summary or summary.get("n", 0) == 0:
        return "—"
    return f"{summary['p50']} / {summary['p95']} / {summary['max']} (n={summary['n']})"


def rows(figures):
    together, stall, pause, ended = (figures.get(k, {}) for k in ("together", "stall", "pause", "ended"))
    status = together.get("statusA", {})
    return [
        ("codec received (page's own word)", status.get("codec")),
        ("received per page (kB/s, page's 5 s window)", round(status.get("receivedKBps", 0), 1)),
        ("skew Alice–Bob, first 30 s (ms; browser glitches left out)", triple(together.get("skewAB"))),
        ("same, raw", triple(together.get("skewABRaw"))),
        ("skew Alice–Carol, joined 20 s later (ms)", triple(together.get("skewAC"))),
        ("skew Alice–Bob, whole run (ms)", triple(ended.get("skewAB"))),
        ("lyric highlight vs line heard, every change (ms)", triple(ended.get("lyricErrorMs"))),
        ("same, incl. changes the test's own work held up (ms)", triple(ended.get("lyricErrorRawMs"))),
        ("delay behind the sender, tap (ms)", triple(ended.get("delayMs"))),
        ("delay behind the timeline, page's own report (ms)", status.get("delayMs") and round(status["delayMs"], 1)),
        ("in step with Alice again after Carol's 3 s stall (ms after it)", stall.get("recoveredAfterMs")),
        ("back at the delay after a 2 s sender pause (ms after it resumed)", pause.get("settledAfterMs")),
        ("hard cuts made by the page / played twice",
         "{} / {}".format(*(sum(1 for jumps in ended.get("jumps", []) for j in jumps
                                if flag(j)) for flag in (lambda j: not j["faded"] and not j["browserSkip"],
                                                         lambda j: j["heardBefore"])))),
        ("last frame heard: frames short of the last sent (bound 480)",
         ended.get("lastFrameSent", 0) - ended["lastFrameHeard"] if ended.get("lastFrameHeard") is not None else "—"),
        ("end faded", ended.get("tailFaded")),
        ("run length (s)", ended.get("seconds")),
        ("Chromium frame skips on Alice's page (count, ms)",
         "{skips}, {skippedMs}".format(**ended["taps"][0]) if ended.get("taps") else "—"),
        ("audio device fell a period behind, Alice's page (output-timestamp steps)",
         ended["taps"][0].get("mappingSteps", "—") if ended.get("taps") else "—"),
    ]


codecs = [c for c in ("pcm", "opus") if (ROOT / c / "together-figures.json").exists()]
tables = {c: rows(json.loads((ROOT / c / "together-figures.json").read_text())) for c in codecs}
print("| figure | " + " | ".join(c.upper() for c in codecs) + " |")
print("| --- |" + " --- |" * len(codecs))
for i, (name, _) in enumerate(tables[codecs[0]] if codecs else []):
    print(f"| {name} | " + " | ".join(str(number(tables[c][i][1])) for c in codecs) + " |")
