package dev.atelier.catalog;

import dev.atelier.store.WireEnum;

/** Plan codes, as stored in {@code plans/{code}}, {@code balance.planCode} and redeem codes. */
public enum PlanCode implements WireEnum {
  FREE,
  PLAN_A,
  PLAN_B,
  PLAN_C,
  PLAN_D;

  @Override
  public String wire() {
    return name();
  }

  public static PlanCode fromWire(String value) {
    return WireEnum.fromWire(PlanCode.class, value);
  }
}
