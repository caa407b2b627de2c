package dev.atelier.rules;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.WriteBatch;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.generations.CreatedBy;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.PublicGeneration;
import dev.atelier.generations.Visibility;
import dev.atelier.store.Documents;
import dev.atelier.testsupport.IdTokens;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Firestore emulator with one client per {@link Who}, and the data rules tests read and write: a
 * document in every collection of SPEC "Data", owned by ada or bob where the collection has owners.
 */
final class RulesWorld {
  static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");
  private static final IdTokens TOKENS =
      new IdTokens(dev.atelier.emulator.junit.FirestoreEmulatorExtension.PROJECT_ID);
  private static final Map<Who, String> ID_TOKENS =
      Map.of(
          Who.ADA, TOKENS.forUser("ada"),
          Who.BOB, TOKENS.forUser("bob"),
          Who.ADMIN, TOKENS.forAdmin("root"));

  private final Map<Who, Firestore> clients;

  private RulesWorld(Map<Who, Firestore> clients) {
    this.clients = clients;
  }

  /** The clients of the JVM's emulator (the repository's firestore.rules). */
  static RulesWorld of(EmulatorHandle emulator) {
    Map<Who, Firestore> clients = new EnumMap<>(Who.class);
    clients.put(Who.OWNER, emulator.firestore());
    clients.put(Who.ANONYMOUS, emulator.anonymousClient());
    ID_TOKENS.forEach((who, token) -> clients.put(who, emulator.clientWithIdToken(token)));
    return new RulesWorld(clients);
  }

  /** Clients of another emulator; the caller closes them. */
  static RulesWorld connect(String host, String projectId) {
    Map<Who, Firestore> clients = new EnumMap<>(Who.class);
    clients.put(
        Who.OWNER,
        com.google.cloud.firestore.FirestoreOptions.newBuilder()
            .setProjectId(projectId)
            .setEmulatorHost(host)
            .build()
            .getService());
    clients.put(
        Who.ANONYMOUS, dev.atelier.emulator.junit.EmulatorClients.anonymous(host, projectId));
    ID_TOKENS.forEach(
        (who, token) ->
            clients.put(
                who,
                dev.atelier.emulator.junit.EmulatorClients.withIdToken(host, projectId, token)));
    return new RulesWorld(clients);
  }

  Firestore client(Who who) {
    return clients.get(who);
  }

  void close() throws Exception {
    for (Firestore client : clients.values()) {
      client.close();
    }
  }

  /** Writes the world's documents (one batch, as the owner). */
  void seed() throws Exception {
    Firestore db = client(Who.OWNER);
    WriteBatch batch = db.batch();
    for (String uid : new String[] {"ada", "bob"}) {
      batch.set(
          db.document("users/" + uid),
          Map.of(
              "uid",
              uid,
              "username",
              uid,
              "email",
              uid + "@example.test",
              "accountStatus",
              "active",
              "loginCount",
              1,
              "schemaVersion",
              1));
      batch.set(db.document("usernames/" + uid), Map.of("uid", uid, "schemaVersion", 1));
      batch.set(
          db.document("credits/" + uid + "/balance/current"),
          Map.of("creditBalance", 100, "planCode", "FREE", "schemaVersion", 1));
      batch.set(
          db.document("credits/" + uid + "/ledger/sys_open_" + uid),
          Map.of(
              "type",
              "GRANT",
              "amount",
              100,
              "status",
              "CONFIRMED",
              "reason",
              "account opened",
              "schemaVersion",
              1));
      batch.set(
          db.document("generationHistory/" + uid + "/items/" + uid + "-private"),
          Documents.encode(item(uid, uid + "-private", Visibility.PRIVATE)));
      GenerationItem shared = item(uid, uid + "-public", Visibility.PUBLIC);
      batch.set(
          db.document("generationHistory/" + uid + "/items/" + uid + "-public"),
          Documents.encode(shared));
      batch.set(
          db.document("generations/" + uid + "-public"),
          Documents.encode(PublicGeneration.project(shared).orElseThrow()));
      batch.set(
          db.document("idempotencyKeys/" + uid + "__k1"), Map.of("uid", uid, "statusCode", 202));
    }
    // Mirror documents that must never be readable: hand-made or stale (the trigger would remove
    // them).
    batch.set(db.document("generations/stale-private"), mirrorLike(false, false));
    batch.set(db.document("generations/stale-deleted"), mirrorLike(true, true));
    batch.set(db.document("generations/no-flags"), Map.of("uid", "ada", "prompt", "no flags"));
    batch.set(
        db.document("plans/FREE"), Map.of("code", "FREE", "credits", 100, "schemaVersion", 1));
    batch.set(db.document("plans/PRO"), Map.of("code", "PRO", "credits", 5000, "schemaVersion", 1));
    batch.set(
        db.document("models_config/acme-pixel"),
        Map.of("modelId", "acme/pixel", "schemaVersion", 1));
    batch.set(db.document("system/version"), Map.of("version", "1.0.0", "schemaVersion", 1));
    batch.set(
        db.document("system/config"),
        Map.of("features", Map.of("generation", true), "schemaVersion", 1));
    batch.set(db.document("system/health"), Map.of("status", "healthy", "schemaVersion", 1));
    for (String path : SERVER_ONLY) {
      batch.set(db.document(path), Map.of("secret", true, "schemaVersion", 1));
    }
    batch.commit().get();
  }

  /**
   * One document of every server-only collection (besides usernames and idempotency keys seeded
   * above).
   */
  static final String[] SERVER_ONLY = {
    "redeemCodes/WELCOME", "redeemCodeUsages/WELCOME__ada", "model_provider_health/replicate",
    "model_quotas/replicate_acme-pixel", "model_router_alerts/alert1",
        "routing_decisions/decision1",
    "rate_limit_logs/ada_submit-generation_m1", "usage_logs/log1", "admin_audit/audit1"
  };

  static GenerationItem item(String uid, String id, Visibility visibility) {
    return GenerationItem.builder(uid, id)
        .prompt("a lighthouse at dawn")
        .model("acme/pixel")
        .generationType(GenerationType.TEXT_TO_IMAGE)
        .status(GenerationStatus.COMPLETED)
        .visibility(visibility)
        .isPublic(visibility == Visibility.PUBLIC)
        .isDeleted(false)
        .createdBy(new CreatedBy(uid, uid, uid + "@example.test", "User " + uid, null))
        .createdAt(T0)
        .updatedAt(T0)
        .cost(4L)
        .holdEntryId("hold-" + id)
        .build();
  }

  private static Map<String, Object> mirrorLike(boolean isPublic, boolean isDeleted) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("uid", "bob");
    fields.put("prompt", "should not be seen");
    fields.put("isPublic", isPublic);
    fields.put("isDeleted", isDeleted);
    fields.put(
        "createdAt", com.google.cloud.Timestamp.ofTimeSecondsAndNanos(T0.getEpochSecond(), 0));
    return fields;
  }
}
