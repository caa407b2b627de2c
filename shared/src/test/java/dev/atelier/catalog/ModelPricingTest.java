package dev.atelier.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ModelPricingTest {

  @Test
  void costIsBasePlusPerOutputPlusPerSecond() {
    assertEquals(2 + 3 * 4 + 5 * 10, new ModelPricing(2, 3, 5).cost(4, 10));
  }

  @Test
  void costThatOverflowsIsRefusedRatherThanWrapped() {
    assertThrows(
        ArithmeticException.class, () -> new ModelPricing(0, Long.MAX_VALUE, 0).cost(2, 0));
  }
}
