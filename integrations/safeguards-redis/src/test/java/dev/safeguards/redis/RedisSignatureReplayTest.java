package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.AccessTokenIssuer;
import dev.safeguards.authn.JwkSource;
import dev.safeguards.authn.TokenPolicy;
import dev.safeguards.authn.TokenVerifier;
import dev.safeguards.conformance.CapturingAuditSink;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.gate.Exchange;
import dev.safeguards.gate.Gate;
import dev.safeguards.gate.GateRequest;
import dev.safeguards.gate.Route;
import dev.safeguards.gate.Routes;
import dev.safeguards.http.HttpFields;
import dev.safeguards.http.HttpRequestView;
import dev.safeguards.identity.UserId;
import dev.safeguards.integrity.DigestAlgorithm;
import dev.safeguards.integrity.DigestFields;
import dev.safeguards.integrity.HttpMessageSigner;
import dev.safeguards.integrity.HttpMessageVerifier;
import dev.safeguards.integrity.HttpSignatureAlgorithm;
import dev.safeguards.integrity.HttpSigningKey;
import dev.safeguards.integrity.HttpVerificationKey;
import dev.safeguards.integrity.HttpVerificationKeys;
import dev.safeguards.integrity.SignatureComponent;
import dev.safeguards.integrity.SignatureFields;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.testing.MutableClock;
import dev.safeguards.testing.TestKeyPairs;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An RFC 9421 signed request, with its nonce, replayed to another replica's gate sharing one Redis: refused. */
class RedisSignatureReplayTest {

  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  private static final byte[] BODY = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final KeyPair client = TestKeyPairs.ed25519();
  private RedisServer server;
  private RedisState a;
  private RedisState b;
  private String token;
  private SigningKeyset tokenKeys;

  @BeforeEach
  void start() throws Exception {
    server = RedisServer.start(dir);
    a = RedisState.builder(server.uri()).keyPrefix("signed").clock(clock).connect();
    b = RedisState.builder(server.uri()).keyPrefix("signed").clock(clock).connect();
    tokenKeys = SigningKeyset.create(ManagedKeyset.create(dir.resolve("t.json"), KeyPurpose.TOKEN_SIGNING_ED25519,
        KeyEncryptionKey.generateMasterKeyFile(dir.resolve("m.key")), clock));
    token = AccessTokenIssuer.builder(tokenKeys, "https://iss", "https://aud").clock(clock).build()
        .issue(new AccessGrant(ALICE, Set.of("clinician"), Set.of(), Set.of("pwd", "otp"), clock.instant(), "s-1",
            Optional.empty()));
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    server.close();
  }

  private Gate gate(RedisState state, CapturingAuditSink audit) {
    return Safeguards.builder()
        .tokens(TokenVerifier.create(TokenPolicy.builder("https://iss", "https://aud",
            JwkSource.of(tokenKeys.publicJwks())).clock(clock).requireMfa().revocations(state.revocations()).build()))
        .sessions(SessionTracker.create(SessionPolicy.DEFAULT, state.sessions(), state.revocations(), clock))
        .access(AccessPolicy.builder().role("clinician", "patient:create").build())
        .routes(Routes.of(Route.protect("POST", "/patients", "patient:create")))
        .audit(audit)
        .httpSignatures(HttpMessageVerifier.builder(HttpVerificationKeys.of(
            HttpVerificationKey.of("client-1", HttpSignatureAlgorithm.ED25519, client.getPublic())))
            .requireComponents(SignatureComponent.METHOD, SignatureComponent.TARGET_URI,
                SignatureComponent.field("content-digest"))
            .requireNonce().nonceCache(state.nonces()).clock(clock).build())
        .clock(clock)
        .build()
        .gate();
  }

  private HttpFields signed() throws Exception {
    String digest = DigestFields.fieldValue(BODY, DigestAlgorithm.SHA_256);
    SignatureFields f = HttpMessageSigner.builder(
        HttpSigningKey.of("client-1", HttpSignatureAlgorithm.ED25519, client.getPrivate()))
        .components(SignatureComponent.METHOD, SignatureComponent.TARGET_URI,
            SignatureComponent.field("content-digest"))
        .clock(clock).build()
        .sign(HttpRequestView.builder("POST", URI.create("https://api.example/patients"))
            .field("Content-Digest", digest).build());
    return HttpFields.builder().add("Host", "api.example").add("Authorization", "Bearer " + token)
        .add("Content-Type", "application/json").add("Content-Length", Integer.toString(BODY.length))
        .add("Content-Digest", digest).add("Signature-Input", f.signatureInput()).add("Signature", f.signature())
        .build();
  }

  private static Exchange enter(Gate gate, HttpFields headers) {
    return gate.enter(new GateRequest("POST", "/patients", true, "203.0.113.5", "api.example/patients", headers,
        Optional.empty()), new ByteArrayInputStream(BODY));
  }

  @Test
  void aSignedRequestReplayedToAnotherReplica_isRefused() throws Exception {
    CapturingAuditSink auditA = new CapturingAuditSink();
    CapturingAuditSink auditB = new CapturingAuditSink();
    Gate onA = gate(a, auditA);
    Gate onB = gate(b, auditB);
    HttpFields request = signed();

    assertThat(enter(onA, request).response()).as("first use, on A").isEmpty();
    Exchange replay = enter(onB, request);

    assertThat(replay.response().orElseThrow().status()).isEqualTo(401);
    List<AuditEvent> events = auditB.events();
    assertThat(events).singleElement().satisfies(e -> assertThat(e.subtype()).hasValue("http-signature"));
    assertThat(enter(onB, signed()).response()).as("a fresh signature is admitted on B").isEmpty();
  }
}
