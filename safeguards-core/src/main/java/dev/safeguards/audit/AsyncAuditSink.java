package dev.safeguards.audit;

import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.compliance.Weakness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records audit events on a background thread through a bounded queue, so that a slow sink does not hold up
 * requests (164.312(b)).
 *
 * <p>{@link #record} returns once the event is queued. The delivery thread, once woken by an event, lingers (1 ms
 * unless set) and then hands everything that has queued up, up to 1024 events at a time and in order, to the sink
 * behind the queue in one {@link AuditSink#recordAll} call: a durable log syncs once per batch rather than once per
 * event, and under load the thread is woken once per batch rather than once per event.
 *
 * <p>When the queue is full, the {@link Overflow} policy decides: {@link Overflow#FAIL} (the default) throws at once,
 * so the request fails rather than go unaudited; {@link Overflow#BLOCK} waits up to a timeout for room, then throws
 * (an interrupt does not cut the wait short: the request has usually acted by then; the interrupt is kept).
 * If the sink behind the queue fails, the failure is logged once (with the batch's size and first event id only), and
 * while it lasts every {@link #record} and {@link #checkAvailable} throws, so requests are refused before they act.
 * The delivery thread keeps the batch that failed and the events queued behind it, and hands the batch over again
 * (at least once a second, and at once when {@link #checkAvailable} finds the sink behind it available again) until
 * it is taken; then it goes on in order. So no acknowledged event is lost while the process lives; one is lost only
 * if the sink is still failing when {@link #close} gives up, which reports how many. {@link #close} delivers
 * everything queued before it returns. The one exception: an event the sink refuses as too large ever to record
 * ({@link AuditEventTooLargeException}) is dropped from its batch, logged at ERROR with its id, and counted as lost
 * ({@link #close} then reports it); the rest of the batch is handed over at once. Held, it would stop every event
 * behind it until a restart lost them all.
 *
 * <p><b>What asynchrony costs:</b> an event is acknowledged before it is durable, so a crash can lose the events still
 * queued. Where every acknowledged event must survive a crash, record straight into the durable file log.
 */
public final class AsyncAuditSink implements AuditSink {

  /** What {@link #record} does when the queue is full. */
  public enum Overflow {
    /** Throw at once; the request fails. */
    FAIL,
    /** Wait up to the configured timeout for room, then throw. */
    BLOCK
  }

  private static final Logger LOG = LoggerFactory.getLogger(AsyncAuditSink.class);
  private static final Object CLOSE = new Object();
  /** The most events handed to the sink behind the queue in one {@link AuditSink#recordAll} call. */
  static final int MAX_BATCH = 1024;

  private final AuditSink delegate;
  private final BlockingQueue<Object> queue;
  private final int capacity;
  private final Overflow overflow;
  private final Duration blockTimeout;
  private final Duration closeTimeout;
  private final long lingerNanos;
  private final Thread worker;
  private final AtomicLong lost = new AtomicLong();
  private volatile Throwable failure;
  /** Set by {@link #close}: a batch the sink keeps refusing is then given up rather than held. */
  private volatile boolean closing;
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  /** Written under {@link #lifecycle}; read without it by {@link #checkAvailable}. */
  private volatile boolean closed;

  private AsyncAuditSink(Builder b) {
    this.delegate = b.delegate;
    this.queue = new ArrayBlockingQueue<>(b.capacity);
    this.capacity = b.capacity;
    this.overflow = b.overflow;
    this.blockTimeout = b.blockTimeout;
    this.closeTimeout = b.closeTimeout;
    this.lingerNanos = b.linger.toNanos();
    this.worker = new Thread(this::deliver, "safeguards-audit-async");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /**
   * Starts configuring an asynchronous wrapper around {@code delegate}.
   *
   * @param delegate the sink behind the queue, which the delivery thread writes to and {@link #close} closes; not null
   * @return a builder with the defaults: 8192 events, fail when full, 30 s to close, 1 ms linger
   */
  public static Builder builder(AuditSink delegate) {
    return new Builder(delegate);
  }

  @Override
  public void record(AuditEvent event) throws AuditException {
    Objects.requireNonNull(event, "event");
    // The read lock keeps close() from slipping its marker in between the check and the offer.
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new AuditException("the audit sink is closed");
      }
      if (failure != null) {
        throw new AuditException("the audit sink behind the queue failed", failure);
      }
      if (!worker.isAlive()) {
        throw new AuditException("the audit queue's delivery thread has stopped");
      }
      boolean queued = overflow == Overflow.FAIL ? queue.offer(event) : offerWaiting(event);
      if (!queued) {
        throw new AuditException("the audit queue is full");
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Waits up to the blocking timeout for room. An interrupt does not cut the wait short (it is kept, and set again
   * on return): the request has usually acted by the time its event is recorded, so refusing the event would leave
   * the action unaudited; the timeout bounds the wait.
   */
  private boolean offerWaiting(AuditEvent event) {
    long deadline = System.nanoTime() + blockTimeout.toNanos();
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          return queue.offer(event, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void deliver() {
    List<Object> taken = new ArrayList<>(MAX_BATCH);
    List<AuditEvent> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        taken.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      if (lingerNanos > 0 && taken.get(0) != CLOSE) {
        // Waits for more events without waiting on the queue: their producers do not wake this thread one by one, and
        // more events share the sink's write and sync. Even when events were already queued: draining at once made
        // smaller batches, more syncs and more kernel time per request in the HTTP benchmark.
        LockSupport.parkNanos(this, lingerNanos);
      }
      queue.drainTo(taken, MAX_BATCH - 1);
      boolean closing = false;
      for (Object o : taken) {
        if (o == CLOSE) {
          closing = true; // close() queues its marker last: nothing can be queued behind it
        } else {
          batch.add((AuditEvent) o);
        }
      }
      taken.clear();
      if (!batch.isEmpty()) {
        deliverHolding(batch);
        batch.clear();
      }
      if (closing) {
        return;
      }
    }
  }

  /**
   * Hands {@code batch} to the sink behind the queue, again and again while it fails, until it is taken or the sink
   * is closing.
   */
  private void deliverHolding(List<AuditEvent> batch) {
    while (true) {
      try {
        delegate.recordAll(Collections.unmodifiableList(batch));
        if (failure != null) {
          failure = null;
          LOG.warn("the audit sink behind the queue recovered; the events held meanwhile are delivered");
        }
        return;
      } catch (AuditEventTooLargeException e) {
        // Never recordable: held, it would stop every later event behind it, until a restart lost them all.
        AuditEvent dropped = batch.remove(e.index());
        lost.incrementAndGet();
        LOG.error("the audit event {} is too large for the sink behind the queue and is lost ({}); the rest of its "
            + "batch is delivered", dropped.id(), e.getMessage());
        if (batch.isEmpty()) {
          return;
        }
      } catch (AuditException | RuntimeException | Error e) {
        // An Error too (a sink's bug, a LinkageError, memory short for a large batch): were this thread to end,
        // events would still be acknowledged into a queue that nothing delivers.
        if (failure == null) {
          failure = e;
          LOG.error("a batch of {} audit events, the first {}, could not be delivered; it is held and retried: {}",
              batch.size(), batch.get(0).id(), e.getClass().getSimpleName());
        }
        if (closing) {
          lost.addAndGet(batch.size());
          LOG.error("{} audit events could not be delivered before the sink closed", batch.size());
          return;
        }
        LockSupport.parkNanos(this, RETRY_NANOS);
        if (Thread.interrupted()) {
          closing = true; // interrupted: give the batch up once more has been tried
        }
      }
    }
  }

  /**
   * Fails while this sink is closed, its queue is full ({@link Overflow#FAIL}), or the sink behind it failed and has
   * not taken the held batch yet; asks the sink behind it too. When that sink says it is available again, the held
   * batch is retried at once.
   */
  @Override
  public void checkAvailable() throws AuditException {
    if (closed) {
      throw new AuditException("the audit sink is closed");
    }
    Throwable failed = failure;
    if (failed != null) {
      try {
        delegate.checkAvailable();
      } catch (AuditException e) {
        throw new AuditException("the audit sink behind the queue failed; the events it held wait for it", e);
      }
      LockSupport.unpark(worker);
      throw new AuditException("the audit sink behind the queue is delivering the events it held", failed);
    }
    if (!worker.isAlive()) {
      throw new AuditException("the audit queue's delivery thread has stopped");
    }
    if (overflow == Overflow.FAIL && queue.remainingCapacity() == 0) {
      throw new AuditException("the audit queue is full");
    }
    delegate.checkAvailable();
  }

  /** The evidence of the sink behind the queue, no longer durable: events are acknowledged once queued. */
  @Override
  public Evidence evidence() {
    Evidence inner = delegate.evidence();
    Evidence.Builder e = Evidence.of("AsyncAuditSink(" + inner.component() + ")");
    inner.assessment().forEach(e::serves);
    inner.settings().forEach(e::setting);
    inner.notes().forEach(e::note);
    inner.weaknesses().forEach(e::weakness);
    e.weakness(Weakness.AUDIT_NOT_DURABLE, "audit events are acknowledged before they are durable");
    e.setting("durable", false).setting("queueCapacity", (long) capacity)
        .setting("whenFull", overflow.name().toLowerCase(java.util.Locale.ROOT));
    return e.weakens(Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET,
        "events are acknowledged once queued, before they are durable: a crash can lose the queue").build();
  }

  /**
   * How many events are waiting to be delivered.
   *
   * @return the number of events queued and not yet handed to the sink behind the queue (a held batch is not counted);
   *     a snapshot, at least 0
   */
  public int pending() {
    return (int) queue.stream().filter(o -> o != CLOSE).count();
  }

  /**
   * Delivers every queued event, then closes the sink behind the queue.
   *
   * @throws AuditException if an event was lost, the queue could not be drained within the close timeout, or the
   *     sink behind it failed to close. An interrupt does not cut the drain short; it is kept
   */
  @Override
  public void close() throws AuditException {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lifecycle.writeLock().unlock();
    }
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    closing = true; // from now on a batch the sink refuses is tried once more, then given up
    LockSupport.unpark(worker);
    // An interrupt does not cut the drain short (it is set again on return): the close timeout bounds it, and the
    // sink behind must still be closed (a log's last checkpoint, its lock).
    boolean interrupted = Thread.interrupted();
    try {
      boolean marked = false;
      while (!marked && worker.isAlive() && System.nanoTime() - deadline < 0) {
        try {
          marked = queue.offer(CLOSE, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      while (marked && worker.isAlive() && System.nanoTime() - deadline < 0) {
        try {
          worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (worker.isAlive() || pending() > 0) { // queued behind a marker, or for a thread that has stopped
      throw new AuditException(pending() + " audit events were not delivered within " + closeTimeout);
    }
    delegate.close();
    if (lost.get() > 0) {
      throw new AuditException(lost.get() + " audit events could not be delivered", failure);
    }
  }

  /** Configures an {@link AsyncAuditSink}. */
  public static final class Builder {
    private final AuditSink delegate;
    private int capacity = 8192;
    private Overflow overflow = Overflow.FAIL;
    private Duration blockTimeout = Duration.ZERO;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private Duration linger = Duration.ofMillis(1);

    private Builder(AuditSink delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * How many events may wait; 8192 unless set.
     *
     * @param events the queue's capacity in events, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code events} is less than 1
     */
    public Builder capacity(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("the audit queue holds at least one event");
      }
      capacity = events;
      return this;
    }

    /**
     * When the queue is full, throw at once: the request fails. The default.
     *
     * @return this builder
     */
    public Builder failWhenFull() {
      overflow = Overflow.FAIL;
      blockTimeout = Duration.ZERO;
      return this;
    }

    /**
     * When the queue is full, wait up to {@code timeout} for room, then throw.
     *
     * @param timeout how long {@link AsyncAuditSink#record} waits for room; positive, not null
     * @return this builder
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public Builder blockWhenFull(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the blocking timeout must be positive");
      }
      overflow = Overflow.BLOCK;
      blockTimeout = timeout;
      return this;
    }

    /**
     * How long {@link AsyncAuditSink#close} waits for the queue to drain; 30 seconds unless set.
     *
     * @param timeout the longest wait; positive, not null
     * @return this builder
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public Builder closeTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the close timeout must be positive");
      }
      closeTimeout = timeout;
      return this;
    }

    /**
     * How long the delivery thread, woken by an event, waits for more before it hands what has queued up to the sink;
     * one millisecond unless set, zero to hand events over at once. Events then reach the sink up to this much later,
     * and under load the thread is woken once per batch rather than once per event, which saves each request a
     * thread wake-up.
     *
     * @param value the linger, from zero to one second; not null
     * @return this builder
     * @throws IllegalArgumentException if negative or over one second
     */
    public Builder linger(Duration value) {
      if (value.isNegative() || value.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("the linger is between zero and one second");
      }
      linger = value;
      return this;
    }

    /**
     * The sink; its delivery thread starts now.
     *
     * @return the sink, its delivery thread (a daemon) running; close it to deliver what is queued
     */
    public AsyncAuditSink build() {
      return new AsyncAuditSink(this);
    }
  }
}
