package dev.safeguards.session;

import dev.safeguards.authn.RevocationList;
import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.compliance.Weakness;
import dev.safeguards.identity.Principal;
import dev.safeguards.session.SessionStore.Activity;
import dev.safeguards.session.SessionStore.Ending;
import dev.safeguards.session.SessionStore.SessionRecord;
import dev.safeguards.session.SessionStore.Touched;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic logoff for stateless tokens (164.312(a)(2)(iii)): the server tracks each session by its {@code sid} (or a
 * token's {@code jti}), ends it after an idle timeout or an absolute lifetime, and on logout or revocation; a token of
 * an ended session is refused even though its signature and {@code exp} are still valid.
 *
 * <p>Call {@link #touch} on every authenticated request. Time comes only from the injected clock. An ended session
 * stays ended: its record is kept until its absolute deadline. Logout and revocation also put the session on the
 * {@link RevocationList}, so token verification refuses it on every node sharing that list. Thread-safe when the store
 * is.
 */
public final class SessionTracker {

  private static final Logger LOG = LoggerFactory.getLogger(SessionTracker.class);

  private final SessionPolicy policy;
  private final SessionStore store;
  private final RevocationList revocations;
  private final Clock clock;
  private final Duration resolution;

  private SessionTracker(SessionPolicy policy, SessionStore store, RevocationList revocations, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.store = Objects.requireNonNull(store, "store");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.resolution = resolution(policy);
  }

  /**
   * A tracker applying {@code policy}, keeping state in {@code store}.
   *
   * @param policy the idle and absolute timeouts; not null
   * @param store where session state is kept; in a cluster, one store shared by every node; not null
   * @param revocations where ended sessions are revoked, and where {@link #touch} looks for revoked ones; not null
   * @param clock the only source of time; not null
   * @return the tracker
   * @throws NullPointerException if an argument is null
   */
  public static SessionTracker create(SessionPolicy policy, SessionStore store, RevocationList revocations,
      Clock clock) {
    return new SessionTracker(policy, store, revocations, clock);
  }

  /**
   * Its timeouts for the compliance report (164.312(a)(2)(iii)); idle over 30 minutes weakens it.
   *
   * @return the timeouts and the store and revocation list in use; automatic logoff met, or only partially met (with
   *     {@link Weakness#LONG_IDLE_TIMEOUT}) when the idle timeout is over 30 minutes
   */
  public Evidence evidence() {
    Evidence.Builder e = Evidence.of("SessionTracker").serves(Specification.AUTOMATIC_LOGOFF, Status.MET)
        .setting("idleTimeout", policy.idleTimeout()).setting("absoluteLifetime", policy.absoluteLifetime())
        .setting("store", Evidence.nameOf(store))
        .setting("revocationList", Evidence.nameOf(revocations));
    if (policy.idleTimeout().compareTo(Duration.ofMinutes(30)) > 0) {
      e.weakens(Specification.AUTOMATIC_LOGOFF, Status.PARTIALLY_MET,
          "sessions stay open " + policy.idleTimeout() + " without activity, over 30 minutes");
      e.weakness(Weakness.LONG_IDLE_TIMEOUT, "the idle timeout is " + policy.idleTimeout() + ", over 30 minutes");
    }
    return e.build();
  }

  /**
   * Records a request of {@code principal}'s session and says whether the session may go on.
   *
   * @param principal the authenticated caller: its {@link Principal#sessionKey() session key} is tracked, and its
   *     authentication time plus the absolute lifetime is the absolute deadline; not null
   * @return the session's state after this request: active, or ended and why (once ended, always ended)
   * @throws IllegalStateException if the principal names neither a session id nor a token id, or the store cannot
   *     track a new session or cannot be reached (refuse the request: fail closed)
   */
  public SessionVerdict touch(Principal principal) {
    String key = principal.sessionKey();
    Activity activity = new Activity(key, principal.authenticatedAt(), clock.instant(), policy.idleTimeout(),
        principal.authenticatedAt().plus(policy.absoluteLifetime()), resolution,
        revocations.isRevoked(key));
    Touched touched = store.touch(activity);
    if (touched.endedNow()) {
      LOG.info("session {} of user {} ended: {}", key, principal.userId(), touched.session().ended().orElseThrow());
    }
    return verdict(touched.session());
  }

  /**
   * How old a session's recorded last request may get before a request writes it again: {@code max(1 s, 1% of the
   * idle timeout)}. A session so ends at most this much before its idle timeout, never after it.
   */
  static Duration resolution(SessionPolicy policy) {
    Duration onePercent = policy.idleTimeout().dividedBy(100);
    return onePercent.compareTo(Duration.ofSeconds(1)) > 0 ? onePercent : Duration.ofSeconds(1);
  }

  /**
   * Ends {@code principal}'s session at the user's request and revokes its tokens: its session key is put on the
   * revocation list until the session's absolute deadline.
   *
   * @param principal the user logging out; not null
   * @return the session's state: ended, as {@link SessionEndReason#LOGGED_OUT} or for the reason it had ended with
   *     before
   * @throws IllegalStateException if the principal names neither a session id nor a token id, or the store cannot
   *     keep the ending or cannot be reached
   */
  public SessionVerdict logout(Principal principal) {
    return end(principal.sessionKey(), principal.authenticatedAt().plus(policy.absoluteLifetime()),
        SessionEndReason.LOGGED_OUT, principal);
  }

  /**
   * Ends a session by key ({@code sid:<sid>} or {@code jti:<jti>}), e.g. by an administrator, and revokes it.
   *
   * @param sessionKey the session's key, as {@link Principal#sessionKey()} makes it; not checked for that form, not
   *     null
   * @param authenticatedAt when the session's user authenticated: the record and the revocation are kept until this
   *     plus the absolute lifetime; not null
   * @return the session's state: ended, as {@link SessionEndReason#REVOKED} or for the reason it had ended with
   *     before
   * @throws IllegalStateException if the store cannot keep the ending or cannot be reached
   */
  public SessionVerdict revoke(String sessionKey, Instant authenticatedAt) {
    return end(sessionKey, authenticatedAt.plus(policy.absoluteLifetime()), SessionEndReason.REVOKED, null);
  }

  private SessionVerdict end(String key, Instant absolute, SessionEndReason reason, Principal principal) {
    SessionRecord record = store.end(new Ending(key, absolute.minus(policy.absoluteLifetime()), clock.instant(), reason,
        absolute));
    revocations.revoke(key, absolute);
    LOG.info("session {}{} ended: {}", key, principal == null ? "" : " of user " + principal.userId(), reason);
    return verdict(record);
  }

  private SessionVerdict verdict(SessionRecord r) {
    return new SessionVerdict(r.key(), r.ended(), r.lastSeen().plus(policy.idleTimeout()), r.retainUntil());
  }
}
