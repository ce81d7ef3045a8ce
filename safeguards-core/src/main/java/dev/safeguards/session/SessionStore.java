package dev.safeguards.session;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where {@link SessionTracker} keeps the state of sessions: the SPI behind automatic logoff for stateless tokens. A
 * cluster of API nodes backs it with one shared store, so that a session idle on one node is idle on all.
 */
public interface SessionStore {

  /**
   * The tracked state of one session.
   *
   * @param key {@code sid:<sid>} or {@code jti:<jti>}
   * @param authenticatedAt when the user authenticated
   * @param lastSeen the last request
   * @param ended why it ended, if it did; an ended session never becomes active again
   * @param retainUntil when the store may forget it (its absolute deadline)
   */
  record SessionRecord(String key, Instant authenticatedAt, Instant lastSeen, Optional<SessionEndReason> ended,
      Instant retainUntil) {
    /** Checks every component. */
    public SessionRecord {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(authenticatedAt, "authenticatedAt");
      Objects.requireNonNull(lastSeen, "lastSeen");
      Objects.requireNonNull(ended, "ended");
      Objects.requireNonNull(retainUntil, "retainUntil");
    }
  }

  /**
   * Updates one session atomically: {@code change} receives the current record (empty if none) and returns the new
   * one, which is stored.
   *
   * @throws IllegalStateException if the store cannot keep a new session (the request must then be refused)
   */
  SessionRecord update(String key, Function<Optional<SessionRecord>, SessionRecord> change);

  /**
   * An in-process store of at most {@code maxSessions} sessions. Sessions past their retention are dropped when room
   * is needed; when every one is still live, new sessions are refused rather than an ended one forgotten (a forgotten
   * idle session could otherwise come back to life).
   */
  static SessionStore inMemory(int maxSessions, Clock clock) {
    return new InMemorySessionStore(maxSessions, clock);
  }
}
