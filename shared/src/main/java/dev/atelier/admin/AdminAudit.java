package dev.atelier.admin;

import dev.atelier.store.WireEnum;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code admin_audit/{id}}: one operator action — who ({@code actor}, an admin uid), what ({@code
 * action}), on what ({@code target}, e.g. {@code users/u1}), the state before and after
 * (JSON-compatible maps), when and under which request id. Written in the action's own transaction,
 * so an action without its audit record cannot happen.
 */
public record AdminAudit(
    String id,
    String actor,
    Action action,
    String target,
    Map<String, Object> before,
    Map<String, Object> after,
    Instant at,
    String requestId) {

  public AdminAudit {
    before = before == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(before));
    after = after == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(after));
  }

  /** Every operator action. */
  public enum Action implements WireEnum {
    CODES_CREATED("codes_created"),
    CODE_DISABLED("code_disabled"),
    CREDITS_ADJUSTED("credits_adjusted"),
    USER_SUSPENDED("user_suspended"),
    USER_RESTORED("user_restored"),
    ALERT_ACKNOWLEDGED("alert_acknowledged");

    private final String wire;

    Action(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }

  public static final class Field {
    public static final String ACTOR = "actor";
    public static final String ACTION = "action";
    public static final String TARGET = "target";
    public static final String BEFORE = "before";
    public static final String AFTER = "after";
    public static final String AT = "at";
    public static final String REQUEST_ID = "requestId";

    private Field() {}
  }
}
