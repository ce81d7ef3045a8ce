package dev.safeguards.examples.clinic.domain;

import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.AccessTokenIssuer;
import dev.safeguards.authn.JwkSource;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.authn.TokenPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.crypto.KeyManagementException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The demo's identity provider (164.312(d)): it signs short-lived access tokens with the token-signing keys in the
 * data directory, and the clinic verifies them against those keys' public half, requiring a second factor. A real
 * deployment verifies its identity provider's tokens against the provider's JWKS instead ({@code JwkSource.remote};
 * with the Spring Boot starter, {@code safeguards.token.jwks-uri}) and maps its subjects to user ids.
 */
public final class DemoIdentityProvider {

  /** The demo identity provider's issuer, in every token. */
  public static final String ISSUER = "https://idp.clinic.example";
  /** The clinic's audience, in every token. */
  public static final String AUDIENCE = "clinic-api";
  /** Why the compliance report may call token authentication met although the keys are local. */
  public static final String RATIONALE = "demo: tokens come from the clinic's token command standing in for the "
      + "identity provider, which a deployment verifies through its JWKS";

  private DemoIdentityProvider() {}

  /**
   * Mints a token as the identity provider would after {@code user} signed in: with a second factor when {@code
   * mfa}, living {@code lifetime}.
   */
  public static String mint(DataDirectory dir, String user, Set<String> roles, boolean mfa, Duration lifetime,
      Clock clock) throws IOException, KeyManagementException {
    AccessTokenIssuer issuer = AccessTokenIssuer.builder(dir.tokenSigningKeys(), ISSUER, AUDIENCE)
        .lifetime(lifetime).clock(clock).build();
    Set<String> methods = mfa ? Set.of("pwd", "otp") : Set.of("pwd");
    return issuer.issue(new AccessGrant(new Users(dir.usersFile(), clock).idOf(user), roles, Set.of(), methods,
        clock.instant(), UUID.randomUUID().toString(), Optional.empty()));
  }

  /** Verifies the provider's tokens: its issuer, this audience, its keys, a second factor, not revoked. */
  public static TokenVerifier verifier(DataDirectory dir, RevocationList revocations, Clock clock)
      throws KeyManagementException {
    return TokenVerifier.create(TokenPolicy.builder(ISSUER, AUDIENCE, JwkSource.of(dir.tokenSigningKeys().publicJwks()))
        .requireMfa().revocations(revocations).clock(clock).build());
  }
}
