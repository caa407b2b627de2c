package dev.atelier.emulator.engine;

import com.google.firestore.v1.Value;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Storage size of a document by Firestore's documented rules (firebase.google.com/docs/firestore/
 * storage-size): name = sum of its collection and document id string sizes + 16; document = name +
 * sum of (field name + value) + 32; string = UTF-8 bytes + 1; null/boolean 1; integer, double and
 * timestamp 8; geo point 16; bytes their length; reference its name size; arrays and maps the sum
 * of their elements (maps: key + value). A document may be at most 1 MiB.
 */
final class DocumentSizes {
  private DocumentSizes() {}

  static final long MAX_DOCUMENT_BYTES = 1_048_576;

  static long document(String name, Map<String, Value> fields) {
    return nameSize(name) + fields(fields) + 32;
  }

  private static long fields(Map<String, Value> fields) {
    long size = 0;
    for (Map.Entry<String, Value> e : fields.entrySet()) {
      size += string(e.getKey()) + value(e.getValue());
    }
    return size;
  }

  private static long value(Value v) {
    switch (v.getValueTypeCase()) {
      case NULL_VALUE:
      case BOOLEAN_VALUE:
        return 1;
      case INTEGER_VALUE:
      case DOUBLE_VALUE:
      case TIMESTAMP_VALUE:
        return 8;
      case GEO_POINT_VALUE:
        return 16;
      case STRING_VALUE:
        return string(v.getStringValue());
      case BYTES_VALUE:
        return v.getBytesValue().size();
      case REFERENCE_VALUE:
        return nameSize(v.getReferenceValue());
      case ARRAY_VALUE:
        return v.getArrayValue().getValuesList().stream().mapToLong(DocumentSizes::value).sum();
      case MAP_VALUE:
        return fields(v.getMapValue().getFieldsMap());
      default:
        return 0;
    }
  }

  private static long nameSize(String name) {
    int at = name.indexOf("/documents/");
    String path = at < 0 ? name : name.substring(at + "/documents/".length());
    long size = 16;
    for (String id : path.split("/")) {
      size += string(id);
    }
    return size;
  }

  private static long string(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length + 1L;
  }
}
