/**
 * Where rate-limit token buckets are kept. On the memory store each node keeps its own ({@link
 * dev.musicshare.limits.NodeBuckets}); on Redis every node takes from the same buckets ({@link
 * dev.musicshare.limits.SharedBuckets}, Bucket4j's Redis-backed buckets), so N nodes behind a load balancer grant
 * the configured rate in total, not N times it. The policy (what is limited, by which key) is the HTTP layer's.
 */
package dev.musicshare.limits;
