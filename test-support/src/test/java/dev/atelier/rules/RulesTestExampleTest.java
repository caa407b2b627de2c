package dev.atelier.rules;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Firestore;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.testsupport.IdTokens;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's "Writing a rules test" example, kept compiling and passing. */
@ExtendWith(FirestoreEmulatorExtension.class)
class RulesTestExampleTest {
  private static final IdTokens TOKENS = new IdTokens(FirestoreEmulatorExtension.PROJECT_ID);
  private static final String ADA = TOKENS.forUser("ada");
  private static final String BOB = TOKENS.forUser("bob");

  @Test
  void onlyTheOwnerReadsAProfile(Firestore server, EmulatorHandle emulator) throws Exception {
    server.document("users/ada").set(Map.of("username", "ada")).get(); // seed as the server
    Firestore ada = emulator.clientWithIdToken(ADA); // signed in as ada
    Firestore bob = emulator.clientWithIdToken(BOB);
    Firestore visitor = emulator.anonymousClient(); // signed out
    assertTrue(ada.document("users/ada").get().get().exists());
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> bob.document("users/ada").get().get());
    assertTrue(e.getMessage().contains("PERMISSION_DENIED"));
    assertThrows(ExecutionException.class, () -> visitor.collection("users").get().get());
  }
}
