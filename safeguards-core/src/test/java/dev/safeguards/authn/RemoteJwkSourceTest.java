package dev.safeguards.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.safeguards.testing.MutableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWKS URL client against a real HTTP server on loopback. */
class RemoteJwkSourceTest {

  private HttpServer server;
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicReference<String> body = new AtomicReference<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private MutableClock clock;
  private URI uri;
  private KeyPair first;
  private KeyPair second;

  @BeforeEach
  void start() throws Exception {
    first = HandMadeJws.generate("EC", "secp256r1");
    second = HandMadeJws.generate("EC", "secp256r1");
    body.set(HandMadeJws.jwks("k1", first.getPublic(), "ES256"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jwks", exchange -> {
      hits.incrementAndGet();
      byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
      if (status.get() == 302) {
        exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/evil");
      }
      exchange.sendResponseHeaders(status.get(), bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    clock = new MutableClock(TokenFixtures.NOW);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private RemoteJwkSource source() {
    return JwkSource.remote(uri).allowPlainHttpForLoopback().clock(clock).build();
  }

  @Test
  void find_fetchesOnce_andServesFromTheCache() throws Exception {
    RemoteJwkSource source = source();
    assertThat(source.find("k1")).isPresent();
    assertThat(source.find("k1")).isPresent();
    assertThat(hits).hasValue(1);
  }

  @Test
  void unknownKid_refetchesAtMostOncePerInterval() throws Exception {
    RemoteJwkSource source = source();
    source.find("k1");
    for (int i = 0; i < 50; i++) {
      assertThat(source.find("forged-" + i)).isEmpty();
    }
    assertThat(hits).hasValue(1); // the first fetch is within the interval

    body.set("{\"keys\":[" + key(HandMadeJws.jwks("k1", first.getPublic(), "ES256")) + ","
        + key(HandMadeJws.jwks("k2", second.getPublic(), "ES256")) + "]}");
    clock.advance(Duration.ofMinutes(1));
    assertThat(source.find("k2")).isPresent(); // a rotated-in key is found after one refetch
    for (int i = 0; i < 50; i++) {
      source.find("forged-" + i);
    }
    assertThat(hits).hasValue(2);
  }

  @Test
  void knownKid_afterMaxAge_isLookedUpInAFreshSet_soAKeyRemovedUpstreamIsGone() throws Exception {
    RemoteJwkSource source = source();
    assertThat(source.find("k1")).isPresent();
    body.set("{\"keys\":[" + key(HandMadeJws.jwks("k2", second.getPublic(), "ES256")) + "]}");

    clock.advance(Duration.ofMinutes(59));
    assertThat(source.find("k1")).as("the set is still current").isPresent();
    clock.advance(Duration.ofMinutes(2));
    assertThat(source.find("k1")).as("refetched after maxAge: k1 was removed").isEmpty();
    assertThat(hits).hasValue(2);
  }

  @Test
  void failingRefetch_servesTheStaleSetForAWhile_thenFailsClosed() throws Exception {
    RemoteJwkSource source = source();
    source.find("k1");
    status.set(500);
    clock.advance(Duration.ofMinutes(61));
    assertThat(source.find("k1")).isPresent(); // stale but within staleFor
    clock.advance(Duration.ofMinutes(60));
    assertThatThrownBy(() -> source.find("k1")).isInstanceOf(AuthenticationException.class)
        .extracting(e -> ((AuthenticationException) e).reason())
        .isEqualTo(AuthenticationException.Reason.KEYS_UNAVAILABLE);
  }

  @Test
  void firstFetchFailure_redirectOrBadBody_failsClosed() {
    status.set(302);
    assertThatThrownBy(() -> source().find("k1")).isInstanceOf(AuthenticationException.class);
    status.set(200);
    body.set("x".repeat(600 * 1024));
    assertThatThrownBy(() -> source().find("k1")).isInstanceOf(AuthenticationException.class);
    body.set("{\"keys\":[{\"kty\":\"EC\",\"kid\":\"k1\",\"d\":\"private!\",\"crv\":\"P-256\",\"x\":\"a\",\"y\":\"b\"}]}");
    assertThatThrownBy(() -> source().find("k1")).isInstanceOf(AuthenticationException.class);
  }

  @Test
  void verifier_withTheRemoteSource_acceptsTokensOfItsKeys() throws Exception {
    TokenVerifier verifier = TokenVerifier.create(TokenPolicy.builder(TokenFixtures.ISSUER, TokenFixtures.AUDIENCE,
        source()).clock(TokenFixtures.CLOCK).build());
    long now = TokenFixtures.NOW.getEpochSecond();
    String token = HandMadeJws.sign(HandMadeJws.signingInput(HandMadeJws.header("ES256", "k1"),
        HandMadeJws.claims(now - 10, now + 300, TokenFixtures.ALICE.toString())), "SHA256withECDSAinP1363Format",
        first.getPrivate());
    assertThat(verifier.verify(token).userId()).isEqualTo(TokenFixtures.ALICE);
  }

  @Test
  void build_refusesPlainHttp_userInfo_andNonLoopbackHttp() {
    assertThatThrownBy(() -> JwkSource.remote(uri).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwkSource.remote(URI.create("http://example.com/jwks")).allowPlainHttpForLoopback()
        .build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwkSource.remote(URI.create("https://user:pw@idp.example/jwks")).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(JwkSource.remote(URI.create("https://idp.example/realms/clinic/protocol/openid-connect/certs")).build())
        .isNotNull();
  }

  private static String key(String jwks) {
    return jwks.substring(jwks.indexOf('[') + 1, jwks.lastIndexOf(']'));
  }
}
