package dev.safeguards.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Alert sinks that write to a log, post to a webhook, or fan out (164.312(b)). */
public final class AlertSinks {

  private AlertSinks() {}

  /**
   * {@code delegate} behind a bounded queue of {@code capacity} alerts with a delivery thread of its own: sending only
   * queues, so a slow destination never holds up a request ({@link AsyncAlertSink}).
   *
   * @param delegate the sink that delivers, called on the queue's thread only; not null
   * @param capacity how many alerts may wait for delivery, at least 1; further ones are dropped
   * @return the queueing sink; its delivery thread (a daemon) starts at once and is never stopped
   * @throws NullPointerException if {@code delegate} is null
   * @throws IllegalArgumentException if the capacity is below 1
   */
  public static AsyncAlertSink async(AlertSink delegate, int capacity) {
    return new AsyncAlertSink(delegate, capacity);
  }

  /**
   * Writes each alert as one JSON line on the SLF4J logger {@code loggerName}: ERROR for critical alerts, WARN for
   * warnings, INFO otherwise. Fails if the logger does not log at that level, rather than drop the alert.
   *
   * @param loggerName the name of the SLF4J logger; not null
   * @return a sink whose {@code send} throws {@link AlertException} if the logger is disabled for the alert's level
   * @throws NullPointerException if {@code loggerName} is null
   */
  public static AlertSink slf4j(String loggerName) {
    Logger logger = LoggerFactory.getLogger(Objects.requireNonNull(loggerName, "loggerName"));
    return alert -> {
      String line = alert.toJson();
      switch (alert.severity()) {
        case CRITICAL -> {
          requireEnabled(logger.isErrorEnabled(), logger, alert);
          logger.error(line);
        }
        case WARNING -> {
          requireEnabled(logger.isWarnEnabled(), logger, alert);
          logger.warn(line);
        }
        default -> {
          requireEnabled(logger.isInfoEnabled(), logger, alert);
          logger.info(line);
        }
      }
    };
  }

  private static void requireEnabled(boolean enabled, Logger logger, Alert alert) throws AlertException {
    if (!enabled) {
      throw new AlertException("the alert logger " + logger.getName() + " does not log " + alert.severity()
          + " alerts");
    }
  }

  /**
   * Sends each alert to every sink in order; each is tried even if an earlier one failed, and the call fails if any
   * did.
   *
   * @param sinks the sinks, in the order they are called; at least one, none null
   * @return a sink whose {@code send} throws one {@link AlertException} if any sink threw (an {@code AlertException}
   *     or a {@code RuntimeException}): the first failure is its cause, the later ones are suppressed
   * @throws NullPointerException if {@code sinks} or one of them is null
   * @throws IllegalArgumentException if there is no sink
   */
  public static AlertSink fanOut(AlertSink... sinks) {
    List<AlertSink> all = List.of(sinks);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("a fan-out needs at least one sink");
    }
    return alert -> {
      AlertException failure = null;
      for (AlertSink sink : all) {
        try {
          sink.send(alert);
        } catch (AlertException | RuntimeException e) {
          if (failure == null) {
            failure = new AlertException("an alert sink failed to deliver alert " + alert.id(), e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    };
  }

  /**
   * POSTs each alert as JSON ({@link Alert#toJson()}, {@code Content-Type: application/json}) to {@code endpoint},
   * waiting at most {@code timeout} per attempt, and trying again up to {@code retries} times after a failure (a
   * network error or a status outside 2xx), waiting {@code backoff} before each retry. Redirects are not followed: a
   * 3xx answer is a failure. Use HTTPS for anything but loopback; plain HTTP is not refused.
   *
   * @param endpoint the {@code http} or {@code https} URI to POST to; not null
   * @param timeout the longest one attempt may take, to connect and to get the response; positive
   * @param retries how many times to try again after the first attempt failed; 0 tries once
   * @param backoff the wait before each retry, in whole milliseconds; zero retries at once, not negative
   * @return a sink whose {@code send} returns once the endpoint answered 2xx, and throws {@link AlertException} when
   *     every attempt failed (the last failure as its cause) or when interrupted (the interrupt status is kept)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the endpoint is not HTTP(S), the timeout is not positive, retries is
   *     negative, or the backoff is negative
   */
  public static AlertSink webhook(URI endpoint, Duration timeout, int retries, Duration backoff) {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("a webhook endpoint is an http or https URI");
    }
    if (timeout.isNegative() || timeout.isZero() || retries < 0 || backoff.isNegative()) {
      throw new IllegalArgumentException("the timeout must be positive, retries and backoff not negative");
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    return alert -> {
      HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(alert.toJson())).build();
      Exception last = null;
      for (int attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0 && !backoff.isZero()) {
          try {
            Thread.sleep(backoff.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertException("interrupted while delivering alert " + alert.id(), e);
          }
        }
        try {
          HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() / 100 == 2) {
            return;
          }
          last = new AlertException("the webhook answered " + response.statusCode());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AlertException("interrupted while delivering alert " + alert.id(), e);
        } catch (java.io.IOException e) {
          last = e;
        }
      }
      throw new AlertException("the webhook did not take alert " + alert.id() + " after " + (retries + 1)
          + " attempts", last);
    };
  }
}
