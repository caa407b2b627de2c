package dev.atelier.emulator.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.emulator.rules.eval.EvalContext;
import dev.atelier.emulator.rules.eval.Val;
import dev.atelier.emulator.rules.lang.AccessMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matching, scoping, allow semantics and lookups of whole rules files. */
class RulesEngineTest {
  private final Map<String, Val.MapV> documents = new HashMap<>();
  private final List<String> lookedUp = new ArrayList<>();

  private static RulesEngine rules(String source) {
    return RulesEngine.compile(source, "t.rules", "cloud.firestore");
  }

  private static List<PathSegment> path(String path) {
    List<PathSegment> segments = new ArrayList<>();
    for (String s : path.substring(1).split("/")) {
      segments.add(new PathSegment.Known(s));
    }
    return segments;
  }

  private static Val.MapV auth(String uid) {
    return new Val.MapV(
        Map.of("uid", new Val.Str(uid), "token", new Val.MapV(Map.of("admin", Val.FALSE))));
  }

  private Decision decide(RulesEngine rules, AccessMethod method, String path, Val auth) {
    return decide(rules, method, path, auth, context(EvalContext.PER_OPERATION_LOOKUPS));
  }

  private Decision decide(
      RulesEngine rules, AccessMethod method, String path, Val auth, EvalContext context) {
    Map<String, Val> request = new LinkedHashMap<>();
    request.put("auth", auth);
    request.put("method", new Val.Str(method.wireName()));
    Map<String, Val> globals = new LinkedHashMap<>();
    globals.put("request", new Val.MapV(request));
    globals.put("resource", documents.containsKey(path) ? documents.get(path) : Val.NULL);
    return rules.decide(method, path(path), globals, context);
  }

  private EvalContext context(int limit) {
    return new EvalContext(
        (p, after) -> {
          lookedUp.add(p.toString());
          return documents.get(p.toString());
        },
        limit);
  }

  private void put(String path, Map<String, Val> data) {
    List<String> segments = List.of(path.substring(1).split("/"));
    documents.put(
        path,
        new Val.MapV(
            Map.of(
                "__name__",
                new Val.PathV(segments),
                "id",
                new Val.Str(segments.get(segments.size() - 1)),
                "data",
                new Val.MapV(data))));
  }

  private static final String OWNER_RULES =
      """
      rules_version = '2';
      service cloud.firestore {
        match /databases/{database}/documents {
          function isOwner(uid) { return request.auth != null && request.auth.uid == uid; }
          match /users/{uid} {
            allow read: if isOwner(uid);
            match /private/{doc} {
              allow get: if isOwner(uid);
            }
          }
        }
      }
      """;

  @Test
  void wildcardsBindAndNestedBlocksSeeOuterWildcards() {
    RulesEngine rules = rules(OWNER_RULES);
    assertTrue(
        decide(rules, AccessMethod.GET, "/databases/(default)/documents/users/u1", auth("u1"))
            .allowed());
    assertFalse(
        decide(rules, AccessMethod.GET, "/databases/(default)/documents/users/u1", auth("u2"))
            .allowed());
    assertFalse(
        decide(rules, AccessMethod.GET, "/databases/(default)/documents/users/u1", Val.NULL)
            .allowed());
    assertTrue(
        decide(
                rules,
                AccessMethod.GET,
                "/databases/(default)/documents/users/u1/private/p",
                auth("u1"))
            .allowed());
    assertFalse(
        decide(
                rules,
                AccessMethod.LIST,
                "/databases/(default)/documents/users/u1/private/p",
                auth("u1"))
            .allowed(),
        "get does not grant list");
    assertFalse(
        decide(rules, AccessMethod.UPDATE, "/databases/(default)/documents/users/u1", auth("u1"))
            .allowed());
  }

  @Test
  void aMatchDoesNotCoverSubcollections() {
    RulesEngine rules = rules(OWNER_RULES);
    Decision d =
        decide(
            rules, AccessMethod.GET, "/databases/(default)/documents/users/u1/other/x", auth("u1"));
    assertFalse(d.allowed());
    assertTrue(d.explanation().contains("no allow statement for 'get' matches"), d.explanation());
  }

  @Test
  void denialsNameEachAllowStatementWithItsLocation() {
    Decision d =
        decide(
            rules(OWNER_RULES),
            AccessMethod.GET,
            "/databases/(default)/documents/users/u1",
            auth("u2"));
    assertEquals("false for 'get' @ L6:7", d.explanation());
    Decision anonymous =
        decide(
            rules(
                """
        service cloud.firestore {
          match /databases/{db}/documents/users/{uid} {
            allow get: if request.auth.uid == uid;
          }
        }
        """),
            AccessMethod.GET,
            "/databases/(default)/documents/users/u1",
            Val.NULL);
    assertTrue(
        anonymous.explanation().startsWith("error for 'get' @ L3:5: Null value error."),
        anonymous.explanation());
  }

  @Test
  void anyTrueAllowAmongOverlappingMatchesGrants() {
    RulesEngine rules =
        rules(
            """
        rules_version = '2';
        service cloud.firestore {
          match /databases/{db}/documents {
            match /{document=**} { allow read: if false; }
            match /posts/{id} { allow read: if request.auth.missing; }
            match /posts/{id} { allow get: if id == 'open'; }
          }
        }
        """);
    assertTrue(
        decide(rules, AccessMethod.GET, "/databases/(default)/documents/posts/open", Val.NULL)
            .allowed());
    Decision d =
        decide(rules, AccessMethod.GET, "/databases/(default)/documents/posts/closed", Val.NULL);
    assertFalse(d.allowed());
    assertEquals(3, d.reasons().size(), d.explanation());
  }

  @Test
  void recursiveWildcardsMatchZeroSegmentsOnlyInVersionTwo() {
    String body =
        """
        service cloud.firestore {
          match /databases/{db}/documents {
            match /cities/{rest=**} { allow get: if rest == /SF || rest == /SF/landmarks/x; }
          }
        }
        """;
    RulesEngine v2 = rules("rules_version = '2';\n" + body);
    RulesEngine v1 = rules(body);
    assertTrue(
        decide(v2, AccessMethod.GET, "/databases/(default)/documents/cities/SF", Val.NULL)
            .allowed());
    assertTrue(
        decide(
                v2,
                AccessMethod.GET,
                "/databases/(default)/documents/cities/SF/landmarks/x",
                Val.NULL)
            .allowed());
    assertTrue(
        decide(v1, AccessMethod.GET, "/databases/(default)/documents/cities/SF", Val.NULL)
            .allowed());
    RulesEngine anywhere =
        rules(
            """
        rules_version = '2';
        service cloud.firestore {
          match /databases/{db}/documents/{path=**}/items/{id} { allow get: if true; }
        }
        """);
    assertTrue(
        decide(anywhere, AccessMethod.GET, "/databases/(default)/documents/items/i", Val.NULL)
            .allowed());
    assertTrue(
        decide(anywhere, AccessMethod.GET, "/databases/(default)/documents/u/1/items/i", Val.NULL)
            .allowed());
    RulesEngine anywhereV1 =
        rules(
            """
        service cloud.firestore {
          match /databases/{db}/documents/{path=**}/items/{id} { allow get: if true; }
        }
        """);
    assertFalse(
        decide(anywhereV1, AccessMethod.GET, "/databases/(default)/documents/items/i", Val.NULL)
            .allowed());
  }

  @Test
  void functionsSeeTheWildcardsOfTheirOwnBlockNotTheCaller() {
    RulesEngine rules =
        rules(
            """
        service cloud.firestore {
          match /databases/{database}/documents {
            function db() { return database; }
            match /a/{database} {
              allow get: if db() == '(default)';
            }
          }
        }
        """);
    assertTrue(
        decide(rules, AccessMethod.GET, "/databases/(default)/documents/a/other", Val.NULL)
            .allowed());
  }

  @Test
  void recursionIsRefused() {
    RulesEngine rules =
        rules(
            """
        service cloud.firestore {
          function loop(n) { return n == 0 || loop(n - 1); }
          match /databases/{db}/documents/a/{id} { allow get: if loop(3); }
        }
        """);
    Decision d = decide(rules, AccessMethod.GET, "/databases/(default)/documents/a/x", Val.NULL);
    assertFalse(d.allowed());
    assertTrue(d.explanation().contains("recursive call"), d.explanation());
  }

  @Test
  void getAndExistsReadOtherDocuments() {
    RulesEngine rules =
        rules(
            """
        rules_version = '2';
        service cloud.firestore {
          match /databases/{database}/documents {
            function role() { return get(/databases/$(database)/documents/roles/$(request.auth.uid)).data.role; }
            match /reports/{id} {
              allow get: if exists(/databases/$(database)/documents/roles/$(request.auth.uid)) && role() == 'editor';
            }
          }
        }
        """);
    put("/databases/(default)/documents/roles/u1", Map.of("role", new Val.Str("editor")));
    put("/databases/(default)/documents/roles/u2", Map.of("role", new Val.Str("viewer")));
    assertTrue(
        decide(rules, AccessMethod.GET, "/databases/(default)/documents/reports/r", auth("u1"))
            .allowed());
    assertFalse(
        decide(rules, AccessMethod.GET, "/databases/(default)/documents/reports/r", auth("u2"))
            .allowed());
    assertFalse(
        decide(rules, AccessMethod.GET, "/databases/(default)/documents/reports/r", auth("u3"))
            .allowed());
    assertEquals(
        List.of(
            "/databases/(default)/documents/roles/u1",
            "/databases/(default)/documents/roles/u2",
            "/databases/(default)/documents/roles/u3"),
        lookedUp,
        "identical lookups are made once");
  }

  @Test
  void lookupsAreLimitedPerOperationAndPerRequest() {
    StringBuilder condition = new StringBuilder("true");
    for (int i = 0; i < 11; i++) {
      condition.append(" && !exists(/databases/$(db)/documents/x/d").append(i).append(")");
    }
    RulesEngine eleven =
        rules(
            "service cloud.firestore { match /databases/{db}/documents/a/{id} { allow get: if "
                + condition
                + "; } }");
    Decision d = decide(eleven, AccessMethod.GET, "/databases/(default)/documents/a/1", Val.NULL);
    assertFalse(d.allowed());
    assertTrue(
        d.explanation().contains("maximum number of document access calls"), d.explanation());

    RulesEngine six =
        rules(
            "service cloud.firestore { match /databases/{db}/documents/a/{id} { allow get: if "
                + "!exists(/databases/$(db)/documents/x/$(id + '1')) && !exists(/databases/$(db)/documents/x/$(id + '2'))"
                + " && !exists(/databases/$(db)/documents/x/$(id + '3')) && !exists(/databases/$(db)/documents/x/$(id + '4'))"
                + " && !exists(/databases/$(db)/documents/x/$(id + '5')) && !exists(/databases/$(db)/documents/x/$(id + '6'))"
                + "; } }");
    EvalContext multi = context(EvalContext.MULTI_DOCUMENT_LOOKUPS);
    assertTrue(
        decide(six, AccessMethod.GET, "/databases/(default)/documents/a/p", Val.NULL, multi)
            .allowed());
    assertTrue(
        decide(six, AccessMethod.GET, "/databases/(default)/documents/a/q", Val.NULL, multi)
            .allowed());
    assertTrue(
        decide(six, AccessMethod.GET, "/databases/(default)/documents/a/r", Val.NULL, multi)
            .allowed());
    Decision fourth =
        decide(six, AccessMethod.GET, "/databases/(default)/documents/a/s", Val.NULL, multi);
    assertFalse(
        fourth.allowed(), "18 lookups done, the fourth document needs 6 more than the 20 allowed");
    EvalContext single = context(EvalContext.PER_OPERATION_LOOKUPS);
    assertTrue(
        decide(six, AccessMethod.GET, "/databases/(default)/documents/a/p", Val.NULL, single)
            .allowed());
    assertFalse(
        decide(six, AccessMethod.GET, "/databases/(default)/documents/a/q", Val.NULL, single)
            .allowed());
  }

  @Test
  void allowWithoutConditionAndWriteGroups() {
    RulesEngine rules =
        rules(
            """
        service cloud.firestore {
          match /databases/{db}/documents/open/{id} { allow read; allow write: if request.auth != null; }
        }
        """);
    assertTrue(
        decide(rules, AccessMethod.LIST, "/databases/(default)/documents/open/x", Val.NULL)
            .allowed());
    assertFalse(
        decide(rules, AccessMethod.DELETE, "/databases/(default)/documents/open/x", Val.NULL)
            .allowed());
    assertTrue(
        decide(rules, AccessMethod.CREATE, "/databases/(default)/documents/open/x", auth("u"))
            .allowed());
  }
}
