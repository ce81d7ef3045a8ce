package dev.safeguards.authn;

import dev.safeguards.identity.Principal;

/**
 * Verifies a bearer access token (a signed JWT) against a {@link TokenPolicy} and returns the {@link Principal} it
 * authenticates, or throws (164.312(d) person or entity authentication). Thread-safe.
 */
@FunctionalInterface
public interface TokenVerifier {

  /**
   * Verifies {@code token} (the compact JWS, without the {@code Bearer } prefix).
   *
   * @throws AuthenticationException with a {@link AuthenticationException.Reason reason} safe to return to the client;
   *     its message is the detail for the log and never contains the token
   */
  Principal verify(String token) throws AuthenticationException;

  /** A verifier for {@code policy}, built on jjwt. */
  static TokenVerifier create(TokenPolicy policy) {
    return new JjwtTokenVerifier(policy);
  }
}
