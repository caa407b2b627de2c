package dev.atelier.functions.applyledgerentry;

import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The property test's oracle, independent of the production code: the SPEC's rules ("Credits",
 * "Ledger guards") re-stated over the documents as stored, and checked for every uid after
 * quiescence.
 *
 * <ul>
 *   <li>An entry breaks a guard when its type or status is not one of the enum's exact spellings,
 *       its amount is not an integer (a Firestore integer, or a double with an integral value), its
 *       sign does not match its type (GRANT/REFUND &gt; 0, DEBIT/HOLD &lt; 0), or it lies outside
 *       ±10^9. Such an entry must be marked {@code invalid}, contribute 0 and have an alert. The
 *       one guard not visible on the entry alone — the balance would pass 10^12 — may mark an
 *       otherwise valid entry.
 *   <li>{@code creditBalance} = Σ amount of the entries that are not marked invalid and not
 *       REVERSED; it is an integer in [0, 10^12].
 *   <li>The applied record of every entry ({@code credits/{uid}/applied/{id}}) agrees with it: same
 *       type, amount and status and {@code appliedAmount} = contribution for a counted entry, the
 *       same invalid reason and 0 for an invalid one; the entry's own {@code appliedAmount}, when
 *       present, says the same. A record without an entry contributes 0 (an applied entry is never
 *       left deleted). Σ of the records' {@code appliedAmount} = the balance, so nothing counts
 *       twice.
 *   <li>A balance exists exactly when the account was opened, and then exactly one {@code
 *       sys_open_} grant.
 * </ul>
 */
final class LedgerOracle {

  static final long MAX_ENTRY = 1_000_000_000L;
  static final long MAX_BALANCE = 1_000_000_000_000L;
  private static final Set<String> TYPES = Set.of("GRANT", "DEBIT", "REFUND", "HOLD");
  private static final Set<String> STATUSES = Set.of("PENDING", "CONFIRMED", "REVERSED");
  private static final String CAP_REASON = "past " + MAX_BALANCE;

  /** Totals over all uids at one checkpoint. */
  static final class Totals {
    int uids;
    int accounts;
    int entries;
    int counted;
    int reversed;
    int invalid;
    int invalidByCap;
    int restoredMarks;
    int orphanRecords;
    long balanceSum;
    long maxBalance;

    @Override
    public String toString() {
      return uids
          + " uids ("
          + accounts
          + " accounts), "
          + entries
          + " entries: "
          + counted
          + " counted, "
          + reversed
          + " reversed, "
          + invalid
          + " invalid ("
          + invalidByCap
          + " by the 10^12 cap), "
          + restoredMarks
          + " carrying a restored mark; "
          + orphanRecords
          + " records of deleted never-applied entries; Σ balances "
          + balanceSum
          + ", max "
          + maxBalance;
    }
  }

  private final Database db;

  LedgerOracle(Database db) {
    this.db = db;
  }

  /** Why a stored entry breaks a guard, or null when it passes them all. */
  static String guardViolation(Map<String, Object> entry) {
    Object type = entry.get("type");
    Object status = entry.get("status");
    if (!(type instanceof String t) || !TYPES.contains(t)) {
      return "unknown type " + type;
    }
    if (!(status instanceof String s) || !STATUSES.contains(s)) {
      return "unknown status " + status;
    }
    Object raw = entry.get("amount");
    if (!isInteger(raw)) {
      return "amount not an integer: " + raw;
    }
    double magnitude = raw instanceof Long l ? l : (Double) raw;
    if (magnitude > MAX_ENTRY || magnitude < -MAX_ENTRY) {
      return "amount outside ±10^9: " + raw;
    }
    long amount = integer(raw);
    boolean credit = t.equals("GRANT") || t.equals("REFUND");
    if (credit ? amount <= 0 : amount >= 0) {
      return "sign of " + amount + " does not match " + t;
    }
    return null;
  }

  private static boolean isInteger(Object v) {
    return v instanceof Long || (v instanceof Double d && !d.isInfinite() && d == Math.rint(d));
  }

  /** An amount that passed {@link #guardViolation} as a long. */
  private static long integer(Object v) {
    return v instanceof Long l ? l : (long) (double) (Double) v;
  }

  /** Whether a stored number is {@code n} (an informational copy may be an integral double). */
  private static boolean sameNumber(long n, Object stored) {
    return stored instanceof Long l ? l == n : stored instanceof Double d && d == n;
  }

  private static String mark(Map<String, Object> fields, String name) {
    return fields.get(name) instanceof Map<?, ?> m && m.get("reason") instanceof String r
        ? r
        : null;
  }

  /**
   * Checks every uid; adds what it finds wrong to {@code violations} (with {@code history} of the
   * entries concerned) and returns the totals.
   */
  Totals check(Set<String> knownUids, List<String> violations) throws Exception {
    // Three collection-group reads instead of three reads per uid; any uid found is checked too.
    Map<String, List<Snapshot>> ledgers = byUid(db.collectionGroup("ledger").get(), "ledger");
    Map<String, List<Snapshot>> records = byUid(db.collectionGroup("applied").get(), "applied");
    Map<String, List<Snapshot>> balances = byUid(db.collectionGroup("balance").get(), "balance");
    Set<String> uids = new TreeSet<>(knownUids);
    uids.addAll(ledgers.keySet());
    uids.addAll(records.keySet());
    uids.addAll(balances.keySet());
    Set<String> alerts = new HashSet<>();
    Map<String, Integer> alertCount = new HashMap<>();
    for (Snapshot a :
        db.collection("model_router_alerts").whereEqualTo("type", "ledger_invalid_entry").get()) {
      if (a.get("details") instanceof Map<?, ?> d) {
        String key = d.get("entry") + " " + d.get("reason");
        alerts.add(key);
        alertCount.merge(key, 1, Integer::sum);
      }
    }
    alertCount.forEach(
        (key, n) -> {
          if (n > 1) {
            violations.add("alert raised " + n + " times: " + key);
          }
        });
    Totals totals = new Totals();
    for (String uid : uids) {
      totals.uids++;
      Snapshot balance = null;
      for (Snapshot b : balances.getOrDefault(uid, List.of())) {
        if (b.id().equals("current")) {
          balance = b;
        } else {
          violations.add(uid + ": unexpected balance document " + b.id());
        }
      }
      checkUid(
          uid,
          balance,
          ledgers.getOrDefault(uid, List.of()),
          records.getOrDefault(uid, List.of()),
          alerts,
          violations,
          totals);
    }
    return totals;
  }

  /**
   * The documents of {@code credits/{uid}/<collection>} by uid (other collections of that name are
   * not ours).
   */
  private static Map<String, List<Snapshot>> byUid(List<Snapshot> snapshot, String collection) {
    Map<String, List<Snapshot>> out = new HashMap<>();
    for (Snapshot doc : snapshot) {
      String[] path = doc.path().split("/");
      if (path.length == 4 && path[0].equals("credits") && path[2].equals(collection)) {
        out.computeIfAbsent(path[1], k -> new ArrayList<>()).add(doc);
      }
    }
    return out;
  }

  private void checkUid(
      String uid,
      Snapshot balanceDoc,
      List<Snapshot> ledger,
      List<Snapshot> recordDocs,
      Set<String> alerts,
      List<String> violations,
      Totals totals) {
    Map<String, Map<String, Object>> recordsById = new LinkedHashMap<>();
    for (Snapshot r : recordDocs) {
      recordsById.put(r.id(), r.getData());
    }
    long expected = 0;
    int counted = 0;
    Set<String> entryIds = new HashSet<>();
    for (Snapshot doc : ledger) {
      totals.entries++;
      String id = doc.id();
      String where = uid + "/" + id;
      entryIds.add(id);
      Map<String, Object> e = doc.getData();
      Map<String, Object> record = recordsById.get(id);
      String violation = guardViolation(e);
      String invalid = mark(e, "invalid");
      String restored = mark(e, "restored");
      if (restored != null) {
        totals.restoredMarks++;
        if (!alerts.contains(where + " " + restored)) {
          violations.add(where + ": restored (" + restored + ") without an alert");
        }
      }
      if (violation != null || invalid != null) {
        totals.invalid++;
        if (invalid == null) {
          violations.add(
              where + ": breaks a guard (" + violation + ") but is not marked invalid: " + e);
          continue;
        }
        if (violation == null) {
          if (!invalid.contains(CAP_REASON)) {
            violations.add(
                where + ": passes every guard but is marked invalid (" + invalid + "): " + e);
          }
          totals.invalidByCap++;
        }
        if (!alerts.contains(where + " " + invalid)) {
          violations.add(where + ": marked invalid (" + invalid + ") without an alert");
        }
        if (record == null
            || !invalid.equals(record.get("invalidReason"))
            || !Objects.equals(0L, record.get("appliedAmount"))
            || record.get("type") != null) {
          violations.add(where + ": invalid entry, but its applied record says " + record);
        }
        Object claimed = e.get("appliedAmount");
        if (claimed != null && !sameNumber(0, claimed)) {
          violations.add(where + ": invalid entry claims appliedAmount " + claimed);
        }
        continue;
      }
      long amount = integer(e.get("amount"));
      boolean isReversed = e.get("status").equals("REVERSED");
      long contribution = isReversed ? 0 : amount;
      if (isReversed) {
        totals.reversed++;
      }
      counted++;
      expected += contribution;
      if (record == null
          || !e.get("type").equals(record.get("type"))
          || !Objects.equals(amount, record.get("amount"))
          || !e.get("status").equals(record.get("status"))
          || !Objects.equals(contribution, record.get("appliedAmount"))
          || record.get("invalidReason") != null) {
        violations.add(
            where
                + ": entry "
                + e.get("type")
                + " "
                + e.get("amount")
                + " "
                + e.get("status")
                + " (contributes "
                + contribution
                + "), but its applied record says "
                + record);
      }
      if (!sameNumber(contribution, e.get("appliedAmount"))) {
        violations.add(
            where
                + ": contributes "
                + contribution
                + " but its appliedAmount is "
                + e.get("appliedAmount"));
      }
    }
    totals.counted += counted;
    long recorded = 0;
    int openings = 0;
    for (Map.Entry<String, Map<String, Object>> r : recordsById.entrySet()) {
      Object applied = r.getValue().get("appliedAmount");
      if (!(applied instanceof Long a)) {
        violations.add(
            uid
                + "/"
                + r.getKey()
                + ": applied record without an integer appliedAmount: "
                + r.getValue());
        continue;
      }
      recorded += a;
      if (r.getKey().startsWith("sys_open_")) {
        openings++;
      }
      if (!entryIds.contains(r.getKey())) {
        totals.orphanRecords++;
        if (a != 0 || r.getValue().get("type") != null) {
          violations.add(
              uid
                  + "/"
                  + r.getKey()
                  + ": the entry is gone but its record still counts: "
                  + r.getValue());
        }
      }
    }
    if (balanceDoc == null) {
      if (counted != 0 || recorded != 0 || openings != 0) {
        violations.add(
            uid
                + ": no balance, but "
                + counted
                + " counted entries (Σ "
                + expected
                + "), records Σ "
                + recorded);
      }
      return;
    }
    totals.accounts++;
    if (openings != 1) {
      violations.add(uid + ": " + openings + " account openings");
    }
    Object raw = balanceDoc.get("creditBalance");
    if (!(raw instanceof Long balance)) {
      violations.add(uid + ": creditBalance is not an integer: " + raw);
      return;
    }
    totals.balanceSum += balance;
    totals.maxBalance = Math.max(totals.maxBalance, balance);
    if (balance != expected) {
      violations.add(
          uid
              + ": balance "
              + balance
              + " ≠ Σ of valid non-reversed entries "
              + expected
              + " (off by "
              + (balance - expected)
              + ")");
    }
    if (balance != recorded) {
      violations.add(uid + ": balance " + balance + " ≠ Σ of applied records " + recorded);
    }
    if (balance < 0 || balance > MAX_BALANCE) {
      violations.add(uid + ": balance " + balance + " outside [0, 10^12]");
    }
  }

  /** The uids of the violations about a whole account ("uid: …"). */
  static List<String> uidsNamed(List<String> violations) {
    List<String> out = new ArrayList<>();
    for (String v : violations) {
      int colon = v.indexOf(':');
      if (colon > 0
          && !v.substring(0, colon).contains("/")
          && !v.substring(0, colon).contains(" ")) {
        out.add(v.substring(0, colon));
      }
    }
    return out;
  }

  /** The entries ("uid/id") the violations are about. */
  static List<String> entriesNamed(List<String> violations) {
    List<String> out = new ArrayList<>();
    for (String v : violations) {
      int colon = v.indexOf(':');
      if (colon > 0 && v.substring(0, colon).contains("/")) {
        out.add(v.substring(0, colon));
      }
    }
    return out;
  }
}
