package dev.atelier.local.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.testsupport.FirestoreEventType;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FunctionManifestParsingTest {

  private static final String DEFAULTS =
      "\"defaults\":{\"cpu\":1,\"concurrency\":1,\"uses\":[],\"functionUrls\":{}}";

  private static String manifest(String function) {
    return "{\"javaToolOptions\":\"-XX:MaxRAM={memoryMb}m\","
        + DEFAULTS
        + ",\"functions\":["
        + function
        + "]}";
  }

  private static String function(String trigger, String extra) {
    return "{\"name\":\"f\",\"entryPoint\":\"a.F\",\"trigger\":"
        + trigger
        + ",\"memoryMb\":256,\"timeoutSeconds\":60,"
        + "\"minInstances\":0,\"maxInstances\":3,\"env\":{\"A\":\"1\"},\"retry\":true"
        + extra
        + "}";
  }

  @Test
  void parsesAFirestoreTriggerAndFillsTheJvmFlags() {
    FunctionManifest m =
        FunctionManifest.parse(
            manifest(
                function(
                    "{\"event\":{\"type\":\"google.cloud.firestore.document.v1.created\",\"document\":\"a/{x}/b/{y}\"}}",
                    "")));
    FunctionSpec f = m.functions().get(0);
    assertEquals(
        new Trigger.FirestoreEvent(FirestoreEventType.CREATED, new DocumentPattern("a/{x}/b/{y}")),
        f.trigger());
    assertEquals("-XX:MaxRAM=256m", m.javaToolOptions(f));
  }

  @Test
  void rejectsUnknownKeys() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FunctionManifest.parse(manifest(function("{\"http\":{}}", ",\"memory\":1"))));
  }

  @Test
  void rejectsAMissingKey() {
    String noRetry = function("{\"http\":{}}", "").replace(",\"retry\":true", "");
    assertThrows(IllegalArgumentException.class, () -> FunctionManifest.parse(manifest(noRetry)));
  }

  @Test
  void rejectsAPatternThatIsNotADocumentPath() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            FunctionManifest.parse(
                manifest(
                    function(
                        "{\"event\":{\"type\":\"google.cloud.firestore.document.v1.written\",\"document\":\"credits/{uid}/ledger\"}}",
                        ""))));
  }

  @Test
  void documentPatternWildcardsMatchOneSegment() {
    DocumentPattern p = new DocumentPattern("credits/{uid}/ledger/{entryId}");
    assertEquals(true, p.matches("credits/u1/ledger/e1"));
    assertEquals(false, p.matches("credits/u1/balance/current"));
    assertEquals(false, p.matches("credits/u1/ledger/e1/x/y"));
  }

  @Test
  void defaultsFillWhatAFunctionLeavesOutAndItsOwnValuesWin() {
    FunctionManifest m =
        FunctionManifest.parse(
            manifest(
                function("{\"http\":{}}", "")
                    + ","
                    + function(
                            "{\"http\":{}}",
                            ",\"cpu\":2,\"concurrency\":8,\"uses\":[\"providerApi\",\"media\"],"
                                + "\"functionUrls\":{\"WEBHOOK_URL\":\"g\"}")
                        .replace("\"name\":\"f\"", "\"name\":\"g\"")));
    FunctionSpec f = m.function("f").orElseThrow();
    assertEquals(1.0, f.cpu());
    assertEquals(1, f.concurrency());
    assertEquals(Set.of(), f.uses());
    FunctionSpec g = m.function("g").orElseThrow();
    assertEquals(2.0, g.cpu());
    assertEquals(8, g.concurrency());
    assertEquals(Set.of(Capability.PROVIDER_API, Capability.MEDIA), g.uses());
    assertEquals(Map.of("WEBHOOK_URL", "g"), g.functionUrls());
  }

  @Test
  void withoutDefaultsTheNewKeysAreRequired() {
    String noDefaults = manifest(function("{\"http\":{}}", "")).replace(DEFAULTS + ",", "");
    assertThrows(IllegalArgumentException.class, () -> FunctionManifest.parse(noDefaults));
  }

  @Test
  void rejectsAnUnknownCapability() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            FunctionManifest.parse(
                manifest(function("{\"http\":{}}", ",\"uses\":[\"database\"]"))));
  }

  @Test
  void rejectsAFunctionUrlOfAFunctionNotInTheManifest() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            FunctionManifest.parse(
                manifest(
                    function("{\"http\":{}}", ",\"functionUrls\":{\"WEBHOOK_URL\":\"nope\"}"))));
  }

  @Test
  void rejectsConcurrencyAboveOneOnAFractionalCpu() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            FunctionManifest.parse(
                manifest(function("{\"http\":{}}", ",\"cpu\":0.5,\"concurrency\":4"))));
  }

  @Test
  void rejectsANonDefaultableKeyInDefaults() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            FunctionManifest.parse(
                manifest(function("{\"http\":{}}", ""))
                    .replace("\"defaults\":{", "\"defaults\":{\"name\":\"x\",")));
  }
}
