package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.safeguards.identity.Principal;
import dev.safeguards.testing.FuzzInputs;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzzes token verification: the structure and canonical base64url pre-check and the header check that run before
 * jjwt, then jjwt and the claim checks. Whatever the token, {@link TokenVerifier#verify} returns a principal or throws
 * {@link AuthenticationException}, whose message never contains the token.
 *
 * <p>Two ways in: any text as the token, and any header and claims (two lines of the input, as JSON) signed with the
 * trusted HS256 secret, so that inputs reach everything behind the signature; the secret is generated per run.
 */
class JwtPrecheckFuzzTest {

  private static final byte[] SECRET = new byte[32];
  private static final TokenVerifier VERIFIER;
  private static final TokenPolicy.Builder CACHED;

  static {
    new SecureRandom().nextBytes(SECRET);
    String jwks = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"mac-1\",\"alg\":\"HS256\",\"k\":\""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(SECRET) + "\"}]}";
    VERIFIER = TokenVerifier.create(policy(jwks).cacheVerifiedTokens(0).build());
    CACHED = policy(jwks);
  }

  private static TokenPolicy.Builder policy(String jwks) {
    return TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE, JwkSource.ofIncludingSharedSecrets(jwks))
        .allowHmacAlgorithmsWithSharedSecrets()
        .algorithms(JwsAlgorithm.HS256)
        .clock(TokenFixtures.CLOCK);
  }

  @FuzzTest(maxDuration = "3m")
  void verify_anyToken_returnsAPrincipalOrThrowsAuthenticationException(byte[] data) {
    String token = FuzzInputs.text(data);
    try {
      assertUsable(VERIFIER.verify(token));
    } catch (AuthenticationException e) {
      assertSafe(e, token);
    }
  }

  @FuzzTest(maxDuration = "3m")
  void verify_anyHeaderAndClaimsSignedWithTheTrustedKey_returnsAPrincipalOrThrowsAuthenticationException(byte[] data)
      throws Exception {
    List<byte[]> parts = FuzzInputs.parts(data, 2);
    String signingInput = b64(parts.get(0)) + "." + b64(parts.get(1));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    String token = signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    Principal first = null;
    AuthenticationException refused = null;
    try {
      first = VERIFIER.verify(token);
      assertUsable(first);
    } catch (AuthenticationException e) {
      assertSafe(e, token);
      refused = e;
    }
    // A verifier that caches verified tokens decides the same, the first time and from its cache.
    TokenVerifier cached = TokenVerifier.create(CACHED.build());
    for (int i = 0; i < 2; i++) {
      try {
        Principal p = cached.verify(token);
        assertThat(refused).as("refused without the cache, accepted with it").isNull();
        assertThat(p).isEqualTo(first);
      } catch (AuthenticationException e) {
        assertThat(refused).as("accepted without the cache, refused with it").isNotNull();
        assertThat(e.reason()).isEqualTo(refused.reason());
      }
    }
  }

  @FuzzTest(maxDuration = "1m")
  void isCanonicalBase64Url_anyText_agreesWithDecodingAndReEncoding(byte[] data) {
    String part = FuzzInputs.text(data);
    boolean canonical;
    try {
      canonical = b64(Base64.getUrlDecoder().decode(part)).equals(part);
    } catch (IllegalArgumentException e) {
      canonical = false;
    }
    assertThat(JjwtTokenVerifier.isCanonicalBase64Url(part)).isEqualTo(canonical);
  }

  /** What the gate does with an authenticated principal works: automatic logoff tracks it by its session key. */
  private static void assertUsable(Principal p) {
    assertThat(p.sessionKey()).isNotBlank();
    assertThat(p.expiresAt()).isAfter(TokenFixtures.NOW.minusSeconds(31));
    assertThat(p.authenticatedAt()).isBeforeOrEqualTo(TokenFixtures.NOW.plusSeconds(30));
  }

  private static void assertSafe(AuthenticationException e, String token) {
    FuzzInputs.assertBoundedMessage(e);
    if (token.length() >= 8) {
      assertThat(e.getMessage()).doesNotContain(token);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
