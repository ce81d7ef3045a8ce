package dev.safeguards.session;

/** Why a session ended, for the audit log and the response (164.312(a)(2)(iii) automatic logoff). */
public enum SessionEndReason {
  /** No request came within the idle timeout. */
  IDLE_TIMEOUT,
  /** The absolute lifetime since authentication passed. */
  ABSOLUTE_TIMEOUT,
  /** The user logged out. */
  LOGGED_OUT,
  /** The session or its token was revoked (by an administrator, or after a refresh token was reused). */
  REVOKED,
  /**
   * The store of session state lost it (a shared store restarted empty): a session that began before then cannot be
   * shown to be live, or not logged out, so it ends rather than start again.
   */
  STATE_LOST
}
