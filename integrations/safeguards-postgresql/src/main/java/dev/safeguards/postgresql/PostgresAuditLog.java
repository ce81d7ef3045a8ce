package dev.safeguards.postgresql;

import dev.safeguards.audit.AuditCheckpoint;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditEventTooLargeException;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditLogTamperedException;
import dev.safeguards.audit.AuditRecords;
import dev.safeguards.audit.AuditSealing;
import dev.safeguards.audit.AuditSink;
import dev.safeguards.audit.AuditSubjects;
import dev.safeguards.audit.CheckpointAnchor;
import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.tlog.Checkpoint;
import dev.safeguards.tlog.Frontier;
import dev.safeguards.tlog.HashReader;
import dev.safeguards.tlog.Merkle;
import dev.safeguards.tlog.NoteSigner;
import dev.safeguards.tlog.Proofs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tamper-evident audit log in PostgreSQL for every replica of an application (164.312(b)): the format of
 * docs/audit-log-format.md (records as the leaves of one RFC 9162 Merkle tree, C2SP signed-note checkpoints), kept in
 * the tables of {@link PostgresSchema} version 2 instead of files, so that it is exported byte for byte into a
 * directory that {@code AuditLogVerifier} verifies ({@link PostgresAuditLogs#export}).
 *
 * <p><b>One tree for the cluster.</b> Every replica appends to the same sequence: a batch is one transaction that
 * takes the log's advisory lock and reads the tree's size and right edge (one round trip), assigns the next sequence
 * numbers, then inserts the records with their leaf hashes, the subtree hashes they complete and, when due, a signed
 * checkpoint, and commits (a second round trip). Sequence numbers therefore have no gap and no duplicate (the primary
 * key would refuse one), and the tree's state changes with its records or not at all.
 *
 * <p><b>Group commit.</b> {@link #record} returns once the transaction holding the event has committed and its commit
 * is as durable as the session's {@code synchronous_commit} makes a commit (on by default: the WAL flushed);
 * concurrent callers on one replica share a transaction, up to {@link Builder#maxBatch} events. The lock is not held
 * while the WAL is flushed: the transaction commits without waiting for the flush ({@code synchronous_commit} off for
 * it alone), which releases the lock at once, and a second, tiny transaction then waits for a flush that covers it
 * (its own commit is written after the first's, and the WAL is flushed in order). Replicas so flush while another
 * holds the lock, and their flushes may be one. A transaction that commits after this one, and builds on its
 * records, is durable only once this one is, so a crash loses only a suffix of the log, never a record in its middle:
 * and only records that nobody was told were written. If the transaction fails, every caller in it gets
 * an {@link AuditException} and must treat its action as failed; {@link #checkAvailable} then fails too (the gate
 * refuses requests before they act, 503) until a write succeeds again, which the log tries by itself every 200 ms.
 * Its first record after that is a {@code recovery} record (docs/audit-log-format.md section 3.4): when writing began
 * to fail, and how many requests were refused and events lost meanwhile, so the refusals are in the log too.
 *
 * <p><b>Checkpoints</b> are signed with the checkpoint keyset's primary key (every replica holds the same keyset) every
 * {@link Builder#checkpointEvery} records, when records have waited {@link Builder#checkpointInterval} for one, and on
 * {@link #close}. The database is not an anchor against its own administrator: keep checkpoints elsewhere (a witness)
 * to detect a rewrite by someone who can change the tables.
 */
public final class PostgresAuditLog implements AuditSink {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresAuditLog.class);
  /** How soon a log that failed to write tries again, with no event waiting. */
  private static final Duration RETRY = Duration.ofMillis(200);
  /** At most this many records appended by other replicas are read to catch up; past it, the tree's right edge. */
  private static final int CATCH_UP = 10_000;

  private final DataSource dataSource;
  private final String endpoint;
  private final String schema;
  private final String origin;
  private final SigningKeyset checkpointKeys;
  private final NoteSigner signer;
  private final AuditSealing sealing;
  private final String replica;
  private final Clock clock;
  private final long checkpointEvery;
  private final Duration checkpointInterval;
  private final int maxBatch;
  private final List<CheckpointAnchor> anchors;
  /** Hands checkpoints to the anchors, off the writer's thread, one at a time. */
  private final ExecutorService publisher;
  /** Anchors whose last publish failed, so that a failure is logged once, and its end once. */
  private final Set<CheckpointAnchor> failingAnchors = ConcurrentHashMap.newKeySet();

  /** Guards the queue; the writer waits on {@link #work}; each caller parks until its events are written. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  /** Accepted and not yet written, in order. */
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Thread writer;
  private volatile boolean closed;
  /** When writing began to fail, or null while it succeeds. */
  private volatile Instant failingSince;
  /** Why it fails: the error's simple class name. */
  private volatile String failureKind;
  /** Requests refused ({@link #checkAvailable}) or events lost to a failed write since it began to fail. */
  private final AtomicLong refused = new AtomicLong();

  // The writer thread's view of the tree, valid while no other replica appended since.
  private Frontier frontier;
  private boolean originChecked;
  private long checkpointedSize;
  private Instant checkpointedAt;

  /** Events that wait for one transaction, and what became of it. */
  private static final class Pending {
    final List<AuditSubjects.Encoded> events;
    final Thread caller = Thread.currentThread();
    volatile boolean done;
    AuditException failure;

    Pending(List<AuditSubjects.Encoded> events) {
      this.events = events;
    }
  }

  private PostgresAuditLog(Builder b, DataSource dataSource, String endpoint) {
    this.dataSource = dataSource;
    this.endpoint = endpoint;
    this.schema = b.schema;
    this.origin = b.origin;
    this.checkpointKeys = b.checkpointKeys;
    this.signer = NoteSigner.over(b.origin, b.checkpointKeys);
    this.sealing = b.sealing;
    this.replica = b.replica;
    this.clock = b.clock;
    this.checkpointEvery = b.checkpointEvery;
    this.checkpointInterval = b.checkpointInterval;
    this.maxBatch = b.maxBatch;
    this.anchors = List.copyOf(b.anchors);
    this.publisher = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "safeguards-postgresql-audit-publish");
      t.setDaemon(true);
      return t;
    });
    this.writer = new Thread(this::writeLoop, "safeguards-postgresql-audit");
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Starts configuring the log in {@code state}'s database (its pool and schema), named {@code origin} (the first
   * line of its checkpoints), with checkpoints signed by {@code checkpointKeys} (an Ed25519 keyset).
   *
   * @param state the database and schema the log is kept in; the log uses its pool and does not close it
   * @param origin the log's name: 1 to 255 printable ASCII characters without spaces or {@code +}
   * @param checkpointKeys the Ed25519 keyset whose primary key signs checkpoints; every replica holds the same
   * @return a builder with the defaults: identities in the clear, a checkpoint every 1000 records or one minute, at
   *     most 1024 events a transaction, the system UTC clock, no anchor
   * @throws NullPointerException if {@code state} or {@code checkpointKeys} is null
   * @throws IllegalArgumentException if {@code origin} is not a valid origin, or the keyset is not Ed25519
   */
  public static Builder builder(PostgresState state, String origin, SigningKeyset checkpointKeys) {
    return new Builder(Objects.requireNonNull(state, "state"), origin, checkpointKeys);
  }

  @Override
  public void record(AuditEvent event) throws AuditException {
    write(List.of(encode(event, 0)));
  }

  @Override
  public void recordAll(List<AuditEvent> events) throws AuditException {
    List<AuditSubjects.Encoded> encoded = new ArrayList<>(events.size());
    for (AuditEvent e : events) {
      encoded.add(encode(e, encoded.size()));
    }
    if (!encoded.isEmpty()) {
      write(encoded);
    }
  }

  @Override
  public void checkAvailable() throws AuditException {
    if (closed) {
      throw new AuditException("the PostgreSQL audit log is closed");
    }
    if (failingSince != null) {
      refused.incrementAndGet();
      throw new AuditException("the PostgreSQL audit log at " + endpoint + " cannot write since " + failingSince);
    }
  }

  /**
   * Writes what was accepted, then a checkpoint over the whole log if any record follows the last one, and stops.
   *
   * @throws AuditException if that last write fails
   */
  @Override
  public void close() throws AuditException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      work.signal();
    } finally {
      lock.unlock();
    }
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("interrupted while closing the PostgreSQL audit log");
    }
    try {
      append(List::of, true);
    } catch (SQLException e) {
      throw new AuditException("the PostgreSQL audit log at " + endpoint + " could not write its last checkpoint "
          + "(" + Sql.state(e) + ")");
    } finally {
      publisher.shutdown();
      try {
        if (!publisher.awaitTermination(1, TimeUnit.MINUTES)) {
          LOG.warn("the audit checkpoint publisher of {} did not finish", endpoint);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public Evidence evidence() {
    Evidence.Builder e = Evidence.of("PostgresAuditLog")
        .serves(Specification.AUDIT_CONTROLS, Status.MET)
        .setting("database", endpoint)
        .setting("schema", schema)
        .setting("origin", origin)
        .setting("identities", sealing == null ? "in the clear" : "sealed: " + sealing)
        .setting("tree", "RFC 9162 SHA-256, one for every replica")
        .setting("checkpoints", "C2SP tlog-checkpoint signed notes, " + checkpointKeys.algorithm())
        .setting("checkpointEvery", checkpointEvery)
        .setting("checkpointInterval", checkpointInterval)
        .setting("anchors", anchors.isEmpty() ? "none"
            : String.join(", ", anchors.stream().map(CheckpointAnchor::describe).toList()));
    if (anchors.isEmpty()) {
      e.weakens(Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET, "no checkpoint anchor off the database: whoever "
          + "administers it can cut the log back to any checkpoint and rewrite what follows, undetected");
    }
    return e.build();
  }

  /** The event's object and subject keys; refused if its record would not fit a line of the exported files. */
  private AuditSubjects.Encoded encode(AuditEvent event, int index) throws AuditException {
    AuditSubjects.Encoded encoded;
    try {
      encoded = AuditSubjects.encode(event, sealing, origin);
    } catch (RuntimeException e) {
      throw new AuditException("the event could not be sealed (" + e.getClass().getSimpleName() + ")");
    }
    if (encoded.eventObject().length > AuditRecords.MAX_EVENT_OBJECT) {
      throw new AuditEventTooLargeException(index, encoded.eventObject().length);
    }
    return encoded;
  }

  /**
   * Hands {@code events} to the writer and waits until their transaction committed or failed; while writing fails,
   * fails at once (the writer tries again by itself, and they are counted in its recovery record).
   */
  private void write(List<AuditSubjects.Encoded> events) throws AuditException {
    if (failingSince != null) {
      refused.addAndGet(events.size());
      throw new AuditException("the PostgreSQL audit log at " + endpoint + " cannot write since " + failingSince);
    }
    Pending p = new Pending(events);
    lock.lock();
    try {
      if (closed) {
        throw new AuditException("the PostgreSQL audit log is closed");
      }
      queue.add(p);
      work.signal();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (!p.done) {
      LockSupport.park(this); // the event is in the queue: wait for its outcome even if interrupted
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (p.failure != null) {
      throw p.failure;
    }
  }

  private void writeLoop() {
    long poll = Math.max(10, checkpointInterval.toMillis() / 4);
    while (true) {
      List<Pending> batch = new ArrayList<>();
      lock.lock();
      try {
        if (queue.isEmpty() && !closed) {
          // then a checkpoint may be due; while writing fails, try again soon (the gate refuses meanwhile)
          work.await(failingSince == null ? poll : Math.min(poll, RETRY.toMillis()), TimeUnit.MILLISECONDS);
        }
        if (queue.isEmpty() && closed) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      List<AuditSubjects.Encoded> events = new ArrayList<>();
      AuditException failure = null;
      try {
        // what is queued once the log's lock is held: events keep arriving while another replica holds it
        append(() -> {
          take(batch, events);
          return events;
        }, false);
        if (failingSince != null) {
          LOG.warn("the PostgreSQL audit log at {} writes again", endpoint);
          failingSince = null;
        }
      } catch (SQLException | RuntimeException e) {
        if (batch.isEmpty()) {
          take(batch, events); // it failed before taking them: they fail with it, rather than wait for the database
        }
        String reason = Sql.state(e);
        refused.addAndGet(events.size());
        failureKind = e.getClass().getSimpleName();
        if (failingSince == null) {
          failingSince = clock.instant();
          LOG.error("the PostgreSQL audit log at {} cannot write ({}): requests are refused until it can", endpoint,
              reason);
        }
        failure = new AuditException("the PostgreSQL audit log at " + endpoint + " could not write (" + reason + ")");
      }
      for (Pending p : batch) {
        p.failure = failure;
        p.done = true;
        LockSupport.unpark(p.caller);
      }
    }
  }

  /** Moves what is queued, up to {@link #maxBatch} events, into {@code batch} and its events into {@code events}. */
  private void take(List<Pending> batch, List<AuditSubjects.Encoded> events) {
    lock.lock();
    try {
      while (!queue.isEmpty() && (batch.isEmpty() || events.size() + queue.peek().events.size() <= maxBatch)) {
        Pending p = queue.poll();
        batch.add(p);
        events.addAll(p.events);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * One transaction: the events {@code toWrite} gives once the log's lock is held, as the next records (after the
   * log's first record if it has none), and a checkpoint if one is due or {@code closing} finds records after the last
   * one. Writes nothing when there is nothing to write.
   */
  private void append(java.util.function.Supplier<List<AuditSubjects.Encoded>> toWrite, boolean closing)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long size = begin(c);
        Instant now = clock.instant();
        List<AuditSubjects.Encoded> events = toWrite.get();
        Batch batch = new Batch();
        if (size == 0) {
          if (events.isEmpty() && failingSince == null) {
            c.rollback();
            return;
          }
          UUID logId = UUID.randomUUID();
          try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table("audit_log")
              + " (origin, log_id, created) VALUES (?, ?, ?)")) {
            p.setString(1, origin);
            p.setObject(2, logId);
            p.setObject(3, Sql.time(now));
            p.executeUpdate();
          }
          batch.add(AuditRecords.segment(1, origin, logId, 1, now));
        }
        Instant failedAt = failingSince;
        long refusedMeanwhile = refused.get();
        if (failedAt != null) {
          // back after a failure: say when it began, and how much was refused meanwhile, before anything else
          batch.add(AuditRecords.recovery(frontier.size() + 1, now, failedAt, refusedMeanwhile,
              Objects.requireNonNullElse(failureKind, "SQLException")));
        }
        for (AuditSubjects.Encoded event : events) {
          batch.add(AuditRecords.event(frontier.size() + 1, event.eventObject()), event.subjects());
        }
        long uncovered = frontier.size() - checkpointedSize;
        boolean due = uncovered >= checkpointEvery || (uncovered > 0 && (closing
            || !checkpointedAt.plus(checkpointInterval).isAfter(now)));
        String note = null;
        long covered = frontier.size();
        if (due) {
          note = new String(Checkpoint.of(origin, covered, frontier.root()).sign(signer).encode(),
              StandardCharsets.UTF_8);
          batch.add(AuditRecords.checkpoint(covered + 1, note));
        }
        if (batch.seqs.isEmpty()) {
          c.rollback();
          return;
        }
        batch.insertAndCommit(c, note == null ? null : new CheckpointRow(covered, note, now));
        awaitFlush(c);
        if (failedAt != null) {
          refused.addAndGet(-refusedMeanwhile);
        }
        if (note != null) {
          checkpointedSize = covered;
          checkpointedAt = now;
          if (!anchors.isEmpty()) {
            publisher.execute(this::publishNewest);
          }
        }
      } catch (SQLException | RuntimeException e) {
        frontier = null; // what it holds may not have been committed: read the tree again next time
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the connection is gone: the transaction with it
        }
        throw e;
      }
    }
  }

  /**
   * Returns once the transaction just committed on {@code c} is as durable as a commit with the session's own {@code
   * synchronous_commit}: it commits a transaction of its own that writes one small WAL record (a logical decoding
   * message no one decodes), whose commit waits for the WAL flush (and synchronous standbys) up to a point after the
   * first commit.
   */
  private static void awaitFlush(Connection c) throws SQLException {
    c.setAutoCommit(true);
    try (PreparedStatement p = c.prepareStatement("SELECT pg_logical_emit_message(true, 'safeguards-audit', '')")) {
      p.executeQuery().close();
    }
  }

  /** The records of one transaction, with the tree hashes they complete. */
  private final class Batch {
    final List<Long> seqs = new ArrayList<>();
    final List<byte[]> records = new ArrayList<>();
    final List<byte[]> leafHashes = new ArrayList<>();
    final List<Short> levels = new ArrayList<>();
    final List<Long> indexes = new ArrayList<>();
    final List<byte[]> hashes = new ArrayList<>();
    /** Each record's subject keys, joined by spaces (a key holds none). */
    final List<String> subjects = new ArrayList<>();

    void add(byte[] record) {
      add(record, List.of());
    }

    void add(byte[] record, List<String> subjectKeys) {
      subjects.add(String.join(" ", subjectKeys));
      byte[] leaf = Merkle.leafHash(record);
      seqs.add(frontier.size() + 1);
      records.add(record);
      leafHashes.add(leaf);
      frontier.append(leaf, (level, index, hash) -> {
        if (StoredTree.stored(level)) {
          levels.add((short) level);
          indexes.add(index);
          hashes.add(hash);
        }
      });
    }

    /**
     * Inserts the records, the subtrees they complete and the checkpoint (if any), in one statement, and commits, in
     * the same round trip; the commit does not wait for the WAL flush (see {@link #begin}), so it releases the lock
     * for the next replica at once. If the insert fails, the commit is not run.
     */
    void insertAndCommit(Connection c, CheckpointRow checkpoint) throws SQLException {
      try (PreparedStatement p = c.prepareStatement("WITH records AS (INSERT INTO " + table("audit_record")
          + " (seq, record, leaf_hash, replica, subjects) SELECT s, r, h, ?, string_to_array(k, ' ') FROM "
          + "unnest(?::bigint[], ?::bytea[], ?::bytea[], ?::text[]) AS t(s, r, h, k)), nodes AS (INSERT INTO " + table("audit_node") + " (level, idx, hash) SELECT l, i, h "
          + "FROM unnest(?::smallint[], ?::bigint[], ?::bytea[]) AS t(l, i, h)), checkpoints AS (INSERT INTO "
          + table("audit_checkpoint") + " (size, note, signed) SELECT ?::bigint, ?::text, ?::timestamptz "
          + "WHERE ?::text IS NOT NULL) SELECT 1; COMMIT")) {
        p.setString(1, replica);
        p.setArray(2, c.createArrayOf("bigint", seqs.toArray()));
        p.setArray(3, c.createArrayOf("bytea", records.toArray(new byte[0][])));
        p.setArray(4, c.createArrayOf("bytea", leafHashes.toArray(new byte[0][])));
        p.setArray(5, c.createArrayOf("text", subjects.toArray()));
        p.setArray(6, c.createArrayOf("smallint", levels.toArray()));
        p.setArray(7, c.createArrayOf("bigint", indexes.toArray()));
        p.setArray(8, c.createArrayOf("bytea", hashes.toArray(new byte[0][])));
        p.setObject(9, checkpoint == null ? null : checkpoint.size(), java.sql.Types.BIGINT);
        p.setString(10, checkpoint == null ? null : checkpoint.note());
        p.setObject(11, checkpoint == null ? null : Sql.time(checkpoint.signed()));
        p.setString(12, checkpoint == null ? null : checkpoint.note());
        p.execute();
      }
    }
  }

  /** A checkpoint to insert beside its record. */
  private record CheckpointRow(long size, String note, Instant signed) {}

  /**
   * Takes the log's lock and brings this writer's view of the tree up to date, in one round trip when the records
   * other replicas appended since its last write are few (their leaf hashes come with the answer); otherwise it reads
   * the tree's right edge. Returns the log's size.
   */
  private long begin(Connection c) throws SQLException {
    long after = frontier == null ? -1 : frontier.size();
    long size;
    byte[][] tail = null;
    // the transaction commits without waiting for the WAL flush: awaitFlush waits for it once the lock is released
    try (PreparedStatement p = c.prepareStatement("SELECT log_size, checkpoint_size, checkpoint_signed, tail, "
        + "set_config('synchronous_commit', 'off', true) FROM " + schema + ".audit_begin_append(?, ?)")) {
      p.setLong(1, Math.max(after, 0));
      p.setInt(2, CATCH_UP);
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        size = rs.getLong(1);
        long cp = rs.getLong(2);
        checkpointedSize = rs.wasNull() ? 0 : cp;
        Instant signed = Sql.instant(rs, "checkpoint_signed");
        checkpointedAt = signed == null ? (checkpointedAt == null ? clock.instant() : checkpointedAt) : signed;
        java.sql.Array a = rs.getArray(4);
        if (a != null) {
          tail = (byte[][]) a.getArray();
        }
      }
    }
    if (after >= 0 && size >= after && (size == after || tail != null && tail.length == size - after)) {
      if (tail != null) {
        for (byte[] leaf : tail) {
          frontier.append(leaf); // the subtrees they complete were stored by the replica that appended them
        }
      }
    } else {
      load(c, size);
    }
    return size;
  }

  /**
   * Hands the newest checkpoint in the database (this replica's or a later one of another's) to every anchor, with
   * consistency proofs from the stored tree. An anchor that already holds a later checkpoint of this log refuses an
   * older one; that is no failure when the log extends what it holds.
   */
  private void publishNewest() {
    AuditCheckpoint newest;
    try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("SELECT note FROM "
        + table("audit_checkpoint") + " ORDER BY size DESC LIMIT 1"); ResultSet rs = p.executeQuery()) {
      if (!rs.next()) {
        return;
      }
      newest = AuditCheckpoint.read(rs.getString(1));
      // another replica's transaction may have committed it and not yet seen its flush: once published, a crash
      // must not take it back (the log would no longer extend what the anchor holds)
      awaitFlush(c);
    } catch (SQLException e) {
      LOG.error("reading the newest audit checkpoint at {} failed ({}): it is published later", endpoint,
          Sql.state(e));
      return;
    }
    HashReader tree = StoredTree.of(dataSource, schema);
    for (CheckpointAnchor anchor : anchors) {
      try {
        try {
          anchor.publish(newest, old -> Proofs.consistency(tree, old, newest.size()));
        } catch (CheckpointAnchor.AnchorRefusedException e) {
          if (e.finding() != AuditLogTamperedException.Tampering.TRUNCATED) {
            throw e;
          }
          anchor.verifyExtends(newest, old -> Proofs.consistency(tree, old, newest.size()));
          // another replica published a later checkpoint first, and this one is a prefix of it
        }
        if (failingAnchors.remove(anchor)) {
          LOG.warn("the audit checkpoint anchor {} takes checkpoints again (size {})", anchor.describe(),
              newest.size());
        }
      } catch (IOException | RuntimeException e) {
        if (failingAnchors.add(anchor)) {
          LOG.error("the audit checkpoint anchor {} did not take checkpoint {}: {}", anchor.describe(),
              newest.size(), e.getMessage());
        }
      }
    }
  }

  /**
   * Checks that the log extends the latest checkpoint each anchor holds: it holds at least as many records, and its
   * tree of that size has the anchored root. Otherwise the log was cut back or rewritten in the database since.
   */
  private static void checkAnchors(DataSource db, String schema, String origin, NoteSigner signer,
      List<CheckpointAnchor> anchors) throws AuditException {
    if (anchors.isEmpty()) {
      return;
    }
    AuditCheckpoint current;
    try (Connection c = db.getConnection()) {
      long size;
      try (PreparedStatement p = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM " + schema
          + ".audit_record"); ResultSet rs = p.executeQuery()) {
        rs.next();
        size = rs.getLong(1);
      }
      byte[] root = Proofs.root(StoredTree.within(c, schema), size);
      String note = new String(Checkpoint.of(origin, size, root).sign(signer).encode(), StandardCharsets.UTF_8);
      current = new AuditCheckpoint(origin, size, root, note);
    } catch (SQLException e) {
      throw new AuditException("cannot read the audit log to check it against its anchors (" + Sql.state(e)
          + ")");
    } catch (IOException e) {
      throw new AuditException("the audit log's stored tree lacks a hash: " + e.getMessage());
    }
    HashReader tree = StoredTree.of(db, schema);
    for (CheckpointAnchor anchor : anchors) {
      try {
        anchor.verifyExtends(current, old -> Proofs.consistency(tree, old, current.size()));
      } catch (CheckpointAnchor.AnchorRefusedException e) {
        throw new AuditLogTamperedException(e.finding(), current.size() + 1, "anchor", 0, "the log holds "
            + current.size() + " records, which do not extend what the anchor " + anchor.describe() + " holds ("
            + e.getMessage() + "): the log was " + (e.finding() == AuditLogTamperedException.Tampering.TRUNCATED
            ? "cut back" : "rewritten") + " in the database; restore it");
      } catch (IOException | RuntimeException e) {
        throw new AuditException("cannot ask the audit checkpoint anchor " + anchor.describe() + " whether the log "
            + "extends what it holds, so the log cannot tell whether it was cut back: " + e.getMessage());
      }
    }
  }

  /** Reads the tree of {@code size} records: its right edge, one hash per set bit (checking the log's origin once). */
  private void load(Connection c, long size) throws SQLException {
    if (size > 0 && !originChecked) {
      try (PreparedStatement p = c.prepareStatement("SELECT origin FROM " + table("audit_log"));
          ResultSet rs = p.executeQuery()) {
        if (!rs.next() || !origin.equals(rs.getString(1))) {
          throw new IllegalStateException("the audit log in the schema " + schema + " is not the log " + origin);
        }
      }
      originChecked = true;
    }
    try {
      frontier = Frontier.of(StoredTree.within(c, schema), size);
    } catch (IOException e) {
      throw new SQLException("the audit log's stored tree lacks a hash it needs", "XX001", e);
    }
  }

  private String table(String name) {
    return schema + "." + name;
  }

  /** Configures a {@link PostgresAuditLog}. */
  public static final class Builder {
    private final PostgresState state;
    private final String origin;
    private final SigningKeyset checkpointKeys;
    private final String schema;
    private AuditSealing sealing;
    private String replica;
    private Clock clock = Clock.systemUTC();
    private long checkpointEvery = 1000;
    private Duration checkpointInterval = Duration.ofMinutes(1);
    private int maxBatch = 1024;
    private final List<CheckpointAnchor> anchors = new ArrayList<>();

    private Builder(PostgresState state, String origin, SigningKeyset checkpointKeys) {
      this.state = state;
      this.origin = AuditRecords.origin(origin);
      this.checkpointKeys = Objects.requireNonNull(checkpointKeys, "checkpointKeys");
      if (!checkpointKeys.algorithm().equals("Ed25519")) {
        throw new IllegalArgumentException("audit checkpoints are Ed25519 signed notes");
      }
      this.schema = state.schema();
      this.replica = defaultReplica();
    }

    /**
     * Seals the identifying members of every event (docs/audit-log-format.md section 7.1).
     *
     * @param value the keysets that seal and match the identities
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder sealIdentities(AuditSealing value) {
      this.sealing = Objects.requireNonNull(value, "sealing");
      return this;
    }

    /**
     * The name of this replica, kept beside each record it writes (not in the record): default the process id and
     * host name.
     *
     * @param value the replica's name; null is refused like any other invalid name
     * @return this builder
     * @throws IllegalArgumentException unless 1 to 128 printable ASCII characters
     */
    public Builder replica(String value) {
      if (value == null || value.isEmpty() || value.length() > 128
          || !value.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
        throw new IllegalArgumentException("a replica name is 1 to 128 printable ASCII characters");
      }
      this.replica = value;
      return this;
    }

    /**
     * The clock of checkpoint times and segment records (default: the system UTC clock).
     *
     * @param value the clock; every replica should be given the same time source
     * @return this builder
     * @throws NullPointerException if {@code value} is null
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * A checkpoint at least every {@code records} records (default 1000).
     *
     * @param records how many records may follow the last checkpoint before the next
     * @return this builder
     * @throws IllegalArgumentException unless between 1 and 1,000,000
     */
    public Builder checkpointEvery(long records) {
      if (records < 1 || records > 1_000_000) {
        throw new IllegalArgumentException("checkpointEvery is between 1 and 1,000,000 records");
      }
      this.checkpointEvery = records;
      return this;
    }

    /**
     * A checkpoint once records have waited this long for one (default one minute).
     *
     * @param value how long records may wait for a checkpoint
     * @return this builder
     * @throws IllegalArgumentException unless between 10 ms and a day
     * @throws NullPointerException if {@code value} is null
     */
    public Builder checkpointInterval(Duration value) {
      if (value.compareTo(Duration.ofMillis(10)) < 0 || value.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("checkpointInterval is between 10 ms and a day");
      }
      this.checkpointInterval = value;
      return this;
    }

    /**
     * The most events one transaction takes (default 1024).
     *
     * @param value the most events written in one transaction
     * @return this builder
     * @throws IllegalArgumentException unless between 1 and 65,536
     */
    public Builder maxBatch(int value) {
      if (value < 1 || value > 65_536) {
        throw new IllegalArgumentException("maxBatch is between 1 and 65,536");
      }
      this.maxBatch = value;
      return this;
    }

    /**
     * Publishes every checkpoint to {@code anchor} (a witness, a directory on another host) too, and checks on {@link
     * #open} that the log extends what it holds.
     *
     * @param anchor one more place checkpoints are kept; called from one thread, in checkpoint order
     * @return this builder
     * @throws NullPointerException if {@code anchor} is null
     */
    public Builder anchor(CheckpointAnchor anchor) {
      anchors.add(Objects.requireNonNull(anchor, "anchor"));
      return this;
    }

    /**
     * Checks that the log extends the checkpoint every anchor holds, and starts the log's writer.
     *
     * @return the log, writing; close it to write its last checkpoint
     * @throws AuditLogTamperedException if the log does not extend an anchor's checkpoint ({@code TRUNCATED}: it
     *     holds fewer records; {@code FORKED}: another history): it was cut back or rewritten in the database
     * @throws AuditException if the log or an anchor cannot be read
     */
    public PostgresAuditLog open() throws AuditException {
      checkAnchors(state.dataSource(), schema, origin, NoteSigner.over(origin, checkpointKeys), anchors);
      return new PostgresAuditLog(this, state.dataSource(), state.endpoint());
    }

    private static String defaultReplica() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "unknown-host";
      }
      String name = ProcessHandle.current().pid() + "@" + host;
      return name.length() > 128 ? name.substring(0, 128) : name;
    }
  }
}
