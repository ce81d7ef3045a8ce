package dev.safeguards.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.http.HttpRequestView;
import dev.safeguards.http.HttpResponseView;
import dev.safeguards.integrity.IntegrityException.Reason;
import dev.safeguards.testing.MutableClock;
import dev.safeguards.testing.TestKeyPairs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Signing and verifying with generated keys, and every way a signature must be refused. */
class HttpMessageSignaturesTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final byte[] BODY = "{\"patient\":\"p-1\"}".getBytes(StandardCharsets.UTF_8);
  private static final SignatureComponent[] COVERED = {SignatureComponent.METHOD, SignatureComponent.TARGET_URI,
      SignatureComponent.field("content-digest"), SignatureComponent.field("content-type")};

  private static final KeyPair ED25519 = TestKeyPairs.ed25519();
  private static final KeyPair P256 = TestKeyPairs.ec("secp256r1");
  private static final KeyPair RSA = TestKeyPairs.rsa(2048);
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static HttpVerificationKeys keys() {
    return HttpVerificationKeys.of(
        HttpVerificationKey.of("ed", HttpSignatureAlgorithm.ED25519, ED25519.getPublic()),
        HttpVerificationKey.of("ec", HttpSignatureAlgorithm.ECDSA_P256_SHA256, P256.getPublic()),
        HttpVerificationKey.of("pss", HttpSignatureAlgorithm.RSA_PSS_SHA512, RSA.getPublic()),
        HttpVerificationKey.of("rsa15", HttpSignatureAlgorithm.RSA_V1_5_SHA256, RSA.getPublic()),
        HttpVerificationKey.hmacSha256("mac", SECRET));
  }

  private static HttpRequestView.Builder request() {
    return HttpRequestView.builder("POST", URI.create("https://api.example.org/fhir/Patient?_id=p-1&active=true"))
        .field("Host", "api.example.org")
        .field("Content-Type", "application/fhir+json")
        .field("Content-Digest", DigestFields.fieldValue(BODY, DigestAlgorithm.SHA_256));
  }

  private static HttpMessageSigner.Builder signer(HttpSigningKey key) {
    return HttpMessageSigner.builder(key).components(COVERED).clock(CLOCK);
  }

  private static HttpMessageVerifier.Builder verifier() {
    return HttpMessageVerifier.builder(keys()).clock(CLOCK);
  }

  private static HttpRequestView signed(HttpSigningKey key, UnaryOperator<HttpRequestView.Builder> alter)
      throws IntegrityException {
    SignatureFields f = signer(key).build().sign(request().build());
    return alter.apply(request()).field("Signature-Input", f.signatureInput()).field("Signature", f.signature())
        .build();
  }

  private static HttpSigningKey ed() {
    return HttpSigningKey.of("ed", HttpSignatureAlgorithm.ED25519, ED25519.getPrivate());
  }

  private static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOf(IntegrityException.class)
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(reason);
  }

  @Test
  void signThenVerify_everySigningAlgorithm_roundTrips() throws Exception {
    List<HttpSigningKey> keys = List.of(ed(),
        HttpSigningKey.of("ec", HttpSignatureAlgorithm.ECDSA_P256_SHA256, P256.getPrivate()),
        HttpSigningKey.of("pss", HttpSignatureAlgorithm.RSA_PSS_SHA512, RSA.getPrivate()),
        HttpSigningKey.hmacSha256("mac", SECRET));
    for (HttpSigningKey key : keys) {
      VerifiedHttpSignature v = verifier().build().verify(signed(key, b -> b));

      assertThat(v.keyId()).isEqualTo(key.keyId());
      assertThat(v.algorithm()).isEqualTo(key.algorithm());
      assertThat(v.components()).containsExactly(COVERED);
      assertThat(v.created()).isEqualTo(NOW);
      assertThat(v.nonce()).isPresent();
    }
  }

  @Test
  void signingKey_rsaV15_isVerifyOnly_andWeakKeysAreRefused() {
    assertThatThrownBy(() -> HttpSigningKey.of("k", HttpSignatureAlgorithm.RSA_V1_5_SHA256, RSA.getPrivate()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verification only");
    assertThatThrownBy(() -> HttpSigningKey.hmacSha256("k", new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpVerificationKey.of("k", HttpSignatureAlgorithm.RSA_PSS_SHA512, TestKeyPairs.rsa(1024).getPublic()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
    assertThatThrownBy(() -> HttpVerificationKey.of("k", HttpSignatureAlgorithm.ECDSA_P256_SHA256,
        TestKeyPairs.ec("secp384r1").getPublic())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpVerificationKey.of("k", HttpSignatureAlgorithm.ED25519, P256.getPublic()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(HttpSigningKey.hmacSha256("k", SECRET).toString()).doesNotContain("0123");
  }

  @Test
  void verify_rsaV15SignatureOfAPeer_isAccepted() throws Exception {
    // A peer that still signs with rsa-v1_5-sha256: its signature is built here with the JDK directly.
    HttpRequestView unsigned = request().build();
    SignatureFields template = HttpMessageSigner.builder(HttpSigningKey.of("pss",
        HttpSignatureAlgorithm.RSA_PSS_SHA512, RSA.getPrivate())).components(COVERED).clock(CLOCK)
        .withoutNonceAllowingReplay().build().sign(unsigned);
    String input = template.signatureInput().replace("keyid=\"pss\"", "keyid=\"rsa15\"");
    String base = new String(SignatureBase.build(unsigned, null, List.of(COVERED),
        (StructuredFieldsAccess.innerList(input, template.label()))), StandardCharsets.US_ASCII);
    java.security.Signature jdk = java.security.Signature.getInstance("SHA256withRSA");
    jdk.initSign(RSA.getPrivate());
    jdk.update(base.getBytes(StandardCharsets.US_ASCII));
    String signature = "sig1=:" + java.util.Base64.getEncoder().encodeToString(jdk.sign()) + ":";

    VerifiedHttpSignature v = verifier().build().verify(request().field("Signature-Input", input)
        .field("Signature", signature).build());
    assertThat(v.algorithm()).isEqualTo(HttpSignatureAlgorithm.RSA_V1_5_SHA256);
    assertRefused(() -> verifier().allowAlgorithms(HttpSignatureAlgorithm.ED25519).build()
        .verify(request().field("Signature-Input", input).field("Signature", signature).build()),
        Reason.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void signAndVerify_responseWithRequestComponentsAndStructuredFields() throws Exception {
    HttpRequestView req = request().field("Signature-Input", "other=();created=1").build();
    HttpResponseView.Builder response = HttpResponseView.builder(201)
        .field("Content-Type", "application/fhir+json")
        .field("Content-Digest", "sha-256=:" + java.util.Base64.getEncoder().encodeToString(new byte[32]) + ":, "
            + "sha-512=:" + java.util.Base64.getEncoder().encodeToString(new byte[64]) + ":")
        .field("X-Trace", "  \u00e9t\u00e9  ")
        .field("Cache-Status", "ExampleCache; hit");
    SignatureComponent[] components = {SignatureComponent.STATUS, SignatureComponent.METHOD.req(),
        SignatureComponent.queryParam("_id").req(), SignatureComponent.field("content-digest").key("sha-512"),
        SignatureComponent.field("content-digest").sf(), SignatureComponent.field("x-trace").bs(),
        SignatureComponent.field("cache-status").sf(), SignatureComponent.field("content-type").req()};
    SignatureFields f = HttpMessageSigner.builder(ed()).components(components).clock(CLOCK).tag("clinic")
        .expiresAfter(Duration.ofMinutes(1)).includeAlgorithm().build().sign(response.build(), req);
    HttpResponseView signedResponse = response.field("Signature-Input", f.signatureInput())
        .field("Signature", f.signature()).build();

    VerifiedHttpSignature v = verifier().requireComponents(SignatureComponent.STATUS).build()
        .verify(signedResponse, req);

    assertThat(v.tag()).contains("clinic");
    assertThat(v.expires()).contains(NOW.plusSeconds(60));
    assertThat(f.signatureInput()).contains(";alg=\"ed25519\"", "\"@query-param\";name=\"_id\";req",
        "\"content-digest\";key=\"sha-512\"");
    // The request's method is covered: answering another request breaks it.
    HttpRequestView otherRequest = HttpRequestView.builder("PUT", req.targetUri())
        .field("Content-Type", "application/fhir+json").build();
    assertRefused(() -> verifier().requireComponents().build().verify(signedResponse, otherRequest),
        Reason.SIGNATURE_INVALID);
    assertRefused(() -> verifier().requireComponents().build().verify(signedResponse, null), Reason.MISSING);
  }

  @Test
  void queryParam_isDecodedAndReEncodedAsTheRfcSays() throws Exception {
    HttpRequestView r = HttpRequestView.builder("GET",
        URI.create("https://example.com/path?param=value&foo=bar&baz=batman&qux=&var=this%20is%20a%20big%0Avalue"
            + "&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something")).build();
    SignatureFields f = HttpMessageSigner.builder(ed()).clock(CLOCK).withoutNonceAllowingReplay()
        .components(SignatureComponent.queryParam("baz"), SignatureComponent.queryParam("qux"),
            SignatureComponent.queryParam("var"), SignatureComponent.queryParam("bar"),
            SignatureComponent.queryParam("fa%C3%A7ade%22%3A%20"))
        .build().sign(r);
    String base = new String(SignatureBase.build(r, null, List.of(SignatureComponent.queryParam("baz"),
            SignatureComponent.queryParam("qux"), SignatureComponent.queryParam("var"),
            SignatureComponent.queryParam("bar"), SignatureComponent.queryParam("fa%C3%A7ade%22%3A%20")),
        StructuredFieldsAccess.innerList(f.signatureInput(), "sig1")), StandardCharsets.US_ASCII);

    assertThat(base).startsWith("\"@query-param\";name=\"baz\": batman\n"
        + "\"@query-param\";name=\"qux\": \n"
        + "\"@query-param\";name=\"var\": this%20is%20a%20big%0Avalue\n"
        + "\"@query-param\";name=\"bar\": with%20plus%20whitespace\n"
        + "\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\": something\n");
  }

  @Test
  void derivedComponents_haveTheirRfcValues() throws Exception {
    HttpRequestView r = HttpRequestView.builder("POST", URI.create("HTTPS://WWW.Example.com:443/path?param=value"))
        .build();
    SignatureComponent[] all = {SignatureComponent.METHOD, SignatureComponent.TARGET_URI, SignatureComponent.AUTHORITY,
        SignatureComponent.SCHEME, SignatureComponent.REQUEST_TARGET, SignatureComponent.PATH, SignatureComponent.QUERY};
    SignatureFields f = HttpMessageSigner.builder(ed()).clock(CLOCK).withoutNonceAllowingReplay().components(all)
        .build().sign(r);
    String base = new String(SignatureBase.build(r, null, List.of(all),
        StructuredFieldsAccess.innerList(f.signatureInput(), "sig1")), StandardCharsets.US_ASCII);

    assertThat(base).startsWith("\"@method\": POST\n"
        + "\"@target-uri\": HTTPS://WWW.Example.com:443/path?param=value\n"
        + "\"@authority\": www.example.com\n"
        + "\"@scheme\": https\n"
        + "\"@request-target\": /path?param=value\n"
        + "\"@path\": /path\n"
        + "\"@query\": ?param=value\n");
    HttpRequestView noQuery = HttpRequestView.builder("GET", URI.create("http://example.com:8080")).build();
    SignatureFields g = HttpMessageSigner.builder(ed()).clock(CLOCK).withoutNonceAllowingReplay()
        .components(SignatureComponent.AUTHORITY, SignatureComponent.PATH, SignatureComponent.QUERY).build()
        .sign(noQuery);
    assertThat(new String(SignatureBase.build(noQuery, null, List.of(SignatureComponent.AUTHORITY,
        SignatureComponent.PATH, SignatureComponent.QUERY), StructuredFieldsAccess.innerList(g.signatureInput(), "sig1")),
        StandardCharsets.US_ASCII)).startsWith("\"@authority\": example.com:8080\n\"@path\": /\n\"@query\": ?\n");
  }

  @Test
  void verify_changedCoveredComponent_fails() throws Exception {
    assertRefused(() -> verifier().build().verify(signed(ed(), b -> b.field("Content-Type", "text/plain"))),
        Reason.SIGNATURE_INVALID);
    HttpRequestView original = signed(ed(), b -> b);
    HttpRequestView otherTarget = HttpRequestView.builder("POST",
            URI.create("https://api.example.org/fhir/Patient?_id=p-2&active=true"))
        .field("Content-Type", "application/fhir+json")
        .field("Content-Digest", original.fieldValues("Content-Digest").get(0))
        .field("Signature-Input", original.fieldValues("Signature-Input").get(0))
        .field("Signature", original.fieldValues("Signature").get(0)).build();
    assertRefused(() -> verifier().build().verify(otherTarget), Reason.SIGNATURE_INVALID);
  }

  @Test
  void verify_contentDigestOfAnotherBody_failsTheSignature() throws Exception {
    HttpRequestView r = signed(ed(), b -> b);
    HttpRequestView swapped = rebuild(r, Map.of("content-digest",
        DigestFields.fieldValue("{\"patient\":\"p-2\"}".getBytes(StandardCharsets.UTF_8), DigestAlgorithm.SHA_256)));
    assertRefused(() -> verifier().build().verify(swapped), Reason.SIGNATURE_INVALID);
  }

  @Test
  void verify_reorderedOrDuplicateComponents_fail() throws Exception {
    HttpRequestView r = signed(ed(), b -> b);
    String input = r.fieldValues("Signature-Input").get(0);
    String reordered = input.replace("(\"@method\" \"@target-uri\"", "(\"@target-uri\" \"@method\"");
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature-input", reordered))),
        Reason.SIGNATURE_INVALID);
    String duplicate = input.replace("(\"@method\"", "(\"@method\" \"@method\"");
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature-input", duplicate))),
        Reason.MALFORMED);
  }

  @Test
  void verify_unknownComponentsAndParameters_fail() throws Exception {
    HttpRequestView r = signed(ed(), b -> b);
    String input = r.fieldValues("Signature-Input").get(0);
    for (String bad : new String[] {
        input.replace("(\"@method\"", "(\"@method\" \"@frobnicate\""),
        input.replace("\"@method\"", "\"@method\";xyz"),
        input.replace(";keyid=", ";foo=1;keyid="),
        input.replace("\"content-type\"", "\"content-type\";bs;sf"),
        input.replace("\"content-type\"", "\"content-type\";tr"),
        input.replace("\"@method\"", "\"@method\";sf"),
        input.replace("\"@method\"", "\"@method\";req"),
        input.replace("\"@method\"", "\"@METHOD\""),
        input.replace("created=", "created=\"1\";x="),
        input.replace("(\"@method\"", "(@method"),
    }) {
      assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature-input", bad))), Reason.MALFORMED);
    }
  }

  @Test
  void verify_algorithmOrKeyMismatch_fails() throws Exception {
    HttpRequestView r = signed(ed(), b -> b);
    String input = r.fieldValues("Signature-Input").get(0);
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature-input",
        input.replace(";keyid=\"ed\"", ";keyid=\"ed\";alg=\"rsa-pss-sha512\"")))), Reason.UNKNOWN_KEY);
    // The Ed25519 signature presented as one of the P-256 key, or of the HMAC secret.
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature-input",
        input.replace("keyid=\"ed\"", "keyid=\"ec\"")))), Reason.SIGNATURE_INVALID);
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature-input",
        input.replace("keyid=\"ed\"", "keyid=\"mac\"")))), Reason.SIGNATURE_INVALID);
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature-input",
        input.replace("keyid=\"ed\"", "keyid=\"nobody\"")))), Reason.UNKNOWN_KEY);
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature-input",
        input.replace(";keyid=\"ed\"", "")))), Reason.MISSING);
  }

  @Test
  void verify_createdTooOldInTheFutureOrExpired_fails() throws Exception {
    HttpRequestView r = signed(ed(), b -> b);
    assertRefused(() -> verifier().clock(Clock.offset(CLOCK, Duration.ofMinutes(6))).build().verify(r),
        Reason.EXPIRED);
    assertRefused(() -> verifier().clock(Clock.offset(CLOCK, Duration.ofMinutes(-1))).build().verify(r),
        Reason.EXPIRED);
    assertThat(verifier().clock(Clock.offset(CLOCK, Duration.ofSeconds(-25))).build().verify(r)).isNotNull();

    SignatureFields f = signer(ed()).expiresAfter(Duration.ofSeconds(10)).build().sign(request().build());
    HttpRequestView expiring = request().field("Signature-Input", f.signatureInput()).field("Signature", f.signature())
        .build();
    assertRefused(() -> verifier().clock(Clock.offset(CLOCK, Duration.ofSeconds(45))).build().verify(expiring),
        Reason.EXPIRED);
    String noCreated = r.fieldValues("Signature-Input").get(0).replaceAll(";created=\\d+", "");
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature-input", noCreated))), Reason.MISSING);
  }

  @Test
  void verify_replayedNonce_fails_andNonceCanBeRequired() throws Exception {
    HttpMessageVerifier v = verifier().build();
    HttpRequestView r = signed(ed(), b -> b);
    v.verify(r);
    assertRefused(() -> v.verify(r), Reason.REPLAYED);

    HttpRequestView withoutNonce;
    SignatureFields f = signer(ed()).withoutNonceAllowingReplay().build().sign(request().build());
    withoutNonce = request().field("Signature-Input", f.signatureInput()).field("Signature", f.signature()).build();
    assertThat(v.verify(withoutNonce)).isNotNull();
    assertRefused(() -> verifier().requireNonce().build().verify(withoutNonce), Reason.MISSING);
  }

  @Test
  void nonceCache_whenFull_refusesRatherThanForgets() {
    NonceCache cache = NonceCache.inMemory(2, CLOCK);
    assertThat(cache.firstUse("k", "a", NOW.plusSeconds(60))).isTrue();
    assertThat(cache.firstUse("k", "b", NOW.plusSeconds(60))).isTrue();
    assertThat(cache.firstUse("k", "c", NOW.plusSeconds(60))).isFalse();
    assertThat(cache.firstUse("k", "a", NOW.plusSeconds(60))).isFalse();
    assertThat(cache.firstUse("other", "a", NOW.plusSeconds(60))).isFalse();

    MutableClock clock = new MutableClock(NOW);
    NonceCache full = NonceCache.inMemory(2, clock);
    assertThat(full.firstUse("k", "a", NOW.plusSeconds(60))).isTrue();
    assertThat(full.firstUse("k", "b", NOW.plusSeconds(60))).isTrue();
    clock.advance(Duration.ofSeconds(60));
    assertThat(full.firstUse("k", "c", NOW.plusSeconds(120))).isTrue(); // expired entries make room
  }

  @Test
  void nonceCache_expiresAtNowOrBefore_isRefusedAndNotRecorded() {
    MutableClock clock = new MutableClock(NOW);
    NonceCache cache = NonceCache.inMemory(10, clock);

    assertThat(cache.firstUse("k", "past", NOW.minusMillis(1))).as("already expired").isFalse();
    assertThat(cache.firstUse("k", "now", NOW)).as("expiring this very instant").isFalse();
    assertThat(cache.firstUse("k", "now", NOW.plusSeconds(60))).as("a refusal records nothing").isTrue();

    assertThat(cache.firstUse("k", "n", NOW.plusSeconds(60))).isTrue();
    clock.advance(Duration.ofSeconds(60));
    assertThat(cache.firstUse("k", "n", NOW.plusSeconds(60))).as("replayed at its expiry").isFalse();
  }

  @Test
  void verify_replayAtTheLastInstantTheSignatureIsYoungEnough_fails() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    HttpMessageVerifier v = verifier().clock(clock).maxAge(Duration.ofMinutes(5)).clockSkew(Duration.ofSeconds(30))
        .nonceCache(NonceCache.inMemory(100, clock)).build();
    HttpRequestView r = signed(ed(), b -> b); // created = NOW
    assertThat(v.verify(r).nonce()).isPresent();

    clock.advance(Duration.ofMinutes(5).plusSeconds(30)); // created is exactly maxAge + clockSkew old: still young
    assertRefused(() -> v.verify(r), Reason.REPLAYED);
  }

  @Test
  void verify_missingOrUnpairedSignatureFields_fail() throws Exception {
    HttpRequestView r = signed(ed(), b -> b);
    assertRefused(() -> verifier().build().verify(request().build()), Reason.MISSING);
    assertRefused(() -> verifier().build().verify(request().field("Signature", r.fieldValues("Signature").get(0))
        .build()), Reason.MISSING);
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature",
        r.fieldValues("Signature").get(0).replace("sig1=", "other=")))), Reason.MALFORMED);
    assertRefused(() -> verifier().label("nope").build().verify(r), Reason.MISSING);
  }

  @Test
  void verify_malformedSignatureValue_fails() throws Exception {
    HttpRequestView r = signed(ed(), b -> b);
    String sig = r.fieldValues("Signature").get(0);
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature", sig.replace(":", "")))),
        Reason.MALFORMED);
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature", sig.replace("=:", "=:%")))),
        Reason.MALFORMED);
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature", "sig1=:AAAA:"))),
        Reason.SIGNATURE_INVALID);
    assertRefused(() -> verifier().build().verify(rebuild(r, Map.of("signature", "sig1=:AAA=A:"))),
        Reason.MALFORMED);
  }

  @Test
  void sign_absentComponentOrUnsafeValue_isRefused() {
    HttpMessageSigner s = HttpMessageSigner.builder(ed()).clock(CLOCK).components(SignatureComponent.field("x-absent"))
        .build();
    assertRefused(() -> s.sign(request().build()), Reason.MISSING);
    HttpMessageSigner t = HttpMessageSigner.builder(ed()).clock(CLOCK).components(SignatureComponent.field("x-name"))
        .build();
    assertRefused(() -> t.sign(request().field("X-Name", "Ad\u00e9la\u00efde").build()), Reason.MALFORMED);
    assertRefused(() -> HttpMessageSigner.builder(ed()).clock(CLOCK).components(SignatureComponent.STATUS).build()
        .sign(request().build()), Reason.MALFORMED);
    assertThatThrownBy(() -> HttpMessageSigner.builder(ed()).label("Sig1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpMessageSigner.builder(ed()).components(SignatureComponent.METHOD,
        SignatureComponent.METHOD)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_severalSignatures_acceptsTheOneThatVerifies() throws Exception {
    HttpRequestView r = signed(ed(), b -> b);
    SignatureFields mac = signer(HttpSigningKey.hmacSha256("mac", SECRET)).label("sig2").build()
        .sign(request().build());
    HttpRequestView both = request()
        .field("Signature-Input", r.fieldValues("Signature-Input").get(0).replace("keyid=\"ed\"", "keyid=\"ec\""))
        .field("Signature-Input", mac.signatureInput())
        .field("Signature", r.fieldValues("Signature").get(0))
        .field("Signature", mac.signature()).build();

    assertThat(verifier().build().verify(both).label()).isEqualTo("sig2");
    assertRefused(() -> verifier().label("sig1").build().verify(both), Reason.SIGNATURE_INVALID);
  }

  @Test
  void exceptionMessages_doNotHoldSignaturesOrFieldValues() throws Exception {
    HttpRequestView r = signed(ed(), b -> b.field("Content-Type", "application/secret-type"));
    String sig = r.fieldValues("Signature").get(0);
    assertThatThrownBy(() -> verifier().build().verify(r))
        .hasMessageNotContaining(sig.substring(6, 30))
        .hasMessageNotContaining("secret-type");
  }

  /** {@code r} with the named fields replaced. */
  private static HttpRequestView rebuild(HttpRequestView r, Map<String, String> replace) {
    HttpRequestView.Builder b = HttpRequestView.builder(r.method(), r.targetUri());
    for (String name : List.of("host", "content-type", "content-digest", "signature-input", "signature")) {
      if (replace.containsKey(name)) {
        b.field(name, replace.get(name));
      } else {
        r.fieldValues(name).forEach(v -> b.field(name, v));
      }
    }
    return b.build();
  }
}
