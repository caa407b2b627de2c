package dev.atelier.users;

import dev.atelier.catalog.PlanCode;
import dev.atelier.credits.Account;
import dev.atelier.credits.CreditService;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldPath;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Query;
import dev.atelier.firestore.Snapshot;
import dev.atelier.firestore.Transaction;
import dev.atelier.firestore.WriteBatch;
import dev.atelier.generations.CreatedBy;
import dev.atelier.generations.GenerationItem;
import dev.atelier.platform.AuthUser;
import dev.atelier.platform.ClientInfo;
import dev.atelier.platform.JsonLog;
import dev.atelier.platform.Refusal;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * open-session: in ONE transaction, creates or refreshes {@code users/{uid}} from the verified
 * token and the request, keeps the username unique case-insensitively through {@code
 * usernames/{lowercased}} reservations, and opens the credits account. Races of first calls for one
 * uid converge: every document id involved is deterministic and created with a precondition.
 */
public final class SessionService {

  /** What the client asks for; both optional. */
  public record SessionRequest(Optional<String> username, Optional<Preferences> preferences) {}

  /** The answer: the profile as stored and the credits summary. */
  public record Session(UserProfile profile, long creditBalance, PlanCode planCode) {}

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.]{3,30}");
  static final String TEMPORARY_PREFIX = "user_";

  private final Database db;
  private final CreditService credits;
  private final Clock clock;
  private final JsonLog log;

  public SessionService(Database db, CreditService credits, Clock clock, JsonLog log) {
    this.db = db;
    this.credits = credits;
    this.clock = clock;
    this.log = log;
  }

  /** 400 unless 3–30 letters, digits, '_' or '.'. */
  public static String validUsername(String username) {
    if (!USERNAME.matcher(username).matches()) {
      throw new Refusal(
          Refusal.Problem.INVALID_ARGUMENT,
          "username is invalid",
          Map.of("fields", Map.of("username", "must be 3-30 letters, digits, '_' or '.'")));
    }
    return username;
  }

  /** Items whose creator copy one batch refreshes (a write batch holds at most 500 writes). */
  static final int CREATOR_BATCH = 400;

  /** Refreshes after which a creator that keeps changing is left to a later session. */
  private static final int CREATOR_PASSES = 3;

  /**
   * Opens the session; then, when the creator changed (now or in a session whose refresh did not
   * finish), brings the {@code createdBy} copy on the user's public items up to date. The session
   * stands once committed: a refresh that fails is logged and left pending for the next session.
   */
  public Session open(AuthUser user, ClientInfo client, SessionRequest request) {
    request.username().ifPresent(SessionService::validUsername);
    Session session = credits.run(tx -> openIn(tx, user, client, request));
    UserProfile profile = session.profile();
    if (!Boolean.TRUE.equals(profile.creatorRefreshPending())) {
      return session;
    }
    try {
      for (int pass = 1; pass <= CREATOR_PASSES; pass++) {
        refreshCreator(profile);
        Optional<UserProfile> newer = finishCreatorRefresh(profile.creator());
        if (newer.isEmpty()) {
          return new Session(
              withoutPendingRefresh(session.profile()),
              session.creditBalance(),
              session.planCode());
        }
        // Another session changed the creator meanwhile; our writes may have landed after its.
        profile = newer.get();
      }
      log.with("uid", user.uid())
          .warn("the creator kept changing; its refresh is left to the next session");
    } catch (RuntimeException e) {
      log.with("uid", user.uid())
          .warn("could not refresh the creator of the public items; the next session retries", e);
    }
    return session;
  }

  /**
   * Clears the pending mark if the profile still has {@code refreshed} as its creator; otherwise
   * the profile as it is now, whose creator needs another pass.
   */
  private Optional<UserProfile> finishCreatorRefresh(CreatedBy refreshed) {
    String userRef = FirestorePaths.user(refreshed.uid());
    return credits.run(
        tx -> {
          Optional<UserProfile> now = Documents.read(tx.get(userRef), UserProfile.class);
          if (now.isEmpty() || now.get().creator().equals(refreshed)) {
            if (now.map(p -> Boolean.TRUE.equals(p.creatorRefreshPending())).orElse(false)) {
              tx.update(userRef, UserProfile.Field.CREATOR_REFRESH_PENDING, FieldValue.delete());
            }
            return Optional.empty();
          }
          return now;
        });
  }

  private static UserProfile withoutPendingRefresh(UserProfile p) {
    return new UserProfile(
        p.uid(),
        p.email(),
        p.username(),
        p.displayName(),
        p.photoURL(),
        p.provider(),
        p.emailVerified(),
        p.isActive(),
        p.createdAt(),
        p.lastLoginAt(),
        p.loginCount(),
        p.lastLoginIP(),
        p.userAgent(),
        p.deviceInfo(),
        p.preferences(),
        p.metadata(),
        p.isUsernameTemporary(),
        p.updatedAt(),
        null);
  }

  /**
   * The user's public items carry a copy of their creator; after the name, username or photo
   * changed, rewrite it (batches of {@value #CREATOR_BATCH}), which also re-syncs their public
   * mirror documents.
   *
   * @return how many items were rewritten
   */
  int refreshCreator(UserProfile profile) {
    CreatedBy creator = profile.creator();
    Query page =
        db.collection(FirestorePaths.historyItems(profile.uid()))
            .whereEqualTo(GenerationItem.Field.IS_PUBLIC, true)
            .orderBy(FieldPath.documentId())
            .limit(CREATOR_BATCH);
    int rewritten = 0;
    while (true) {
      List<Snapshot> docs = page.get();
      WriteBatch batch = db.batch();
      int inBatch = 0;
      for (Snapshot doc : docs) {
        // Only createdBy is compared and rewritten; the rest of the item is not decoded, so an old
        // document the codec rejects cannot fail the session after its profile committed (which
        // would leave every item stale for good: the next session sees no change to refresh).
        Map<String, Object> update =
            Documents.update(
                GenerationItem.builder(profile.uid(), doc.id()).createdBy(creator).build(),
                List.of(GenerationItem.Field.CREATED_BY),
                GenerationItem.Field.UPDATED_AT);
        if (!update
            .get(GenerationItem.Field.CREATED_BY)
            .equals(doc.get(GenerationItem.Field.CREATED_BY))) {
          batch.update(doc.path(), update);
          inBatch++;
        }
      }
      if (inBatch > 0) {
        batch.commit();
        rewritten += inBatch;
      }
      if (docs.size() < CREATOR_BATCH) {
        return rewritten;
      }
      page = page.startAfter(docs.get(docs.size() - 1));
    }
  }

  private Session openIn(Transaction tx, AuthUser user, ClientInfo client, SessionRequest request) {
    String userRef = FirestorePaths.user(user.uid());
    Optional<UserProfile> existing = Documents.read(tx.get(userRef), UserProfile.class);
    if (existing.map(UserProfile::suspended).orElse(false)) {
      throw new Refusal(Refusal.Problem.ACCOUNT_SUSPENDED, "this account is suspended");
    }
    Optional<String> current = existing.map(UserProfile::username);

    String username;
    boolean temporary;
    Optional<String> release = Optional.empty();
    if (request.username().isPresent()) {
      username = request.username().get();
      temporary = false;
      Optional<UsernameReservation> held = reservation(tx, username);
      if (held.isPresent() && !held.get().uid().equals(user.uid())) {
        throw new Refusal(
            Refusal.Problem.USERNAME_TAKEN, "username is taken", Map.of("username", username));
      }
      release =
          current.filter(
              old -> !FirestorePaths.usernameKey(old).equals(FirestorePaths.usernameKey(username)));
    } else if (current.isPresent()) {
      username = current.get();
      temporary = Boolean.TRUE.equals(existing.get().isUsernameTemporary());
    } else {
      username = temporaryUsername(tx, user.uid());
      temporary = true;
    }
    Account account = credits.load(tx, user.uid());

    Instant now = clock.instant();
    UserProfile profile = profile(user, client, request, existing, username, temporary, now);
    boolean reserve = current.map(old -> !old.equals(username)).orElse(true);
    if (reserve) {
      // set(): the reservation is ours (checked above); a case change rewrites our own document.
      tx.set(
          FirestorePaths.usernameReservation(username),
          Documents.encode(
              new UsernameReservation(
                  FirestorePaths.usernameKey(username), user.uid(), username, null),
              UsernameReservation.Field.CREATED_AT));
    }
    release.ifPresent(old -> tx.delete(FirestorePaths.usernameReservation(old)));
    account.write();
    if (existing.isPresent()) {
      tx.set(
          userRef,
          Documents.encode(profile, UserProfile.Field.LAST_LOGIN_AT, UserProfile.Field.UPDATED_AT));
    } else {
      tx.create(
          userRef,
          Documents.encode(
              profile,
              UserProfile.Field.CREATED_AT,
              UserProfile.Field.LAST_LOGIN_AT,
              UserProfile.Field.UPDATED_AT));
    }
    return new Session(profile, account.creditBalance(), account.planCode());
  }

  private static UserProfile profile(
      AuthUser user,
      ClientInfo client,
      SessionRequest request,
      Optional<UserProfile> existing,
      String username,
      boolean temporary,
      Instant now) {
    Optional<UserAgents.Parsed> ua = client.userAgent().map(UserAgents::parse);
    UserMetadata metadata =
        existing
            .map(UserProfile::metadata)
            .orElse(new UserMetadata(null, AccountStatus.ACTIVE, java.util.List.of()));
    Preferences preferences =
        request.preferences().or(() -> existing.map(UserProfile::preferences)).orElse(null);
    String displayName = user.name().or(() -> existing.map(UserProfile::displayName)).orElse(null);
    String photoURL = user.picture().or(() -> existing.map(UserProfile::photoURL)).orElse(null);
    // A new user has no items yet; otherwise the items' copy needs a refresh when what it shows
    // changed, or when an earlier refresh did not finish.
    boolean creatorChanged =
        existing.isPresent()
            && !(Objects.equals(existing.get().username(), username)
                && Objects.equals(existing.get().displayName(), displayName)
                && Objects.equals(existing.get().photoURL(), photoURL));
    boolean refreshPending =
        creatorChanged
            || existing.map(p -> Boolean.TRUE.equals(p.creatorRefreshPending())).orElse(false);
    return new UserProfile(
        user.uid(),
        user.email().or(() -> existing.map(UserProfile::email)).orElse(null),
        username,
        displayName,
        photoURL,
        ProviderId.fromSignInProvider(user.signInProvider()),
        user.emailVerified(),
        existing.map(UserProfile::isActive).orElse(true),
        existing.map(UserProfile::createdAt).orElse(now),
        now,
        existing.map(UserProfile::loginCount).orElse(0L) + 1,
        client.ip().orElse(existing.map(UserProfile::lastLoginIP).orElse(null)),
        client.userAgent().orElse(existing.map(UserProfile::userAgent).orElse(null)),
        ua.map(p -> new DeviceInfo(p.browser(), p.os(), p.device()))
            .orElse(existing.map(UserProfile::deviceInfo).orElse(null)),
        preferences,
        metadata,
        temporary,
        now,
        refreshPending ? Boolean.TRUE : null);
  }

  private Optional<UsernameReservation> reservation(Transaction tx, String username) {
    return Documents.read(
        tx.get(FirestorePaths.usernameReservation(username)), UsernameReservation.class);
  }

  /**
   * A temporary name derived from the uid, so concurrent first calls agree on it; a longer slice of
   * the hash if someone already holds the short one.
   */
  private String temporaryUsername(Transaction tx, String uid) {
    String hash = sha256(uid);
    for (int length = 10; length <= 24; length += 7) {
      String candidate = TEMPORARY_PREFIX + hash.substring(0, length);
      Optional<UsernameReservation> held = reservation(tx, candidate);
      if (held.isEmpty() || held.get().uid().equals(uid)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free temporary username for " + uid);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
