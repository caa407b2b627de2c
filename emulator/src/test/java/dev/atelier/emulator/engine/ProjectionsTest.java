package dev.atelier.emulator.engine;

import static dev.atelier.emulator.engine.V.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.DocumentMask;
import org.junit.jupiter.api.Test;

class ProjectionsTest {

  @Test
  void readMaskKeepsOnlyMaskedPathsAndTheDocumentsTimes() {
    Document d = doc("c/a", "x", i(1), "m", map("p", i(2), "q", i(3)), "dot.ted", i(4));
    Document got =
        Projections.project(
            d,
            DocumentMask.newBuilder()
                .addFieldPaths("m.q")
                .addFieldPaths("`dot.ted`")
                .addFieldPaths("nope")
                .build());
    assertEquals(fields("m", map("q", i(3)), "dot.ted", i(4)), got.getFieldsMap());
    assertEquals(d.getName(), got.getName());
    assertEquals(d.getUpdateTime(), got.getUpdateTime());
  }
}
