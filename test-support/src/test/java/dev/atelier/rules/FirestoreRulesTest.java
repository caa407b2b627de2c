package dev.atelier.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QuerySnapshot;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.generations.PublicGeneration;
import dev.atelier.generations.Visibility;
import dev.atelier.store.Documents;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The repository's firestore.rules against SPEC "Security", through the real Java client acting as
 * ada, bob, an admin, a signed-out visitor and the server: every scenario of {@link Scenarios} (one
 * or more per rule and identity), plus what the allowed reads return.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class FirestoreRulesTest {
  private RulesWorld world;

  @BeforeEach
  void seed(EmulatorHandle emulator) throws Exception {
    world = RulesWorld.of(emulator);
    world.seed();
  }

  static Stream<Scenario> scenarios() {
    return Scenarios.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void scenario(Scenario scenario) throws Exception {
    assertEquals(scenario.expected(), scenario.run(world), scenario.toString());
  }

  @Test
  void theEmulatorEnforcesTheRepositorysRules(EmulatorHandle emulator) {
    assertTrue(emulator.enforcesRules());
  }

  @Test
  void everyRuleHasScenariosThatAllowAndThatDeny() {
    Map<String, Set<Boolean>> outcomes =
        Scenarios.all().stream()
            .collect(
                Collectors.groupingBy(
                    Scenario::rule,
                    LinkedHashMap::new,
                    Collectors.mapping(Scenario::allowed, Collectors.toSet())));
    for (String rule :
        List.of(
            Scenarios.USERS,
            Scenarios.HISTORY,
            Scenarios.BALANCE,
            Scenarios.LEDGER,
            Scenarios.FEED,
            Scenarios.VERSION)) {
      assertEquals(Set.of(true, false), outcomes.get(rule), rule);
    }
    assertEquals(Set.of(true), outcomes.get(Scenarios.PLANS));
    assertEquals(Set.of(true), outcomes.get(Scenarios.MODELS));
    assertEquals(Set.of(false), outcomes.get(Scenarios.SERVER_ONLY));
    assertEquals(Set.of(false), outcomes.get(Scenarios.NO_WRITES));
    Set<Who> writers =
        Scenarios.all().stream()
            .filter(s -> s.rule().equals(Scenarios.NO_WRITES))
            .map(Scenario::who)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Who.class)));
    assertEquals(EnumSet.of(Who.ADA, Who.BOB, Who.ADMIN, Who.ANONYMOUS), writers);
  }

  @Test
  void aDenialNamesTheRulesFileAndTheRuleLocation() {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> world.client(Who.BOB).document("users/ada").get().get());
    assertTrue(e.getMessage().contains("PERMISSION_DENIED"), e.getMessage());
    assertTrue(e.getMessage().contains("firestore.rules: false for 'get' @ L"), e.getMessage());
  }

  @Test
  void theFeedIsTheMirrorsPublicDocumentsNewestFirstWithoutServerOnlyFields() throws Exception {
    Firestore db = world.client(Who.ANONYMOUS);
    QuerySnapshot feed =
        db.collection("generations")
            .whereEqualTo("isPublic", true)
            .whereEqualTo("isDeleted", false)
            .orderBy("createdAt", Query.Direction.DESCENDING)
            .get()
            .get();
    List<String> ids = new ArrayList<>();
    feed.forEach(d -> ids.add(d.getId()));
    assertEquals(Set.of("ada-public", "bob-public"), Set.copyOf(ids));
    for (DocumentSnapshot d : feed) {
      for (String hidden : List.of("cost", "holdEntryId", "providerTaskId", "error")) {
        assertFalse(d.contains(hidden), d.getId() + " exposes " + hidden);
      }
      assertFalse(
          d.getData().toString().contains("@example.test"), "the creator's email is not public");
    }
  }

  @Test
  void aSignedOutFeedListenerSeesNewPublicItems() throws Exception {
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    ListenerRegistration registration =
        world
            .client(Who.ANONYMOUS)
            .collection("generations")
            .whereEqualTo("isPublic", true)
            .whereEqualTo("isDeleted", false)
            .orderBy("createdAt", Query.Direction.DESCENDING)
            .addSnapshotListener(
                (snapshot, error) -> events.add(snapshot != null ? snapshot : error));
    try {
      assertEquals(2, ((QuerySnapshot) events.poll(30, TimeUnit.SECONDS)).size());
      PublicGeneration fresh =
          PublicGeneration.project(RulesWorld.item("bob", "bob-new", Visibility.PUBLIC))
              .orElseThrow();
      world.client(Who.OWNER).document("generations/bob-new").set(Documents.encode(fresh)).get();
      Object next = events.poll(30, TimeUnit.SECONDS);
      assertTrue(next instanceof QuerySnapshot, String.valueOf(next));
      assertEquals(3, ((QuerySnapshot) next).size());
    } finally {
      registration.remove();
    }
  }

  @Test
  void aListenerOnSomeoneElsesDataIsRefused() throws Exception {
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    ListenerRegistration registration =
        world
            .client(Who.BOB)
            .collection("credits/ada/ledger")
            .addSnapshotListener(
                (snapshot, error) -> events.add(snapshot != null ? snapshot : error));
    try {
      Object first = events.poll(30, TimeUnit.SECONDS);
      assertTrue(
          first instanceof com.google.cloud.firestore.FirestoreException, String.valueOf(first));
      assertEquals(
          io.grpc.Status.Code.PERMISSION_DENIED,
          ((com.google.cloud.firestore.FirestoreException) first).getStatus().getCode());
    } finally {
      registration.remove();
    }
  }

  @Test
  void refusedWritesChangeNothing() throws Exception {
    for (Scenario s : Scenarios.all()) {
      if (s.rule().equals(Scenarios.NO_WRITES)) {
        assertEquals(Scenario.Outcome.DENIED, s.run(world), s.toString());
      }
    }
    Firestore server = world.client(Who.OWNER);
    assertEquals(
        100L, server.document("credits/ada/balance/current").get().get().getLong("creditBalance"));
    assertEquals("ada", server.document("users/ada").get().get().getString("username"));
    assertFalse(server.document("credits/ada/ledger/mine").get().get().exists());
    assertFalse(server.document("redeemCodes/FREEBIE").get().get().exists());
    assertEquals(5, server.collection("generations").get().get().size());
  }
}
