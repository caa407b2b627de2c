package dev.atelier.submit;

import dev.atelier.generations.GenerationStatus;

/**
 * The 202 answer: the history item's id and status, what it costs and the balance after the HOLD.
 */
public record Submitted(String id, GenerationStatus status, long cost, long balance) {}
