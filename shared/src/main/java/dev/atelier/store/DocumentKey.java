package dev.atelier.store;

import java.util.Map;

/**
 * A document path recognised by {@link DocumentKind#parse}: its kind, its relative path ({@code
 * credits/u1/ledger/e1}) and the ids bound to the kind's template variables ({@code uid → u1,
 * entryId → e1}).
 */
public record DocumentKey(DocumentKind kind, String path, Map<String, String> ids) {

  public DocumentKey {
    ids = Map.copyOf(ids);
  }

  /** The id bound to template variable {@code variable}, e.g. {@code id("uid")}. */
  public String id(String variable) {
    String v = ids.get(variable);
    if (v == null) {
      throw new IllegalArgumentException(kind + " has no id variable '" + variable + "'");
    }
    return v;
  }

  /** The last path segment (the document id). */
  public String documentId() {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
