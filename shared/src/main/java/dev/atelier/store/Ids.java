package dev.atelier.store;

import java.util.regex.Pattern;

/**
 * The id grammar of everything a client names (uids, item ids, alert ids): a Firestore document id
 * ({@link FirestorePaths#isValidId}) that is also short printable ASCII, so it is safe in a path, a
 * URL and a log line. Check a client-sent id here before it reaches a path.
 */
public final class Ids {
  /** Firebase Auth uids are at most 128 characters; ours and Firestore auto ids are 20 to 28. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9._:@+-]{1," + MAX_LENGTH + "}");

  private Ids() {}

  public static boolean isValid(String id) {
    return id != null && GRAMMAR.matcher(id).matches() && FirestorePaths.isValidId(id);
  }
}
