package dev.atelier.store;

import java.util.Locale;
import java.util.Optional;

/**
 * Every Firestore collection and document path the system uses, as relative paths for
 * {@code firestore.document(..)} / {@code firestore.collection(..)}; collection-group ids for
 * {@code firestore.collectionGroup(..)}. Built from the {@link DocumentKind} table.
 */
public final class FirestorePaths {
    private FirestorePaths() {}

    /** Collection-group id of every user's ledger entries. */
    public static final String LEDGER_GROUP = DocumentKind.LEDGER_ENTRY.collectionId();

    public static String user(String uid) {
        return DocumentKind.USER.path(uid);
    }

    public static String users() {
        return DocumentKind.USER.collectionPath();
    }

    /** The reservation of {@code username}, keyed by its lower-cased form. */
    public static String usernameReservation(String username) {
        return DocumentKind.USERNAME_RESERVATION.path(usernameKey(username));
    }

    /** The case-insensitive key of a username (its reservation's document id). */
    public static String usernameKey(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    public static String balance(String uid) {
        return DocumentKind.BALANCE.path(uid);
    }

    public static String ledger(String uid) {
        return DocumentKind.LEDGER_ENTRY.collectionPath(uid);
    }

    public static String ledgerEntry(String uid, String entryId) {
        return DocumentKind.LEDGER_ENTRY.path(uid, entryId);
    }

    public static String redeemCodes() {
        return DocumentKind.REDEEM_CODE.collectionPath();
    }

    public static String redeemCode(String code) {
        return DocumentKind.REDEEM_CODE.path(code);
    }

    public static String redeemCodeUsages() {
        return DocumentKind.REDEEM_CODE_USAGE.collectionPath();
    }

    /** The usage of {@code code} by {@code uid}: one deterministic id per (code, uid). */
    public static String redeemCodeUsage(String code, String uid) {
        return DocumentKind.REDEEM_CODE_USAGE.path(redeemCodeUsageId(code, uid));
    }

    /** Document id of the usage of {@code code} by {@code uid}. */
    public static String redeemCodeUsageId(String code, String uid) {
        return code + "__" + uid;
    }

    public static String plans() {
        return DocumentKind.PLAN.collectionPath();
    }

    public static String plan(String planCode) {
        return DocumentKind.PLAN.path(planCode);
    }

    /** The kind and ids of a document path (relative, {@code documents/…} or a full resource name). */
    public static Optional<DocumentKey> parse(String documentPath) {
        return DocumentKind.parse(documentPath);
    }
}
