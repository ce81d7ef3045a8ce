package dev.safeguards.authn;

import dev.safeguards.identity.UserId;
import dev.safeguards.internal.LengthPrefixed;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;

/**
 * Maps a token's issuer and subject to the one {@link UserId} of the person (164.312(a)(2)(i)). Empty means the
 * subject cannot be mapped, and the token is refused.
 */
@FunctionalInterface
public interface SubjectMapping {

  /**
   * The user the subject names, if any.
   *
   * @param issuer the token's {@code iss}, already checked against the policy
   * @param subject the token's {@code sub}, not blank
   * @return the user id; empty to refuse the token ({@code INVALID_SUBJECT})
   */
  Optional<UserId> userId(String issuer, String subject);

  /**
   * Subjects that are UUIDs (Keycloak, Cognito) are the user id itself; anything else is refused. The default.
   *
   * @return a mapping that parses the subject as a 36-character UUID, in either case; the nil and max UUIDs are
   *     refused
   */
  static SubjectMapping uuidSubjects() {
    return (issuer, subject) -> {
      try {
        return Optional.of(UserId.parse(subject));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    };
  }

  /**
   * A stable name-based UUID (RFC 9562 version 5) derived from the issuer and the subject, for providers whose
   * subjects are not UUIDs (Auth0 {@code auth0|...}, Okta {@code 00u...}). The same person at two issuers gets two
   * ids; link them in the application if needed. The namespace is {@link #NAMESPACE}.
   *
   * @return a mapping that maps every issuer and subject, the name being their {@code LengthPrefixed} encoding; a
   *     subject that is not well-formed text (an unpaired surrogate, which a JSON string can carry) maps to no user,
   *     so that it can never be taken for another subject
   */
  static SubjectMapping nameBased() {
    return (issuer, subject) -> {
      try {
        return Optional.of(new UserId(nameBasedUuid(NAMESPACE, LengthPrefixed.encode(issuer, subject))));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    };
  }

  /** The RFC 9562 namespace of {@link #nameBased()}. */
  UUID NAMESPACE = UUID.fromString("5af0e7d2-6f0b-4c71-9a3b-52d1c3f0a6e1");

  /**
   * An RFC 9562 version 5 UUID: SHA-1 of the namespace's 16 bytes and the name, with version and variant set.
   *
   * @param namespace the namespace UUID; not null
   * @param name the name's bytes; not null
   * @return the UUID, the same for the same namespace and name
   */
  static UUID nameBasedUuid(UUID namespace, byte[] name) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
          .putLong(namespace.getLeastSignificantBits()).array());
      ByteBuffer hash = ByteBuffer.wrap(sha1.digest(name));
      long msb = (hash.getLong() & ~0xf000L) | 0x5000L;
      long lsb = (hash.getLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
      return new UUID(msb, lsb);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }
}
