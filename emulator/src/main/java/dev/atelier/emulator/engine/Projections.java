package dev.atelier.emulator.engine;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.DocumentMask;
import com.google.firestore.v1.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field projections: read masks (GetDocument, BatchGetDocuments, ListDocuments) and query select.
 * The document keeps its name and times; only the listed field paths (nested paths keep their
 * enclosing maps) remain; paths the document lacks are skipped; {@code __name__} selects no field.
 */
public final class Projections {
  private Projections() {}

  /** The document reduced to the mask's field paths (backtick-quoted segments honoured). */
  public static Document project(Document doc, DocumentMask mask) {
    return project(doc, mask.getFieldPathsList().stream().map(FieldPaths::parse).toList());
  }

  static Document project(Document doc, List<List<String>> paths) {
    Map<String, Value> fields = new LinkedHashMap<>();
    for (List<String> path : paths) {
      if (!Filters.isDocumentId(path)) {
        FieldPaths.get(doc.getFieldsMap(), path).ifPresent(v -> FieldPaths.set(fields, path, v));
      }
    }
    return doc.toBuilder().clearFields().putAllFields(fields).build();
  }
}
