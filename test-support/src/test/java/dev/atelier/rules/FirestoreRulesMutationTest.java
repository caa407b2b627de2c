package dev.atelier.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.atelier.emulator.FirestoreEmulator;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.emulator.rules.FirestoreRules;
import dev.atelier.testsupport.RepoFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of firestore.rules removed or loosened, one at a time: the scenarios of that rule must
 * notice (at least one answers differently). Keeps the scenarios honest: a rule nobody tests would
 * survive its mutation.
 */
class FirestoreRulesMutationTest {

  /** Replace {@code site} (which must occur exactly once) by {@code replacement}. */
  record Mutant(String rule, String description, String site, String replacement) {
    @Override
    public String toString() {
      return description + "  [" + rule + "]";
    }
  }

  private static final String USERS = "match /users/{uid} {\n      allow read: if isOwner(uid);";
  private static final String HISTORY =
      "match /generationHistory/{uid}/items/{itemId} {\n      allow read: if isOwner(uid);";
  private static final String BALANCE =
      "match /credits/{uid}/balance/{docId} {\n      allow read: if isOwner(uid);";
  private static final String LEDGER =
      "match /credits/{uid}/ledger/{entryId} {\n      allow read: if isOwner(uid);";
  private static final String FEED =
      "allow get, list: if resource.data.isPublic == true && resource.data.isDeleted == false;";
  private static final String PLANS = "match /plans/{planCode} {\n      allow read: if true;";
  private static final String MODELS =
      "match /models_config/{modelId} {\n      allow read: if true;";
  private static final String VERSION = "match /system/version {\n      allow get: if true;";
  private static final String DOCUMENTS = "match /databases/{database}/documents {";

  static Stream<Mutant> mutants() {
    return Stream.of(
        new Mutant(Scenarios.USERS, "users rule removed", USERS, "match /users/{uid} {"),
        new Mutant(
            Scenarios.USERS,
            "users readable by any signed-in user",
            USERS,
            "match /users/{uid} {\n      allow read: if signedIn();"),
        new Mutant(
            Scenarios.HISTORY,
            "history rule removed",
            HISTORY,
            "match /generationHistory/{uid}/items/{itemId} {"),
        new Mutant(
            Scenarios.HISTORY,
            "history readable by any signed-in user",
            HISTORY,
            "match /generationHistory/{uid}/items/{itemId} {\n      allow read: if signedIn();"),
        new Mutant(
            Scenarios.BALANCE,
            "balance rule removed",
            BALANCE,
            "match /credits/{uid}/balance/{docId} {"),
        new Mutant(
            Scenarios.BALANCE,
            "balances readable by anyone",
            BALANCE,
            "match /credits/{uid}/balance/{docId} {\n      allow read: if true;"),
        new Mutant(
            Scenarios.LEDGER,
            "ledger rule removed",
            LEDGER,
            "match /credits/{uid}/ledger/{entryId} {"),
        new Mutant(
            Scenarios.LEDGER,
            "ledgers readable by any signed-in user",
            LEDGER,
            "match /credits/{uid}/ledger/{entryId} {\n      allow read: if signedIn();"),
        new Mutant(Scenarios.FEED, "feed rule removed", FEED, ""),
        new Mutant(
            Scenarios.FEED,
            "feed without the isDeleted condition",
            FEED,
            "allow get, list: if resource.data.isPublic == true;"),
        new Mutant(
            Scenarios.FEED,
            "feed without the isPublic condition",
            FEED,
            "allow get, list: if resource.data.isDeleted == false;"),
        new Mutant(Scenarios.FEED, "every mirror document readable", FEED, "allow read: if true;"),
        new Mutant(Scenarios.PLANS, "plans rule removed", PLANS, "match /plans/{planCode} {"),
        new Mutant(
            Scenarios.PLANS,
            "plans for signed-in users only",
            PLANS,
            "match /plans/{planCode} {\n      allow read: if signedIn();"),
        new Mutant(
            Scenarios.MODELS,
            "models_config rule removed",
            MODELS,
            "match /models_config/{modelId} {"),
        new Mutant(
            Scenarios.VERSION, "system/version rule removed", VERSION, "match /system/version {"),
        new Mutant(
            Scenarios.VERSION,
            "every system document readable",
            VERSION,
            "match /system/{docId} {\n      allow get: if true;"),
        new Mutant(
            Scenarios.SERVER_ONLY,
            "admins read everything",
            DOCUMENTS,
            DOCUMENTS
                + "\n    match /{document=**} { allow read: if request.auth.token.admin == true; }"),
        new Mutant(
            Scenarios.SERVER_ONLY,
            "signed-in users get any top-level document",
            DOCUMENTS,
            DOCUMENTS + "\n    match /{collection}/{doc} { allow get: if signedIn(); }"),
        new Mutant(
            Scenarios.NO_WRITES,
            "owners write their profile",
            USERS,
            "match /users/{uid} {\n      allow read, write: if isOwner(uid);"),
        new Mutant(
            Scenarios.NO_WRITES,
            "owners add ledger entries",
            LEDGER,
            "match /credits/{uid}/ledger/{entryId} {\n      allow read, create: if isOwner(uid);"),
        new Mutant(
            Scenarios.NO_WRITES,
            "public items editable",
            FEED,
            FEED + "\n      allow update: if resource.data.isPublic == true;"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mutants")
  void theRulesScenariosNoticeTheMutation(Mutant mutant) throws Exception {
    String source = Files.readString(RepoFiles.find("firestore.rules"), StandardCharsets.UTF_8);
    assertEquals(
        1,
        occurrences(source, mutant.site()),
        "the mutation site is not in firestore.rules exactly once; update this mutant: "
            + mutant.site());
    FirestoreRules rules =
        FirestoreRules.parse(
            source.replace(mutant.site(), mutant.replacement()), "firestore.rules");
    try (FirestoreEmulator emulator = FirestoreEmulator.builder().rules(rules).start()) {
      RulesWorld world =
          RulesWorld.connect(emulator.hostAndPort(), FirestoreEmulatorExtension.PROJECT_ID);
      try {
        world.seed();
        List<String> noticed = new ArrayList<>();
        for (Scenario scenario : Scenarios.all()) {
          if (scenario.rule().equals(mutant.rule()) && scenario.run(world) != scenario.expected()) {
            noticed.add(scenario.toString());
          }
        }
        assertFalse(
            noticed.isEmpty(), "no scenario of \"" + mutant.rule() + "\" notices: " + mutant);
      } finally {
        world.close();
      }
    }
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }
}
