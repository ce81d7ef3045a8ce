package dev.safeguards.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The audit log's durability layer: group commit. Appenders write under the writer's lock and then wait here, without
 * it, until a sync covers their record; the first waiter syncs everything written so far, those arriving meanwhile
 * wait, and the next of them syncs for all of them at once. It also remembers where the last acknowledged record ends,
 * which a recovery cuts the log back to. Its lock is never held while waiting for the writer's.
 */
final class GroupCommit {

  /** What a sync may cover: the open file and the last record written to it (and where it ends). */
  record Tail(RandomAccessFile file, long lastSeq, long segment, long bytes) {}

  /** Where the last acknowledged record ends. */
  record Position(long segment, long bytes) {}

  /** Work done while no group sync runs. */
  interface SyncedWork {
    void run() throws IOException;
  }

  /** The longest a group sync waits for appends under way. */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition synced = lock.newCondition();
  /** The writer's failure, if it failed: waiters give up. */
  private final Supplier<IOException> failure;
  /** How many threads are inside an append and have not written yet. */
  private final AtomicInteger appending = new AtomicInteger();
  private volatile Tail tail;
  private boolean syncing;
  private long durableSeq;
  private long ackSegment;
  private long ackBytes;
  private long lastBatch = 1;
  private long syncs;

  GroupCommit(Supplier<IOException> failure) {
    this.failure = failure;
  }

  /** An appender is on its way to the file. */
  void appendStarted() {
    appending.incrementAndGet();
  }

  /** An appender has written (or given up). */
  void appendDone() {
    appending.decrementAndGet();
  }

  /** The writer wrote records up to {@code t}: a sync from now on may cover them. */
  void written(Tail t) {
    tail = t;
  }

  /** Records up to ({@code segment}, {@code bytes}) count as acknowledged (a log that does not sync). */
  void acknowledged(long segment, long bytes) {
    lock.lock();
    try {
      ackSegment = segment;
      ackBytes = bytes;
    } finally {
      lock.unlock();
    }
  }

  /** Where the last acknowledged record ends. */
  Position acknowledged() {
    lock.lock();
    try {
      return new Position(ackSegment, ackBytes);
    } finally {
      lock.unlock();
    }
  }

  /** Every record up to {@code seq} is durable: the log was opened or recovered there. */
  void durableUpTo(long seq) {
    lock.lock();
    try {
      durableSeq = seq;
    } finally {
      lock.unlock();
    }
  }

  /** How many syncs ran. */
  long syncs() {
    lock.lock();
    try {
      return syncs;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiter, to see the log failed or closed. */
  void wakeAll() {
    lock.lock();
    try {
      synced.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Syncs {@code file}, then runs {@code then}, while no group sync runs, so that {@code then} may close or replace the
   * file. Called under the writer's lock, with {@code covered} the last record written and ({@code segment}, {@code
   * bytes}) where it ends; afterwards everything written so far counts as durable.
   */
  void syncExclusively(RandomAccessFile file, long covered, long segment, long bytes, SyncedWork then)
      throws IOException {
    beginExclusive();
    boolean ok = false;
    try {
      file.getFD().sync();
      then.run();
      ok = true;
    } finally {
      endExclusive(covered, segment, bytes, ok);
    }
  }

  /** Waits until no group sync runs, and keeps others from starting until {@link #endExclusive}. */
  void beginExclusive() {
    lock.lock();
    try {
      while (syncing) {
        synced.awaitUninterruptibly();
      }
      syncing = true;
    } finally {
      lock.unlock();
    }
  }

  /** Ends {@link #beginExclusive}; if {@code ok}, every record up to {@code covered} is durable and acknowledged. */
  void endExclusive(long covered, long segment, long bytes, boolean ok) {
    lock.lock();
    try {
      syncing = false;
      syncs++;
      if (ok) {
        durableSeq = Math.max(durableSeq, covered);
        ackSegment = segment;
        ackBytes = bytes;
      }
      synced.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns once record {@code seq} is on disk. The first waiter syncs everything written so far; those arriving
   * during its sync wait, and the next of them syncs for all of them at once. {@code gather}: the sync may wait for
   * other producers' appends (one event at a time from many threads).
   *
   * @param fail turns a failed sync into the writer's failure
   */
  void awaitDurable(long seq, boolean gather, Function<IOException, AuditException> fail) throws AuditException {
    lock.lock();
    try {
      while (durableSeq < seq) {
        IOException failed = failure.get();
        if (failed != null) {
          throw new AuditException("the audit log failed before the record reached the disk", failed);
        }
        if (syncing) {
          synced.awaitUninterruptibly();
          continue;
        }
        syncing = true;
        long from = durableSeq;
        long expected = gather ? lastBatch : 0;
        lock.unlock();
        IOException error = null;
        Tail t = null;
        try {
          gatherAppends(from, expected);
          t = tail;
          t.file().getFD().sync();
        } catch (IOException e) {
          error = e;
        } finally {
          lock.lock();
        }
        syncing = false;
        syncs++;
        if (error == null) {
          lastBatch = Math.max(1, t.lastSeq() - from);
          if (t.lastSeq() > durableSeq) {
            durableSeq = t.lastSeq();
            ackSegment = t.segment();
            ackBytes = t.bytes();
          }
        }
        synced.signalAll();
        if (error != null) {
          throw fail.apply(error);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Lets appends reach the file before a group sync starts, so that one sync covers them too. On a fast device a sync
   * finishes before the threads the previous one released can append again, and each sync would cover only a few
   * records. So the syncer waits, yielding the processor to the appenders, until appends under way are done and as
   * many records arrived as the previous sync covered, or at most {@link #GATHER_NANOS}. The batch size so adapts to
   * the number of producers; with a single producer the record is already there and it returns at once.
   *
   * @param from the last record already durable
   * @param expected how many records the previous group sync covered
   */
  private void gatherAppends(long from, long expected) {
    long deadline = System.nanoTime() + GATHER_NANOS;
    while ((appending.get() > 0 || tail.lastSeq() - from < expected) && System.nanoTime() - deadline < 0) {
      Thread.yield();
    }
  }
}
