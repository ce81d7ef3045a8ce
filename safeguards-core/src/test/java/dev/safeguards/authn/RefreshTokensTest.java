package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.authn.AuthenticationException.Reason;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.CapturedLogs;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refresh rotation and reuse detection, and what reuse does to the session's access tokens. */
class RefreshTokensTest {

  @TempDir Path dir;
  private MutableClock clock;
  private RevocationList revocations;
  private RefreshTokens refresh;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(TokenFixtures.NOW);
    revocations = RevocationList.inMemory(1000, clock);
    refresh = RefreshTokens.create(RefreshTokenStore.inMemory(1000, clock), revocations, Duration.ofHours(12), clock);
  }

  private static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOf(AuthenticationException.class)
        .extracting(e -> ((AuthenticationException) e).reason()).isEqualTo(reason);
  }

  @Test
  void rotate_givesANewTokenEachTime_withTheSameGrant() throws Exception {
    AccessGrant grant = TokenFixtures.grant(Set.of("pwd", "otp"));
    RefreshTokens.Issued first = refresh.issue(grant);
    assertThat(first.token()).matches("rt1\\.[A-Za-z0-9_-]{43}");
    assertThat(first.toString()).doesNotContain(first.token());

    RefreshTokens.Issued second = refresh.rotate(first.token());
    RefreshTokens.Issued third = refresh.rotate(second.token());

    assertThat(second.token()).isNotEqualTo(first.token());
    assertThat(third.grant()).isEqualTo(grant);
    assertThat(third.familyExpiresAt()).isEqualTo(first.familyExpiresAt());
  }

  @Test
  void rotate_ofAUsedToken_revokesTheFamily_andTheSessionsAccessTokens() throws Exception {
    SigningKeyset keys = TokenFixtures.signingKeys(dir, KeyPurpose.TOKEN_SIGNING_ED25519);
    AccessTokenIssuer issuer = AccessTokenIssuer.builder(keys, TokenFixtures.ISSUER, TokenFixtures.AUDIENCE)
        .clock(clock).build();
    TokenVerifier verifier = TokenVerifier.create(TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE,
        JwkSource.of(keys.publicJwks())).revocations(revocations).clock(clock).build());
    RefreshTokens.Issued stolen = refresh.issue(TokenFixtures.grant(Set.of("pwd")));
    RefreshTokens.Issued legitimate = refresh.rotate(stolen.token());
    String accessToken = issuer.issue(legitimate.grant());
    assertThat(verifier.verify(accessToken)).isNotNull();
    CapturedLogs.clear();

    assertRefused(() -> refresh.rotate(stolen.token()), Reason.REFRESH_REUSED); // the thief replays the old token

    assertRefused(() -> refresh.rotate(legitimate.token()), Reason.REVOKED);
    assertRefused(() -> verifier.verify(accessToken), Reason.REVOKED);
    assertThat(CapturedLogs.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("used twice"))
        .noneMatch(l -> l.contains(stolen.token()) || l.contains(legitimate.token()));
  }

  @Test
  void rotate_afterTheFamilyEnds_isRefused() throws Exception {
    RefreshTokens.Issued issued = refresh.issue(TokenFixtures.grant(Set.of("pwd")));
    clock.advance(Duration.ofHours(11));
    RefreshTokens.Issued late = refresh.rotate(issued.token());
    clock.advance(Duration.ofHours(1));

    assertRefused(() -> refresh.rotate(late.token()), Reason.EXPIRED);
  }

  @Test
  void rotate_ofUnknownOrMalformedTokens_isRefused() {
    assertRefused(() -> refresh.rotate("rt1." + "A".repeat(43)), Reason.INVALID_CREDENTIALS);
    assertRefused(() -> refresh.rotate("garbage"), Reason.INVALID_CREDENTIALS);
    assertRefused(() -> refresh.rotate(null), Reason.INVALID_CREDENTIALS);
  }

  @Test
  void revoke_atLogout_endsTheFamily() throws Exception {
    RefreshTokens.Issued issued = refresh.issue(TokenFixtures.grant(Set.of("pwd")));
    refresh.revoke(issued.token());

    assertRefused(() -> refresh.rotate(issued.token()), Reason.REVOKED);
    assertThat(revocations.isRevoked("sid:s-1")).isTrue();
  }

  @Test
  void create_refusesOutOfRangeLifetimes() {
    assertThatThrownBy(() -> RefreshTokens.create(RefreshTokenStore.inMemory(1, clock), revocations,
        Duration.ofDays(60), clock)).isInstanceOf(IllegalArgumentException.class);
  }
}
