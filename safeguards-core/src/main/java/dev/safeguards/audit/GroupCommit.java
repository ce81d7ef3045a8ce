package dev.safeguards.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The audit log's durability layer: group commit. Appenders buffer their records under the writer's lock and then wait
 * here, without it, until a sync covers their record; the first waiter writes everything buffered so far in one write
 * and syncs it, those arriving meanwhile wait, and the next of them does the same for all of them at once. It also
 * remembers where the last acknowledged record ends, which a recovery cuts the log back to. Its lock is never held
 * while waiting for the writer's, and a sync never waits for the writer's lock.
 */
final class GroupCommit {

  /** What a sync may cover: the open file and the last record written to it (and where it ends). */
  record Tail(RandomAccessFile file, long lastSeq, long segment, long bytes) {}

  /** Where the last acknowledged record ends. */
  record Position(long segment, long bytes) {}

  /**
   * Writes the lines buffered so far, without the writer's lock, and reports them ({@link #written}) before it
   * returns.
   */
  interface Flusher {
    void writeBuffered() throws IOException;
  }

  /** Work done while no group sync runs. */
  interface SyncedWork {
    void run() throws IOException;
  }

  /** The longest a group sync waits for appends under way. */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** A thread parked here: until a sync covers {@code seq}, or until no sync runs ({@code seq} = MAX_VALUE). */
  private static final class Waiter {
    final Thread thread = Thread.currentThread();
    final long seq;
    volatile boolean released;

    Waiter(long seq) {
      this.seq = seq;
    }
  }

  /** Guards the state below; held only briefly, never while syncing or parked. */
  private final ReentrantLock lock = new ReentrantLock();
  /** The writer's failure, if it failed: waiters give up. */
  private final Supplier<IOException> failure;
  private final Flusher flusher;
  /** How many threads are inside an append and have not written yet. */
  private final AtomicInteger appending = new AtomicInteger();
  /** The last record written to the file, and where it ends. */
  private volatile Tail tail;
  /** The last record buffered (and maybe written). */
  private volatile long buffered;
  /** The group sync gathering appends, if one does: the last appender it waits for wakes it. */
  private volatile Thread gatherer;
  private long gatherFrom;
  private long gatherExpected;
  private boolean syncing;
  /** The threads waiting, in the order they came; each is woken once, by the sync that releases it. */
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private long durableSeq;
  private long ackSegment;
  private long ackBytes;
  /**
   * The writes not yet acknowledged, oldest first: the acknowledged position goes no further than where the oldest
   * began, however far syncs reach.
   */
  private final ArrayDeque<Hold> holds = new ArrayDeque<>();
  /** Where the last sync reached: the acknowledged position, but for the holds. */
  private long syncedSegment;
  private long syncedBytes;
  private long lastBatch = 1;
  private long syncs;

  GroupCommit(Supplier<IOException> failure, Flusher flusher) {
    this.failure = failure;
    this.flusher = flusher;
  }

  /** An appender is on its way to the file. */
  void appendStarted() {
    appending.incrementAndGet();
  }

  /** An appender has written (or given up); the last one a gathering sync waits for wakes it. */
  void appendDone() {
    int left = appending.decrementAndGet();
    Thread g = gatherer;
    if (g != null && left == 0 && buffered - gatherFrom >= gatherExpected) {
      LockSupport.unpark(g);
    }
  }

  /** The writer buffered records up to {@code seq} (under its lock): the next group sync writes and covers them. */
  void buffered(long seq) {
    buffered = seq;
  }

  /**
   * The writer wrote records up to {@code t} (null: there is no file to sync until the next write): a sync from now on
   * may cover them. Writes made concurrently may report out of order; the later one stands.
   */
  void written(Tail t) {
    lock.lock();
    try {
      Tail now = tail;
      if (t == null || now == null || t.lastSeq() > now.lastSeq()) {
        tail = t;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Records up to ({@code segment}, {@code bytes}) count as acknowledged (a log that does not sync). */
  void acknowledged(long segment, long bytes) {
    lock.lock();
    try {
      acknowledge(segment, bytes);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A write under way, from {@link #hold}: no record after {@code start} counts as acknowledged while it lasts. It ends
   * when a sync covers {@code lastSeq} (set by {@link #written(Hold, long)}), when it is {@link #release}d, or at a
   * recovery.
   */
  static final class Hold {
    final Position start;
    /** The write's last record; MAX_VALUE while it is under way. Guarded by the commit's lock. */
    long lastSeq = Long.MAX_VALUE;

    Hold(Position start) {
      this.start = start;
    }
  }

  /**
   * A write begins at ({@code segment}, {@code bytes}) (under the writer's lock): until a sync covers all of it, no
   * record after that counts as acknowledged, even when a checkpoint, a rotation or another producer's group sync
   * makes it durable. If the write fails, its hold stays until {@link #cutBackTo}, so that the recovery cuts the log
   * back to where it began at the latest: nothing of a refused write (a whole batch) is left to appear later, or twice
   * when it is handed over again. Once a write failed no later one succeeds, so no acknowledged record is cut.
   *
   * @return the hold, for {@link #written(Hold, long)} or {@link #release}
   */
  Hold hold(long segment, long bytes) {
    lock.lock();
    try {
      Hold h = new Hold(new Position(segment, bytes));
      holds.add(h);
      return h;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The write that {@code hold} began buffered all its records, the last {@code lastSeq}: its hold ends as the sync
   * that covers it ends, so that the position a recovery cuts back to never falls behind a record a waiter was told
   * is durable.
   */
  void written(Hold hold, long lastSeq) {
    lock.lock();
    try {
      hold.lastSeq = lastSeq;
      acknowledge(syncedSegment, syncedBytes);
    } finally {
      lock.unlock();
    }
  }

  /** The write that {@code hold} began ends without a sync covering it (acknowledged when written, or given up). */
  void release(Hold hold) {
    lock.lock();
    try {
      holds.remove(hold);
      acknowledge(syncedSegment, syncedBytes);
    } finally {
      lock.unlock();
    }
  }

  /** A recovery: where the last acknowledged record ends, which the log is cut back to; ends every hold. */
  Position cutBackTo() {
    lock.lock();
    try {
      holds.clear();
      return new Position(ackSegment, ackBytes);
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: records up to ({@code segment}, {@code bytes}) are durable, and acknowledged up to any hold. */
  private void acknowledge(long segment, long bytes) {
    syncedSegment = segment;
    syncedBytes = bytes;
    holds.removeIf(h -> h.lastSeq <= durableSeq);
    Hold first = holds.peekFirst();
    Position h = first == null ? null : first.start;
    boolean beyondHold = h != null && (segment > h.segment() || segment == h.segment() && bytes > h.bytes());
    ackSegment = beyondHold ? h.segment() : segment;
    ackBytes = beyondHold ? h.bytes() : bytes;
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
    List<Waiter> woken;
    lock.lock();
    try {
      woken = new ArrayList<>(waiters);
      waiters.clear();
    } finally {
      lock.unlock();
    }
    release(woken);
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
      IOException failed = failure.get();
      if (failed != null) {
        // Waiters may already have been refused for records this sync would cover: none may count as durable now.
        throw new IOException("the audit log failed before this sync", failed);
      }
      file.getFD().sync();
      then.run();
      ok = true;
    } finally {
      endExclusive(covered, segment, bytes, ok);
    }
  }

  /** Waits until no group sync runs, and keeps others from starting until {@link #endExclusive}. */
  void beginExclusive() {
    while (true) {
      Waiter w;
      lock.lock();
      try {
        if (!syncing) {
          syncing = true;
          return;
        }
        w = new Waiter(Long.MAX_VALUE);
        waiters.add(w);
      } finally {
        lock.unlock();
      }
      park(w);
    }
  }

  /** Ends {@link #beginExclusive}; if {@code ok}, every record up to {@code covered} is durable and acknowledged. */
  void endExclusive(long covered, long segment, long bytes, boolean ok) {
    List<Waiter> woken;
    lock.lock();
    try {
      syncing = false;
      syncs++;
      if (ok) {
        durableSeq = Math.max(durableSeq, covered);
        acknowledge(segment, bytes);
      }
      woken = releasable(!ok);
    } finally {
      lock.unlock();
    }
    release(woken);
  }

  /**
   * Returns once record {@code seq} is on disk. The first waiter writes everything buffered so far and syncs it; those
   * arriving during its sync wait, and the next of them does the same for all of them at once. {@code gather}: the
   * sync may wait for other producers' appends (one event at a time from many threads).
   *
   * @param fail turns a failed sync into the writer's failure
   */
  void awaitDurable(long seq, boolean gather, Function<IOException, AuditException> fail) throws AuditException {
    while (true) {
      long from = 0;
      long expected = 0;
      Waiter w = null;
      lock.lock();
      try {
        if (durableSeq >= seq) {
          return;
        }
        IOException failed = failure.get();
        if (failed != null) {
          throw new AuditException("the audit log failed before the record reached the disk", failed);
        }
        if (syncing) {
          w = new Waiter(seq);
          waiters.add(w);
        } else {
          syncing = true;
          from = durableSeq;
          expected = gather ? lastBatch : 0;
        }
      } finally {
        lock.unlock();
      }
      if (w != null) {
        park(w);
      } else {
        groupSync(from, expected, fail);
      }
    }
  }

  /** Writes what is buffered and syncs it, as the one sync running; wakes those it covers, and the next syncer. */
  private void groupSync(long from, long expected, Function<IOException, AuditException> fail) throws AuditException {
    IOException error = null;
    Tail t = null;
    try {
      gatherAppends(from, expected);
      flusher.writeBuffered();
      t = tail;
      if (t == null) {
        throw new IOException("nothing written to sync"); // a record waits only once it is buffered
      }
      t.file().getFD().sync();
    } catch (IOException e) {
      error = e;
    }
    List<Waiter> woken;
    lock.lock();
    try {
      syncing = false;
      syncs++;
      if (error == null && failure.get() != null) {
        // The writer failed while this sync ran, and has woken its waiters, which may already have been refused: what
        // this sync covered counts as refused too (a recovery cuts it), rather than acknowledged behind their back.
        error = failure.get();
      }
      if (error == null) {
        lastBatch = Math.max(1, t.lastSeq() - from);
        if (t.lastSeq() > durableSeq) {
          durableSeq = t.lastSeq();
          acknowledge(t.segment(), t.bytes());
        }
      }
      woken = releasable(error != null);
    } finally {
      lock.unlock();
    }
    release(woken);
    if (error != null) {
      throw fail.apply(error);
    }
  }

  /**
   * Under the lock, as a sync ends: the waiters to wake. Those whose record is now durable, those waiting for no sync
   * to run, and the first of the others, which syncs for them next (every one of them, if the sync failed).
   */
  private List<Waiter> releasable(boolean all) {
    List<Waiter> woken = new ArrayList<>();
    boolean next = false;
    for (Iterator<Waiter> i = waiters.iterator(); i.hasNext(); ) {
      Waiter w = i.next();
      if (all || w.seq <= durableSeq || w.seq == Long.MAX_VALUE || !next) {
        next |= w.seq > durableSeq;
        woken.add(w);
        i.remove();
      }
    }
    return woken;
  }

  private static void release(List<Waiter> woken) {
    for (Waiter w : woken) {
      w.released = true;
      LockSupport.unpark(w.thread);
    }
  }

  private void park(Waiter w) {
    while (!w.released) {
      LockSupport.park(this);
    }
  }

  /**
   * Lets appends reach the buffer before a group sync starts, so that one write and one sync cover them too. On a fast
   * device a sync finishes before the threads the previous one released can append again, and each sync would cover
   * only a few records. So the syncer waits, parked, until appends under way are done and as many records arrived as
   * the previous sync covered (the last of those appends wakes it), or at most {@link #GATHER_NANOS}. The batch size so
   * adapts to the number of producers; with a single producer the record is already there and it returns at once.
   *
   * @param from the last record already durable
   * @param expected how many records the previous group sync covered
   */
  private void gatherAppends(long from, long expected) {
    if (gathered(from, expected)) {
      return;
    }
    gatherFrom = from;
    gatherExpected = expected;
    gatherer = Thread.currentThread();
    try {
      long deadline = System.nanoTime() + GATHER_NANOS;
      while (!gathered(from, expected)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        LockSupport.parkNanos(this, left);
      }
    } finally {
      gatherer = null;
    }
  }

  private boolean gathered(long from, long expected) {
    return appending.get() == 0 && buffered - from >= expected;
  }
}
