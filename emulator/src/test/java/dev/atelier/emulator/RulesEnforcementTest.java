package dev.atelier.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.core.ApiFuture;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QuerySnapshot;
import com.google.cloud.firestore.WriteBatch;
import dev.atelier.emulator.junit.EmulatorClients;
import dev.atelier.emulator.rules.FirestoreRules;
import dev.atelier.emulator.rules.lang.RulesSyntaxException;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security rules enforced on the wire: the real Java client as owner, signed-in users and
 * anonymous.
 */
class RulesEnforcementTest {
  private static final String PROJECT = "rules-it";
  static final String RULES =
      """
      rules_version = '2';
      service cloud.firestore {
        match /databases/{database}/documents {
          function isOwner(uid) { return request.auth != null && request.auth.uid == uid; }
          match /users/{uid} {
            allow read: if isOwner(uid);
            allow update: if isOwner(uid)
                && request.resource.data.diff(resource.data).affectedKeys().hasOnly(['name', 'updatedAt'])
                && request.resource.data.updatedAt == request.time;
          }
          match /posts/{id} {
            allow get: if resource == null || resource.data.isPublic == true;
            allow list: if resource.data.isPublic == true && resource.data.isDeleted == false;
          }
          match /counters/{id} {
            allow read: if request.auth != null;
            allow update: if request.auth != null
                && getAfter(/databases/$(database)/documents/counters/$(id)).data.n == resource.data.n + 1
                && existsAfter(/databases/$(database)/documents/counters/$(id)/log/$(string(resource.data.n + 1)));
            match /log/{entry} {
              allow create: if request.auth != null;
            }
          }
          match /admin/{doc} {
            allow read: if request.auth.token.admin == true;
          }
        }
      }
      """;

  private static FirestoreEmulator emulator;
  private static Firestore owner;
  private static Firestore ada;
  private static Firestore bob;
  private static Firestore root;
  private static Firestore anonymous;

  @BeforeAll
  static void start() throws Exception {
    emulator =
        FirestoreEmulator.builder().rules(FirestoreRules.parse(RULES, "firestore.rules")).start();
    owner =
        FirestoreOptions.newBuilder()
            .setProjectId(PROJECT)
            .setEmulatorHost(emulator.hostAndPort())
            .build()
            .getService();
    ada =
        EmulatorClients.withIdToken(
            emulator.hostAndPort(), PROJECT, TestIdTokens.user(PROJECT, "ada"));
    bob =
        EmulatorClients.withIdToken(
            emulator.hostAndPort(), PROJECT, TestIdTokens.user(PROJECT, "bob"));
    root =
        EmulatorClients.withIdToken(
            emulator.hostAndPort(),
            PROJECT,
            TestIdTokens.withClaims(PROJECT, "root", Map.of("admin", true)));
    anonymous = EmulatorClients.anonymous(emulator.hostAndPort(), PROJECT);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Firestore client : List.of(owner, ada, bob, root, anonymous)) {
      client.close();
    }
    emulator.close();
  }

  @BeforeEach
  void seed() throws Exception {
    emulator.wipe(PROJECT);
    owner.document("users/ada").set(Map.of("name", "Ada", "credits", 10)).get();
    owner.document("users/bob").set(Map.of("name", "Bob", "credits", 5)).get();
    owner.document("posts/public").set(Map.of("isPublic", true, "isDeleted", false, "t", 1)).get();
    owner
        .document("posts/private")
        .set(Map.of("isPublic", false, "isDeleted", false, "t", 2))
        .get();
    owner.document("counters/c").set(Map.of("n", 1)).get();
    owner.document("admin/stats").set(Map.of("users", 2)).get();
  }

  static String denied(ApiFuture<?> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    assertTrue(e.getMessage().contains("PERMISSION_DENIED"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void theOwnerBypassesTheRules() throws Exception {
    assertTrue(owner.document("admin/stats").get().get().exists());
    assertEquals(2, owner.collection("posts").get().get().size());
    owner.document("anything/x").set(Map.of("a", 1)).get();
  }

  @Test
  void usersReadTheirOwnDocumentOnly() throws Exception {
    assertEquals("Ada", ada.document("users/ada").get().get().getString("name"));
    String message = denied(ada.document("users/bob").get());
    assertTrue(message.contains("firestore.rules") && message.contains("'get' @ L6:7"), message);
    denied(anonymous.document("users/ada").get());
    denied(ada.getAll(ada.document("users/ada"), ada.document("users/bob")));
  }

  @Test
  void customClaimsReachRequestAuthToken() throws Exception {
    assertTrue(root.document("admin/stats").get().get().exists());
    denied(ada.document("admin/stats").get());
  }

  @Test
  void aGetOfAMissingDocumentIsDecidedWithANullResource() throws Exception {
    assertFalse(anonymous.document("posts/none").get().get().exists());
    denied(anonymous.document("posts/private").get());
    assertTrue(anonymous.document("posts/public").get().get().exists());
  }

  @Test
  void queriesMustProveTheRuleForEveryResult() throws Exception {
    Query feed =
        anonymous
            .collection("posts")
            .whereEqualTo("isPublic", true)
            .whereEqualTo("isDeleted", false);
    QuerySnapshot snapshot = feed.get().get();
    assertEquals(List.of("public"), ids(snapshot));
    assertEquals(1L, feed.count().get().get().getCount());
    String message = denied(anonymous.collection("posts").whereEqualTo("isPublic", true).get());
    assertTrue(message.contains("not provable"), message);
    denied(anonymous.collection("posts").get());
    denied(anonymous.collection("posts").count().get());
    denied(
        anonymous
            .collection("posts")
            .whereEqualTo("isPublic", false)
            .whereEqualTo("isDeleted", false)
            .get());
    denied(ada.collection("users").get());
    denied(ada.collectionGroup("log").get());
  }

  @Test
  void listingDocumentsAndCollectionsIsAListOrServerOnly() throws Exception {
    List<String> ids = new ArrayList<>();
    ada.collection("counters").listDocuments().forEach(d -> ids.add(d.getId()));
    assertEquals(List.of("c"), ids);
    FirestoreException e =
        assertThrows(
            FirestoreException.class,
            () -> anonymous.collection("posts").listDocuments().iterator().hasNext());
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    FirestoreException collections =
        assertThrows(
            FirestoreException.class,
            () -> ada.document("counters/c").listCollections().iterator().hasNext());
    assertEquals(Status.Code.PERMISSION_DENIED, collections.getStatus().getCode());
  }

  @Test
  void listenersAreCheckedLikeReads() throws Exception {
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    ListenerRegistration feed =
        anonymous
            .collection("posts")
            .whereEqualTo("isPublic", true)
            .whereEqualTo("isDeleted", false)
            .addSnapshotListener((s, e) -> events.add(s != null ? s : e));
    assertEquals(List.of("public"), ids((QuerySnapshot) events.poll(30, TimeUnit.SECONDS)));
    feed.remove();

    ListenerRegistration all =
        anonymous.collection("posts").addSnapshotListener((s, e) -> events.add(s != null ? s : e));
    Object refused = events.poll(30, TimeUnit.SECONDS);
    assertTrue(refused instanceof FirestoreException, String.valueOf(refused));
    assertEquals(
        Status.Code.PERMISSION_DENIED, ((FirestoreException) refused).getStatus().getCode());
    all.remove();

    ListenerRegistration post =
        anonymous
            .document("posts/public")
            .addSnapshotListener((s, e) -> events.add(s != null ? s : e));
    assertTrue(((DocumentSnapshot) events.poll(30, TimeUnit.SECONDS)).exists());
    owner.document("posts/public").update("isPublic", false).get();
    Object revoked = events.poll(30, TimeUnit.SECONDS);
    assertTrue(
        revoked instanceof FirestoreException,
        "a document that becomes unreadable ends its listener: " + revoked);
    post.remove();
  }

  @Test
  void updatesMayChangeOnlyWhatTheRuleAllows() throws Exception {
    ada.document("users/ada")
        .update("name", "Ada L.", "updatedAt", FieldValue.serverTimestamp())
        .get();
    assertEquals("Ada L.", owner.document("users/ada").get().get().getString("name"));
    String message =
        denied(
            ada.document("users/ada")
                .update("credits", 1000, "updatedAt", FieldValue.serverTimestamp()));
    assertTrue(message.contains("'update' @ L7:7"), message);
    denied(ada.document("users/ada").update("name", "x"));
    denied(
        bob.document("users/ada").update("name", "x", "updatedAt", FieldValue.serverTimestamp()));
    denied(ada.document("users/ada").delete());
    denied(ada.document("users/new").set(Map.of("name", "n")));
    assertEquals(10L, owner.document("users/ada").get().get().getLong("credits"));
  }

  @Test
  void aRefusedWriteRevealsNoPrecondition() throws Exception {
    denied(bob.document("users/ghost").update("name", "x"));
    denied(anonymous.document("posts/public").create(Map.of("a", 1)));
  }

  @Test
  void batchesAndTransactionsAreCheckedAsAWholeWithGetAfter() throws Exception {
    WriteBatch alone = ada.batch();
    alone.update(ada.document("counters/c"), "n", 2);
    denied(alone.commit());

    WriteBatch both = ada.batch();
    both.update(ada.document("counters/c"), "n", 2);
    both.set(ada.document("counters/c/log/2"), Map.of("by", "ada"));
    both.commit().get();
    assertEquals(2L, owner.document("counters/c").get().get().getLong("n"));

    ada.runTransaction(
            tx -> {
              long n = tx.get(ada.document("counters/c")).get().getLong("n");
              tx.update(ada.document("counters/c"), "n", n + 1);
              tx.set(ada.document("counters/c/log/" + (n + 1)), Map.of("by", "ada"));
              return null;
            })
        .get();
    assertEquals(3L, owner.document("counters/c").get().get().getLong("n"));
    denied(anonymous.runTransaction(tx -> tx.get(anonymous.document("counters/c")).get()));
  }

  @Test
  void badTokensAreUnauthenticated() throws Exception {
    try (Firestore garbage =
            EmulatorClients.withIdToken(emulator.hostAndPort(), PROJECT, "not.a-token");
        Firestore expired =
            EmulatorClients.withIdToken(
                emulator.hostAndPort(), PROJECT, TestIdTokens.expired(PROJECT, "ada"))) {
      for (Firestore client : List.of(garbage, expired)) {
        ExecutionException e =
            assertThrows(
                ExecutionException.class,
                () -> client.document("posts/public").get().get(30, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("UNAUTHENTICATED"), e.getMessage());
      }
    }
  }

  @Test
  void withoutRulesEveryCallerIsTheOwner() throws Exception {
    try (FirestoreEmulator open = FirestoreEmulator.builder().start();
        Firestore server =
            FirestoreOptions.newBuilder()
                .setProjectId(PROJECT)
                .setEmulatorHost(open.hostAndPort())
                .build()
                .getService();
        Firestore user =
            EmulatorClients.withIdToken(open.hostAndPort(), PROJECT, "not-even-a-token");
        Firestore nobody = EmulatorClients.anonymous(open.hostAndPort(), PROJECT)) {
      assertFalse(open.rulesEnforced());
      server.document("secrets/s").set(Map.of("a", 1)).get();
      assertTrue(user.document("secrets/s").get().get().exists());
      assertEquals(1, nobody.collection("secrets").get().get().size());
      nobody.document("secrets/s").delete().get();
    }
  }

  @Test
  void rulesThatDoNotParseStopTheStartWithLineAndColumn(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.rules");
    Files.writeString(
        bad,
        "rules_version = '2';\nservice cloud.firestore {\n  match /a/{b} {\n    allow read: if ;\n"
            + "  }\n}\n");
    RulesSyntaxException e =
        assertThrows(RulesSyntaxException.class, () -> FirestoreEmulator.builder().rules(bad));
    assertEquals("bad.rules:4:20: expected an expression but found ';'", e.getMessage());

    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--port",
                "0",
                "--warmup-ms",
                "0",
                "--rules",
                bad.toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the emulator should refuse to start");
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue(), output);
    assertTrue(output.contains("bad.rules:4:20: expected an expression"), output);
  }

  private static List<String> ids(QuerySnapshot snapshot) {
    List<String> ids = new ArrayList<>();
    snapshot.forEach(d -> ids.add(d.getId()));
    return ids;
  }

  @Test
  void restReadsAnswerToTheSameRulesAsTheGrpcApi() throws Exception {
    owner.document("posts/public").set(Map.of("isPublic", true, "isDeleted", false, "t", 1)).get();
    owner
        .document("posts/private")
        .set(Map.of("isPublic", false, "isDeleted", false, "t", 2))
        .get();
    owner.document("users/ada").set(Map.of("name", "Ada")).get();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.function.BiFunction<String, String, Integer> status =
        (path, token) -> {
          java.net.http.HttpRequest.Builder request =
              java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(
                      "http://"
                          + emulator.hostAndPort()
                          + "/v1/projects/"
                          + PROJECT
                          + "/databases/(default)/documents/"
                          + path));
          if (token != null) {
            request.header("Authorization", "Bearer " + token);
          }
          try {
            return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    assertEquals(200, status.apply("posts/public", null));
    assertEquals(403, status.apply("posts/private", null));
    assertEquals(403, status.apply("users/ada", null));
    assertEquals(403, status.apply("users/ada", TestIdTokens.user(PROJECT, "bob")));
    assertEquals(200, status.apply("users/ada", TestIdTokens.user(PROJECT, "ada")));
    assertEquals(
        403, status.apply("posts", null), "a list the rules cannot prove public is refused");
    assertEquals(200, status.apply("posts/private", "owner"));
    assertEquals(401, status.apply("posts/public", "not-a-jwt"));
    assertEquals(401, status.apply("users/ada", TestIdTokens.expired(PROJECT, "ada")));
  }
}
