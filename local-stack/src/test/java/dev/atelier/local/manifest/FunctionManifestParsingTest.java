package dev.atelier.local.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.testsupport.FirestoreEventType;
import org.junit.jupiter.api.Test;

class FunctionManifestParsingTest {

    private static String manifest(String function) {
        return "{\"javaToolOptions\":\"-XX:MaxRAM={memoryMb}m\",\"functions\":[" + function + "]}";
    }

    private static String function(String trigger, String extra) {
        return "{\"name\":\"f\",\"entryPoint\":\"a.F\",\"trigger\":" + trigger + ",\"memoryMb\":256,\"timeoutSeconds\":60,"
                + "\"minInstances\":0,\"maxInstances\":3,\"env\":{\"A\":\"1\"},\"retry\":true" + extra + "}";
    }

    @Test
    void parsesAFirestoreTriggerAndFillsTheJvmFlags() {
        FunctionManifest m = FunctionManifest.parse(manifest(function(
                "{\"event\":{\"type\":\"google.cloud.firestore.document.v1.created\",\"document\":\"a/{x}/b/{y}\"}}", "")));
        FunctionSpec f = m.functions().get(0);
        assertEquals(new Trigger.FirestoreEvent(FirestoreEventType.CREATED, new DocumentPattern("a/{x}/b/{y}")), f.trigger());
        assertEquals("-XX:MaxRAM=256m", m.javaToolOptions(f));
    }

    @Test
    void rejectsUnknownKeys() {
        assertThrows(IllegalArgumentException.class,
                () -> FunctionManifest.parse(manifest(function("{\"http\":{}}", ",\"memory\":1"))));
    }

    @Test
    void rejectsAMissingKey() {
        String noRetry = function("{\"http\":{}}", "").replace(",\"retry\":true", "");
        assertThrows(IllegalArgumentException.class, () -> FunctionManifest.parse(manifest(noRetry)));
    }

    @Test
    void rejectsAPatternThatIsNotADocumentPath() {
        assertThrows(IllegalArgumentException.class, () -> FunctionManifest.parse(manifest(function(
                "{\"event\":{\"type\":\"google.cloud.firestore.document.v1.written\",\"document\":\"credits/{uid}/ledger\"}}", ""))));
    }

    @Test
    void documentPatternWildcardsMatchOneSegment() {
        DocumentPattern p = new DocumentPattern("credits/{uid}/ledger/{entryId}");
        assertEquals(true, p.matches("credits/u1/ledger/e1"));
        assertEquals(false, p.matches("credits/u1/balance/current"));
        assertEquals(false, p.matches("credits/u1/ledger/e1/x/y"));
    }
}
