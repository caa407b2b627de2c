package dev.atelier.emulator.rules;

import java.util.List;

/**
 * The outcome of evaluating one request: allowed or not, and why — each allow statement that
 * applied with its location and result (Google's emulator reports denials the same way).
 */
public record Decision(boolean allowed, List<String> reasons) {
  public Decision {
    reasons = List.copyOf(reasons);
  }

  public static Decision deny(String reason) {
    return new Decision(false, List.of(reason));
  }

  /** "false for 'get' @ L12:7; ..." or the single reason. */
  public String explanation() {
    return String.join("; ", reasons);
  }
}
