package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.Principal;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenRoundTripTest {

  @TempDir Path dir;

  @Test
  void issuedToken_verifiesThroughJjwt_forBothAlgorithms() throws Exception {
    for (KeyPurpose purpose : new KeyPurpose[] {KeyPurpose.TOKEN_SIGNING_ED25519, KeyPurpose.TOKEN_SIGNING_P256}) {
      SigningKeyset keys = TokenFixtures.signingKeys(dir, purpose);
      AccessTokenIssuer issuer = AccessTokenIssuer.builder(keys, TokenFixtures.ISSUER, TokenFixtures.AUDIENCE)
          .clock(TokenFixtures.CLOCK).build();
      TokenVerifier verifier = TokenVerifier.create(TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE,
          JwkSource.of(keys.publicJwks())).clock(TokenFixtures.CLOCK).expectType("at+jwt").requireMfa().build());

      Principal p = verifier.verify(issuer.issue(TokenFixtures.grant(Set.of("pwd", "otp"))));

      assertThat(p.userId()).isEqualTo(TokenFixtures.ALICE);
      assertThat(p.roles()).containsExactly("clinician");
      assertThat(p.scopes()).containsExactly("patient.read");
      assertThat(p.authenticationMethods()).containsExactlyInAnyOrder("pwd", "otp");
      assertThat(p.sessionId()).contains("s-1");
      assertThat(p.clientId()).contains("web");
      assertThat(p.tokenId()).isPresent();
      assertThat(p.expiresAt()).isEqualTo(TokenFixtures.NOW.plusSeconds(600));
    }
  }
}
