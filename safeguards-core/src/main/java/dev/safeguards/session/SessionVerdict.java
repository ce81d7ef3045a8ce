package dev.safeguards.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a session after a request touched it: active until its deadlines, or ended and why.
 *
 * @param sessionKey the tracked key ({@code sid:<sid>} or {@code jti:<jti>})
 * @param endReason why the session ended; empty while it is active
 * @param idleDeadline when it ends if no further request comes
 * @param absoluteDeadline when it ends regardless
 */
public record SessionVerdict(String sessionKey, Optional<SessionEndReason> endReason, Instant idleDeadline,
    Instant absoluteDeadline) {

  /**
   * Checks every component.
   *
   * @param sessionKey the tracked key; not null
   * @param endReason why the session ended; empty while it is active, not null
   * @param idleDeadline when it ends if no further request comes; not null
   * @param absoluteDeadline when it ends regardless; not null
   * @throws NullPointerException if a component is null
   */
  public SessionVerdict {
    Objects.requireNonNull(sessionKey, "sessionKey");
    Objects.requireNonNull(endReason, "endReason");
    Objects.requireNonNull(idleDeadline, "idleDeadline");
    Objects.requireNonNull(absoluteDeadline, "absoluteDeadline");
  }

  /**
   * Whether the session may go on.
   *
   * @return {@code true} if it has not ended
   */
  public boolean active() {
    return endReason.isEmpty();
  }
}
