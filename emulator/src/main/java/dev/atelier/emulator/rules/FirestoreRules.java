package dev.atelier.emulator.rules;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.StructuredQuery;
import com.google.firestore.v1.Value;
import dev.atelier.emulator.engine.QueryConstraints;
import dev.atelier.emulator.rules.eval.EvalContext;
import dev.atelier.emulator.rules.eval.Times;
import dev.atelier.emulator.rules.eval.Val;
import dev.atelier.emulator.rules.lang.AccessMethod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code service cloud.firestore} of a rules file, applied to Firestore requests: document gets,
 * list queries and writes. Lookups ({@code get()}, {@code exists()}) read through a {@link Reader};
 * {@code getAfter()} and {@code existsAfter()} see a write's batch applied.
 *
 * <p>A list query is allowed only if the rule holds for every document the query may return ("rules
 * are not filters"): the rule is evaluated once per OR branch of the filter and per value of its
 * {@code in} filters, with {@code resource.data} knowing only the fields the branch fixes with
 * {@code ==}, {@code in}, IS_NULL or IS_NAN, the document id unknown (unless {@code __name__} is
 * fixed) and, for a collection group, the path between the parent and the group unknown. Anything
 * the rule reads beyond that is unknown and unknown never allows.
 */
public final class FirestoreRules {
  public static final String SERVICE = "cloud.firestore";

  /** Rule evaluations one list query may need (branches times in-values); more is refused. */
  static final int MAX_QUERY_CASES = 100;

  private final RulesEngine engine;

  private FirestoreRules(RulesEngine engine) {
    this.engine = engine;
  }

  /**
   * @throws dev.atelier.emulator.rules.lang.RulesSyntaxException with line and column
   */
  public static FirestoreRules parse(String source, String fileName) {
    return new FirestoreRules(RulesEngine.compile(source, fileName, SERVICE));
  }

  public static FirestoreRules load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
  }

  public String fileName() {
    return engine.fileName();
  }

  /** Documents as the rules' lookups see them. */
  @FunctionalInterface
  public interface Reader {
    Optional<Document> get(String name);
  }

  /** One document a write request changes: its state before and after the whole request. */
  public record Change(String name, Optional<Document> before, Optional<Document> after) {
    AccessMethod method() {
      if (after.isEmpty()) {
        return AccessMethod.DELETE;
      }
      return before.isEmpty() ? AccessMethod.CREATE : AccessMethod.UPDATE;
    }
  }

  /** Reading documents by name (one get, or a batch get of several: 20 lookups for the request). */
  public Decision read(
      Optional<AuthToken> auth,
      Map<String, Optional<Document>> documents,
      Instant time,
      Reader reader) {
    EvalContext context =
        context(documents.keySet().iterator().next(), reader, reader, documents.size() > 1);
    Decision decision = new Decision(true, List.of());
    for (Map.Entry<String, Optional<Document>> entry : documents.entrySet()) {
      String name = entry.getKey();
      Map<String, Val> globals = new LinkedHashMap<>();
      globals.put(
          "request",
          request(
              auth,
              AccessMethod.GET,
              new Val.PathV(DocumentValues.segments(name)),
              time,
              Optional.empty()));
      globals.put("resource", entry.getValue().<Val>map(DocumentValues::resource).orElse(Val.NULL));
      decision = engine.decide(AccessMethod.GET, known(name), globals, context);
      if (!decision.allowed()) {
        return decision;
      }
    }
    return decision;
  }

  /** A write request (commit, batch, transaction): every changed document must be allowed. */
  public Decision write(
      Optional<AuthToken> auth, List<Change> changes, Instant time, Reader before, Reader after) {
    if (changes.isEmpty()) {
      return new Decision(true, List.of());
    }
    EvalContext context = context(changes.get(0).name(), before, after, changes.size() > 1);
    Decision decision = new Decision(true, List.of());
    for (Change change : changes) {
      AccessMethod method = change.method();
      Map<String, Val> globals = new LinkedHashMap<>();
      Val requestResource = change.after().<Val>map(DocumentValues::resource).orElse(Val.NULL);
      globals.put(
          "request",
          request(
              auth,
              method,
              new Val.PathV(DocumentValues.segments(change.name())),
              time,
              Optional.of(requestResource)));
      globals.put("resource", change.before().<Val>map(DocumentValues::resource).orElse(Val.NULL));
      decision = engine.decide(method, known(change.name()), globals, context);
      if (!decision.allowed()) {
        return decision;
      }
    }
    return decision;
  }

  /**
   * A query (RunQuery, aggregation, Listen, ListDocuments) under {@code parent}: allowed only if
   * the list rule holds for every document it may return.
   */
  public Decision list(
      Optional<AuthToken> auth, String parent, StructuredQuery query, Instant time, Reader reader) {
    StructuredQuery.CollectionSelector from = query.getFrom(0);
    List<QueryConstraints.Branch> branches = QueryConstraints.branches(query);
    List<Map<List<String>, Value>> cases = new ArrayList<>();
    for (QueryConstraints.Branch branch : branches) {
      expand(new ArrayList<>(branch.candidates().entrySet()), 0, new LinkedHashMap<>(), cases);
      if (cases.size() > MAX_QUERY_CASES) {
        return Decision.deny(
            "the query has more than " + MAX_QUERY_CASES + " filter cases to prove");
      }
    }
    EvalContext context = context(parent, reader, reader, false);
    Decision decision = new Decision(true, List.of());
    for (Map<List<String>, Value> pinned : cases) {
      Value name = pinned.remove(List.of("__name__"));
      List<PathSegment> path;
      Val id;
      Val documentPath;
      if (name != null && name.hasReferenceValue()) {
        path = known(name.getReferenceValue());
        List<String> segments = DocumentValues.segments(name.getReferenceValue());
        id = new Val.Str(segments.get(segments.size() - 1));
        documentPath = new Val.PathV(segments);
      } else {
        path = new ArrayList<>(known(parent));
        if (from.getAllDescendants()) {
          path.add(new PathSegment.AnyRun("the collections between the parent and the group"));
        }
        path.add(
            from.getCollectionId().isEmpty()
                ? new PathSegment.AnyOne("the collection")
                : new PathSegment.Known(from.getCollectionId()));
        path.add(new PathSegment.AnyOne("the document id"));
        id = new Val.Unknown("the document id");
        documentPath = new Val.Unknown("the document path");
      }
      Map<String, Val> resource = new LinkedHashMap<>();
      resource.put("__name__", documentPath);
      resource.put("id", id);
      resource.put("data", partialData(pinned));
      Map<String, Val> globals = new LinkedHashMap<>();
      Val.MapV request = request(auth, AccessMethod.LIST, documentPath, time, Optional.empty());
      Map<String, Val> withQuery = new LinkedHashMap<>(request.entries());
      withQuery.put("query", queryValue(query));
      globals.put("request", new Val.MapV(withQuery));
      globals.put("resource", new Val.MapV(resource));
      decision = engine.decide(AccessMethod.LIST, path, globals, context);
      if (!decision.allowed()) {
        return decision;
      }
    }
    return decision;
  }

  private static void expand(
      List<Map.Entry<List<String>, List<Value>>> fields,
      int index,
      Map<List<String>, Value> chosen,
      List<Map<List<String>, Value>> out) {
    if (out.size() > MAX_QUERY_CASES) {
      return;
    }
    if (index == fields.size()) {
      out.add(new LinkedHashMap<>(chosen));
      return;
    }
    for (Value v : fields.get(index).getValue()) {
      chosen.put(fields.get(index).getKey(), v);
      expand(fields, index + 1, chosen, out);
    }
    chosen.remove(fields.get(index).getKey());
  }

  /** The document's data as far as the filters fix it. */
  private static Val partialData(Map<List<String>, Value> pinned) {
    Map<String, Object> tree = new LinkedHashMap<>();
    for (Map.Entry<List<String>, Value> entry : pinned.entrySet()) {
      List<String> path = entry.getKey();
      Map<String, Object> level = tree;
      boolean conflict = false;
      for (int i = 0; i < path.size() - 1 && !conflict; i++) {
        Object next = level.computeIfAbsent(path.get(i), k -> new LinkedHashMap<String, Object>());
        if (next instanceof Map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> nested = (Map<String, Object>) next;
          level = nested;
        } else {
          conflict = true;
        }
      }
      if (!conflict) {
        level.putIfAbsent(path.get(path.size() - 1), DocumentValues.value(entry.getValue()));
      }
    }
    return partial(tree);
  }

  private static Val partial(Map<String, Object> tree) {
    Map<String, Val> known = new LinkedHashMap<>();
    tree.forEach(
        (k, v) -> {
          if (v instanceof Val value) {
            known.put(k, value);
          } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = (Map<String, Object>) v;
            known.put(k, partial(nested));
          }
        });
    return new Val.PartialMap(known);
  }

  /** {@code request.query}: limit (null without one) and offset. */
  private static Val queryValue(StructuredQuery query) {
    Map<String, Val> q = new LinkedHashMap<>();
    q.put("limit", query.hasLimit() ? new Val.Int(query.getLimit().getValue()) : Val.NULL);
    q.put("offset", new Val.Int(query.getOffset()));
    return new Val.MapV(q);
  }

  private static Val.MapV request(
      Optional<AuthToken> auth,
      AccessMethod method,
      Val path,
      Instant time,
      Optional<Val> resource) {
    Map<String, Val> request = new LinkedHashMap<>();
    request.put("auth", auth.<Val>map(AuthToken::value).orElse(Val.NULL));
    request.put("method", new Val.Str(method.wireName()));
    request.put("path", path);
    request.put("time", Times.ofInstant(time));
    resource.ifPresent(r -> request.put("resource", r));
    return new Val.MapV(request);
  }

  private static List<PathSegment> known(String name) {
    List<PathSegment> path = new ArrayList<>();
    for (String s : DocumentValues.segments(name)) {
      path.add(new PathSegment.Known(s));
    }
    return path;
  }

  private static EvalContext context(
      String anyName, Reader before, Reader after, boolean multiDocument) {
    String project = DocumentValues.project(anyName);
    return new EvalContext(
        (path, afterWrite) -> {
          String name = DocumentValues.documentName(project, path);
          if (name == null) {
            throw dev.atelier.emulator.rules.eval.EvalException.error(
                "not a document path: " + path);
          }
          return (afterWrite ? after : before).get(name).map(DocumentValues::resource).orElse(null);
        },
        multiDocument ? EvalContext.MULTI_DOCUMENT_LOOKUPS : EvalContext.PER_OPERATION_LOOKUPS);
  }
}
