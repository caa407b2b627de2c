package dev.atelier.emulator.rules.eval;

import dev.atelier.emulator.rules.lang.Pos;

/**
 * An evaluation error: the expression has no value, and an allow statement whose condition errs
 * grants nothing. {@link #unknown()} errors come from a query proof: the value depends on documents
 * the query may return. Thrown often, so without a stack trace.
 */
public final class EvalException extends RuntimeException {
  private final boolean unknown;
  private final Pos pos;

  private EvalException(String message, boolean unknown, Pos pos) {
    super(message, null, false, false);
    this.unknown = unknown;
    this.pos = pos;
  }

  public static EvalException error(String message) {
    return new EvalException(message, false, null);
  }

  public static EvalException unknown(String what) {
    return new EvalException(what + " depends on the documents the query may return", true, null);
  }

  public boolean unknown() {
    return unknown;
  }

  /** Where it happened, if known. */
  public Pos pos() {
    return pos;
  }

  /** This error located at {@code at}, unless it already has a place. */
  EvalException at(Pos at) {
    return pos != null || at == null ? this : new EvalException(getMessage(), unknown, at);
  }
}
