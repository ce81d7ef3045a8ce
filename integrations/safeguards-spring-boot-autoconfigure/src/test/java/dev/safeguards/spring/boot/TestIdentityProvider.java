package dev.safeguards.spring.boot;

import com.sun.net.httpserver.HttpServer;
import dev.safeguards.authn.AccessGrant;
import dev.safeguards.authn.AccessTokenIssuer;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An identity provider for the starter's tests: it issues MFA tokens for Alice and publishes their keys at a JWKS URL
 * on loopback; {@link #properties} are the handful a fresh application sets, with a master key in {@code dir}.
 */
final class TestIdentityProvider implements AutoCloseable {

  static final String ISSUER = "https://login.example";
  static final String AUDIENCE = "https://notes.example";
  static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");

  private final HttpServer jwks;
  private final AccessTokenIssuer issuer;
  final KeyEncryptionKey kek;
  final Map<String, Object> properties = new HashMap<>();

  TestIdentityProvider(Path dir) throws Exception {
    kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
    SigningKeyset tokenKeys = SigningKeyset.create(ManagedKeyset.create(dir.resolve("idp.json"),
        KeyPurpose.TOKEN_SIGNING_ED25519, kek, Clock.systemUTC()));
    issuer = AccessTokenIssuer.builder(tokenKeys, ISSUER, AUDIENCE).build();
    byte[] set = tokenKeys.publicJwks().getBytes(StandardCharsets.UTF_8);
    jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwks.createContext("/jwks.json", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, set.length);
      exchange.getResponseBody().write(set);
      exchange.close();
    });
    jwks.start();
    properties.put("safeguards.token.issuer", ISSUER);
    properties.put("safeguards.token.audience", AUDIENCE);
    properties.put("safeguards.token.jwks-uri", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
    properties.put("safeguards.token.jwks-plain-http-on-loopback", "true");
    properties.put("safeguards.keys.directory", dir.resolve("keys").toString());
    properties.put("safeguards.keys.master-key-file", dir.resolve("master.key").toString());
    properties.put("safeguards.audit.directory", dir.resolve("audit").toString());
    properties.put("safeguards.audit.origin", "notes.example/audit");
    properties.put("safeguards.roles.clinician", "note:read");
  }

  /** A fresh access token for Alice with these roles, after password and one-time code. */
  String token(String... roles) {
    return issuer.issue(new AccessGrant(ALICE, Set.of(roles), Set.of(), Set.of("pwd", "otp"), Instant.now(),
        "s-" + System.nanoTime(), Optional.of("web")));
  }

  @Override
  public void close() {
    jwks.stop(0);
  }
}
