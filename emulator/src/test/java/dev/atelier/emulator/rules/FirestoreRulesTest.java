package dev.atelier.emulator.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.firestore.v1.ArrayValue;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.StructuredQuery.CompositeFilter;
import com.google.firestore.v1.StructuredQuery.FieldFilter;
import com.google.firestore.v1.StructuredQuery.FieldReference;
import com.google.firestore.v1.StructuredQuery.Filter;
import com.google.firestore.v1.Value;
import com.google.protobuf.Int32Value;
import com.google.protobuf.util.Timestamps;
import dev.atelier.emulator.rules.eval.Val;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Firestore requests against rules: "rules are not filters" list proofs and write patterns. */
class FirestoreRulesTest {
  private static final String ROOT = "projects/p/databases/(default)/documents";
  private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");

  private static final FirestoreRules RULES =
      FirestoreRules.parse(
          """
      rules_version = '2';
      service cloud.firestore {
        match /databases/{database}/documents {
          match /posts/{id} {
            allow list: if resource.data.isPublic == true && resource.data.isDeleted == false;
            allow get: if resource.data.isPublic == true || request.auth.uid == resource.data.owner;
            allow update: if request.auth != null && request.auth.uid == resource.data.owner
                && request.resource.data.diff(resource.data).affectedKeys().hasOnly(['title', 'updatedAt'])
                && request.resource.data.updatedAt == request.time
                && request.resource.data.title is string && request.resource.data.title.size() <= 10;
            allow create: if request.auth != null && request.resource.data.owner == request.auth.uid
                && request.resource.data.keys().hasOnly(['owner', 'title', 'isPublic', 'isDeleted']);
            allow delete: if request.auth.uid == resource.data.owner;
          }
          match /users/{uid}/notes/{note} {
            allow list: if request.auth.uid == uid;
          }
          match /{path=**}/comments/{comment} {
            allow list: if resource.data.visible == true;
          }
          match /limited/{id} {
            allow list: if request.query.limit <= 10;
          }
          match /byOwner/{id} {
            allow list: if resource.data.owner == request.auth.uid;
          }
          match /byName/{id} {
            allow list: if id == 'a' || id == 'b';
          }
          match /counters/{id} {
            allow update: if getAfter(/databases/$(database)/documents/counters/$(id)).data.n == resource.data.n + 1;
          }
          match /guarded/{id} {
            allow create: if existsAfter(/databases/$(database)/documents/audit/$(id))
                && !exists(/databases/$(database)/documents/audit/$(id));
          }
          match /audit/{id} {
            allow create: if true;
          }
        }
      }
      """,
          "test.rules");

  private final Map<String, Document> stored = new HashMap<>();

  private static Optional<AuthToken> user(String uid) {
    return Optional.of(new AuthToken(uid, new Val.MapV(Map.of("sub", new Val.Str(uid)))));
  }

  private static Value bool(boolean b) {
    return Value.newBuilder().setBooleanValue(b).build();
  }

  private static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value num(long n) {
    return Value.newBuilder().setIntegerValue(n).build();
  }

  private static Value ref(String relative) {
    return Value.newBuilder().setReferenceValue(ROOT + "/" + relative).build();
  }

  private static Value array(Value... values) {
    return Value.newBuilder()
        .setArrayValue(ArrayValue.newBuilder().addAllValues(List.of(values)))
        .build();
  }

  private static Filter where(String field, FieldFilter.Operator op, Value value) {
    return Filter.newBuilder()
        .setFieldFilter(
            FieldFilter.newBuilder()
                .setField(FieldReference.newBuilder().setFieldPath(field))
                .setOp(op)
                .setValue(value))
        .build();
  }

  private static Filter eq(String field, Value value) {
    return where(field, FieldFilter.Operator.EQUAL, value);
  }

  private static Filter composite(CompositeFilter.Operator op, Filter... filters) {
    return Filter.newBuilder()
        .setCompositeFilter(CompositeFilter.newBuilder().setOp(op).addAllFilters(List.of(filters)))
        .build();
  }

  private static Filter and(Filter... filters) {
    return composite(CompositeFilter.Operator.AND, filters);
  }

  private static Filter or(Filter... filters) {
    return composite(CompositeFilter.Operator.OR, filters);
  }

  private static StructuredQuery query(String collection, boolean group, Filter filter) {
    StructuredQuery.Builder q =
        StructuredQuery.newBuilder()
            .addFrom(
                StructuredQuery.CollectionSelector.newBuilder()
                    .setCollectionId(collection)
                    .setAllDescendants(group));
    if (filter != null) {
      q.setWhere(filter);
    }
    return q.build();
  }

  private Decision list(Optional<AuthToken> auth, String parent, StructuredQuery query) {
    return RULES.list(auth, parent, query, NOW, name -> Optional.ofNullable(stored.get(name)));
  }

  private boolean listed(Optional<AuthToken> auth, String collection, Filter filter) {
    return list(auth, ROOT, query(collection, false, filter)).allowed();
  }

  // ---- rules are not filters ----

  @Test
  void aListIsAllowedOnlyWhenItsFiltersProveTheRule() {
    Optional<AuthToken> anyone = Optional.empty();
    assertTrue(
        listed(anyone, "posts", and(eq("isPublic", bool(true)), eq("isDeleted", bool(false)))));
    Decision onlyPublic = list(anyone, ROOT, query("posts", false, eq("isPublic", bool(true))));
    assertFalse(onlyPublic.allowed());
    assertTrue(
        onlyPublic.explanation().contains("not provable for every result"),
        onlyPublic.explanation());
    assertTrue(onlyPublic.explanation().contains("isDeleted"), onlyPublic.explanation());
    assertFalse(listed(anyone, "posts", null), "no filter: the query may return private posts");
    assertFalse(
        listed(anyone, "posts", and(eq("isPublic", bool(false)), eq("isDeleted", bool(false)))));
    assertFalse(
        listed(
            anyone,
            "posts",
            and(
                where("isPublic", FieldFilter.Operator.NOT_EQUAL, bool(false)),
                eq("isDeleted", bool(false)))),
        "an inequality fixes nothing");
  }

  @Test
  void everyBranchOfAnOrAndEveryValueOfAnInMustProveTheRule() {
    Optional<AuthToken> anyone = Optional.empty();
    Filter publicLive = and(eq("isPublic", bool(true)), eq("isDeleted", bool(false)));
    Filter publicDeleted = and(eq("isPublic", bool(true)), eq("isDeleted", bool(true)));
    assertTrue(listed(anyone, "posts", or(publicLive, and(publicLive, eq("title", str("x"))))));
    assertFalse(listed(anyone, "posts", or(publicLive, publicDeleted)));
    assertTrue(
        listed(
            anyone,
            "posts",
            and(
                where("isPublic", FieldFilter.Operator.IN, array(bool(true))),
                eq("isDeleted", bool(false)))));
    assertFalse(
        listed(
            anyone,
            "posts",
            and(
                where("isPublic", FieldFilter.Operator.IN, array(bool(true), bool(false))),
                eq("isDeleted", bool(false)))));
  }

  @Test
  void pathWildcardsOfTheQueryParentAreKnown() {
    String notesParent = ROOT + "/users/u1";
    assertTrue(list(user("u1"), notesParent, query("notes", false, null)).allowed());
    assertFalse(list(user("u2"), notesParent, query("notes", false, null)).allowed());
    assertFalse(list(Optional.empty(), notesParent, query("notes", false, null)).allowed());
  }

  @Test
  void collectionGroupQueriesNeedARecursiveWildcardRule() {
    assertTrue(
        list(Optional.empty(), ROOT, query("comments", true, eq("visible", bool(true)))).allowed());
    assertFalse(list(Optional.empty(), ROOT, query("comments", true, null)).allowed());
    assertFalse(
        list(user("u1"), ROOT, query("notes", true, null)).allowed(),
        "/users/{uid}/notes cannot cover notes anywhere, nor know uid");
  }

  @Test
  void requestQueryLimitIsVisibleToListRules() {
    StructuredQuery limited =
        query("limited", false, null).toBuilder().setLimit(Int32Value.of(5)).build();
    assertTrue(list(Optional.empty(), ROOT, limited).allowed());
    assertFalse(
        list(Optional.empty(), ROOT, limited.toBuilder().setLimit(Int32Value.of(20)).build())
            .allowed());
    assertFalse(
        list(Optional.empty(), ROOT, query("limited", false, null)).allowed(),
        "no limit: null <= 10 errs");
  }

  @Test
  void filtersOnTheCallersUidProveOwnership() {
    assertTrue(listed(user("u1"), "byOwner", eq("owner", str("u1"))));
    assertFalse(listed(user("u1"), "byOwner", eq("owner", str("u2"))));
    assertFalse(listed(Optional.empty(), "byOwner", eq("owner", str("u1"))));
    assertFalse(listed(user("u1"), "byOwner", null));
  }

  @Test
  void documentIdFiltersFixTheWildcard() {
    assertTrue(listed(Optional.empty(), "byName", eq("__name__", ref("byName/a"))));
    assertTrue(
        listed(
            Optional.empty(),
            "byName",
            where("__name__", FieldFilter.Operator.IN, array(ref("byName/a"), ref("byName/b")))));
    assertFalse(
        listed(
            Optional.empty(),
            "byName",
            where("__name__", FieldFilter.Operator.IN, array(ref("byName/a"), ref("byName/c")))));
    assertFalse(listed(Optional.empty(), "byName", null));
  }

  // ---- gets ----

  @Test
  void getsSeeTheStoredDocument() {
    Document privatePost = doc("posts/p", Map.of("isPublic", bool(false), "owner", str("u1")));
    assertTrue(read(user("u1"), privatePost).allowed());
    assertFalse(read(user("u2"), privatePost).allowed());
    assertTrue(read(Optional.empty(), doc("posts/q", Map.of("isPublic", bool(true)))).allowed());
    assertFalse(
        RULES
            .read(
                Optional.empty(),
                Map.of(ROOT + "/posts/none", Optional.empty()),
                NOW,
                name -> Optional.empty())
            .allowed(),
        "a missing document: resource is null");
  }

  private Decision read(Optional<AuthToken> auth, Document document) {
    return RULES.read(
        auth, Map.of(document.getName(), Optional.of(document)), NOW, name -> Optional.empty());
  }

  // ---- writes ----

  private static Document doc(String relative, Map<String, Value> fields) {
    return Document.newBuilder().setName(ROOT + "/" + relative).putAllFields(fields).build();
  }

  private Decision write(Optional<AuthToken> auth, Document before, Document after) {
    String name = before != null ? before.getName() : after.getName();
    return writeAll(
        auth,
        List.of(
            new FirestoreRules.Change(
                name, Optional.ofNullable(before), Optional.ofNullable(after))));
  }

  private Decision writeAll(Optional<AuthToken> auth, List<FirestoreRules.Change> changes) {
    Map<String, Optional<Document>> after = new LinkedHashMap<>();
    changes.forEach(c -> after.put(c.name(), c.after()));
    return RULES.write(
        auth,
        changes,
        NOW,
        name -> Optional.ofNullable(stored.get(name)),
        name -> after.containsKey(name) ? after.get(name) : Optional.ofNullable(stored.get(name)));
  }

  private static final Value NOW_VALUE =
      Value.newBuilder().setTimestampValue(Timestamps.fromMillis(NOW.toEpochMilli())).build();

  @Test
  void updatesMayTouchOnlyTheFieldsAffectedKeysAllows() {
    Map<String, Value> fields =
        new LinkedHashMap<>(
            Map.of(
                "owner",
                str("u1"),
                "title",
                str("old"),
                "isPublic",
                bool(false),
                "isDeleted",
                bool(false)));
    Document before = doc("posts/p", fields);
    Map<String, Value> retitled = new LinkedHashMap<>(fields);
    retitled.put("title", str("new"));
    retitled.put("updatedAt", NOW_VALUE);
    assertTrue(write(user("u1"), before, doc("posts/p", retitled)).allowed());
    assertFalse(write(user("u2"), before, doc("posts/p", retitled)).allowed(), "not the owner");

    Map<String, Value> published = new LinkedHashMap<>(retitled);
    published.put("isPublic", bool(true));
    Decision d = write(user("u1"), before, doc("posts/p", published));
    assertFalse(d.allowed(), "isPublic is not in hasOnly");
    assertTrue(d.explanation().contains("false for 'update' @ L7:"), d.explanation());

    Map<String, Value> stale = new LinkedHashMap<>(retitled);
    stale.put("updatedAt", Value.newBuilder().setTimestampValue(Timestamps.fromMillis(0)).build());
    assertFalse(
        write(user("u1"), before, doc("posts/p", stale)).allowed(),
        "updatedAt must be the request time");

    Map<String, Value> tooLong = new LinkedHashMap<>(retitled);
    tooLong.put("title", str("a title far too long"));
    assertFalse(write(user("u1"), before, doc("posts/p", tooLong)).allowed());

    Map<String, Value> removed = new LinkedHashMap<>(retitled);
    removed.remove("isDeleted");
    assertFalse(
        write(user("u1"), before, doc("posts/p", removed)).allowed(), "removing a key affects it");
  }

  @Test
  void createsAndDeletes() {
    Document created = doc("posts/n", Map.of("owner", str("u1"), "title", str("t")));
    assertTrue(write(user("u1"), null, created).allowed());
    assertFalse(write(user("u2"), null, created).allowed());
    assertFalse(write(Optional.empty(), null, created).allowed());
    assertFalse(
        write(user("u1"), null, doc("posts/n", Map.of("owner", str("u1"), "credits", num(100))))
            .allowed());
    assertTrue(write(user("u1"), created, null).allowed());
    assertFalse(write(user("u2"), created, null).allowed());
  }

  @Test
  void getAfterAndExistsAfterSeeTheWholeBatch() {
    Document one = doc("counters/c", Map.of("n", num(1)));
    stored.put(one.getName(), one);
    assertTrue(write(user("u"), one, doc("counters/c", Map.of("n", num(2)))).allowed());
    assertFalse(write(user("u"), one, doc("counters/c", Map.of("n", num(3)))).allowed());

    Document guarded = doc("guarded/g", Map.of());
    Document audit = doc("audit/g", Map.of());
    assertFalse(
        write(user("u"), null, guarded).allowed(), "alone: no audit record after the write");
    assertTrue(
        writeAll(
                user("u"),
                List.of(
                    new FirestoreRules.Change(
                        guarded.getName(), Optional.empty(), Optional.of(guarded)),
                    new FirestoreRules.Change(
                        audit.getName(), Optional.empty(), Optional.of(audit))))
            .allowed());
  }
}
