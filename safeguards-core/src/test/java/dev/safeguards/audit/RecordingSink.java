package dev.safeguards.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A sink for tests of the sinks that wrap others: keeps events, can hold them at a gate, can fail. */
final class RecordingSink implements AuditSink {

  private final List<AuditEvent> events = new ArrayList<>();
  private final List<Integer> batches = new ArrayList<>();
  private final CountDownLatch gate;
  private final CountDownLatch held = new CountDownLatch(1);
  private volatile boolean failing;
  private volatile boolean closed;

  RecordingSink() {
    this(new CountDownLatch(0));
  }

  RecordingSink(CountDownLatch gate) {
    this.gate = gate;
  }

  void failFromNowOn() {
    failing = true;
  }

  /** Takes events again, as a log whose disk has room again. */
  void recover() {
    failing = false;
  }

  @Override
  public void checkAvailable() throws AuditException {
    if (failing) {
      throw new AuditException("sink down");
    }
  }

  synchronized List<AuditEvent> events() {
    return List.copyOf(events);
  }

  /** The size of each {@link #recordAll} call, in order. */
  synchronized List<Integer> batches() {
    return List.copyOf(batches);
  }

  /** Returns once an event has reached this sink (and waits at the gate, if it is closed). */
  void awaitHeld() throws InterruptedException {
    held.await();
  }

  boolean closed() {
    return closed;
  }

  @Override
  public void record(AuditEvent event) throws AuditException {
    held.countDown();
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("interrupted", e);
    }
    if (failing) {
      throw new AuditException("sink down");
    }
    synchronized (this) {
      events.add(event);
    }
  }

  @Override
  public void recordAll(List<AuditEvent> batch) throws AuditException {
    synchronized (this) {
      batches.add(batch.size());
    }
    AuditSink.super.recordAll(batch);
  }

  @Override
  public void close() {
    closed = true;
  }
}
