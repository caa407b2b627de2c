package dev.atelier.emulator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldPathsTest {

  @Test
  void dotsSeparateSegments() {
    assertEquals(List.of("createdBy", "uid"), FieldPaths.parse("createdBy.uid"));
  }

  @Test
  void backticksQuoteSegmentsWithEscapes() {
    assertEquals(List.of("a", "my.field", "b`c\\d"), FieldPaths.parse("a.`my.field`.`b\\`c\\\\d`"));
  }

  @Test
  void emptySegmentsAndUnterminatedQuotesAreInvalid() {
    assertThrows(StatusRuntimeException.class, () -> FieldPaths.parse("a..b"));
    assertThrows(StatusRuntimeException.class, () -> FieldPaths.parse("`a"));
    assertThrows(StatusRuntimeException.class, () -> FieldPaths.parse(""));
  }

  @Test
  void canonicalQuotesOnlyNonSimpleSegments() {
    assertEquals("a.`my.field`.`1x`", FieldPaths.canonical(List.of("a", "my.field", "1x")));
  }
}
