package dev.safeguards.alert;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts from a bounded queue on a thread of its own, so that a slow or hanging destination (a webhook) never
 * holds up a request (164.312(b), (a)(2)(ii)). {@link #send} only queues: it returns at once, or, when the queue is
 * full, counts the alert as dropped, logs that (once per burst, at most once a minute) and throws {@link
 * AlertException}, so that a caller which must not go on without its alert (break-glass) fails closed, while one that
 * may (the anomaly detector) goes on. Alerts are delivered in order; a delivery that fails is logged (the alert's type
 * only) and counted. Make one with {@link AlertSinks#async}. Thread-safe.
 */
public final class AsyncAlertSink implements AlertSink {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncAlertSink.class);
  private static final long REPORT_NANOS = 60_000_000_000L;

  private final AlertSink delegate;
  private final BlockingQueue<Alert> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private volatile long lastDropReport = System.nanoTime() - REPORT_NANOS;
  private final AtomicLong droppedSinceReport = new AtomicLong();

  AsyncAlertSink(AlertSink delegate, int capacity) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (capacity < 1) {
      throw new IllegalArgumentException("an alert queue holds at least one alert");
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    Thread worker = new Thread(this::deliver, "safeguards-alerts");
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * Queues {@code alert} for delivery; never blocks.
   *
   * @throws AlertException if the queue is full (the alert is counted as dropped)
   */
  @Override
  public void send(Alert alert) throws AlertException {
    if (queue.offer(Objects.requireNonNull(alert, "alert"))) {
      return;
    }
    dropped.incrementAndGet();
    long since = droppedSinceReport.incrementAndGet();
    long now = System.nanoTime();
    if (now - lastDropReport >= REPORT_NANOS) {
      lastDropReport = now;
      droppedSinceReport.set(0);
      LOG.error("the alert queue is full: {} alerts dropped since the last report ({} in all), the latest of type {}",
          since, dropped.get(), alert.type());
    }
    throw new AlertException("the alert queue is full");
  }

  private void deliver() {
    while (true) {
      Alert alert;
      try {
        alert = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        delegate.send(alert);
        delivered.incrementAndGet();
      } catch (AlertException | RuntimeException e) {
        failed.incrementAndGet();
        LOG.error("an alert of type {} could not be delivered: {}", alert.type(), e.getClass().getName());
      }
    }
  }

  /**
   * Alerts dropped because the queue was full.
   *
   * @return how many {@link #send} refused since the sink was made
   */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Alerts the destination refused or could not take.
   *
   * @return how many deliveries threw since the sink was made; those alerts are not retried
   */
  public long failed() {
    return failed.get();
  }

  /**
   * Alerts delivered.
   *
   * @return how many alerts the destination took since the sink was made
   */
  public long delivered() {
    return delivered.get();
  }

  /**
   * Alerts waiting.
   *
   * @return how many alerts are queued now, not counting one being delivered
   */
  public int pending() {
    return queue.size();
  }

  @Override
  public String toString() {
    return "AsyncAlertSink(" + delegate.getClass().getSimpleName() + ")";
  }
}
