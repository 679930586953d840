#!/usr/bin/env python3
"""Server-side push delivery percentiles between two /metrics scrapes.

Usage: delivery_percentiles.py BEFORE.txt AFTER.txt
Reads the musicshare_push_audio_delivery_seconds histogram (audio event arrival on the node to hand-off to a
listener's socket) from both scrapes and prints count, p50, p95 and p99 of the deliveries in between, each as the
upper bound of the histogram bucket the rank falls in (so a figure is "at most").
"""
import re
import sys

BUCKET = re.compile(r'^musicshare_push_audio_delivery_seconds_bucket\{le="([^"]+)"\} (\S+)$')


def buckets(path):
    found = {}
    with open(path) as scrape:
        for line in scrape:
            match = BUCKET.match(line.strip())
            if match:
                bound = float('inf') if match.group(1) == '+Inf' else float(match.group(1))
                found[bound] = float(match.group(2))
    return found


def main(before_path, after_path):
    before, after = buckets(before_path), buckets(after_path)
    cumulative = sorted((bound, count - before.get(bound, 0.0)) for bound, count in after.items())
    total = cumulative[-1][1] if cumulative else 0
    if total == 0:
        print('no deliveries between the two scrapes')
        return
    figures = [f'deliveries {int(total)}']
    for quantile in (0.50, 0.95, 0.99):
        rank = quantile * total
        bound = next(b for b, count in cumulative if count >= rank)
        figures.append(f'p{int(quantile * 100)} <= {bound * 1000:.1f} ms')
    print(', '.join(figures))


if __name__ == '__main__':
    main(*sys.argv[1:3])
