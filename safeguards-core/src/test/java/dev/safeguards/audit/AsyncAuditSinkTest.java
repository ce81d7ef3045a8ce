package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.testing.CapturedLogs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AsyncAuditSinkTest {

  private final AuditEvents events =
      AuditEvents.create(Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC));

  @Test
  void close_deliversEveryQueuedEventInOrder() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingSink delegate = new RecordingSink(gate);
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).capacity(100).build();
    List<AuditEvent> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      AuditEvent e = AuditFixtures.read(events, ALICE, i);
      sent.add(e);
      sink.record(e);
    }
    assertThat(delegate.events()).isEmpty();

    gate.countDown();
    sink.close();

    assertThat(delegate.events()).containsExactlyElementsOf(sent);
    assertThat(delegate.closed()).isTrue();
    assertThatThrownBy(() -> sink.record(sent.get(0))).isInstanceOf(AuditException.class)
        .hasMessage("the audit sink is closed");
  }

  @Test
  void record_queueFull_failsAtOnceByDefault() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingSink delegate = new RecordingSink(gate);
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).capacity(2).build();
    // The worker takes one event and waits at the gate; two more fill the queue.
    sink.record(AuditFixtures.read(events, ALICE, 0));
    delegate.awaitHeld();
    sink.record(AuditFixtures.read(events, ALICE, 1));
    sink.record(AuditFixtures.read(events, ALICE, 2));

    assertThatThrownBy(() -> sink.record(AuditFixtures.read(events, ALICE, 3)))
        .isInstanceOf(AuditException.class).hasMessage("the audit queue is full");
    gate.countDown();
    sink.close();
  }

  @Test
  void checkAvailable_queueFull_refusesBeforeTheRequestActs_andPassesOnceThereIsRoom() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingSink delegate = new RecordingSink(gate);
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).capacity(2).build();
    sink.record(AuditFixtures.read(events, ALICE, 0));
    delegate.awaitHeld();
    sink.checkAvailable();
    sink.record(AuditFixtures.read(events, ALICE, 1));
    sink.record(AuditFixtures.read(events, ALICE, 2));

    assertThatThrownBy(sink::checkAvailable).isInstanceOf(AuditException.class).hasMessage("the audit queue is full");
    gate.countDown();
    awaitPending(sink, 0);
    sink.checkAvailable();
    sink.close();
    assertThat(delegate.events()).hasSize(3);
  }

  @Test
  void record_queueFullWithBlocking_waitsThenFails() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingSink delegate = new RecordingSink(gate);
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).capacity(1)
        .blockWhenFull(Duration.ofMillis(20)).build();
    sink.record(AuditFixtures.read(events, ALICE, 0));
    delegate.awaitHeld();
    sink.record(AuditFixtures.read(events, ALICE, 1));

    assertThatThrownBy(() -> sink.record(AuditFixtures.read(events, ALICE, 2)))
        .isInstanceOf(AuditException.class).hasMessage("the audit queue is full");
    gate.countDown();
    sink.close();
  }

  @Test
  void record_queueFullWithBlocking_succeedsOnceRoomIsMade() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingSink delegate = new RecordingSink(gate);
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).capacity(1)
        .blockWhenFull(Duration.ofMinutes(1)).build();
    sink.record(AuditFixtures.read(events, ALICE, 0));
    delegate.awaitHeld();
    sink.record(AuditFixtures.read(events, ALICE, 1));
    Thread opener = new Thread(gate::countDown);

    opener.start();
    sink.record(AuditFixtures.read(events, ALICE, 2));
    sink.close();

    assertThat(delegate.events()).hasSize(3);
  }

  @Test
  void record_blockingCallerInterrupted_roomInTheQueue_queuesTheEventAndKeepsTheInterrupt() throws Exception {
    RecordingSink delegate = new RecordingSink();
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).blockWhenFull(Duration.ofMinutes(1)).build();
    AuditEvent e = AuditFixtures.read(events, ALICE, 0);

    boolean keptInterrupt;
    Thread.currentThread().interrupt(); // the request has acted; its thread is being cancelled
    try {
      sink.record(e);
    } finally {
      keptInterrupt = Thread.interrupted();
    }
    sink.close();

    assertThat(keptInterrupt).isTrue();
    assertThat(delegate.events()).containsExactly(e);
  }

  @Test
  void record_blockingCallerInterrupted_queueFull_waitsForRoomWithinTheTimeout() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingSink delegate = new RecordingSink(gate);
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).capacity(1)
        .blockWhenFull(Duration.ofMinutes(1)).build();
    sink.record(AuditFixtures.read(events, ALICE, 0));
    delegate.awaitHeld();
    sink.record(AuditFixtures.read(events, ALICE, 1));
    Thread opener = new Thread(gate::countDown);

    boolean keptInterrupt;
    Thread.currentThread().interrupt();
    try {
      opener.start();
      sink.record(AuditFixtures.read(events, ALICE, 2));
    } finally {
      keptInterrupt = Thread.interrupted();
    }
    sink.close();

    assertThat(keptInterrupt).isTrue();
    assertThat(delegate.events()).hasSize(3);
  }

  @Test
  void close_callerInterrupted_stillDeliversEverythingAndClosesTheSinkBehind() throws Exception {
    RecordingSink delegate = new RecordingSink();
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).build();
    List<AuditEvent> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(AuditFixtures.read(events, ALICE, i));
      sink.record(sent.get(i));
    }

    boolean keptInterrupt;
    Thread.currentThread().interrupt(); // e.g. a shutdown on a cancelled thread
    try {
      sink.close();
    } finally {
      keptInterrupt = Thread.interrupted();
    }

    assertThat(keptInterrupt).isTrue();
    assertThat(delegate.events()).containsExactlyElementsOf(sent);
    assertThat(delegate.closed()).as("the log behind it signs its last checkpoint and unlocks").isTrue();
  }

  @Test
  void delegateThrowsAnError_theSinkRefusesInsteadOfQueueingForADeadThread_andDeliversOnceItWorks()
      throws Exception {
    java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
    List<AuditEvent> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
    AuditSink delegate = event -> {
      if (broken.get()) {
        throw new StackOverflowError(); // a sink's bug, or a LinkageError, or OutOfMemoryError on a large batch
      }
      delivered.add(event);
    };
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).build();
    AuditEvent first = AuditFixtures.read(events, ALICE, 0);
    sink.record(first);

    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    boolean refused = false;
    while (!refused && System.nanoTime() < deadline) {
      try {
        sink.checkAvailable();
        Thread.onSpinWait();
      } catch (AuditException e) {
        refused = true;
      }
    }
    assertThat(refused).as("requests are refused while nothing delivers the queue").isTrue();
    assertThatThrownBy(() -> sink.record(AuditFixtures.read(events, ALICE, 1))).isInstanceOf(AuditException.class);

    broken.set(false);
    while (System.nanoTime() < deadline) { // checkAvailable has the held batch retried at once
      try {
        sink.checkAvailable();
        break;
      } catch (AuditException e) {
        Thread.onSpinWait();
      }
    }
    AuditEvent second = AuditFixtures.read(events, ALICE, 2);
    sink.record(second);
    sink.close();

    assertThat(delivered).containsExactly(first, second);
  }

  @Test
  void delegateFails_laterRecordsFailAndCloseCountsTheLoss() throws Exception {
    CapturedLogs.clear();
    RecordingSink delegate = new RecordingSink();
    delegate.failFromNowOn();
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).build();
    AuditEvent e = AuditFixtures.read(events, ALICE, 0);
    sink.record(e);
    delegate.awaitHeld();

    // Until the worker has seen the failure, a probe may still be queued, and is then lost too.
    int probesQueued = awaitFailure(sink);
    assertThatThrownBy(() -> sink.close()).isInstanceOf(AuditException.class)
        .hasMessage((1 + probesQueued) + " audit events could not be delivered");
    assertThat(CapturedLogs.lines())
        .anyMatch(l -> l.contains("a batch of 1 audit events, the first " + e.id() + ", could not be delivered"));
  }

  @Test
  void worker_handsWhatQueuedUpToTheDelegateAsOneBatch() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingSink delegate = new RecordingSink(gate);
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).capacity(5000).build();
    List<AuditEvent> sent = new ArrayList<>();
    sent.add(AuditFixtures.read(events, ALICE, 0));
    sink.record(sent.get(0));
    delegate.awaitHeld(); // the worker holds the first event at the gate
    for (int i = 1; i <= AsyncAuditSink.MAX_BATCH + 10; i++) {
      sent.add(AuditFixtures.read(events, ALICE, i));
      sink.record(sent.get(i));
    }

    gate.countDown();
    sink.close();

    assertThat(delegate.batches()).containsExactly(1, AsyncAuditSink.MAX_BATCH, 10);
    assertThat(delegate.events()).containsExactlyElementsOf(sent);
  }

  @Test
  void withoutLinger_everyEventStillArrivesInOrder() throws Exception {
    RecordingSink delegate = new RecordingSink();
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).linger(Duration.ZERO).build();
    List<AuditEvent> sent = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      sent.add(AuditFixtures.read(events, ALICE, i));
      sink.record(sent.get(i));
    }

    sink.close();

    assertThat(delegate.events()).containsExactlyElementsOf(sent);
  }

  @Test
  void delegateFailsOnABatch_closeCountsEveryEventOfIt() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingSink delegate = new RecordingSink(gate);
    delegate.failFromNowOn();
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).build();
    sink.record(AuditFixtures.read(events, ALICE, 0));
    delegate.awaitHeld();
    for (int i = 1; i <= 10; i++) {
      sink.record(AuditFixtures.read(events, ALICE, i));
    }

    gate.countDown();

    assertThatThrownBy(sink::close).isInstanceOf(AuditException.class)
        .hasMessage("11 audit events could not be delivered");
    assertThat(delegate.batches()).as("the held batch is tried (once more if it failed before close), then given up")
        .isIn(List.of(1, 10), List.of(1, 1, 10));
  }

  @Test
  void delegateFailsThenRecovers_theHeldBatchAndTheQueueAreDeliveredInOrder_noneLostOrTwice() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    RecordingSink delegate = new RecordingSink(gate);
    delegate.failFromNowOn();
    AsyncAuditSink sink = AsyncAuditSink.builder(delegate).build();
    sink.record(AuditFixtures.read(events, ALICE, 0));
    delegate.awaitHeld();
    for (int i = 1; i <= 10; i++) {
      sink.record(AuditFixtures.read(events, ALICE, i));
    }
    gate.countDown();
    while (true) { // the first delivery fails; from then on the sink refuses, before anything is acted on
      try {
        sink.checkAvailable();
      } catch (AuditException e) {
        if (e.getMessage().contains("held")) {
          break;
        }
      }
      Thread.onSpinWait();
    }
    assertThatThrownBy(() -> sink.record(AuditFixtures.read(events, ALICE, 99))).isInstanceOf(AuditException.class);

    delegate.recover();
    while (true) { // checkAvailable finds the delegate back and has the held batch retried at once
      try {
        sink.checkAvailable();
        break;
      } catch (AuditException e) {
        Thread.onSpinWait();
      }
    }
    sink.record(AuditFixtures.read(events, ALICE, 11));
    sink.close();

    assertThat(delegate.events()).extracting(AuditEvent::id).doesNotHaveDuplicates().hasSize(12);
    assertThat(delegate.events()).extracting(e -> e.entities().get(0).id())
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, 11).mapToObj(AuditFixtures::patient)
            .toList());
  }

  @Test
  void builder_badSettings_areRefused() {
    AsyncAuditSink.Builder b = AsyncAuditSink.builder(new RecordingSink());

    assertThatThrownBy(() -> b.capacity(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.blockWhenFull(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.closeTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.linger(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.linger(Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class);
  }

  private static void awaitPending(AsyncAuditSink sink, int pending) {
    while (sink.pending() != pending) {
      Thread.onSpinWait();
    }
  }

  /** Records probes until the sink refuses them for its failed delegate; returns how many it accepted. */
  private int awaitFailure(AsyncAuditSink sink) {
    for (int accepted = 0; ; accepted++) {
      try {
        sink.record(AuditFixtures.read(events, ALICE, 1));
      } catch (AuditException expected) {
        assertThat(expected).hasMessage("the audit sink behind the queue failed");
        return accepted;
      }
      // Delivered, or held behind the failed batch: either way the next probe meets the failure or goes through.
      while (sink.pending() != 0) {
        try {
          sink.checkAvailable();
        } catch (AuditException failed) {
          break;
        }
        Thread.onSpinWait();
      }
    }
  }

  @Test
  void anEventTooLargeForTheLog_isDroppedAlone_andTheEventsAroundItAreRecorded(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path tmp) throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC);
    java.nio.file.Path dir = tmp.resolve("audit");
    TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(dir, AuditFixtures.checkpointKeys(tmp, clock))
        .clock(clock).open();
    CountDownLatch gate = new CountDownLatch(1);
    AsyncAuditSink sink = AsyncAuditSink.builder(new GatedSink(log, gate)).capacity(100).build();
    AuditEvent huge = AuditFixtures.tooLarge(events, ALICE);
    AuditEvent before = AuditFixtures.read(events, ALICE, 1);
    AuditEvent after = AuditFixtures.read(events, ALICE, 2);
    CapturedLogs.clear();
    sink.record(before);
    sink.record(huge);
    sink.record(after);
    gate.countDown(); // the oversized event goes over in a batch with one or both of the others

    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (log.stats().events() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(log.stats().events()).as("the events around it, delivered").isEqualTo(2);
    sink.checkAvailable(); // not held: nothing is refused
    sink.record(AuditFixtures.read(events, ALICE, 3));
    assertThatThrownBy(sink::close).isInstanceOf(AuditException.class)
        .hasMessage("1 audit events could not be delivered");
    assertThat(String.join("\n", CapturedLogs.lines())).contains(huge.id().toString()).doesNotContain("\u00e9");
    try (java.util.stream.Stream<AuditEvent> read = AuditReview.of(dir).events(AuditFilter.all())) {
      assertThat(read.map(AuditEvent::id).toList()).hasSize(3).startsWith(before.id(), after.id())
          .doesNotContain(huge.id());
    }
  }

  /** Hands batches to a sink once the gate opens, so that events queued meanwhile go over as one batch. */
  private record GatedSink(AuditSink sink, CountDownLatch gate) implements AuditSink {
    @Override
    public void record(AuditEvent event) throws AuditException {
      recordAll(List.of(event));
    }

    @Override
    public void recordAll(List<AuditEvent> batch) throws AuditException {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AuditException("interrupted");
      }
      sink.recordAll(batch);
    }

    @Override
    public void checkAvailable() throws AuditException {
      sink.checkAvailable();
    }

    @Override
    public void close() throws AuditException {
      sink.close();
    }
  }

}
