package dev.safeguards.authn;

import static dev.safeguards.authn.HandMadeJws.claims;
import static dev.safeguards.authn.HandMadeJws.header;
import static dev.safeguards.authn.HandMadeJws.signingInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.authn.AuthenticationException.Reason;
import dev.safeguards.identity.Principal;
import dev.safeguards.testing.MutableClock;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache: a hit skips the signature, never the checks that time, a revocation or a key change can
 * change. The key lookups tell hits from misses: a hit looks up the key that verified the token (one lookup), a miss
 * looks it up before checking the signature and again for jjwt (two).
 */
class VerifiedTokenCacheTest {

  private static final int HIT = 1;
  private static final int MISS = 2;

  private static final long NOW = TokenFixtures.NOW.getEpochSecond();
  private static final String SUB = TokenFixtures.ALICE.toString();
  private static final KeyPair EC = HandMadeJws.generate("EC", "secp256r1");
  private static final JwkSource KEYS = JwkSource.of(HandMadeJws.jwks("ec-1", EC.getPublic(), "ES256"));

  private final MutableClock clock = new MutableClock(TokenFixtures.NOW);
  private final AtomicInteger keyLookups = new AtomicInteger();
  private final RevocationList revocations = RevocationList.inMemory(10, clock);
  private final AtomicReference<JwkSource> keys = new AtomicReference<>(KEYS);
  private final JwkSource counting = kid -> {
    keyLookups.incrementAndGet();
    return keys.get().find(kid);
  };

  private TokenPolicy.Builder policy() {
    return TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE, counting).clock(clock)
        .revocations(revocations);
  }

  private TokenVerifier verifier(int entries) {
    return TokenVerifier.create(policy().cacheVerifiedTokens(entries).build());
  }

  private static String token(String jti) throws Exception {
    return token(jti, NOW);
  }

  private static String token(String jti, long now) throws Exception {
    ObjectNode claims = claims(now - 60, now + 600, SUB).put("jti", jti).put("sid", "s-" + jti);
    return HandMadeJws.sign(signingInput(header("ES256", "ec-1"), claims), "SHA256withECDSAinP1363Format",
        EC.getPrivate());
  }

  @Test
  void sameToken_isVerifiedOnce_andGivesTheSamePrincipal() throws Exception {
    TokenVerifier v = verifier(100);
    String token = token("t-1");

    Principal first = v.verify(token);
    Principal second = v.verify(token);

    assertThat(second).isEqualTo(first);
    assertThat(keyLookups).hasValue(MISS + HIT);
  }

  @Test
  void cache_isOnByDefault_andZeroTurnsItOff() throws Exception {
    String token = token("t-1");
    TokenVerifier byDefault = TokenVerifier.create(policy().build());
    byDefault.verify(token);
    byDefault.verify(token);
    assertThat(keyLookups).hasValue(MISS + HIT);

    keyLookups.set(0);
    TokenVerifier off = TokenVerifier.create(policy().cacheVerifiedTokens(0).build());
    off.verify(token);
    off.verify(token);
    assertThat(keyLookups).as("one lookup per verification, nothing remembered").hasValue(2);
  }

  @Test
  void cachedToken_whoseKeyLeftTheSource_isVerifiedAfreshAndRefused() throws Exception {
    TokenVerifier v = verifier(100);
    String token = token("t-1");
    v.verify(token);

    keys.set(JwkSource.of(HandMadeJws.jwks("ec-2", EC.getPublic(), "ES256")));

    assertThatThrownBy(() -> v.verify(token)).isInstanceOf(AuthenticationException.class)
        .satisfies(e -> assertThat(((AuthenticationException) e).reason()).isEqualTo(Reason.UNKNOWN_KEY));
  }

  @Test
  void cachedToken_whoseKidNowNamesAnotherKey_isVerifiedAfreshAndRefused() throws Exception {
    TokenVerifier v = verifier(100);
    String token = token("t-1");
    v.verify(token);

    KeyPair replacement = HandMadeJws.generate("EC", "secp256r1");
    keys.set(JwkSource.of(HandMadeJws.jwks("ec-1", replacement.getPublic(), "ES256")));

    assertThatThrownBy(() -> v.verify(token)).isInstanceOf(AuthenticationException.class)
        .satisfies(e -> assertThat(((AuthenticationException) e).reason()).isEqualTo(Reason.INVALID_SIGNATURE));
  }

  @Test
  void cachedToken_whoseKeyWasReloadedUnchanged_isStillAHit() throws Exception {
    TokenVerifier v = verifier(100);
    String token = token("t-1");
    v.verify(token);

    keys.set(JwkSource.of(HandMadeJws.jwks("ec-1", EC.getPublic(), "ES256"))); // new objects, the same key
    keyLookups.set(0);
    v.verify(token);

    assertThat(keyLookups).hasValue(HIT);
  }

  @Test
  void cachedToken_pastItsExpiry_isRefused() throws Exception {
    TokenVerifier v = verifier(100);
    String token = token("t-1");
    v.verify(token);

    clock.advance(Duration.ofMinutes(11));

    assertThatThrownBy(() -> v.verify(token)).isInstanceOf(AuthenticationException.class)
        .satisfies(e -> assertThat(((AuthenticationException) e).reason()).isEqualTo(Reason.EXPIRED));
  }

  @Test
  void cachedToken_ofARevokedSession_isRefused() throws Exception {
    TokenVerifier v = verifier(100);
    String token = token("t-1");
    v.verify(token);

    revocations.revoke("sid:s-t-1", TokenFixtures.NOW.plusSeconds(600));

    assertThatThrownBy(() -> v.verify(token)).isInstanceOf(AuthenticationException.class)
        .satisfies(e -> assertThat(((AuthenticationException) e).reason()).isEqualTo(Reason.REVOKED));
  }

  @Test
  void refusedToken_isNeverCached() throws Exception {
    TokenVerifier v = verifier(100);
    KeyPair other = HandMadeJws.generate("EC", "secp256r1");
    String forged = HandMadeJws.sign(signingInput(header("ES256", "ec-1"), claims(NOW - 60, NOW + 600, SUB)),
        "SHA256withECDSAinP1363Format", other.getPrivate());

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> v.verify(forged)).isInstanceOf(AuthenticationException.class);
    }
    assertThat(keyLookups).hasValue(2 * MISS);
  }

  @Test
  void cache_isBounded() throws Exception {
    TokenVerifier v = verifier(2);
    String[] tokens = {token("t-0"), token("t-1"), token("t-2")}; // ECDSA signatures differ each time: keep them
    for (String t : tokens) {
      v.verify(t);
    }
    keyLookups.set(0);

    v.verify(tokens[0]);
    v.verify(tokens[2]);

    assertThat(keyLookups).as("the third token was not cached: the cache was full").hasValue(HIT + MISS);
  }

  @Test
  void fullCache_dropsExpiredTokens_toMakeRoom() throws Exception {
    TokenVerifier v = verifier(1);
    v.verify(token("t-0"));
    clock.advance(Duration.ofMinutes(11));
    String later = token("t-1", NOW + 660);

    v.verify(later);
    keyLookups.set(0);
    v.verify(later);

    assertThat(keyLookups).as("the expired token made room for the new one").hasValue(HIT);
  }

  @Test
  void cacheVerifiedTokens_outOfRange_isRefused() {
    TokenPolicy.Builder b = TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE, KEYS);
    assertThatThrownBy(() -> b.cacheVerifiedTokens(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> b.cacheVerifiedTokens(0)).doesNotThrowAnyException();
    assertThatThrownBy(() -> b.cacheVerifiedTokens(1_000_001)).isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> b.cacheVerifiedTokens(1_000_000)).doesNotThrowAnyException();
  }
}
