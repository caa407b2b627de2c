package dev.atelier.firestore;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.DocumentMask;
import com.google.firestore.v1.DocumentTransform.FieldTransform;
import com.google.firestore.v1.MapValue;
import com.google.firestore.v1.Precondition;
import com.google.firestore.v1.Value;
import com.google.firestore.v1.Write;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of one commit, built as the official client builds them: {@code create} is a set with
 * an exists=false precondition; {@code set} replaces the document; {@code merge} writes only the
 * given leaves; {@code update} writes the given field paths of an existing document; server values
 * ride along as the write's transforms.
 */
final class Writes {
  private final String documents;
  private final List<Write> writes = new ArrayList<>();

  Writes(String documents) {
    this.documents = documents;
  }

  List<Write> list() {
    return writes;
  }

  boolean isEmpty() {
    return writes.isEmpty();
  }

  String name(String path) {
    return Paths.name(documents, path);
  }

  void create(String path, Map<String, ?> fields) {
    Values.Split split = Values.split(fields);
    refuseDeletes(split, "create");
    add(path, split.data(), null, split.transforms(), exists(false));
  }

  void set(String path, Map<String, ?> fields) {
    Values.Split split = Values.split(fields);
    refuseDeletes(split, "set");
    add(path, split.data(), null, split.transforms(), null);
  }

  /** A set with merge: only the leaves named in {@code fields} change. */
  void merge(String path, Map<String, ?> fields) {
    Values.Split split = Values.split(fields);
    DocumentMask.Builder mask = DocumentMask.newBuilder();
    split.leaves().forEach(p -> mask.addFieldPaths(p.canonical()));
    split.deletes().forEach(p -> mask.addFieldPaths(p.canonical()));
    add(path, split.data(), mask.build(), split.transforms(), null);
  }

  /** An update of an existing document; keys are dotted field paths. */
  void update(String path, Map<String, ?> fields) {
    Map<FieldPath, Object> byPath = new LinkedHashMap<>();
    fields.forEach((k, v) -> byPath.put(FieldPath.parse(k), v));
    updatePaths(path, byPath);
  }

  void updatePaths(String path, Map<FieldPath, ?> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("an update needs at least one field");
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    DocumentMask.Builder mask = DocumentMask.newBuilder();
    List<FieldPath> deletes = new ArrayList<>();
    List<FieldTransform> transforms = new ArrayList<>();
    for (Map.Entry<FieldPath, ?> e : fields.entrySet()) {
      FieldPath field = e.getKey();
      Object value = e.getValue();
      if (value instanceof FieldValue fv) {
        Values.sentinel(field, fv, deletes, transforms);
        continue;
      }
      Value encoded;
      if (value instanceof Map<?, ?> map && !map.isEmpty()) {
        Values.Split split = Values.split(map);
        refuseDeletes(split, "update inside a map");
        for (FieldTransform t : split.transforms()) {
          transforms.add(
              t.toBuilder().setFieldPath(field.canonical() + "." + t.getFieldPath()).build());
        }
        encoded = Value.newBuilder().setMapValue(split.data()).build();
      } else {
        encoded = Values.encode(value);
      }
      put(tree, field, encoded);
      mask.addFieldPaths(field.canonical());
    }
    deletes.forEach(p -> mask.addFieldPaths(p.canonical()));
    add(path, toMap(tree), mask.build(), transforms, exists(true));
  }

  void delete(String path) {
    writes.add(Write.newBuilder().setDelete(name(path)).build());
  }

  private void add(
      String path,
      MapValue data,
      DocumentMask mask,
      List<FieldTransform> transforms,
      Precondition precondition) {
    Write.Builder w =
        Write.newBuilder()
            .setUpdate(Document.newBuilder().setName(name(path)).putAllFields(data.getFieldsMap()))
            .addAllUpdateTransforms(transforms);
    if (mask != null) {
      w.setUpdateMask(mask);
    }
    if (precondition != null) {
      w.setCurrentDocument(precondition);
    }
    writes.add(w.build());
  }

  private static Precondition exists(boolean exists) {
    return Precondition.newBuilder().setExists(exists).build();
  }

  private static void refuseDeletes(Values.Split split, String what) {
    if (!split.deletes().isEmpty()) {
      throw new IllegalArgumentException(
          "FieldValue.delete() cannot be used in " + what + ": " + split.deletes());
    }
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> tree, FieldPath path, Value value) {
    Map<String, Object> at = tree;
    List<String> s = path.segments();
    for (int i = 0; i < s.size() - 1; i++) {
      Object child = at.get(s.get(i));
      if (!(child instanceof Map<?, ?>)) {
        child = new LinkedHashMap<String, Object>();
        at.put(s.get(i), child);
      }
      at = (Map<String, Object>) child;
    }
    at.put(s.get(s.size() - 1), value);
  }

  @SuppressWarnings("unchecked")
  private static MapValue toMap(Map<String, Object> tree) {
    MapValue.Builder m = MapValue.newBuilder();
    tree.forEach(
        (k, v) ->
            m.putFields(
                k,
                v instanceof Value value
                    ? value
                    : Value.newBuilder().setMapValue(toMap((Map<String, Object>) v)).build()));
    return m.build();
  }
}
