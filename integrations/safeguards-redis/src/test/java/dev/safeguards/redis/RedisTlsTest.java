package dev.safeguards.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.StateUnavailableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} against real Redis servers that speak only TLS and ask for a client certificate: the state works
 * over it, and a server whose certificate is not trusted or names another host is refused, as is a client without its
 * certificate. The certificates are made by the test (keytool).
 */
class RedisTlsTest {

  @TempDir static Path tmp;
  private static TestCertificates.Pem client;
  private static TestCertificates.Pem server;
  private static TestCertificates.Pem elsewhere;
  private static RedisServer byAddress;
  private static RedisServer byName;

  @BeforeAll
  static void start() throws Exception {
    client = TestCertificates.create(tmp, "client", "dns:clinic-api");
    server = TestCertificates.create(tmp, "server", "ip:127.0.0.1");
    elsewhere = TestCertificates.create(tmp, "elsewhere", "dns:redis.internal");
    byAddress = tlsServer("by-address", server);
    byName = tlsServer("by-name", elsewhere);
  }

  /** A server that speaks TLS only, with {@code certificate}, and asks clients for the client's certificate. */
  private static RedisServer tlsServer(String name, TestCertificates.Pem certificate) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return RedisServer.start(Files.createDirectories(tmp.resolve(name)), port, "--port", "0", "--tls-port",
        Integer.toString(port), "--tls-cert-file", certificate.certificate().toString(), "--tls-key-file",
        certificate.privateKey().toString(), "--tls-ca-cert-file", client.certificate().toString(),
        "--tls-auth-clients", "yes");
  }

  @AfterAll
  static void stop() {
    byAddress.close();
    byName.close();
  }

  private static String tls(RedisServer s) {
    return "rediss://127.0.0.1:" + s.port();
  }

  @Test
  void everyStoreWorks_overMutualTls() {
    try (RedisState state = RedisState.builder(tls(byAddress)).keyPrefix("tls")
        .trustedCertificates(server.certificate())
        .clientCertificate(client.certificate(), client.privateKey()).connect()) {
      RedisStoresContract.useEveryStore(state, Instant.now());
      assertThat(state.endpoint()).isEqualTo(tls(byAddress));
    }
  }

  @Test
  void aServerWhoseCertificateIsNotTrusted_isRefused() {
    assertThatThrownBy(() -> RedisState.builder(tls(byAddress)).trustedCertificates(elsewhere.certificate())
        .clientCertificate(client.certificate(), client.privateKey()).connect())
        .isInstanceOf(StateUnavailableException.class).hasMessageStartingWith("cannot connect");
    assertThatThrownBy(() -> RedisState.builder(tls(byAddress)) // the JVM's trusted certificates
        .clientCertificate(client.certificate(), client.privateKey()).connect())
        .isInstanceOf(StateUnavailableException.class);
  }

  @Test
  void aServerWhoseCertificateNamesAnotherHost_isRefused() {
    assertThatThrownBy(() -> RedisState.builder(tls(byName)).trustedCertificates(elsewhere.certificate())
        .clientCertificate(client.certificate(), client.privateKey()).connect())
        .isInstanceOf(StateUnavailableException.class);
    // the same server and trust, with the host name left unchecked, connects: the name is what refused it
    RedisState.builder(tls(byName) + "?verifyPeer=CA").trustedCertificates(elsewhere.certificate())
        .clientCertificate(client.certificate(), client.privateKey()).connect().close();
  }

  @Test
  void aClientWithoutItsCertificate_isRefused() {
    assertThatThrownBy(() -> RedisState.builder(tls(byAddress)).trustedCertificates(server.certificate()).connect())
        .isInstanceOf(StateUnavailableException.class);
  }

  @Test
  void certificateFilesThatCannotBeRead_areRefusedWhenConfigured() {
    assertThatThrownBy(() -> RedisState.builder(tls(byAddress)).trustedCertificates(tmp.resolve("missing.crt")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisState.builder("redis://127.0.0.1:" + byAddress.port())
        .trustedCertificates(server.certificate()).connect())
        .as("certificates for a plain connection: a mistake, not a silent downgrade")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rediss://");
  }

  @Test
  void aRefusedClientCertificate_leavesTheBuilderAsItWas() {
    RedisState.Builder builder = RedisState.builder(tls(byAddress)).trustedCertificates(server.certificate());

    assertThatThrownBy(() -> builder.clientCertificate(server.certificate(), tmp.resolve("missing.key")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(builder::connect).as("as without a client certificate, not half of one")
        .isInstanceOf(StateUnavailableException.class);
  }
}
