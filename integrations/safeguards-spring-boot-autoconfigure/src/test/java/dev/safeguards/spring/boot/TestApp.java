package dev.safeguards.spring.boot;

import dev.safeguards.conformance.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A running starter application ({@link TestServers}), an HTTPS client that trusts it, and, when it made one, the
 * identity provider whose tokens it accepts.
 */
final class TestApp implements AutoCloseable {

  final ConfigurableApplicationContext context;
  private final HttpClient client;
  private final int port;
  private final TestIdentityProvider idp;

  private TestApp(ConfigurableApplicationContext context, HttpClient client, TestIdentityProvider idp) {
    this.context = context;
    this.client = client;
    this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    this.idp = idp;
  }

  /** Runs {@code sources} with {@code properties} over HTTPS with {@code tls}. */
  static TestApp run(TestTls tls, Map<String, Object> properties, Class<?>... sources) throws Exception {
    return new TestApp(TestServers.application(tls, properties, c -> { }, sources).run(),
        HttpClient.newBuilder().sslContext(tls.clientContext()).build(), null);
  }

  /**
   * Runs {@code sources} with a fresh identity provider's properties ({@link TestIdentityProvider}), keys and audit
   * log in {@code dir}, and {@code more} properties; closing it stops both.
   */
  static TestApp started(Path dir, Map<String, Object> more, Class<?>... sources) throws Exception {
    TestIdentityProvider idp = new TestIdentityProvider(dir);
    try {
      TestTls tls = TestTls.generate(dir);
      idp.properties.putAll(more);
      return new TestApp(TestServers.application(tls, idp.properties, c -> { }, sources).run(),
          HttpClient.newBuilder().sslContext(tls.clientContext()).build(), idp);
    } catch (Exception | Error e) {
      idp.close();
      throw e;
    }
  }

  /** The identity provider this application trusts (made by {@link #started}). */
  TestIdentityProvider idp() {
    return idp;
  }

  /** {@code GET path} with the bearer {@code token} (none if null). */
  HttpResponse<String> get(String path, String token) throws Exception {
    return send("GET", path, token, HttpRequest.BodyPublishers.noBody());
  }

  /** A request to {@code path} of the application's HTTPS port, with the bearer {@code token} (none if null). */
  HttpResponse<String> send(String method, String path, String token, HttpRequest.BodyPublisher body)
      throws Exception {
    return send(method, path, token, body, Map.of());
  }

  /** The same, with more {@code headers}. */
  HttpResponse<String> send(String method, String path, String token, HttpRequest.BodyPublisher body,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).method(method, body);
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    headers.forEach(r::header);
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET} of an actuator path on the management port (HTTPS, as Boot serves it with the same settings). */
  HttpResponse<String> management(String path) throws Exception {
    int management = Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
    return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + management + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    context.close();
    if (idp != null) {
      idp.close();
    }
  }
}
