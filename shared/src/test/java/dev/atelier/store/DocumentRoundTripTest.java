package dev.atelier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.credits.Balance;
import dev.atelier.credits.LedgerEntry;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldPath;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.PublicGeneration;
import dev.atelier.router.ModelQuota;
import dev.atelier.users.UserProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every stored document type written through the mapping with the real client, and read back. */
@ExtendWith(FirestoreEmulatorExtension.class)
class DocumentRoundTripTest {

  @ParameterizedTest
  @EnumSource(DocumentKind.class)
  void everyKindRoundTripsWithEveryFieldSet(DocumentKind kind, Database db) throws Exception {
    Samples.Sample sample = Samples.full(kind);
    assertEquals(sample.record(), roundTrip(db, sample));
  }

  @ParameterizedTest
  @EnumSource(DocumentKind.class)
  void everyKindRoundTripsWithOptionalFieldsLeftOut(DocumentKind kind, Database db)
      throws Exception {
    Samples.Sample sample = Samples.minimal(kind);
    assertEquals(sample.record(), roundTrip(db, sample));
  }

  @ParameterizedTest
  @EnumSource(DocumentKind.class)
  void everyWrittenDocumentCarriesSchemaVersion(DocumentKind kind, Database db) throws Exception {
    Samples.Sample sample = Samples.full(kind);
    db.set(sample.path(), Documents.encode(sample.record()));
    assertEquals(1L, db.get(sample.path()).getLong("schemaVersion"));
  }

  @Test
  void nullComponentsAreLeftOutOfTheDocument(Database db) throws Exception {
    Samples.Sample sample = Samples.minimal(DocumentKind.LEDGER_ENTRY);
    db.set(sample.path(), Documents.encode(sample.record()));
    Map<String, Object> raw = db.get(sample.path()).getData();
    assertFalse(raw.containsKey("reason"));
    assertFalse(raw.containsKey("appliedAmount"));
    assertFalse(raw.containsKey("createdAt"));
  }

  @Test
  void userFieldsAreStoredUnderTheSeedNames(Database db) throws Exception {
    Snapshot raw = write(db, Samples.full(DocumentKind.USER));
    assertEquals("google", raw.getString("provider"));
    assertEquals("203.0.113.9", raw.getString("lastLoginIP"));
    assertEquals("https://img.example/ada.png", raw.getString("photoURL"));
    assertEquals(7L, raw.getLong("loginCount"));
    assertEquals(Boolean.TRUE, raw.getBoolean("isActive"));
    assertEquals(Boolean.FALSE, raw.getBoolean("isUsernameTemporary"));
    assertEquals("macOS", raw.get("deviceInfo.os"));
    assertEquals("dark", raw.get("preferences.theme"));
    assertEquals("active", raw.get("metadata.accountStatus"));
    assertInstanceOf(Instant.class, raw.get("lastLoginAt"));
  }

  @Test
  void balanceStoresCreditBalanceAndPlanCode(Database db) throws Exception {
    Snapshot raw = write(db, Samples.full(DocumentKind.BALANCE));
    assertEquals(120L, raw.getLong("creditBalance"));
    assertEquals("PLAN_A", raw.getString("planCode"));
    assertEquals("u1", raw.getString("uid"));
  }

  @Test
  void ledgerEntryStoresItsAdditionsButNotItsPathIds(Database db) throws Exception {
    Snapshot raw = write(db, Samples.full(DocumentKind.LEDGER_ENTRY));
    assertEquals("HOLD", raw.getString("type"));
    assertEquals("PENDING", raw.getString("status"));
    assertEquals(-30L, raw.getLong("amount"));
    assertEquals(-30L, raw.getLong("appliedAmount"));
    assertEquals(90L, raw.getLong("balanceAfter"));
    assertEquals("key-1", raw.getString("idempotencyKey"));
    assertEquals(2L, raw.get("meta.nested.attempt"));
    assertFalse(raw.contains("uid"));
    assertFalse(raw.contains("id"));
  }

  @Test
  void historyItemStoresWireSpellingsAndNestedCreator(Database db) throws Exception {
    Snapshot raw = write(db, Samples.full(DocumentKind.HISTORY_ITEM));
    assertEquals("text-to-image", raw.getString("generationType"));
    assertEquals("completed", raw.getString("status"));
    assertEquals("public", raw.getString("visibility"));
    assertEquals("u1", raw.get("createdBy.uid"));
    assertEquals(
        "generations/u1/g1/m1.png",
        ((Map<?, ?>) ((List<?>) raw.get("images")).get(0)).get("storagePath"));
    assertEquals(30L, raw.getLong("cost"));
    assertEquals("e1", raw.getString("holdEntryId"));
    assertEquals(4200L, raw.getLong("processingTimeMs"));
    assertInstanceOf(Instant.class, raw.get("completedAt"));
  }

  @Test
  void publicMirrorKeepsOwnerOnlyFieldsOut(Database db) throws Exception {
    Snapshot raw = write(db, Samples.full(DocumentKind.PUBLIC_GENERATION));
    assertEquals(Boolean.TRUE, raw.getBoolean("isPublic"));
    assertEquals("u1", raw.get("createdBy.uid"));
    assertEquals("Ada Lovelace", raw.get("createdBy.displayName"));
    assertFalse(raw.contains("createdBy.email"));
    assertFalse(raw.contains("cost"));
    assertFalse(raw.contains("holdEntryId"));
    assertFalse(raw.contains("providerTaskId"));
  }

  @Test
  void routerAndUsageCollectionsUseSnakeCase(Database db) throws Exception {
    Snapshot quota = write(db, Samples.full(DocumentKind.MODEL_QUOTA));
    assertEquals(40L, quota.getLong("tokens_used"));
    assertEquals(1000L, quota.getLong("tokens_limit"));
    assertEquals("flux-schnell", quota.getString("model_id"));
    assertInstanceOf(Instant.class, quota.get("reset_at"));
    Snapshot health = write(db, Samples.full(DocumentKind.PROVIDER_HEALTH));
    assertEquals(1900L, health.getLong("latency_ms"));
    assertEquals(0.25, health.getDouble("error_rate"));
    assertEquals("degraded", health.getString("status"));
    Snapshot alert = write(db, Samples.full(DocumentKind.ROUTER_ALERT));
    assertEquals("provider_down", alert.getString("type"));
    assertInstanceOf(Instant.class, alert.get("expireAt"));
    Snapshot decision = write(db, Samples.full(DocumentKind.ROUTING_DECISION));
    assertEquals("runway", decision.getString("selected_provider"));
    assertEquals("text-to-video", decision.getString("task_type"));
    Snapshot usage = write(db, Samples.full(DocumentKind.USAGE_LOG));
    assertEquals("image_generation", usage.getString("action_type"));
    assertEquals(200L, usage.getLong("status_code"));
    Snapshot rate = write(db, Samples.full(DocumentKind.RATE_LIMIT_LOG));
    assertEquals(12L, rate.getLong("request_count"));
    assertEquals(Boolean.TRUE, rate.getBoolean("is_blocked"));
  }

  @Test
  void systemDocumentsKeepTheTypedEnvelope(Database db) throws Exception {
    Snapshot config = write(db, Samples.full(DocumentKind.SYSTEM_CONFIG));
    assertEquals("config", config.getString("type"));
    assertEquals(20L, config.get("config.limits.rateLimit.requestsPerMinute"));
    Snapshot version = write(db, Samples.full(DocumentKind.SYSTEM_VERSION));
    assertEquals("version", version.getString("type"));
    assertEquals("production", version.get("version.environment"));
    Snapshot health = write(db, Samples.full(DocumentKind.SYSTEM_HEALTH));
    assertEquals("health", health.getString("type"));
    assertEquals("unreachable", health.get("health.services.externalApis.fal.status"));
    assertEquals(
        "ENABLED",
        health.get(
            FieldPath.of("health", "services", "schedulerJobs", "reap-stale-jobs", "state")));
  }

  @Test
  void serverTimestampFieldsAreFilledByTheServer(Database db) throws Exception {
    Balance noTimes = new Balance("u9", 5, dev.atelier.catalog.PlanCode.FREE, null, null);
    Instant before = Instant.now().minusSeconds(60);
    db.set(
        FirestorePaths.balance("u9"),
        Documents.encode(noTimes, Balance.Field.CREATED_AT, Balance.Field.UPDATED_AT));
    Balance stored =
        Documents.read(db.get(FirestorePaths.balance("u9")), Balance.class).orElseThrow();
    assertNotNull(stored.createdAt());
    assertTrue(stored.createdAt().isAfter(before));
    assertEquals(stored.createdAt(), stored.updatedAt());
  }

  @Test
  void nestedServerTimestampFieldIsFilledInsideItsMap(Database db) throws Exception {
    Samples.Sample sample = Samples.minimal(DocumentKind.SYSTEM_HEALTH);
    db.set(sample.path(), Documents.encode(sample.record(), "health.lastUpdateAt"));
    assertInstanceOf(Instant.class, db.get(sample.path()).get("health.lastUpdateAt"));
  }

  @Test
  void readingAMissingDocumentIsEmpty(Database db) throws Exception {
    assertEquals(
        Optional.empty(), Documents.read(db.get(FirestorePaths.user("nobody")), UserProfile.class));
  }

  @Test
  void consoleWrittenWholeDoubleReadsAsAnInteger(Database db) throws Exception {
    db.set(
        FirestorePaths.ledgerEntry("u1", "op1"),
        Map.of("type", "GRANT", "amount", 25.0, "status", "CONFIRMED"));
    LedgerEntry entry =
        Documents.read(db.get(FirestorePaths.ledgerEntry("u1", "op1")), LedgerEntry.class)
            .orElseThrow();
    assertEquals(25, entry.amount());
    assertEquals(null, entry.appliedAmount());
  }

  @Test
  void unknownEnumSpellingFailsNamingDocumentFieldAndAllowedValues(Database db) throws Exception {
    db.set(FirestorePaths.balance("u1"), Map.of("creditBalance", 1L, "planCode", "GOLD"));
    Snapshot snapshot = db.get(FirestorePaths.balance("u1"));
    MappingException e =
        assertThrows(MappingException.class, () -> Documents.read(snapshot, Balance.class));
    assertTrue(e.getMessage().contains("credits/u1/balance/current"), e.getMessage());
    assertTrue(e.getMessage().contains("planCode"), e.getMessage());
    assertTrue(e.getMessage().contains("PLAN_A"), e.getMessage());
  }

  @Test
  void wrongFieldTypeFailsNamingTheField(Database db) throws Exception {
    db.set(
        FirestorePaths.modelQuota("p", "m"),
        Map.of(
            "provider",
            "p",
            "model_id",
            "m",
            "tokens_used",
            "lots",
            "tokens_limit",
            5L,
            "reset_at",
            Instant.now(),
            "period",
            "day"));
    Snapshot snapshot = db.get(FirestorePaths.modelQuota("p", "m"));
    MappingException e =
        assertThrows(MappingException.class, () -> Documents.read(snapshot, ModelQuota.class));
    assertTrue(e.getMessage().contains("tokens_used"), e.getMessage());
  }

  @Test
  void legacyAspectRatioSpellingIsReadWhenTheCurrentOneIsAbsent(Database db) throws Exception {
    db.set(
        FirestorePaths.historyItem("u1", "old"),
        Map.of("generationType", "logo", "status", "completed", "aspect_ratio", "4:3"));
    GenerationItem item =
        Documents.read(db.get(FirestorePaths.historyItem("u1", "old")), GenerationItem.class)
            .orElseThrow();
    assertEquals("4:3", item.aspectRatio());
  }

  @Test
  void decodingADocumentAsTheWrongRecordFails(Database db) throws Exception {
    Snapshot snapshot = write(db, Samples.full(DocumentKind.BALANCE));
    assertThrows(MappingException.class, () -> Documents.read(snapshot, PublicGeneration.class));
  }

  private static Object roundTrip(Database db, Samples.Sample sample) throws Exception {
    Snapshot snapshot = write(db, sample);
    return Documents.read(snapshot, sample.record().getClass()).orElseThrow();
  }

  private static Snapshot write(Database db, Samples.Sample sample) throws Exception {
    db.set(sample.path(), Documents.encode(sample.record()));
    return db.get(sample.path());
  }
}
