package dev.atelier.local.demo;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.atelier.credits.Balance;
import dev.atelier.credits.LedgerEntry;
import dev.atelier.local.StackInfo;
import dev.atelier.local.auth.AuthEmulatorClient;
import dev.atelier.local.manifest.FunctionManifest;
import dev.atelier.platform.Clients;
import dev.atelier.platform.Config;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The demo: a new user opens a session (FREE grant), an admin creates a STUDENT code, the user redeems it,
 * an operator writes a GRANT straight to the ledger and the ledger trigger brings the balance in step,
 * and bad requests get their 4xx. Runs against {@code .local-stack/stack.json}; exit 0 only if all is right.
 */
public final class Demo {

    private static final Gson GSON = new Gson();
    private static final Duration TRIGGER_TIMEOUT = Duration.ofSeconds(30);

    private final StackInfo stack;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private int step;

    private Demo(StackInfo stack) {
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        Path root = FunctionManifest.locate(Path.of("")).getParent().getParent();
        StackInfo stack = StackInfo.read(root);
        try {
            new Demo(stack).run();
            System.out.println("DEMO PASSED" + (stack.chaos() ? " (chaos: every event delivered twice, shuffled)" : ""));
        } catch (DemoFailure e) {
            System.out.println("DEMO FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run() throws Exception {
        try (Firestore db = Clients.firestore(Config.forEmulators(stack.projectId(), stack.firestoreHost(), stack.authHost(), "demo"))) {
            long freeCredits = planCredits(db, "FREE");
            long studentCredits = planCredits(db, "PLAN_A");

            String email = "demo-" + UUID.randomUUID().toString().substring(0, 8) + "@atelier.local";
            AuthEmulatorClient auth = new AuthEmulatorClient(stack.authHost(), stack.projectId());
            AuthEmulatorClient.Account user = auth.signUp(email, "demo-password");
            say("sign up " + email + " on the Auth emulator", "uid " + user.uid());

            JsonObject session = expect(200, post("open-session", user.idToken(), "{}"), "open a session");
            expectEqual(freeCredits, session.get("creditBalance").getAsLong(), "FREE grant on first session");
            expectEqual("FREE", session.get("planCode").getAsString(), "plan after first session");
            say("balance", session.get("creditBalance") + " credits, plan " + session.get("planCode").getAsString());

            JsonObject created = expect(201, post("admin/redeem-codes", stack.adminToken(),
                    "{\"type\":\"STUDENT\",\"count\":1,\"maxUses\":5}"), "admin creates a STUDENT code");
            String code = created.getAsJsonArray("codes").get(0).getAsString();
            say("admin created code", code);

            JsonObject redeemed = expect(200, post("redeem-code", user.idToken(), "{\"code\":\" " + code.toLowerCase() + " \"}"),
                    "redeem " + code + " (lower case, padded)");
            expectEqual(studentCredits, redeemed.get("creditsGranted").getAsLong(), "credits granted by the code");
            expectEqual("PLAN_A", redeemed.get("planCode").getAsString(), "plan after redeeming");
            long afterRedeem = freeCredits + studentCredits;
            expectEqual(afterRedeem, redeemed.get("creditBalance").getAsLong(), "balance after redeeming");
            say("redeemed", redeemed.toString());

            expectError(409, "ALREADY_REDEEMED", post("redeem-code", user.idToken(), "{\"code\":\"" + code + "\"}"), "redeem the same code again");

            String entryId = "operator-" + UUID.randomUUID();
            db.document(FirestorePaths.ledgerEntry(user.uid(), entryId)).set(Map.of(
                    LedgerEntry.Field.TYPE, "GRANT",
                    LedgerEntry.Field.AMOUNT, 25L,
                    LedgerEntry.Field.STATUS, "CONFIRMED",
                    LedgerEntry.Field.REASON, "demo: operator grant written straight to the ledger",
                    LedgerEntry.Field.META, Map.of("by", "demo"),
                    LedgerEntry.Field.CREATED_AT, FieldValue.serverTimestamp(),
                    Documents.SCHEMA_VERSION_FIELD, Documents.SCHEMA_VERSION)).get();
            say("operator writes a GRANT of 25 to " + FirestorePaths.ledgerEntry(user.uid(), entryId), "written");
            long expected = afterRedeem + 25;
            Duration took = awaitBalance(db, user.uid(), expected);
            say("ledger trigger brought the balance in step", expected + " credits after " + took.toMillis() + " ms");
            Thread.sleep(2000);
            expectEqual(expected, balance(db, user.uid()), "balance 2 s later (no event applied twice)");
            DocumentSnapshot entry = db.document(FirestorePaths.ledgerEntry(user.uid(), entryId)).get().get();
            expectEqual(25L, entry.getLong(LedgerEntry.Field.APPLIED_AMOUNT), "appliedAmount of the operator entry");
            JsonObject again = expect(200, post("open-session", user.idToken(), "{}"), "open a session again");
            expectEqual(expected, again.get("creditBalance").getAsLong(), "balance seen by the client");
            say("balance", again.get("creditBalance") + " credits, plan " + again.get("planCode").getAsString());

            expectError(401, "UNAUTHENTICATED", post("redeem-code", null, "{\"code\":\"" + code + "\"}"), "redeem without a token");
            expectError(401, "UNAUTHENTICATED", post("redeem-code", "not-a-token", "{\"code\":\"" + code + "\"}"), "redeem with a garbage token");
            expectError(400, "INVALID_ARGUMENT", post("redeem-code", user.idToken(), "{\"code\":"), "redeem with broken JSON");
            expectError(400, "INVALID_ARGUMENT", post("redeem-code", user.idToken(), "{\"code\":42}"), "redeem with a number for code");
            expectError(404, "CODE_NOT_FOUND", post("redeem-code", user.idToken(), "{\"code\":\"STUDENT-NOPE1234\"}"), "redeem an unknown code");
            expectError(403, "PERMISSION_DENIED", post("admin/redeem-codes", user.idToken(),
                    "{\"type\":\"STUDENT\",\"count\":1,\"maxUses\":1}"), "non-admin creates codes");
            expectError(400, "INVALID_ARGUMENT", post("admin/redeem-codes", stack.adminToken(),
                    "{\"type\":\"STUDENT\",\"count\":100000,\"maxUses\":1}"), "admin asks for too many codes");
            expectStatus(405, send(HttpRequest.newBuilder(url("redeem-code")).GET(), null), "GET on redeem-code");
            say("GET on redeem-code", "405");
            expectEqual(expected, balance(db, user.uid()), "balance untouched by the bad requests");
            say("balance after the bad requests", expected + " credits (unchanged)");
        }
    }

    private long planCredits(Firestore db, String plan) throws Exception {
        Long credits = db.document(FirestorePaths.plan(plan)).get().get().getLong("credits");
        if (credits == null) {
            throw new DemoFailure("plans/" + plan + " has no credits: is the catalog seeded?");
        }
        return credits;
    }

    private static long balance(Firestore db, String uid) throws Exception {
        Long value = db.document(FirestorePaths.balance(uid)).get().get().getLong(Balance.Field.CREDIT_BALANCE);
        return value == null ? Long.MIN_VALUE : value;
    }

    private static Duration awaitBalance(Firestore db, String uid, long expected) throws Exception {
        Instant start = Instant.now();
        long last = Long.MIN_VALUE;
        while (Duration.between(start, Instant.now()).compareTo(TRIGGER_TIMEOUT) < 0) {
            last = balance(db, uid);
            if (last == expected) {
                return Duration.between(start, Instant.now());
            }
            Thread.sleep(100);
        }
        throw new DemoFailure("balance is " + last + ", expected " + expected + " within " + TRIGGER_TIMEOUT.toSeconds()
                + " s: did apply-ledger-entry run? see .local-stack/logs/apply-ledger-entry.log");
    }

    private URI url(String path) {
        return URI.create(stack.frontUrl() + "/" + path);
    }

    private HttpResponse<String> post(String path, String token, String json) throws Exception {
        return send(HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AtelierDemo/1.0");
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject expect(int status, HttpResponse<String> response, String what) {
        expectStatus(status, response, what);
        say(what, response.statusCode() + "");
        return GSON.fromJson(response.body(), JsonObject.class);
    }

    private void expectError(int status, String code, HttpResponse<String> response, String what) {
        expectStatus(status, response, what);
        JsonObject body;
        try {
            body = GSON.fromJson(response.body(), JsonObject.class);
        } catch (RuntimeException e) {
            throw new DemoFailure(what + ": body is not JSON: " + response.body());
        }
        String actual = body != null && body.has("error") ? body.getAsJsonObject("error").get("code").getAsString() : null;
        if (!code.equals(actual)) {
            throw new DemoFailure(what + ": expected error " + code + ", got " + response.body());
        }
        say(what, status + " " + code);
    }

    private static void expectStatus(int status, HttpResponse<String> response, String what) {
        if (response.statusCode() != status) {
            throw new DemoFailure(what + ": expected HTTP " + status + ", got " + response.statusCode() + " " + response.body());
        }
    }

    private static void expectEqual(Object expected, Object actual, String what) {
        if (!expected.equals(actual)) {
            throw new DemoFailure(what + ": expected " + expected + ", got " + actual);
        }
    }

    private void say(String what, String result) {
        System.out.printf("%2d. %-62s -> %s%n", ++step, what, result);
    }

    private static final class DemoFailure extends RuntimeException {
        DemoFailure(String message) {
            super(message);
        }
    }
}
