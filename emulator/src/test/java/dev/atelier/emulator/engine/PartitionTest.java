package dev.atelier.emulator.engine;

import static dev.atelier.emulator.engine.Q.*;
import static dev.atelier.emulator.engine.V.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.firestore.v1.Cursor;
import com.google.firestore.v1.Document;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionTest {

  private static List<Document> docs(int n) {
    List<Document> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      out.add(doc(String.format("u/%d/h/d%02d", k % 3, k)));
    }
    return out;
  }

  @Test
  void splitPointsAreEvenlySpreadDocumentReferencesInNameOrder() {
    List<Cursor> cursors =
        QueryEngine.partition(ROOT, group("h").addOrderBy(asc("__name__")).build(), docs(9), 2);
    assertEquals(
        List.of(cursor(false, ref("u/1/h/d01")), cursor(false, ref("u/2/h/d02"))), cursors);
  }

  @Test
  void fewerDocumentsThanPartitionsGiveFewerSplitPoints() {
    assertEquals(1, QueryEngine.partition(ROOT, group("h").build(), docs(2), 10).size());
    assertEquals(0, QueryEngine.partition(ROOT, group("h").build(), docs(0), 10).size());
  }

  @Test
  void partitioningAFilteredQueryIsRejected() {
    assertThrows(
        StatusRuntimeException.class,
        () ->
            QueryEngine.partition(
                ROOT,
                group("h")
                    .setWhere(
                        u(
                            "x",
                            com.google.firestore.v1.StructuredQuery.UnaryFilter.Operator.IS_NULL))
                    .build(),
                docs(3),
                2));
  }
}
