package dev.safeguards.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.safeguards.testing.CapturedLogs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SLF4J sink, and the webhook sink against a real HTTP server on loopback. */
class AlertSinksTest {

  private static final Alert ALERT = Alert.of(Instant.parse("2026-11-23T09:00:00.123Z"), Alert.Severity.CRITICAL,
      "break-glass-opened", Map.of("grant", "eg-1", "user", "0193b2c4-7f00-7000-8000-00000000a11c"));

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  /** A webhook that answers the given statuses in turn (then 204); status 0 means never answer. */
  private URI webhook(int... statuses) throws Exception {
    AtomicInteger call = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/alerts", exchange -> {
      bodies.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      int n = call.getAndIncrement();
      int status = n < statuses.length ? statuses[n] : 204;
      if (status == 0) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        status = 204;
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
  }

  @Test
  void webhook_postsTheAlertAsJson() throws Exception {
    AlertSink sink = AlertSinks.webhook(webhook(), Duration.ofSeconds(5), 0, Duration.ZERO);

    sink.send(ALERT);

    assertThat(bodies).containsExactly("POST application/json " + ALERT.toJson());
    assertThat(ALERT.toJson()).isEqualTo("{\"id\":\"" + ALERT.id() + "\",\"time\":\"2026-11-23T09:00:00.123Z\","
        + "\"severity\":\"CRITICAL\",\"type\":\"break-glass-opened\",\"subject\":{\"grant\":\"eg-1\","
        + "\"user\":\"0193b2c4-7f00-7000-8000-00000000a11c\"}}");
  }

  @Test
  void webhook_retriesAfterAServerError() throws Exception {
    AlertSink sink = AlertSinks.webhook(webhook(503, 500), Duration.ofSeconds(5), 2, Duration.ZERO);

    sink.send(ALERT);

    assertThat(bodies).hasSize(3);
  }

  @Test
  void webhook_givesUpAfterItsRetries() throws Exception {
    AlertSink sink = AlertSinks.webhook(webhook(500, 500), Duration.ofSeconds(5), 1, Duration.ZERO);

    assertThatThrownBy(() -> sink.send(ALERT)).isInstanceOf(AlertException.class)
        .hasMessage("the webhook did not take alert " + ALERT.id() + " after 2 attempts");
  }

  @Test
  void webhook_timesOut() throws Exception {
    AlertSink sink = AlertSinks.webhook(webhook(0), Duration.ofMillis(200), 0, Duration.ZERO);

    assertThatThrownBy(() -> sink.send(ALERT)).isInstanceOf(AlertException.class)
        .hasCauseInstanceOf(java.net.http.HttpTimeoutException.class);
  }

  @Test
  void webhook_badSettings_areRefused() {
    assertThatThrownBy(() -> AlertSinks.webhook(URI.create("ftp://x/"), Duration.ofSeconds(1), 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AlertSinks.webhook(URI.create("https://x/"), Duration.ZERO, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void slf4j_logsByCriticality() throws Exception {
    CapturedLogs.clear();
    AlertSink sink = AlertSinks.slf4j("alerts");

    sink.send(ALERT);
    sink.send(Alert.of(Instant.EPOCH, Alert.Severity.WARNING, "denial-burst", Map.of("count", "10")));

    assertThat(CapturedLogs.lines()).hasSize(2);
    assertThat(CapturedLogs.lines().get(0)).isEqualTo("ERROR alerts: " + ALERT.toJson());
    assertThat(CapturedLogs.lines().get(1)).startsWith("WARN alerts: {").contains("\"type\":\"denial-burst\"");
  }

  @Test
  void fanOut_triesEverySink() {
    InMemoryAlertSink kept = new InMemoryAlertSink();
    AlertSink sink = AlertSinks.fanOut(a -> {
      throw new AlertException("down");
    }, kept);

    assertThatThrownBy(() -> sink.send(ALERT)).isInstanceOf(AlertException.class);
    assertThat(kept.alerts()).containsExactly(ALERT);
  }

  @Test
  void alert_freeTextSubject_isRefused() {
    assertThatThrownBy(() -> Alert.of(Instant.EPOCH, Alert.Severity.INFO, "x", Map.of("note", "Jane Roe")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("Jane");
  }
}
