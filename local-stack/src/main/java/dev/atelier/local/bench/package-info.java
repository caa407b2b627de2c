/**
 * The performance benchmark ({@code bench/run.sh}): cold start of every HTTP function beside the
 * runtime's floor ({@link dev.atelier.local.bench.FloorFunction}) and a Node peer of redeem-code,
 * warm latency, peak RSS, and one instance's throughput at several request concurrencies. Not a
 * test: it reports figures.
 */
package dev.atelier.local.bench;
