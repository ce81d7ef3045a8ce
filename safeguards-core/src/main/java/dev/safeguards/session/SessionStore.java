package dev.safeguards.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@link SessionTracker} keeps the state of sessions: the SPI behind automatic logoff for stateless tokens. A
 * cluster of API nodes backs it with one shared store, so that a session idle on one node is idle on all.
 *
 * <p>Each method is one atomic step that a remote store makes in one round trip (a script, a statement): the store
 * applies the rules of {@link Activity#apply} and {@link Ending#apply} to the record it holds, and every implementation
 * must decide exactly as they do.
 */
public interface SessionStore {

  /**
   * The tracked state of one session.
   *
   * @param key {@code sid:<sid>} or {@code jti:<jti>}
   * @param authenticatedAt when the user authenticated
   * @param lastSeen the last request recorded (at most {@link Activity#resolution} older than the last request)
   * @param ended why it ended, if it did; an ended session never becomes active again
   * @param retainUntil when the store may forget it (its absolute deadline)
   */
  record SessionRecord(String key, Instant authenticatedAt, Instant lastSeen, Optional<SessionEndReason> ended,
      Instant retainUntil) {
    /**
     * Checks every component.
     *
     * @param key {@code sid:<sid>} or {@code jti:<jti>}; not null
     * @param authenticatedAt when the user authenticated; not null
     * @param lastSeen the last request recorded; not null
     * @param ended why it ended; empty while it is active, not null
     * @param retainUntil when the store may forget it; not null
     * @throws NullPointerException if a component is null
     */
    public SessionRecord {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(authenticatedAt, "authenticatedAt");
      Objects.requireNonNull(lastSeen, "lastSeen");
      Objects.requireNonNull(ended, "ended");
      Objects.requireNonNull(retainUntil, "retainUntil");
    }
  }

  /**
   * A request of a session.
   *
   * @param key the session's key
   * @param authenticatedAt when its user authenticated
   * @param at when the request came
   * @param idleTimeout the longest time allowed between two requests
   * @param absoluteDeadline when the session ends regardless
   * @param resolution how old the recorded last request may be before it is written again: a request within it of
   *     the recorded one writes nothing, so the idle deadline counts from a moment at most this much before the last
   *     request (a session may end up to this much early, never late)
   * @param revoked whether the session is on the revocation list
   */
  record Activity(String key, Instant authenticatedAt, Instant at, Duration idleTimeout, Instant absoluteDeadline,
      Duration resolution, boolean revoked) {
    /**
     * Checks every component.
     *
     * @param key the session's key, {@code sid:<sid>} or {@code jti:<jti>}; not null
     * @param authenticatedAt when its user authenticated; not null
     * @param at when the request came; not null
     * @param idleTimeout the longest time allowed between two requests; positive
     * @param absoluteDeadline when the session ends regardless; not null
     * @param resolution how old the recorded last request may be before it is written again; zero or more, and less
     *     than the idle timeout
     * @param revoked whether the session is on the revocation list
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the idle timeout is not positive, or the resolution is negative or not less
     *     than the idle timeout
     */
    public Activity {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(authenticatedAt, "authenticatedAt");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(absoluteDeadline, "absoluteDeadline");
      if (idleTimeout.isNegative() || idleTimeout.isZero() || resolution.isNegative()
          || resolution.compareTo(idleTimeout) >= 0) {
        throw new IllegalArgumentException("need 0 < idleTimeout and 0 <= resolution < idleTimeout");
      }
    }

    /**
     * The rule: an ended session stays as it is; otherwise it ends if revoked, past its absolute deadline, or idle
     * since its recorded last request; else its last request is recorded if the recorded one is at least {@link
     * #resolution} old.
     *
     * @param current the record the store holds for {@link #key}; empty if it holds none (a new session)
     * @return the record to keep, and whether this request ended the session
     */
    public Touched apply(Optional<SessionRecord> current) {
      return apply(current, Instant.MIN);
    }

    /**
     * The rule for a store that may lose its state (a shared store restarted empty): as {@link #apply(Optional)},
     * except that a session the store does not know and whose user authenticated before the second of {@code
     * stateSince} (since when the store holds every session it was given) ends ({@link SessionEndReason#STATE_LOST}):
     * it may have been idle, ended or logged out before the loss. Whole seconds, as a token's {@code auth_time} is: a
     * login in the same second as the loss is not taken for one before it.
     *
     * <p>The reasons are tried in this order: state lost, revoked, absolute deadline, idle. An ending keeps the
     * recorded last request; the record to keep is retained until this activity's {@link #absoluteDeadline}.
     *
     * @param current the record the store holds for {@link #key}; empty if it holds none
     * @param stateSince since when the store holds every session it was given; {@link Instant#MIN} for a store that
     *     never loses its state; not null
     * @return the record to keep, and whether this request ended the session ({@code false} for a session that had
     *     ended before)
     */
    public Touched apply(Optional<SessionRecord> current, Instant stateSince) {
      if (current.isPresent() && current.get().ended().isPresent()) {
        return new Touched(current.get(), false);
      }
      Optional<SessionEndReason> end = Optional.empty();
      if (current.isEmpty() && authenticatedAt.isBefore(stateSince.truncatedTo(ChronoUnit.SECONDS))) {
        end = Optional.of(SessionEndReason.STATE_LOST);
      } else if (revoked) {
        end = Optional.of(SessionEndReason.REVOKED);
      } else if (!at.isBefore(absoluteDeadline)) {
        end = Optional.of(SessionEndReason.ABSOLUTE_TIMEOUT);
      } else if (current.isPresent() && !at.isBefore(current.get().lastSeen().plus(idleTimeout))) {
        end = Optional.of(SessionEndReason.IDLE_TIMEOUT);
      }
      Instant lastSeen = current.isPresent()
          && (end.isPresent() || at.isBefore(current.get().lastSeen().plus(resolution)))
          ? current.get().lastSeen() : at;
      return new Touched(new SessionRecord(key, authenticatedAt, lastSeen, end, absoluteDeadline), end.isPresent());
    }
  }

  /**
   * What a request left: the session's record, and whether the request ended it.
   *
   * @param session the record the store keeps after the request
   * @param endedNow whether this very request ended the session; {@code false} for one that was active, or had ended
   *     before
   */
  record Touched(SessionRecord session, boolean endedNow) {
    /**
     * Checks every component.
     *
     * @param session the record the store keeps after the request; not null
     * @param endedNow whether this very request ended the session
     * @throws NullPointerException if {@code session} is null
     */
    public Touched {
      Objects.requireNonNull(session, "session");
    }
  }

  /**
   * A session ended by logout or revocation.
   *
   * @param key the session's key
   * @param authenticatedAt when its user authenticated, as far as known (used if the store holds no record)
   * @param at when it ends
   * @param reason why
   * @param absoluteDeadline its absolute deadline: the record is kept until then
   */
  record Ending(String key, Instant authenticatedAt, Instant at, SessionEndReason reason, Instant absoluteDeadline) {
    /**
     * Checks every component.
     *
     * @param key the session's key, {@code sid:<sid>} or {@code jti:<jti>}; not null
     * @param authenticatedAt when its user authenticated, as far as known; not null
     * @param at when it ends; not null
     * @param reason why; not null
     * @param absoluteDeadline its absolute deadline, until when the record is kept; not null
     * @throws NullPointerException if a component is null
     */
    public Ending {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(authenticatedAt, "authenticatedAt");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(absoluteDeadline, "absoluteDeadline");
    }

    /**
     * The rule: an ended session stays as it is; otherwise it ends now, for {@link #reason}.
     *
     * @param current the record the store holds for {@link #key}; empty if it holds none
     * @return {@code current} itself if it had ended; otherwise a record ended for {@link #reason} that keeps the
     *     stored authentication time and last request (this ending's {@link #authenticatedAt} and {@link #at} when
     *     there is no record), retained until {@link #absoluteDeadline}
     */
    public SessionRecord apply(Optional<SessionRecord> current) {
      if (current.isPresent() && current.get().ended().isPresent()) {
        return current.get();
      }
      return new SessionRecord(key, current.map(SessionRecord::authenticatedAt).orElse(authenticatedAt),
          current.map(SessionRecord::lastSeen).orElse(at), Optional.of(reason), absoluteDeadline);
    }
  }

  /**
   * Records a request of a session, atomically, by {@link Activity#apply(Optional)} (or, for a store that can lose
   * its state, {@link Activity#apply(Optional, Instant)}). A shared store may answer a request from what it last read
   * of the session, without asking the shared state, when that read is less than {@link Activity#resolution} old, the
   * session is not revoked, and the rule would neither record the request nor end the session: an ending elsewhere
   * then shows through {@link Activity#revoked} ({@link SessionTracker} revokes every session it ends), and the last
   * request it reports may be older than another node's, by less than the resolution.
   *
   * @param activity the request, with the deadlines and revocation the tracker derived for it; not null
   * @return the record the store now holds for the session, and whether this request ended it; never null
   * @throws IllegalStateException if the store cannot keep a new session, or cannot be reached (the request must then
   *     be refused; a store that cannot be reached throws {@link dev.safeguards.StateUnavailableException})
   */
  Touched touch(Activity activity);

  /**
   * Ends a session, atomically, by {@link Ending#apply}.
   *
   * @param ending the session and why it ends; not null
   * @return the record the store now holds: ended, for {@code ending}'s reason or for the one it had ended with
   *     before; never null
   * @throws IllegalStateException if the store cannot keep it, or cannot be reached
   */
  SessionRecord end(Ending ending);

  /**
   * An in-process store of at most {@code maxSessions} sessions. Sessions past their retention are dropped when room
   * is needed; when every one is still live, new sessions are refused rather than an ended one forgotten (a forgotten
   * idle session could otherwise come back to life). The bound holds however many threads begin sessions at once:
   * admitting a new session is one step with checking for room. State lives in this process only: it is neither shared
   * with other nodes nor kept across a restart.
   *
   * @param maxSessions the most sessions it holds, live or ended; at least 1
   * @param clock tells which records are past their retention when room is needed; not null
   * @return an empty store, whose {@code touch} and {@code end} throw {@link IllegalStateException} for a new session
   *     while it holds {@code maxSessions} records none of which is past its retention
   * @throws IllegalArgumentException if {@code maxSessions} is below 1
   * @throws NullPointerException if {@code clock} is null
   */
  static SessionStore inMemory(int maxSessions, Clock clock) {
    return new InMemorySessionStore(maxSessions, clock);
  }
}
