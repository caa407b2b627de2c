package dev.atelier.emulator;

/**
 * Billable document operations since the last reset, counted the way production bills them: reads
 * are documents returned by gets, queries and listens (a query or aggregation costs at least one,
 * an aggregation one per 1000 entries), writes and deletes one per written or deleted document.
 */
public record Counters(long reads, long writes, long deletes) {}
