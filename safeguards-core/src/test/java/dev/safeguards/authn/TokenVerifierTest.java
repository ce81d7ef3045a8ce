package dev.safeguards.authn;

import static dev.safeguards.authn.HandMadeJws.b64;
import static dev.safeguards.authn.HandMadeJws.claims;
import static dev.safeguards.authn.HandMadeJws.header;
import static dev.safeguards.authn.HandMadeJws.signingInput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.authn.AuthenticationException.Reason;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import dev.safeguards.testing.CapturedLogs;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Token verification with hand-made tokens: every claim and header rule of the policy, positive and negative. */
class TokenVerifierTest {

  private static final long NOW = TokenFixtures.NOW.getEpochSecond();
  private static final String SUB = TokenFixtures.ALICE.toString();
  private static final KeyPair EC = generate("EC", "secp256r1");
  private static final KeyPair RSA = generate("RSA", null);
  private static final String EC_JWKS = HandMadeJws.jwks("ec-1", EC.getPublic(), "ES256");

  private static KeyPair generate(String alg, String curve) {
    try {
      return HandMadeJws.generate(alg, curve);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static TokenPolicy.Builder policy() {
    return TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE, JwkSource.of(EC_JWKS))
        .clock(TokenFixtures.CLOCK);
  }

  private static String es256(ObjectNode header, ObjectNode claims) throws Exception {
    return HandMadeJws.sign(signingInput(header, claims), "SHA256withECDSAinP1363Format", EC.getPrivate());
  }

  private static String token(UnaryOperator<ObjectNode> claims) throws Exception {
    return es256(header("ES256", "ec-1"), claims.apply(claims(NOW - 60, NOW + 600, SUB)));
  }

  private static void assertRefused(TokenPolicy policy, String token, Reason reason) {
    assertRefused(() -> TokenVerifier.create(policy).verify(token), reason);
  }

  private static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOf(AuthenticationException.class)
        .extracting(e -> ((AuthenticationException) e).reason()).isEqualTo(reason);
  }

  @Test
  void verify_validToken_givesThePrincipal() throws Exception {
    Principal p = TokenVerifier.create(policy().build()).verify(token(c -> c
        .put("auth_time", NOW - 300).put("scope", "patient.read patient.write").put("azp", "spa")
        .set("roles", HandMadeJws.JSON.createArrayNode().add("clinician").add("auditor"))));

    assertThat(p.userId()).isEqualTo(TokenFixtures.ALICE);
    assertThat(p.roles()).containsExactlyInAnyOrder("clinician", "auditor");
    assertThat(p.scopes()).containsExactlyInAnyOrder("patient.read", "patient.write");
    assertThat(p.clientId()).contains("spa");
    assertThat(p.authenticatedAt()).isEqualTo(TokenFixtures.NOW.minusSeconds(300));
    assertThat(p.sessionKey()).isEqualTo("sid:s-1");
  }

  @Test
  void verify_expiredFutureOrOverlongTokens_areRefused() throws Exception {
    TokenPolicy p = policy().build();
    assertRefused(p, token(c -> c.put("exp", NOW - 31)), Reason.EXPIRED);
    assertRefused(p, token(c -> c.put("iat", NOW + 31).put("exp", NOW + 600)), Reason.EXPIRED);
    assertRefused(p, token(c -> c.put("nbf", NOW + 31)), Reason.EXPIRED);
    assertRefused(p, token(c -> c.put("iat", NOW - 14 * 60).put("exp", NOW + 2 * 60)), Reason.INVALID_CLAIMS);
    assertRefused(p, token(c -> c.put("iat", NOW - 60).put("exp", NOW + 15 * 60)), Reason.INVALID_CLAIMS);
    assertRefused(policy().maxAge(Duration.ofMinutes(2)).build(),
        token(c -> c.put("iat", NOW - 200).put("exp", NOW + 100)), Reason.EXPIRED);
    // within the clock skew
    assertThat(TokenVerifier.create(p).verify(token(c -> c.put("exp", NOW - 20)))).isNotNull();
    assertThat(TokenVerifier.create(p).verify(token(c -> c.put("iat", NOW + 20)))).isNotNull();
  }

  @Test
  void verify_missingOrWrongRequiredClaims_areRefused() throws Exception {
    TokenPolicy p = policy().build();
    for (String claim : List.of("exp", "iat", "iss", "aud")) {
      assertRefused(p, token(c -> {
        c.remove(claim);
        return c;
      }), Reason.INVALID_CLAIMS);
    }
    assertRefused(p, token(c -> c.put("iss", "https://evil.example")), Reason.INVALID_CLAIMS);
    assertRefused(p, token(c -> c.put("aud", "https://other-api.example")), Reason.INVALID_CLAIMS);
    assertThat(TokenVerifier.create(p).verify(token(c -> c.set("aud", HandMadeJws.JSON.createArrayNode()
        .add("x").add(TokenFixtures.AUDIENCE))))).isNotNull();
    // Cognito access tokens: no aud, the client named by client_id.
    String cognito = token(c -> {
      c.remove("aud");
      return c.put("client_id", TokenFixtures.AUDIENCE);
    });
    assertRefused(p, cognito, Reason.INVALID_CLAIMS);
    assertThat(TokenVerifier.create(policy().acceptClientIdAsAudience().build()).verify(cognito)).isNotNull();
    assertRefused(policy().acceptClientIdAsAudience().build(), token(c -> c.put("aud", "other")
        .put("client_id", TokenFixtures.AUDIENCE)), Reason.INVALID_CLAIMS);
  }

  @Test
  void verify_tokenWithNeitherSidNorJti_isRefusedAsInvalidClaims() throws Exception {
    // Found by JwtPrecheckFuzzTest: such a principal has no session key, so the session tracker threw on it.
    TokenPolicy p = policy().build();
    assertRefused(p, token(c -> {
      c.remove("sid");
      c.remove("jti");
      return c;
    }), Reason.INVALID_CLAIMS);
    assertRefused(p, token(c -> {
      c.remove("sid");
      return c.put("jti", " ");
    }), Reason.INVALID_CLAIMS);
    Principal byJti = TokenVerifier.create(p).verify(token(c -> {
      c.remove("sid");
      return c;
    }));
    assertThat(byJti.sessionKey()).isEqualTo("jti:j-" + (NOW - 60));
  }

  @Test
  void verify_authTimeOutOfRangeAfterIatOrNotANumber_isRefusedAsInvalidClaims() throws Exception {
    // Found by JwtPrecheckFuzzTest: an auth_time beyond Instant's range threw DateTimeException; one after iat (or
    // ignored because it was a string) would have moved the absolute session deadline later.
    TokenPolicy p = policy().build();
    assertRefused(p, token(c -> c.put("auth_time", new java.math.BigInteger("99999999999999999999"))),
        Reason.INVALID_CLAIMS);
    assertRefused(p, token(c -> c.put("auth_time", Long.MAX_VALUE)), Reason.INVALID_CLAIMS);
    assertRefused(p, token(c -> c.put("auth_time", -1)), Reason.INVALID_CLAIMS);
    assertRefused(p, token(c -> c.put("auth_time", NOW - 59)), Reason.INVALID_CLAIMS);
    assertRefused(p, token(c -> c.put("auth_time", "yesterday")), Reason.INVALID_CLAIMS);
    assertThat(TokenVerifier.create(p).verify(token(c -> c.put("auth_time", NOW - 60))).authenticatedAt())
        .isEqualTo(TokenFixtures.NOW.minusSeconds(60));
  }

  @Test
  void verify_subjectMissingBlankSharedOrNotAUser_isRefused() throws Exception {
    TokenPolicy p = policy().refuseSubjects("shared-ward-account").build();
    assertRefused(p, token(c -> {
      c.remove("sub");
      return c;
    }), Reason.INVALID_SUBJECT);
    assertRefused(p, token(c -> c.put("sub", "  ")), Reason.INVALID_SUBJECT);
    assertRefused(p, token(c -> c.put("sub", "shared-ward-account")), Reason.INVALID_SUBJECT);
    assertRefused(p, token(c -> c.put("sub", "auth0|5f7c8ec7c33c6c004bbafe82")), Reason.INVALID_SUBJECT);
    assertRefused(p, token(c -> c.put("sub", "00000000-0000-0000-0000-000000000000")), Reason.INVALID_SUBJECT);

    TokenPolicy named = policy().subjectMapping(SubjectMapping.nameBased()).build();
    UserId a = TokenVerifier.create(named).verify(token(c -> c.put("sub", "auth0|5f7c8ec7c33c6c004bbafe82"))).userId();
    UserId b = TokenVerifier.create(named).verify(token(c -> c.put("sub", "auth0|5f7c8ec7c33c6c004bbafe82"))).userId();
    assertThat(a).isEqualTo(b);
    assertThat(a.value().version()).isEqualTo(5);
    // JSON can carry an unpaired surrogate as an escape; it must not map to the user whose subject has a ? there
    String lone = claims(NOW - 60, NOW + 600, SUB).put("sub", "auth0|5f7c8ec7LONE").toString()
        .replace("LONE", "\\ud800");
    assertRefused(named, HandMadeJws.sign(b64(header("ES256", "ec-1").toString()) + "." + b64(lone),
        "SHA256withECDSAinP1363Format", EC.getPrivate()), Reason.INVALID_SUBJECT);
  }

  @Test
  void nameBasedUuid_matchesTheRfc9562Example() {
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    assertThat(SubjectMapping.nameBasedUuid(dns, "www.example.com".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
  }

  @Test
  void requireMfa_needsASecondFactorOrAnAcceptedAcr() throws Exception {
    TokenPolicy p = policy().requireMfa("urn:okta:loa:2fa:any").build();
    assertRefused(p, token(c -> c.set("amr", HandMadeJws.JSON.createArrayNode().add("pwd"))),
        Reason.INSUFFICIENT_AUTHENTICATION);
    assertRefused(p, token(c -> c), Reason.INSUFFICIENT_AUTHENTICATION);
    assertThat(TokenVerifier.create(p).verify(token(c -> c.set("amr", HandMadeJws.JSON.createArrayNode()
        .add("pwd").add("otp"))))).isNotNull();
    assertThat(TokenVerifier.create(p).verify(token(c -> c.set("amr", HandMadeJws.JSON.createArrayNode()
        .add("hwk"))))).isNotNull();
    assertThat(TokenVerifier.create(p).verify(token(c -> c.put("acr", "urn:okta:loa:2fa:any")))).isNotNull();
    AuthenticationException e = catchAuth(() -> TokenVerifier.create(p).verify(token(c -> c)));
    assertThat(e.oauthError()).isEqualTo("insufficient_user_authentication");
  }

  @Test
  void expectType_checksTheTypHeader() throws Exception {
    TokenPolicy p = policy().expectType("at+jwt").build();
    ObjectNode claims = claims(NOW - 60, NOW + 600, SUB);
    assertThat(TokenVerifier.create(p).verify(es256(header("ES256", "ec-1").put("typ", "at+jwt"), claims))).isNotNull();
    assertThat(TokenVerifier.create(p).verify(es256(header("ES256", "ec-1").put("typ", "application/AT+JWT"), claims)))
        .isNotNull();
    assertRefused(p, es256(header("ES256", "ec-1").put("typ", "JWT"), claims), Reason.UNACCEPTABLE_HEADER);
    assertRefused(p, es256(header("ES256", "ec-1"), claims), Reason.UNACCEPTABLE_HEADER);
  }

  @Test
  void rolesClaim_followsADottedPath() throws Exception {
    TokenPolicy keycloak = policy().rolesClaim("realm_access", "roles").build();
    String token = token(c -> {
      c.putObject("realm_access").putArray("roles").add("clinician");
      return c;
    });
    assertThat(TokenVerifier.create(keycloak).verify(token).roles()).containsExactly("clinician");
    TokenPolicy auth0 = policy().rolesClaim("https://clinic.example/roles").build();
    assertThat(TokenVerifier.create(auth0).verify(token(c -> {
      c.putArray("https://clinic.example/roles").add("billing");
      return c;
    })).roles()).containsExactly("billing");
    TokenPolicy cognito = policy().rolesClaim("cognito:groups").build();
    assertThat(TokenVerifier.create(cognito).verify(token(c -> c.put("cognito:groups", "billing clinician"))).roles())
        .containsExactlyInAnyOrder("billing", "clinician");
  }

  @Test
  void revocations_refuseRevokedTokensAndSessions() throws Exception {
    RevocationList list = RevocationList.inMemory(10, TokenFixtures.CLOCK);
    TokenPolicy p = policy().revocations(list).build();
    String token = token(c -> c);
    assertThat(TokenVerifier.create(p).verify(token)).isNotNull();

    list.revoke("sid:s-1", TokenFixtures.NOW.plusSeconds(3600));
    assertRefused(p, token, Reason.REVOKED);
    list = RevocationList.inMemory(10, TokenFixtures.CLOCK);
    list.revoke("jti:j-" + (NOW - 60), TokenFixtures.NOW.plusSeconds(3600));
    assertRefused(policy().revocations(list).build(), token, Reason.REVOKED);
  }

  @Test
  void keys_unknownKidMissingKidOrAlgorithmBindingMismatch_areRefused() throws Exception {
    TokenPolicy p = policy().build();
    ObjectNode claims = claims(NOW - 60, NOW + 600, SUB);
    assertRefused(p, es256(header("ES256", "ec-2"), claims), Reason.UNKNOWN_KEY);
    assertRefused(p, es256(header("ES256", null), claims), Reason.UNKNOWN_KEY);
    // Signed by another EC key under the same kid.
    KeyPair other = HandMadeJws.generate("EC", "secp256r1");
    assertRefused(p, HandMadeJws.sign(signingInput(header("ES256", "ec-1"), claims), "SHA256withECDSAinP1363Format",
        other.getPrivate()), Reason.INVALID_SIGNATURE);
    // A P-256 key presented for ES384.
    TokenPolicy es384 = TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE,
            JwkSource.of(HandMadeJws.jwks("ec-1", EC.getPublic(), null)))
        .algorithms(JwsAlgorithm.ES256, JwsAlgorithm.ES384).clock(TokenFixtures.CLOCK).build();
    assertRefused(es384, HandMadeJws.sign(signingInput(header("ES384", "ec-1"), claims), "SHA384withECDSAinP1363Format",
        EC.getPrivate()), Reason.UNKNOWN_KEY);
  }

  @Test
  void algorithms_outsideThePolicyOrHmacWithoutOptIn_areRefused() throws Exception {
    String rsaJwks = HandMadeJws.jwks("rsa-1", RSA.getPublic(), null);
    ObjectNode claims = claims(NOW - 60, NOW + 600, SUB);
    String rs256 = HandMadeJws.sign(signingInput(header("RS256", "rsa-1"), claims), "SHA256withRSA", RSA.getPrivate());
    String ps256 = HandMadeJws.sign(signingInput(header("PS256", "rsa-1"), claims), "RSASSA-PSS", RSA.getPrivate());
    TokenPolicy rsa = TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE, JwkSource.of(rsaJwks))
        .clock(TokenFixtures.CLOCK).build();
    assertThat(TokenVerifier.create(rsa).verify(rs256)).isNotNull();
    assertThat(TokenVerifier.create(rsa).verify(ps256)).isNotNull();
    TokenPolicy onlyPs = TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE, JwkSource.of(rsaJwks))
        .algorithms(JwsAlgorithm.PS256).clock(TokenFixtures.CLOCK).build();
    assertRefused(onlyPs, rs256, Reason.UNACCEPTABLE_HEADER);

    assertThatThrownBy(() -> policy().algorithms(JwsAlgorithm.HS256)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwkSource.of("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"" + b64(new byte[32])
        + "\"}]}")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hmac_withOptIn_needsALongEnoughSecret() throws Exception {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    String jwks = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"" + b64(secret) + "\"}]}";
    TokenPolicy p = TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE,
            JwkSource.ofIncludingSharedSecrets(jwks))
        .allowHmacAlgorithmsWithSharedSecrets().algorithms(JwsAlgorithm.HS256).clock(TokenFixtures.CLOCK).build();
    ObjectNode claims = claims(NOW - 60, NOW + 600, SUB);
    assertThat(TokenVerifier.create(p).verify(HandMadeJws.hmac(signingInput(header("HS256", "h"), claims), secret)))
        .isNotNull();
  }

  @Test
  void hmac_secretUnder256Bits_isRefusedWhenTheKeySetIsLoaded() {
    String shortSecret = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"short\",\"k\":\"" + b64(new byte[16]) + "\"}]}";
    String shortForHs512 = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"h5\",\"alg\":\"HS512\",\"k\":\""
        + b64(new byte[32]) + "\"}]}";

    assertThatThrownBy(() -> JwkSource.ofIncludingSharedSecrets(shortSecret))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the shared secret (kid short) has 128 bits; HS256 "
            + "needs at least 256");
    assertThatThrownBy(() -> JwkSource.ofIncludingSharedSecrets(shortForHs512))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HS512 needs at least 512");
  }

  @Test
  void headers_thatPointAtKeysOrAreCritical_areRefused() throws Exception {
    TokenPolicy p = policy().build();
    ObjectNode claims = claims(NOW - 60, NOW + 600, SUB);
    assertRefused(p, es256(header("ES256", "ec-1").put("jku", "https://evil.example/jwks.json"), claims),
        Reason.UNACCEPTABLE_HEADER);
    assertRefused(p, es256(header("ES256", "ec-1").put("x5u", "https://evil.example/cert.pem"), claims),
        Reason.UNACCEPTABLE_HEADER);
    ObjectNode withJwk = header("ES256", "ec-1");
    withJwk.set("jwk", HandMadeJws.JSON.readTree(EC_JWKS).get("keys").get(0));
    assertRefused(p, es256(withJwk, claims), Reason.UNACCEPTABLE_HEADER);
    ObjectNode crit = header("ES256", "ec-1").put("exp", NOW);
    crit.putArray("crit").add("exp");
    assertRefused(p, es256(crit, claims), Reason.UNACCEPTABLE_HEADER);
  }

  @Test
  void structure_sizeCompressionAndEncryption_areRefused() throws Exception {
    TokenPolicy p = policy().build();
    assertRefused(p, token(c -> c.put("padding", "x".repeat(9000))), Reason.MALFORMED);
    assertRefused(p, es256(header("ES256", "ec-1").put("zip", "DEF"), claims(NOW - 60, NOW + 600, SUB)),
        Reason.UNACCEPTABLE_HEADER);
    assertRefused(p, "a.b.c.d.e", Reason.MALFORMED);
    assertRefused(p, "", Reason.MISSING);
    assertRefused(p, null, Reason.MISSING);
    assertRefused(p, "not a token", Reason.MALFORMED);
    String good = token(c -> c);
    assertRefused(p, good.substring(0, good.lastIndexOf('.') + 1) + "%%%", Reason.MALFORMED);
  }

  @Test
  void failures_logTheReasonButNeverTheToken() throws Exception {
    CapturedLogs.clear();
    String token = token(c -> c.put("exp", NOW - 3600).put("iat", NOW - 4000));
    AuthenticationException e = catchAuth(() -> TokenVerifier.create(policy().build()).verify(token));

    assertThat(e.publicDescription()).isEqualTo("token expired or not yet valid");
    assertThat(e.oauthError()).isEqualTo("invalid_token");
    String signature = token.substring(token.lastIndexOf('.') + 1);
    for (String line : CapturedLogs.lines()) {
      assertThat(line).doesNotContain(token).doesNotContain(signature).doesNotContain(token.substring(0, 20));
    }
    assertThat(e.getMessage()).doesNotContain(signature);
  }

  @Test
  void policyBuilder_refusesWeakSettings() {
    assertThatThrownBy(() -> policy().maxLifetime(Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy().clockSkew(Duration.ofMinutes(10))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy().maxTokenBytes(100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenPolicy.builder(" ", "a", JwkSource.of(EC_JWKS)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy().algorithms()).isInstanceOf(IllegalArgumentException.class);
    assertThat(policy().build().toString()).contains("ES256", "mfa=false");
  }

  static AuthenticationException catchAuth(ThrowingCallable call) {
    try {
      call.call();
    } catch (AuthenticationException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected an AuthenticationException", t);
    }
    throw new AssertionError("expected an AuthenticationException");
  }
}
