package dev.atelier.emulator.rules.eval;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The state of one request's evaluation: its document lookups ({@code get}, {@code exists}, {@code
 * getAfter}, {@code existsAfter}) with Google's limits, and the call-depth and expression budgets.
 * Identical lookups are answered once and counted once. A request that reads or writes several
 * documents checks each as one operation: at most {@value #PER_OPERATION_LOOKUPS} distinct lookups
 * per operation and {@code totalLookups} (10 for single-document requests and queries, 20 for
 * multi-document reads, transactions and batched writes) for the request.
 */
public final class EvalContext {
  public static final int PER_OPERATION_LOOKUPS = 10;
  public static final int MULTI_DOCUMENT_LOOKUPS = 20;
  static final int MAX_CALL_DEPTH = 20;
  static final int MAX_EXPRESSIONS = 1000;

  /** Reads a document for the rules: its resource map, or null when it does not exist. */
  @FunctionalInterface
  public interface Lookups {
    Val.MapV find(Val.PathV path, boolean afterWrite);
  }

  private final Lookups lookups;
  private final int totalLookups;
  private final Map<String, Val> cache = new HashMap<>();
  private int requestLookups;
  private int operationLookups;
  private int expressions;
  private final Deque<Object> calls = new ArrayDeque<>();

  public EvalContext(Lookups lookups, int totalLookups) {
    this.lookups = lookups;
    this.totalLookups = totalLookups;
  }

  /** A context without document access (lookups fail). */
  public static EvalContext withoutLookups() {
    return new EvalContext(
        (path, after) -> {
          throw EvalException.error("get() and exists() are not available here");
        },
        PER_OPERATION_LOOKUPS);
  }

  /** Starts the next operation (document) of the request: fresh per-operation budgets. */
  public void startOperation() {
    operationLookups = 0;
    expressions = 0;
  }

  Val lookup(Val.PathV path, boolean after) {
    String key = (after ? "after:" : "before:") + path;
    Val cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    if (operationLookups >= PER_OPERATION_LOOKUPS || requestLookups >= totalLookups) {
      throw EvalException.error(
          "Exceeded maximum number of document access calls ("
              + Math.min(PER_OPERATION_LOOKUPS, totalLookups)
              + " per operation, "
              + totalLookups
              + " per request)");
    }
    operationLookups++;
    requestLookups++;
    Val.MapV found = lookups.find(path, after);
    Val result = found == null ? Val.NULL : found;
    cache.put(key, result);
    return result;
  }

  void tick() {
    if (++expressions > MAX_EXPRESSIONS) {
      throw EvalException.error(
          "Exceeded maximum number of expressions evaluated (" + MAX_EXPRESSIONS + ")");
    }
  }

  void enter(Object function, String name) {
    if (calls.contains(function)) {
      throw EvalException.error(
          "recursive call of function '" + name + "' (recursion is not allowed)");
    }
    if (calls.size() >= MAX_CALL_DEPTH) {
      throw EvalException.error("Exceeded maximum function call depth (" + MAX_CALL_DEPTH + ")");
    }
    calls.push(function);
  }

  void leave() {
    calls.pop();
  }
}
