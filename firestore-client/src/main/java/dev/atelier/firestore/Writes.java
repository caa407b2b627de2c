package dev.atelier.firestore;

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
  private final List<ProtoWriter> writes = new ArrayList<>();

  Writes(String documents) {
    this.documents = documents;
  }

  /** The {@code Write} messages, in order. */
  List<ProtoWriter> list() {
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
    add(path, split.data(), null, split.transforms(), false);
  }

  void set(String path, Map<String, ?> fields) {
    Values.Split split = Values.split(fields);
    refuseDeletes(split, "set");
    add(path, split.data(), null, split.transforms(), null);
  }

  /** A set with merge: only the leaves named in {@code fields} change. */
  void merge(String path, Map<String, ?> fields) {
    Values.Split split = Values.split(fields);
    List<String> mask = new ArrayList<>();
    split.leaves().forEach(p -> mask.add(p.canonical()));
    split.deletes().forEach(p -> mask.add(p.canonical()));
    add(path, split.data(), mask, split.transforms(), null);
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
    List<String> mask = new ArrayList<>();
    List<FieldPath> deletes = new ArrayList<>();
    List<Values.Transform> transforms = new ArrayList<>();
    for (Map.Entry<FieldPath, ?> e : fields.entrySet()) {
      FieldPath field = e.getKey();
      Object value = e.getValue();
      if (value instanceof FieldValue fv) {
        Values.sentinel(field, fv, deletes, transforms);
        continue;
      }
      ProtoWriter encoded;
      if (value instanceof Map<?, ?> map && !map.isEmpty()) {
        Values.Split split = Values.split(map);
        refuseDeletes(split, "update inside a map");
        split.transforms().forEach(t -> transforms.add(t.under(field.canonical())));
        encoded = Values.map(split.data());
      } else {
        encoded = Values.encode(value);
      }
      put(tree, field, encoded);
      mask.add(field.canonical());
    }
    deletes.forEach(p -> mask.add(p.canonical()));
    add(path, toMap(tree), mask, transforms, true);
  }

  void delete(String path) {
    writes.add(new ProtoWriter().string(Proto.Write.DELETE, name(path)));
  }

  /**
   * A {@code Write} of {@code data} at {@code path}: with a mask (the fields it may change) or none
   * (the whole document), server transforms, and an exists precondition or none.
   */
  private void add(
      String path,
      Map<String, ProtoWriter> data,
      List<String> mask,
      List<Values.Transform> transforms,
      Boolean exists) {
    ProtoWriter document = new ProtoWriter().string(Proto.Document.NAME, name(path));
    Values.putEntries(document, Proto.Document.FIELDS, data);
    ProtoWriter w = new ProtoWriter().message(Proto.Write.UPDATE, document);
    if (mask != null) {
      ProtoWriter m = new ProtoWriter();
      mask.forEach(p -> m.string(Proto.DocumentMask.FIELD_PATHS, p));
      w.message(Proto.Write.UPDATE_MASK, m);
    }
    if (exists != null) {
      w.message(
          Proto.Write.CURRENT_DOCUMENT, new ProtoWriter().bool(Proto.Precondition.EXISTS, exists));
    }
    transforms.forEach(t -> w.message(Proto.Write.UPDATE_TRANSFORMS, t.encode()));
    writes.add(w);
  }

  private static void refuseDeletes(Values.Split split, String what) {
    if (!split.deletes().isEmpty()) {
      throw new IllegalArgumentException(
          "FieldValue.delete() cannot be used in " + what + ": " + split.deletes());
    }
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> tree, FieldPath path, ProtoWriter value) {
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

  /** The tree of field paths as encoded values, its inner maps as map values. */
  @SuppressWarnings("unchecked")
  private static Map<String, ProtoWriter> toMap(Map<String, Object> tree) {
    Map<String, ProtoWriter> m = new LinkedHashMap<>();
    tree.forEach(
        (k, v) ->
            m.put(
                k,
                v instanceof ProtoWriter value
                    ? value
                    : Values.map(toMap((Map<String, Object>) v))));
    return m;
  }
}
