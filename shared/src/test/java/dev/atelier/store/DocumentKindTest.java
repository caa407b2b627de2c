package dev.atelier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Building and recognising document paths from the {@link DocumentKind} table. */
class DocumentKindTest {

  @ParameterizedTest
  @EnumSource(DocumentKind.class)
  void everySamplePathParsesBackToItsKind(DocumentKind kind) {
    assertEquals(kind, DocumentKind.parse(Samples.full(kind).path()).orElseThrow().kind());
  }

  @Test
  void parseBindsTheTemplateIds() {
    DocumentKey key = FirestorePaths.parse("credits/u1/ledger/e1").orElseThrow();
    assertEquals(DocumentKind.LEDGER_ENTRY, key.kind());
    assertEquals(Map.of("uid", "u1", "entryId", "e1"), key.ids());
    assertEquals("e1", key.documentId());
  }

  @Test
  void parseAcceptsFullResourceNamesAndEventSubjects() {
    String name = "projects/p/databases/(default)/documents/generationHistory/u1/items/g1";
    DocumentKey key = FirestorePaths.parse(name).orElseThrow();
    assertEquals(DocumentKind.HISTORY_ITEM, key.kind());
    assertEquals("generationHistory/u1/items/g1", key.path());
    assertEquals(
        DocumentKind.PUBLIC_GENERATION,
        FirestorePaths.parse("documents/generations/g1").orElseThrow().kind());
  }

  @Test
  void parseRejectsPathsOfNoKind() {
    assertTrue(FirestorePaths.parse("credits/u1/balance/other").isEmpty());
    assertTrue(FirestorePaths.parse("users/u1/extra/x").isEmpty());
    assertTrue(FirestorePaths.parse("users").isEmpty());
    assertTrue(FirestorePaths.parse("users/").isEmpty());
  }

  @Test
  void collectionPathsAndGroupsComeFromTheTemplates() {
    assertEquals("credits/u1/ledger", FirestorePaths.ledger("u1"));
    assertEquals("generationHistory/u1/items", FirestorePaths.historyItems("u1"));
    assertEquals("items", FirestorePaths.HISTORY_ITEMS_GROUP);
    assertEquals("ledger", FirestorePaths.LEDGER_GROUP);
    assertEquals("system/config", FirestorePaths.systemConfig());
    assertEquals("model_quotas/replicate_flux", FirestorePaths.modelQuota("replicate", "flux"));
  }

  @Test
  void usernameReservationsAreKeyedCaseInsensitively() {
    assertEquals(
        FirestorePaths.usernameReservation("ada"), FirestorePaths.usernameReservation("AdA"));
  }

  @Test
  void idsThatCannotBeDocumentIdsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> FirestorePaths.user("a/b"));
    assertThrows(IllegalArgumentException.class, () -> FirestorePaths.user(""));
    assertThrows(IllegalArgumentException.class, () -> FirestorePaths.user("__id__"));
    assertThrows(IllegalArgumentException.class, () -> DocumentKind.LEDGER_ENTRY.path("u1"));
  }

  @Test
  void theSchemaBindsEveryKindToExactlyOneRecordType() {
    for (DocumentKind kind : DocumentKind.values()) {
      assertEquals(kind, Documents.kindOf(Documents.recordOf(kind)));
    }
  }
}
