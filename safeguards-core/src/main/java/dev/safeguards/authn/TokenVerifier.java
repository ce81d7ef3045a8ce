package dev.safeguards.authn;

import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
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
   * @param token the compact JWS as the client sent it
   * @return the principal the token authenticates, never null
   * @throws AuthenticationException with a {@link AuthenticationException.Reason reason} safe to return to the client;
   *     its message is the detail for the log and never contains the token
   */
  Principal verify(String token) throws AuthenticationException;

  /**
   * What this verifier tells the compliance report (164.312(a)(2)(i), (d)). A verifier of the application's own says
   * only its class: the report marks both specifications partially met until the application documents it.
   *
   * @return new evidence; the verifier {@link #create} makes reports its policy instead
   */
  default Evidence evidence() {
    return Evidence.of("TokenVerifier (" + Evidence.nameOf(this) + ")")
        .weakens(Specification.UNIQUE_USER_IDENTIFICATION, Status.PARTIALLY_MET,
            "a custom token verifier: document how it maps tokens to unique users")
        .weakens(Specification.PERSON_OR_ENTITY_AUTHENTICATION, Status.PARTIALLY_MET,
            "a custom token verifier: document how it authenticates users and checks a second factor")
        .build();
  }

  /**
   * A verifier for {@code policy}, built on jjwt.
   *
   * @param policy what a token must satisfy; not null
   * @return a thread-safe verifier
   * @throws NullPointerException if {@code policy} is null
   */
  static TokenVerifier create(TokenPolicy policy) {
    return new JjwtTokenVerifier(policy);
  }
}
