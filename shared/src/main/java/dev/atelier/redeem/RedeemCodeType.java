package dev.atelier.redeem;

import dev.atelier.catalog.PlanCode;
import dev.atelier.store.WireEnum;

/** Who a code is for, and so which plan it grants. */
public enum RedeemCodeType implements WireEnum {
  STUDENT(PlanCode.PLAN_A),
  BUSINESS(PlanCode.PLAN_C);

  private final PlanCode planCode;

  RedeemCodeType(PlanCode planCode) {
    this.planCode = planCode;
  }

  /** The plan a code of this type assigns. */
  public PlanCode planCode() {
    return planCode;
  }

  @Override
  public String wire() {
    return name();
  }

  public static RedeemCodeType fromWire(String value) {
    return WireEnum.fromWire(RedeemCodeType.class, value);
  }
}
