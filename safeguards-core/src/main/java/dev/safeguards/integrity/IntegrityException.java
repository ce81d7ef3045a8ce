package dev.safeguards.integrity;

import java.util.Objects;

/**
 * Data or a message failed an integrity check, or its integrity could not be checked (164.312(c)(2), (e)(2)(i)).
 *
 * <p>The {@link Reason} tells a caller what to do (an adapter maps it to a status code and an audit outcome); the
 * message names what failed (the field, the label, the key id, the record) and never holds content, a digest of PHI,
 * a signature or key material beyond identifiers.
 */
public final class IntegrityException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why the check failed. */
  public enum Reason {
    /** A field or stored signature is not well-formed (syntax, encoding, length). */
    MALFORMED,
    /** A field or signature needed for the check is absent. */
    MISSING,
    /** Only insecure or unknown algorithms were offered, or an algorithm is not allowed by the policy. */
    UNSUPPORTED_ALGORITHM,
    /** The content does not match its digest. */
    DIGEST_MISMATCH,
    /** A signature or MAC does not verify: the data or a covered component changed, or another key signed it. */
    SIGNATURE_INVALID,
    /** The key named by a signature is unknown, not trusted, or does not fit the algorithm. */
    UNKNOWN_KEY,
    /** A signature is too old, expired, or dated in the future. */
    EXPIRED,
    /** A nonce was seen before, or the replay cache cannot accept more nonces. */
    REPLAYED,
    /** A signature does not cover what the policy requires, or a record version is not the one expected. */
    POLICY_VIOLATION,
    /** A version history is reordered, incomplete, or rewritten. */
    CHAIN_BROKEN
  }

  /** Why the check failed; never null. */
  private final Reason reason;

  /**
   * Creates the exception; {@code message} names what failed, never content or key material.
   *
   * @param reason why the check failed; not null
   * @param message what failed: the field, label, key id or record; never content, a digest of PHI or a signature
   * @throws NullPointerException if {@code reason} is null
   */
  public IntegrityException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Creates the exception with an underlying cause.
   *
   * @param reason why the check failed; not null
   * @param message what failed: the field, label, key id or record; never content, a digest of PHI or a signature
   * @param cause the underlying failure; may be null
   * @throws NullPointerException if {@code reason} is null
   */
  public IntegrityException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the check failed.
   *
   * @return the reason; never null
   */
  public Reason reason() {
    return reason;
  }
}
