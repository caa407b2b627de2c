package dev.atelier.rules;

import com.google.api.core.ApiFuture;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.WriteBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every rule of firestore.rules, by SPEC "Security" line: reads that must succeed for the right
 * identities, and the same reads and every kind of write that must fail for everyone else.
 */
final class Scenarios {
  private Scenarios() {}

  static final String USERS = "owners read their own users/{uid}";
  static final String HISTORY = "owners read their own generationHistory/{uid}/items";
  static final String BALANCE = "owners read their own credits/{uid}/balance";
  static final String LEDGER = "owners read their own credits/{uid}/ledger";
  static final String FEED =
      "anyone reads generations that are public and not deleted (lists only when filters prove it)";
  static final String PLANS = "anyone reads plans";
  static final String MODELS = "anyone reads models_config";
  static final String VERSION = "anyone reads system/version";
  static final String SERVER_ONLY =
      "everything else is server-only (admins act through the admin function)";
  static final String NO_WRITES = "clients write nothing the server owns";
  static final String OWNER = "server SDKs (owner) are not subject to the rules";

  private static final List<Scenario> ALL = new ArrayList<>();

  private static void allow(
      String rule, Who who, String request, Function<Firestore, ApiFuture<?>> action) {
    ALL.add(new Scenario(rule, who, request, action, true));
  }

  private static void deny(
      String rule, Who who, String request, Function<Firestore, ApiFuture<?>> action) {
    ALL.add(new Scenario(rule, who, request, action, false));
  }

  private static Function<Firestore, ApiFuture<?>> get(String path) {
    return db -> db.document(path).get();
  }

  private static Function<Firestore, ApiFuture<?>> list(String collection) {
    return db -> db.collection(collection).get();
  }

  private static Query feed(Firestore db) {
    return db.collection("generations")
        .whereEqualTo("isPublic", true)
        .whereEqualTo("isDeleted", false)
        .orderBy("createdAt", Query.Direction.DESCENDING);
  }

  static {
    // users
    allow(USERS, Who.ADA, "get users/ada", get("users/ada"));
    allow(
        USERS,
        Who.ADA,
        "list users where __name__ == users/ada",
        db ->
            db.collection("users")
                .whereEqualTo(FieldPath.documentId(), db.document("users/ada"))
                .get());
    deny(USERS, Who.BOB, "get users/ada", get("users/ada"));
    deny(USERS, Who.ADMIN, "get users/ada", get("users/ada"));
    deny(USERS, Who.ANONYMOUS, "get users/ada", get("users/ada"));
    deny(USERS, Who.ADA, "list users", list("users"));
    deny(
        USERS,
        Who.ADA,
        "list users where uid == ada (not provable)",
        db -> db.collection("users").whereEqualTo("uid", "ada").get());

    // generationHistory
    allow(
        HISTORY,
        Who.ADA,
        "get generationHistory/ada/items/ada-private",
        get("generationHistory/ada/items/ada-private"));
    allow(
        HISTORY, Who.ADA, "list generationHistory/ada/items", list("generationHistory/ada/items"));
    allow(
        HISTORY,
        Who.ADA,
        "list own completed items, newest first",
        db ->
            db.collection("generationHistory/ada/items")
                .whereEqualTo("status", "completed")
                .orderBy("createdAt", Query.Direction.DESCENDING)
                .get());
    deny(
        HISTORY,
        Who.BOB,
        "get generationHistory/ada/items/ada-private",
        get("generationHistory/ada/items/ada-private"));
    deny(HISTORY, Who.BOB, "list generationHistory/ada/items", list("generationHistory/ada/items"));
    deny(
        HISTORY,
        Who.ADMIN,
        "list generationHistory/ada/items",
        list("generationHistory/ada/items"));
    deny(
        HISTORY,
        Who.ANONYMOUS,
        "get generationHistory/ada/items/ada-public",
        get("generationHistory/ada/items/ada-public"));
    deny(HISTORY, Who.ADA, "collection group items", db -> db.collectionGroup("items").get());

    // credits
    allow(BALANCE, Who.ADA, "get credits/ada/balance/current", get("credits/ada/balance/current"));
    allow(BALANCE, Who.ADA, "list credits/ada/balance", list("credits/ada/balance"));
    deny(BALANCE, Who.BOB, "get credits/ada/balance/current", get("credits/ada/balance/current"));
    deny(BALANCE, Who.ADMIN, "get credits/ada/balance/current", get("credits/ada/balance/current"));
    deny(
        BALANCE,
        Who.ANONYMOUS,
        "get credits/ada/balance/current",
        get("credits/ada/balance/current"));
    allow(LEDGER, Who.ADA, "list credits/ada/ledger", list("credits/ada/ledger"));
    allow(
        LEDGER,
        Who.ADA,
        "get credits/ada/ledger/sys_open_ada",
        get("credits/ada/ledger/sys_open_ada"));
    deny(LEDGER, Who.BOB, "list credits/ada/ledger", list("credits/ada/ledger"));
    deny(
        LEDGER,
        Who.ADMIN,
        "get credits/ada/ledger/sys_open_ada",
        get("credits/ada/ledger/sys_open_ada"));
    deny(LEDGER, Who.ANONYMOUS, "list credits/ada/ledger", list("credits/ada/ledger"));
    deny(LEDGER, Who.ADA, "collection group ledger", db -> db.collectionGroup("ledger").get());

    // the public feed
    allow(FEED, Who.ANONYMOUS, "get generations/ada-public", get("generations/ada-public"));
    allow(FEED, Who.BOB, "get generations/ada-public", get("generations/ada-public"));
    allow(
        FEED,
        Who.ANONYMOUS,
        "feed query (isPublic, isDeleted, createdAt desc)",
        db -> feed(db).get());
    allow(FEED, Who.ADA, "feed query, first page of 20", db -> feed(db).limit(20).get());
    allow(FEED, Who.ANONYMOUS, "count of the feed", db -> feed(db).count().get());
    deny(FEED, Who.ANONYMOUS, "get generations/stale-private", get("generations/stale-private"));
    deny(FEED, Who.ADA, "get generations/stale-deleted", get("generations/stale-deleted"));
    deny(FEED, Who.ANONYMOUS, "get generations/no-flags", get("generations/no-flags"));
    deny(FEED, Who.ANONYMOUS, "list generations", list("generations"));
    deny(
        FEED,
        Who.ANONYMOUS,
        "list generations where isPublic == true",
        db -> db.collection("generations").whereEqualTo("isPublic", true).get());
    deny(
        FEED,
        Who.BOB,
        "list generations where isDeleted == false",
        db -> db.collection("generations").whereEqualTo("isDeleted", false).get());
    deny(
        FEED,
        Who.ANONYMOUS,
        "list generations where isPublic in [true, false] and isDeleted == false",
        db ->
            db.collection("generations")
                .whereIn("isPublic", List.of(true, false))
                .whereEqualTo("isDeleted", false)
                .get());

    // catalog and version
    allow(PLANS, Who.ANONYMOUS, "get plans/FREE", get("plans/FREE"));
    allow(PLANS, Who.ANONYMOUS, "list plans", list("plans"));
    allow(PLANS, Who.ADA, "list plans", list("plans"));
    allow(MODELS, Who.ANONYMOUS, "get models_config/acme-pixel", get("models_config/acme-pixel"));
    allow(MODELS, Who.ANONYMOUS, "list models_config", list("models_config"));
    allow(MODELS, Who.BOB, "list models_config", list("models_config"));
    allow(VERSION, Who.ANONYMOUS, "get system/version", get("system/version"));
    allow(VERSION, Who.ADA, "get system/version", get("system/version"));
    deny(VERSION, Who.ANONYMOUS, "get system/config", get("system/config"));
    deny(VERSION, Who.ADA, "get system/health", get("system/health"));
    deny(VERSION, Who.ADMIN, "get system/config", get("system/config"));
    deny(VERSION, Who.ANONYMOUS, "list system", list("system"));

    // everything else
    List<String> serverOnly = new ArrayList<>(List.of(RulesWorld.SERVER_ONLY));
    serverOnly.add("usernames/ada");
    serverOnly.add("idempotencyKeys/ada__k1");
    for (String path : serverOnly) {
      String collection = path.substring(0, path.indexOf('/'));
      deny(SERVER_ONLY, Who.ADA, "get " + path, get(path));
      deny(SERVER_ONLY, Who.ADMIN, "get " + path, get(path));
      deny(SERVER_ONLY, Who.ADMIN, "list " + collection, list(collection));
      deny(SERVER_ONLY, Who.ANONYMOUS, "list " + collection, list(collection));
    }
    deny(SERVER_ONLY, Who.ADA, "get credits/ada (no such rule)", get("credits/ada"));
    deny(SERVER_ONLY, Who.ADA, "get an unknown collection", get("anything/else"));

    // writes: none, anywhere, by anyone but the server
    deny(
        NO_WRITES,
        Who.ADA,
        "set own users/ada",
        db -> db.document("users/ada").set(Map.of("uid", "ada")));
    deny(
        NO_WRITES,
        Who.ADA,
        "update own users/ada username",
        db -> db.document("users/ada").update("username", "queen"));
    deny(
        NO_WRITES,
        Who.ADA,
        "update own users/ada accountStatus",
        db ->
            db.document("users/ada")
                .update("accountStatus", "active", "updatedAt", FieldValue.serverTimestamp()));
    deny(NO_WRITES, Who.ADA, "delete own users/ada", db -> db.document("users/ada").delete());
    deny(
        NO_WRITES,
        Who.ADA,
        "create users/ada2",
        db -> db.document("users/ada2").create(Map.of("uid", "ada2")));
    deny(
        NO_WRITES,
        Who.ADA,
        "create own history item",
        db -> db.document("generationHistory/ada/items/free").set(Map.of("status", "completed")));
    deny(
        NO_WRITES,
        Who.ADA,
        "make own item public",
        db ->
            db.document("generationHistory/ada/items/ada-private")
                .update("visibility", "public", "isPublic", true));
    deny(
        NO_WRITES,
        Who.ADA,
        "set own balance",
        db ->
            db.document("credits/ada/balance/current")
                .set(Map.of("creditBalance", 1_000_000, "planCode", "PRO")));
    deny(
        NO_WRITES,
        Who.ADA,
        "grant self credits",
        db ->
            db.document("credits/ada/ledger/mine")
                .set(Map.of("type", "GRANT", "amount", 1_000_000)));
    deny(
        NO_WRITES,
        Who.ADA,
        "delete own ledger entry",
        db -> db.document("credits/ada/ledger/sys_open_ada").delete());
    deny(
        NO_WRITES,
        Who.ANONYMOUS,
        "add to the public feed",
        db -> db.collection("generations").add(Map.of("isPublic", true, "isDeleted", false)));
    deny(
        NO_WRITES,
        Who.BOB,
        "edit another's public item",
        db -> db.document("generations/ada-public").update("prompt", "defaced"));
    deny(
        NO_WRITES,
        Who.ADMIN,
        "create a redeem code",
        db -> db.document("redeemCodes/FREEBIE").set(Map.of("status", "ACTIVE", "maxUses", 1000)));
    deny(
        NO_WRITES,
        Who.ADMIN,
        "grant credits to bob",
        db -> db.document("credits/bob/ledger/gift").set(Map.of("type", "GRANT", "amount", 10)));
    deny(
        NO_WRITES,
        Who.ADA,
        "change a plan",
        db -> db.document("plans/FREE").update("credits", 1_000_000));
    deny(
        NO_WRITES,
        Who.ADA,
        "set system/version",
        db -> db.document("system/version").set(Map.of("version", "x")));
    deny(
        NO_WRITES,
        Who.ADA,
        "enable a model",
        db ->
            db.document("models_config/acme-pixel")
                .set(
                    Map.of("status", Map.of("isAvailable", true)),
                    com.google.cloud.firestore.SetOptions.merge()));
    deny(
        NO_WRITES,
        Who.ADA,
        "reserve a username",
        db -> db.document("usernames/queen").set(Map.of("uid", "ada")));
    deny(NO_WRITES, Who.ANONYMOUS, "delete a plan", db -> db.document("plans/FREE").delete());
    deny(
        NO_WRITES,
        Who.ADA,
        "reset own rate limit",
        db -> db.document("rate_limit_logs/ada_submit-generation_m1").delete());
    deny(
        NO_WRITES,
        Who.ADA,
        "batch: profile and balance",
        db -> {
          WriteBatch batch = db.batch();
          batch.update(db.document("users/ada"), "username", "queen");
          batch.update(db.document("credits/ada/balance/current"), "creditBalance", 1_000_000);
          return batch.commit();
        });
    deny(
        NO_WRITES,
        Who.ADA,
        "transaction: read own balance, raise it",
        db ->
            db.runTransaction(
                tx -> {
                  long balance =
                      tx.get(db.document("credits/ada/balance/current"))
                          .get()
                          .getLong("creditBalance");
                  tx.update(
                      db.document("credits/ada/balance/current"), "creditBalance", balance + 1);
                  return null;
                }));

    // the server
    allow(OWNER, Who.OWNER, "get admin_audit/audit1", get("admin_audit/audit1"));
    allow(OWNER, Who.OWNER, "list generations", list("generations"));
    allow(OWNER, Who.OWNER, "collection group items", db -> db.collectionGroup("items").get());
    allow(
        OWNER,
        Who.OWNER,
        "update credits/ada/balance/current",
        db -> db.document("credits/ada/balance/current").update("creditBalance", 100));
  }

  static List<Scenario> all() {
    return List.copyOf(ALL);
  }
}
