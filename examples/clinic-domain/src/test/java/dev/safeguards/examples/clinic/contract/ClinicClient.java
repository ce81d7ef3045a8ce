package dev.safeguards.examples.clinic.contract;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A real HTTPS client that trusts exactly the clinic's self-signed certificate. */
public final class ClinicClient {

  private final HttpClient http;
  private final String base;
  private final String plainBase;

  /** A client of the clinic on {@code httpsPort} (trusting {@code certificate}) and {@code httpPort} of loopback. */
  public ClinicClient(Path certificate, int httpsPort, int httpPort) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry("clinic", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    this.http = HttpClient.newBuilder().sslContext(tls).build();
    this.base = "https://localhost:" + httpsPort;
    this.plainBase = "http://127.0.0.1:" + httpPort;
  }

  public HttpResponse<String> get(String path, String token) throws Exception {
    return send(request(base + path, token).GET());
  }

  public HttpResponse<String> plainGet(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(plainBase + path)).GET());
  }

  public HttpResponse<String> delete(String path, String token) throws Exception {
    return send(request(base + path, token).DELETE());
  }

  public HttpResponse<String> post(String path, String token, String json) throws Exception {
    return send(request(base + path, token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public HttpResponse<String> put(String path, String token, String json) throws Exception {
    return send(request(base + path, token).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpRequest.Builder request(String uri, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  public String base() {
    return base;
  }
}
