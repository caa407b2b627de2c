package dev.atelier.emulator;

import com.google.firestore.v1.Document;
import com.google.firestore.v1.DocumentMask;
import com.google.firestore.v1.ListDocumentsResponse;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.atelier.emulator.engine.Projections;
import dev.atelier.emulator.rules.AuthToken;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Firestore's REST reads, so a developer with curl sees documents as with Google's emulator:
 *
 * <pre>
 * GET /v1/projects/{p}/databases/{d}/documents/{collection}/{id}   documents.get  → Document JSON, 404 when absent
 * GET /v1/projects/{p}/databases/{d}/documents/{collection}        documents.list → {documents, nextPageToken}
 * </pre>
 *
 * Bodies are the protobuf JSON mapping of the v1 messages, as Google's REST API answers them
 * ({@code fields} of typed values, {@code integerValue} as a string, RFC 3339 times). Query
 * parameters: {@code mask.fieldPaths} (repeatable) on both, {@code pageSize} and {@code pageToken}
 * on lists. Like production, a list holds only the collection's direct documents, in id order, and
 * leaves {@code documents} out when there are none. Reads see the latest committed snapshot and
 * count as document reads. Writes are not served over REST (gRPC only). With rules, a read is
 * decided as over gRPC: {@code Bearer owner} bypasses, an ID token or no token meets the rules (403
 * PERMISSION_DENIED; a list only when the rule holds for every document of the collection).
 */
final class RestReads {
  private static final Pattern DOCUMENTS =
      Pattern.compile("/v1/(projects/[^/]+/databases/[^/]+/documents)(/.*)?");
  private static final JsonFormat.Printer JSON = JsonFormat.printer();

  /**
   * JsonFormat escapes = & < > ' as unicode escapes (HTML-safe); Google's API does not, and URLs
   * read better plain.
   */
  private static final Gson PLAIN =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

  private final DocumentStore store;
  private final OperationCounters counters;
  private final RulesGuard rules;
  private final AuthInterceptor callers = new AuthInterceptor(java.time.Clock.systemUTC());

  RestReads(DocumentStore store, OperationCounters counters, RulesGuard rules) {
    this.store = store;
    this.counters = counters;
    this.rules = rules;
  }

  /** Whether {@code path} (decoded) is a REST document path this class answers. */
  static boolean matches(String path) {
    return DOCUMENTS.matcher(path).matches();
  }

  /**
   * Answers one request on a path {@link #matches} accepted.
   *
   * @param query decoded query parameters, each with all its values in order
   */
  AdminHttp.Response handle(
      String method, String path, Map<String, List<String>> query, String authorization) {
    if (!method.equals("GET")) {
      return error(
          501,
          "UNIMPLEMENTED",
          "This emulator serves only REST reads (GET documents.get and documents.list);"
              + " write through the gRPC API (a Firestore client library).");
    }
    Matcher matcher = DOCUMENTS.matcher(path);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(path);
    }
    String root = matcher.group(1);
    String rest = matcher.group(2) == null ? "" : matcher.group(2).substring(1);
    List<String> segments = rest.isEmpty() ? List.of() : List.of(rest.split("/", -1));
    if (segments.isEmpty() || segments.stream().anyMatch(String::isEmpty)) {
      return error(
          400,
          "INVALID_ARGUMENT",
          "Expected " + root + "/{collection}[/{document}…], got " + path.substring(4));
    }
    Optional<DocumentMask> mask =
        Optional.ofNullable(query.get("mask.fieldPaths"))
            .map(paths -> DocumentMask.newBuilder().addAllFieldPaths(paths).build());
    String name = root + "/" + rest;
    Caller caller;
    try {
      caller = rules.enforcing() ? callers.caller(authorization) : new Caller.Owner();
    } catch (AuthToken.InvalidTokenException e) {
      return error(401, "UNAUTHENTICATED", e.getMessage());
    }
    try {
      return segments.size() % 2 == 0 ? get(caller, name, mask) : list(caller, name, mask, query);
    } catch (IllegalArgumentException e) {
      return error(400, "INVALID_ARGUMENT", e.getMessage());
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.PERMISSION_DENIED) {
        return error(403, "PERMISSION_DENIED", e.getStatus().getDescription());
      }
      throw e;
    }
  }

  private AdminHttp.Response get(Caller caller, String name, Optional<DocumentMask> mask) {
    long at = store.snapshot();
    Optional<Document> document = store.get(name, at);
    rules.checkGet(caller, Map.of(name, document), at);
    counters.read(1);
    if (document.isEmpty()) {
      return error(404, "NOT_FOUND", "Document \"" + name + "\" not found.");
    }
    return json(mask.map(m -> Projections.project(document.get(), m)).orElse(document.get()));
  }

  private AdminHttp.Response list(
      Caller caller,
      String collection,
      Optional<DocumentMask> mask,
      Map<String, List<String>> query) {
    int cut = collection.lastIndexOf('/');
    rules.checkList(
        caller,
        collection.substring(0, cut),
        com.google.firestore.v1.StructuredQuery.newBuilder()
            .addFrom(
                com.google.firestore.v1.StructuredQuery.CollectionSelector.newBuilder()
                    .setCollectionId(collection.substring(cut + 1)))
            .build(),
        store.snapshot());
    int pageSize = pageSize(first(query, "pageSize").orElse(""));
    String token = first(query, "pageToken").orElse("");
    String prefix = collection + "/";
    TreeMap<String, Document> byId = new TreeMap<>();
    for (Document document : store.list(prefix, store.snapshot())) {
      String id = document.getName().substring(prefix.length());
      if (id.indexOf('/') < 0) {
        byId.put(id, mask.map(m -> Projections.project(document, m)).orElse(document));
      }
    }
    Map<String, Document> page = token.isEmpty() ? byId : byId.tailMap(token, false);
    ListDocumentsResponse.Builder response = ListDocumentsResponse.newBuilder();
    String last = null;
    for (Map.Entry<String, Document> entry : page.entrySet()) {
      if (pageSize > 0 && response.getDocumentsCount() == pageSize) {
        response.setNextPageToken(last);
        break;
      }
      response.addDocuments(entry.getValue());
      last = entry.getKey();
    }
    counters.read(Math.max(1, response.getDocumentsCount()));
    return json(response);
  }

  private static int pageSize(String raw) {
    if (raw.isEmpty()) {
      return 0;
    }
    try {
      int size = Integer.parseInt(raw);
      if (size >= 0) {
        return size;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        "Invalid value at 'page_size' (TYPE_INT32), \"" + raw + "\"");
  }

  private static Optional<String> first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  private static AdminHttp.Response json(MessageOrBuilder message) {
    try {
      return new AdminHttp.Response(
          200,
          "application/json",
          PLAIN.toJson(JsonParser.parseString(JSON.print(message))) + "\n");
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored document does not print as JSON", e);
    }
  }

  /**
   * Google's REST error shape: {@code {"error": {"code": 404, "message": "…", "status":
   * "NOT_FOUND"}}}.
   */
  static AdminHttp.Response error(int code, String status, String message) {
    return new AdminHttp.Response(
        code,
        "application/json",
        PLAIN.toJson(
                Map.of(
                    "error",
                    new TreeMap<>(Map.of("code", code, "message", message, "status", status))))
            + "\n");
  }
}
