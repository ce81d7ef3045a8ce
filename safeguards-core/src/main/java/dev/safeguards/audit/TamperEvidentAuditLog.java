package dev.safeguards.audit;

import dev.safeguards.audit.AuditLogFormat.Segment;
import dev.safeguards.compliance.Evidence;
import dev.safeguards.compliance.Specification;
import dev.safeguards.compliance.Status;
import dev.safeguards.compliance.Weakness;
import dev.safeguards.crypto.ArchiveException;
import dev.safeguards.crypto.ArchiveManifest;
import dev.safeguards.crypto.SealedArchive;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.crypto.StreamingCipher;
import dev.safeguards.internal.AtomicFiles;
import dev.safeguards.tlog.Merkle;
import dev.safeguards.tlog.TileWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded, tamper-evident audit log: append-only JSON Lines segments in one directory, the records the leaves of
 * an RFC 9162 Merkle tree, with signed checkpoints (164.312(b), (c)(1)).
 *
 * <p><b>What it guarantees.</b>
 * <ul>
 *   <li>Every record carries its sequence number and is a leaf of the tree, so a changed, removed, moved or inserted
 *       record changes every later root ({@link AuditLogVerifier} finds it, and names the record against the tree's
 *       stored hashes).
 *   <li>Every N records and every T (clock time), on rotation and on close, a checkpoint (a C2SP tlog-checkpoint signed
 *       note over the tree's size and root, signed with the checkpoint key) is written into the log. Once it is on
 *       disk, the tree's hashes for its size are written as C2SP tlog-tiles, the note replaces the {@code checkpoint}
 *       file, and the checkpoint listener receives it, on a thread of the log's own, off the append path. Rewriting
 *       records after a checkpoint needs that key; cutting the log short is visible against the published checkpoint,
 *       and against any checkpoint kept elsewhere even when the files were rewritten as a whole.
 *   <li>Durable by default: {@link #record} returns only once the record is on the storage device. Concurrent appends
 *       share one fsync (group commit): before syncing, the log waits up to 1 ms for appends under way and for as
 *       many as the previous sync covered, so the batch grows with the number of producers even on a fast device.
 *       {@link #recordAll} writes a whole batch (what {@link AsyncAuditSink} has queued up) and syncs it once.
 *   <li>Segments rotate by size and age; each begins with a record naming the log and the segment, and the directory
 *       is synced so that the new file survives a crash.
 *   <li>Opening an existing log checks its published checkpoint and every record after it, rebuilds the tree from the
 *       tiles (or from the records, when the tiles do not give the published root), and refuses a log that holds
 *       fewer records than its published checkpoint covers; a torn last line left by a crash is cut off and a
 *       recovery record appended. Any other damage is reported as tampering ({@link AuditLogTamperedException}) and
 *       never repaired. A format-1 log (docs/audit-log-format-v1.md) is verified, not continued.
 *   <li>{@link #checkAvailable} fails once the file system has less room than a reserve ({@link
 *       Builder#minFreeSpace}, 16 MiB), so the gate refuses requests before they act while the reserve still takes
 *       the events of requests under way. An I/O error (a disk filled past the reserve, a vanished directory) fails
 *       the append that met it, and every append and {@link #checkAvailable} after it. The log retries
 *       with backoff (1 s doubling to 60 s unless set, on its clock, when asked to append or whether it is
 *       available): it cuts the log back to where its last acknowledged record ends (removing what failed appends
 *       left behind, so a refused event never appears later), and writes a {@code recovery} record naming when the
 *       failure began, how many appends it refused meanwhile, the bytes it cut and the failure's class; then it takes
 *       records again. No acknowledged record is lost and none is duplicated.
 *   <li>Files are created readable by the owner only (0600, directories 0700) where the file system supports it; one
 *       process at a time may write a directory.
 * </ul>
 * <p><b>Layers.</b> This class is the writer: records and segments, the checkpoint cadence, crash and I/O recovery,
 * under one lock. Below it the tree ({@link dev.safeguards.tlog.TileWriter}: RFC 9162 hashes, stored as tiles); beside
 * it durability ({@link GroupCommit}: appenders wait there, without the writer's lock, for a sync that covers them);
 * above it publication ({@link CheckpointPublisher}: tiles, the checkpoint file, anchors and the listener, on a thread
 * of its own, and the anchors' check when the log opens).
 *
 * <p>The format is specified byte for byte in docs/audit-log-format.md. Instances are thread-safe.
 */
public final class TamperEvidentAuditLog implements AuditSink {

  private static final Logger LOG = LoggerFactory.getLogger(TamperEvidentAuditLog.class);
  private static final String LOCK_FILE = ".lock";
  /** The latest published checkpoint, a signed note (the C2SP tlog-tiles name). */
  static final String CHECKPOINT_FILE = "checkpoint";

  private final Path directory;
  private final SigningKeyset signer;
  private final CheckpointNotes notes;
  private final String configuredOrigin;
  /** Seals the identifying members of events; null: written in the clear. */
  private final AuditSealing sealing;
  private final String anchorOverride;
  private final Format1Head continues;
  private final Clock clock;
  private final int checkpointEvery;
  private final Duration checkpointInterval;
  private final long maxSegmentBytes;
  private final Duration maxSegmentAge;
  private final boolean durable;
  private final FileChannel lockChannel;
  private final ScheduledExecutorService timer;
  /** Writes each checkpoint's tiles, then the checkpoint file, then hands it on; in order, off the append path. */
  private final CheckpointPublisher publisher;

  /** Guards the writing state below. */
  private final ReentrantLock lock = new ReentrantLock();
  /** Lines chained but not yet written; empty outside {@link #write}. */
  private UUID logId;
  private volatile String origin;
  /** The Merkle tree over every record, its hashes stored as tiles when a checkpoint is published. */
  private TileWriter tree;
  /** The segment being written; null only while a failed log recovers. A group sync reads it without the lock. */
  private volatile SegmentFile segment;
  private long lastSeq;
  private long sinceCheckpoint;
  private Instant lastCheckpointTime;
  /** Read without the lock by {@link #checkAvailable}. */
  private volatile boolean closed;
  /**
   * The checkpoints a write under way has written, published only once it succeeds: if it fails, a recovery cuts
   * them back with it. Empty outside {@link #write}; kept, not made anew, as every append passes here.
   */
  private final List<CheckpointPublisher.Published> deferred = new java.util.ArrayList<>();
  /** Whether a write is under way: checkpoints then go to {@link #deferred}. */
  private boolean deferring;
  private long records;
  private long events;
  private long checkpoints;
  private long rotations;

  private volatile IOException failure;
  /** While failed: when the failure began, when to try to recover next, the current backoff, appends refused. */
  private Instant failedAt;
  private volatile Instant retryAt = Instant.MIN;
  private Duration backoff;
  private final java.util.concurrent.atomic.AtomicLong refusedWhileFailed = new java.util.concurrent.atomic.AtomicLong();
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final long minFreeSpace;
  private volatile java.nio.file.FileStore store;

  /** Group commit: appenders wait there, without {@link #lock}, until a sync covers their record. */
  private final GroupCommit commits = new GroupCommit(() -> failure, this::flush);

  private TamperEvidentAuditLog(Builder b, FileChannel lockChannel) {
    this.directory = b.directory;
    this.signer = b.signer;
    this.notes = NoteCheckpoints.over(b.signer);
    this.configuredOrigin = b.origin;
    this.sealing = b.sealing;
    this.anchorOverride = b.anchorOverride;
    this.continues = b.continues;
    this.clock = b.clock;
    this.checkpointEvery = b.checkpointEvery;
    this.checkpointInterval = b.checkpointInterval;
    this.maxSegmentBytes = b.maxSegmentBytes;
    this.maxSegmentAge = b.maxSegmentAge;
    this.durable = b.durable;
    this.minFreeSpace = b.minFreeSpace;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.backoff = b.initialBackoff;
    this.lockChannel = lockChannel;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "safeguards-audit-checkpoint");
      t.setDaemon(true);
      return t;
    });
    this.publisher = new CheckpointPublisher(directory, b.anchors, b.anchorOverride, b.checkpointListener);
  }

  /**
   * Starts configuring a log in {@code directory}, signing checkpoints with {@code checkpointSigner} (an Ed25519
   * record-signing keyset of its own: note signatures are Ed25519; keep its public keys, {@link
   * SigningKeyset#publicJwks()}, where the verifier runs).
   *
   * @param directory the log's directory, made absolute; created when the log opens if missing; not null
   * @param checkpointSigner the checkpoint keyset; not null, used (not copied) at each checkpoint
   * @return a builder; each setter names its default
   * @throws IllegalArgumentException if the keyset is not Ed25519
   */
  public static Builder builder(Path directory, SigningKeyset checkpointSigner) {
    return new Builder(directory, checkpointSigner);
  }

  /**
   * The log's id, from the first record of its first segment.
   *
   * @return the id; never null once the log is open
   */
  public UUID logId() {
    lock.lock();
    try {
      return logId;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends {@code event}; in the default durable mode, returns once it is on the storage device.
   *
   * @throws AuditException if the log is closed or failed, the write or sync fails, or the event is too large for a
   *     record (a line is at most 1 MiB; the event is refused, the log takes others)
   */
  @Override
  public void record(AuditEvent event) throws AuditException {
    write(List.of(Objects.requireNonNull(event, "event")), true);
  }

  /**
   * Appends {@code events} in order with one write (more where a checkpoint or a rotation falls inside the batch);
   * in the default durable mode, returns once all of them are on the storage device, after a single sync.
   *
   * @throws AuditException if the log is closed or failed, an event is too large for a record (the batch is refused,
   *     nothing written), or the write or sync fails; the log then refuses every later record until it recovers, and
   *     the recovery removes whatever part of the batch reached the file (its checkpoints are not published), so that
   *     the batch can be handed over again without a duplicate
   */
  @Override
  public void recordAll(List<AuditEvent> events) throws AuditException {
    if (!events.isEmpty()) {
      write(events, false);
    }
  }

  /**
   * Appends the events; {@code gather}: a group sync may wait for other producers' appends (one event at a time from
   * many threads), rather than only for those under way (a batch from one thread). The caller's interrupt is set
   * aside meanwhile and restored after: an interruptible channel (the directory sync of a rotation or a recovery)
   * would close on it and fail the log for every caller, and a record, once buffered, is waited for, not abandoned.
   */
  private void write(List<AuditEvent> batch, boolean gather) throws AuditException {
    boolean interrupted = Thread.interrupted(); // see the description above
    try {
      writeUninterrupted(batch, gather);
    } finally {
      restoreInterrupt(interrupted);
    }
  }

  private void writeUninterrupted(List<AuditEvent> batch, boolean gather) throws AuditException {
    long seq;
    GroupCommit.Hold hold = null;
    boolean acknowledged = false;
    boolean counted = true;
    commits.appendStarted();
    try {
      byte[][] json = new byte[batch.size()][];
      for (int i = 0; i < json.length; i++) {
        json[i] = AuditJson.encode(batch.get(i), sealing, origin);
        if (json[i].length > AuditRecords.MAX_EVENT_OBJECT) {
          // Written, its line would be longer than a reader takes: the log would not open again.
          throw new AuditEventTooLargeException(i, json[i].length);
        }
      }
      lock.lock();
      boolean ok = false;
      try {
        usable();
        hold = commits.hold(segment.number(), segment.bytes());
        deferring = true;
        for (byte[] event : json) {
          if (segment.due(maxSegmentBytes, maxSegmentAge, clock.instant())) {
            flush();
            rotate();
          }
          buffer(AuditLogFormat.eventRecord(lastSeq + 1, event));
          events++;
          if (sinceCheckpoint >= checkpointEvery || timeForCheckpoint()) {
            flush();
            writeCheckpoint();
          }
        }
        if (!durable) {
          flush(); // durable: the group sync that covers them writes them, with the others it covers, in one write
        } else if (!deferred.isEmpty()) {
          syncExclusively(() -> { }); // its checkpoints are published once all of it is durable: none is cut later
        }
        ok = true;
        acknowledged = !durable || !deferred.isEmpty();
        commits.appendDone();
        counted = false;
        seq = lastSeq;
      } catch (IOException e) {
        throw fail(e);
      } finally {
        List<CheckpointPublisher.Published> checkpointsWritten = deferred.isEmpty() ? List.of() : List.copyOf(deferred);
        deferred.clear();
        deferring = false;
        if (ok && durable) {
          commits.written(hold, lastSeq); // ends as the sync covering it ends (at once, if one did already)
        } else if (hold != null && (ok || failure == null)) {
          commits.release(hold);
        } // failed: the hold stays, and a recovery cuts the log back to where this write began
        if (ok) {
          checkpointsWritten.forEach(publisher::publish);
        }
        lock.unlock();
      }
    } finally {
      if (counted) {
        commits.appendDone();
      }
    }
    if (!acknowledged) {
      commits.awaitDurable(seq, gather, this::fail); // throws if refused: the hold then stays, as above
    }
  }

  /**
   * Fails while the log is closed, or failed and not yet recovered; when failed and its backoff has passed, tries to
   * recover first (see the class description). Cheap otherwise: no I/O.
   *
   * @throws AuditException if the log is closed or cannot record now
   */
  @Override
  public void checkAvailable() throws AuditException {
    if (failure == null && !closed) {
      checkFreeSpace();
      return;
    }
    if (failure != null && !clock.instant().isBefore(retryAt) && lock.tryLock()) {
      boolean interrupted = Thread.interrupted(); // see write
      try {
        usable();
        return;
      } finally {
        lock.unlock();
        restoreInterrupt(interrupted);
      }
    }
    if (closed) {
      throw new AuditException("the audit log is closed");
    }
    refusedWhileFailed.incrementAndGet();
    throw new AuditException("the audit log failed and has not recovered yet", failure);
  }

  /** Fails while the log's file system has less room than the reserve for the events of requests under way. */
  private void checkFreeSpace() throws AuditException {
    if (minFreeSpace == 0) {
      return;
    }
    try {
      java.nio.file.FileStore s = store;
      if (s == null) {
        s = Files.getFileStore(directory);
        store = s;
      }
      if (s.getUsableSpace() < minFreeSpace) {
        throw new AuditException("the audit log's file system has less than " + minFreeSpace + " bytes free");
      }
    } catch (IOException e) {
      throw new AuditException("the free space of the audit log's file system is unknown", e);
    }
  }

  /**
   * Signs a checkpoint over everything appended so far, unless the last record is already one.
   *
   * @throws AuditException if the log is closed or failed, or the write fails
   */
  public void checkpoint() throws AuditException {
    boolean interrupted = Thread.interrupted(); // see write
    lock.lock();
    try {
      usable();
      if (sinceCheckpoint > 0) {
        writeCheckpoint();
      }
    } catch (IOException e) {
      throw fail(e);
    } finally {
      lock.unlock();
      restoreInterrupt(interrupted);
    }
  }

  private static void restoreInterrupt(boolean interrupted) {
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Signs a checkpoint if records are waiting for one and the checkpoint interval has passed on the clock. The log
   * calls this on a timer of its own; call it yourself to drive the log from another clock.
   *
   * @throws AuditException if the log failed, or the write fails
   */
  public void checkpointIfDue() throws AuditException {
    boolean interrupted = Thread.interrupted(); // see write; close interrupts the timer's thread
    lock.lock();
    try {
      if (closed) {
        return;
      }
      usable();
      if (timeForCheckpoint()) {
        writeCheckpoint();
      }
    } catch (IOException e) {
      throw fail(e);
    } finally {
      lock.unlock();
      restoreInterrupt(interrupted);
    }
  }

  /**
   * What this log contributes to the compliance report: its settings, audit controls met, and what weakens them (no
   * anchor off the host, a checkpoint key in the data directory, an anchor override, acknowledging before the sync).
   *
   * @return the evidence, as configured now
   */
  public Evidence evidence() {
    Evidence.Builder e = Evidence.of("TamperEvidentAuditLog")
        .serves(Specification.AUDIT_CONTROLS, Status.MET)
        .setting("directory", directory.toString())
        .setting("durable", durable)
        .setting("origin", origin)
        .setting("identities", sealing == null ? "in the clear" : "sealed: " + sealing)
        .setting("tree", "RFC 9162 SHA-256, C2SP tlog-tiles")
        .setting("checkpoints", "C2SP tlog-checkpoint signed notes, " + signer.algorithm())
        .setting("checkpointEvery", (long) checkpointEvery)
        .setting("checkpointInterval", checkpointInterval)
        .setting("maxSegmentBytes", maxSegmentBytes)
        .setting("maxSegmentAge", maxSegmentAge)
        .setting("minFreeSpace", minFreeSpace)
        .setting("anchors", publisher.describeAnchors());
    if (!publisher.anchored()) {
      e.weakens(Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET, "no checkpoint anchor off the host: whoever can "
          + "write the log's files can cut it back to any checkpoint and rewrite what follows, undetected");
    }
    Path dataDirectory = directory.getParent() == null ? directory : directory.getParent();
    signer.file().map(f -> f.toAbsolutePath().normalize()).filter(f -> f.startsWith(dataDirectory)).ifPresent(f ->
        e.weakens(Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET, "the checkpoint key " + f + " is kept in the "
            + "audit log's data directory " + dataDirectory + ": whoever can rewrite the log there can take the key "
            + "too (and its master key, if that is there as well) and sign checkpoints over a forged history; keep it "
            + "under another account or mount, or behind a KMS master key, and anchor checkpoints off the host"));
    if (anchorOverride != null) {
      e.weakens(Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET, "opened on an operator's override of its "
          + "checkpoint anchors");
    }
    if (!durable) {
      e.weakens(Specification.AUDIT_CONTROLS, Status.PARTIALLY_MET,
          "events are acknowledged before they are on disk (acknowledgeBeforeSync): a crash can lose the last ones");
      e.weakness(Weakness.AUDIT_NOT_DURABLE, "audit events are acknowledged before they are durable");
    }
    return e.build();
  }

  /**
   * What the log did since it was opened: records and events appended, syncs, checkpoints and segment rotations.
   *
   * @return the counters, read together under the log's lock
   */
  public AuditLogStats stats() {
    long s = commits.syncs();
    lock.lock();
    try {
      return new AuditLogStats(records, events, s, checkpoints, rotations);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Signs a final checkpoint, syncs and closes the log. Later appends fail. A log that failed and has not recovered
   * tries once more first, backoff or not, so that what failed appends left behind is cut off before the log is
   * reopened, when no one knows any more where its last acknowledged record ended.
   *
   * @throws AuditException if the log failed and cannot recover now, or the final checkpoint or sync fails
   */
  @Override
  public void close() throws AuditException {
    timer.shutdownNow();
    boolean interrupted = Thread.interrupted(); // see write: its last recovery, if failed, and the publisher's drain
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (failure != null) {
        retryAt = Instant.MIN;
        recover();
      }
      IOException error = failure;
      if (error == null) {
        try {
          CheckpointPublisher.Published last = sinceCheckpoint > 0 ? appendCheckpoint() : null;
          syncExclusively(() -> segment.close()); // no group sync meets a closed file
          publisher.publish(last);
          publisher.drain(); // the tiles and the checkpoint file, while the directory is still locked
        } catch (IOException e) {
          error = e;
          failure = e;
        }
      } else {
        publisher.drain();
      }
      closeQuietly();
      publisher.shutdown();
      if (error != null) {
        throw new AuditException("the audit log in " + directory + " did not close cleanly", error);
      }
    } finally {
      lock.unlock();
      commits.wakeAll();
      restoreInterrupt(interrupted);
    }
  }

  /**
   * Seals every closed segment of the log in {@code directory} (all but the newest, which a running log may still be
   * writing) into a new encrypted archive ({@link SealedArchive}), for shipping off the host. The segments are left in
   * place; remove them once the archive is stored and verified, and verify what remains with {@link
   * AuditLogVerifier.Builder#allowArchivedPrefix()}.
   *
   * @param directory the log's directory; read only
   * @param archive the archive file to create; must not exist
   * @param cipher encrypts the archive; not null
   * @param clock gives the archive's creation time; not null
   * @return the archive's manifest, naming each segment and its SHA-256
   * @throws ArchiveException if there is no closed segment, the archive exists, or writing it fails
   */
  public static ArchiveManifest sealClosedSegments(Path directory, Path archive, StreamingCipher cipher, Clock clock)
      throws ArchiveException {
    List<Segment> segments;
    try {
      segments = AuditLogFormat.segments(directory);
    } catch (IOException e) {
      throw new ArchiveException("cannot list the audit log directory", e);
    }
    if (segments.size() < 2) {
      throw new ArchiveException("the audit log has no closed segment to seal");
    }
    try (SealedArchive.Writer writer = SealedArchive.create(archive, cipher, clock)) {
      for (Segment s : segments.subList(0, segments.size() - 1)) {
        writer.addFile(s.path().getFileName().toString(), s.path());
      }
      return writer.finish();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Writing; every method below runs under lock.

  private void usable() throws AuditException {
    if (closed) {
      throw new AuditException("the audit log is closed");
    }
    if (failure != null && !recover()) {
      refusedWhileFailed.incrementAndGet();
      throw new AuditException("the audit log failed and has not recovered yet", failure);
    }
  }

  private AuditException fail(IOException e) {
    if (failure == null) {
      failure = e;
      failedAt = now();
      backoff = initialBackoff;
      retryAt = clock.instant().plus(backoff);
      refusedWhileFailed.set(0);
      LOG.error("the audit log in {} failed; it refuses every record until it recovers (next try in {}): {}",
          directory, backoff, e.getClass().getName());
    }
    commits.wakeAll();
    return new AuditException("the audit log could not write a record", e);
  }

  private void append(byte[] record) throws IOException {
    buffer(record);
    flush();
  }

  /** Adds {@code record} to the tree and its line to the pending bytes; {@link #flush} writes them. */
  private void buffer(byte[] record) {
    tree.append(Merkle.leafHash(record));
    byte[] line = AuditLogFormat.lineV2(record);
    segment.buffer(line, ++lastSeq);
    commits.buffered(lastSeq);
    sinceCheckpoint++;
    records++;
  }

  /**
   * Writes the pending lines to the open segment in one call; a group sync may then cover them. A group sync calls it
   * too, without {@link #lock}: the segment is only replaced while no group sync runs ({@link #syncExclusively},
   * {@link #recover}).
   */
  private void flush() throws IOException {
    SegmentFile s = segment;
    if (s == null) {
      return;
    }
    s.flush(w -> {
      commits.written(new GroupCommit.Tail(s.file(), w.lastSeq(), s.number(), w.bytes()));
      if (!durable) {
        // written to the operating system is acknowledged in this mode
        commits.acknowledged(s.number(), w.bytes());
      }
    });
  }

  private boolean timeForCheckpoint() {
    return sinceCheckpoint > 0 && !clock.instant().isBefore(lastCheckpointTime.plus(checkpointInterval));
  }

  /** Writes a checkpoint over the records before it, syncs it, and only then has it published. */
  private void writeCheckpoint() throws IOException {
    CheckpointPublisher.Published c = appendCheckpoint();
    syncExclusively(() -> { });
    publish(c);
  }

  /** Has {@code c} (if not null) published, once the write under way, if any, succeeds. */
  private void publish(CheckpointPublisher.Published c) {
    if (!deferring) {
      publisher.publish(c);
    } else if (c != null) {
      deferred.add(c);
    }
  }

  /** Signs the tree of every record so far and appends the checkpoint record; the record itself is the next leaf. */
  private CheckpointPublisher.Published appendCheckpoint() throws IOException {
    Instant now = now();
    TileWriter.Snapshot tiles = tree.snapshot();
    AuditCheckpoint c = notes.sign(origin, tiles.size(), tiles.root());
    append(AuditLogFormat.checkpointRecordV2(lastSeq + 1, c.note()));
    sinceCheckpoint = 0;
    lastCheckpointTime = now;
    checkpoints++;
    return new CheckpointPublisher.Published(c, tiles);
  }

  /** Asks every anchor whether the log as it is extends what it holds; see {@link CheckpointPublisher#checkAnchors}. */
  private List<byte[]> checkAnchors() throws AuditException {
    if (!publisher.anchored()) {
      return List.of();
    }
    return publisher.checkAnchors(notes.sign(origin, tree.size(), tree.root()), tree, now());
  }

  /**
   * Closes the segment with a checkpoint and starts the next one. The old file is synced and closed, and the new one
   * created and synced, while no group sync can run, so that no sync meets a closed file.
   */
  private void rotate() throws IOException {
    CheckpointPublisher.Published c = sinceCheckpoint > 0 ? appendCheckpoint() : null;
    SegmentFile old = segment;
    syncExclusively(() -> {
      startSegment(old.number() + 1);
      segment.sync();
      old.close();
    });
    rotations++;
    publish(c);
  }

  /** Creates segment {@code number}, writes its first record, and syncs the directory (not yet the file). */
  private void startSegment(long number) throws IOException {
    segment = SegmentFile.create(directory, number);
    writeSegmentRecord();
    AtomicFiles.fsyncDirectory(directory);
  }

  private void writeSegmentRecord() throws IOException {
    segment.started(now());
    append(AuditLogFormat.segmentRecordV2(lastSeq + 1, origin, logId, segment.number(), segment.opened(),
        segment.number() == 1 ? continues : null));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private void closeQuietly() {
    try {
      if (segment != null) {
        segment.close();
      }
    } catch (IOException e) {
      LOG.warn("closing the audit segment failed: {}", e.toString());
    }
    try {
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("releasing the audit log lock failed: {}", e.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Group commit.

  /**
   * Syncs the open segment, then runs {@code then}, while no group sync runs, so that {@code then} may close or
   * replace the file. Runs under lock; afterwards everything written so far counts as durable.
   */
  private void syncExclusively(GroupCommit.SyncedWork then) throws IOException {
    flush();
    commits.syncExclusively(segment.file(), lastSeq, segment.number(), segment.bytes(), then);
  }

  /**
   * Tries to recover from {@link #failure}, if its backoff has passed: rereads the newest segment, continues after its
   * last complete record, and writes a recovery record. Runs under lock.
   *
   * @return whether the log takes records again
   */
  private boolean recover() {
    if (clock.instant().isBefore(retryAt)) {
      return false;
    }
    IOException cause = failure;
    try {
      commits.beginExclusive();
      boolean ok = false;
      try {
        if (segment != null) {
          segment.discardPending();
          try {
            segment.close();
          } catch (IOException e) {
            // the handle of a failed file: closing it is all that is left to do
          }
          segment = null;
        }
        publisher.drain(); // it may be writing tiles the walk below reads
        GroupCommit.Position acknowledged = commits.cutBackTo();
        long cut = SegmentFile.cutBack(directory, acknowledged.segment(), acknowledged.bytes());
        List<Segment> segments = AuditLogFormat.segments(directory);
        if (segments.isEmpty()) {
          throw new AuditLogTamperedException(AuditLogTamperedException.Tampering.DELETED, 1, "(none)", 0,
              "the log's segments are gone");
        }
        long torn = resume(segments);
        append(AuditLogFormat.outageRecord(lastSeq + 1, now(), cut + torn, failedAt, refusedWhileFailed.get(),
            cause.getClass().getSimpleName()));
        segment.sync();
        ok = true;
      } finally {
        commits.endExclusive(lastSeq, ok ? segment.number() : 0, ok ? segment.bytes() : 0, ok);
      }
    } catch (IOException | AuditException | RuntimeException e) {
      backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      retryAt = clock.instant().plus(backoff);
      LOG.warn("the audit log in {} has not recovered yet (next try in {}): {}", directory, backoff,
          e.getClass().getName());
      return false;
    }
    commits.durableUpTo(lastSeq);
    LOG.warn("the audit log in {} recovered: it failed at {} and refused {} records meanwhile", directory, failedAt,
        refusedWhileFailed.get());
    failure = null;
    refusedWhileFailed.set(0);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Opening.

  private void open() throws IOException, AuditException {
    List<Segment> segments = AuditLogFormat.segments(directory);
    if (segments.isEmpty()) {
      if (Files.exists(directory.resolve(CHECKPOINT_FILE))) {
        throw new AuditLogTamperedException(AuditLogTamperedException.Tampering.DELETED, 1, "(none)", 0,
            "the log published a checkpoint, but its segments are gone");
      }
      startLog();
      List<byte[]> overrides = checkAnchors();
      startSegment(1);
      appendOverrides(overrides);
      syncExclusively(() -> { });
      lastCheckpointTime = segment.opened();
      return;
    }
    if (AuditLogFormat.version(segments.get(0).path()) == AuditLogFormat.Version.V1) {
      throw new AuditException("the audit log in " + directory + " is in format 1, which this version verifies but "
          + "does not continue: keep it for verification and write format 2 to a new directory");
    }
    long torn = resume(segments);
    List<byte[]> overrides = checkAnchors();
    if (torn > 0) {
      append(AuditLogFormat.recoveryRecord(lastSeq + 1, now(), torn));
    }
    appendOverrides(overrides);
    syncExclusively(() -> { });
    if (torn > 0) {
      LOG.warn("audit log {} recovered from a crash: cut {} bytes of a torn record from segment {}", logId, torn,
          segment.number());
    }
  }

  /** Appends the override records {@link #checkAnchors} made, each with its sequence number. */
  private void appendOverrides(List<byte[]> overrides) throws IOException {
    for (byte[] template : overrides) {
      append(AuditLogFormat.withSeq(template, lastSeq + 1));
    }
  }

  /** A new log: its id and origin, and an empty tree (removing tiles a log that is gone left behind). */
  private void startLog() throws IOException {
    logId = UUID.randomUUID();
    origin = configuredOrigin != null ? configuredOrigin : "safeguards-audit/" + logId;
    tree = TileWriter.open(directory, 0);
  }

  /**
   * Continues the log after the last complete record of its newest segment, as it is on disk: the tree rebuilt from
   * the tiles of the published checkpoint and the records after it (or from all records, if the tiles do not match
   * it), the segment file open and positioned after its last complete line (a torn line cut off). Syncs nothing: the
   * caller syncs what it appends after.
   *
   * @return how many bytes of a torn line were cut
   */
  private long resume(List<Segment> segments) throws IOException, AuditException {
    ReopenedLog reopened = ReopenedLog.read(directory, notes, segments);
    tree = reopened.tree();
    TreeWalk walk = reopened.walk();
    Segment last = reopened.last();
    long torn = walk.tornBytes;
    if (walk.lastSegmentEmpty) {
      // A crash while starting this segment: continue the records of the one before, or start the log afresh.
      if (walk.firstSeq >= 0) {
        continueFrom(walk);
      } else if (last.number() != 1) {
        throw new AuditLogTamperedException(AuditLogTamperedException.Tampering.DELETED, 1,
            last.path().getFileName().toString(), 0, "the only segment is empty and is not the first");
      } else {
        startLog();
      }
      segment = SegmentFile.open(last.path(), last.number(), 0);
      writeSegmentRecord();
      lastCheckpointTime = segment.opened();
    } else {
      continueFrom(walk);
      segment = SegmentFile.open(last.path(), last.number(), walk.completeBytes);
      segment.resumed(walk.segmentOpened, walk.lastSeq - walk.segmentFirstSeq + 1);
    }
    return torn;
  }

  private void continueFrom(TreeWalk walk) throws AuditException {
    if (configuredOrigin != null && !configuredOrigin.equals(walk.origin)) {
      throw new AuditException("the audit log in " + directory + " has the origin " + walk.origin
          + ", not the one configured");
    }
    logId = walk.logId;
    origin = walk.origin;
    lastSeq = walk.lastSeq;
    sinceCheckpoint = walk.unsignedTail;
    lastCheckpointTime = now(); // the interval counts from the reopening: no record says when the last one was signed
    commits.written(null); // no file to sync until the next write
    commits.durableUpTo(lastSeq);
  }

  /** Configures and opens a {@link TamperEvidentAuditLog}. */
  public static final class Builder {
    private final Path directory;
    private final SigningKeyset signer;
    private Clock clock = Clock.systemUTC();
    private int checkpointEvery = 1000;
    private Duration checkpointInterval = Duration.ofMinutes(1);
    private long maxSegmentBytes = 64L << 20;
    private Duration maxSegmentAge = Duration.ofDays(1);
    private boolean durable = true;
    private Consumer<AuditCheckpoint> checkpointListener = c -> { };
    private String origin;
    private AuditSealing sealing;
    private final List<CheckpointAnchor> anchors = new java.util.ArrayList<>();
    private String anchorOverride;
    private Format1Head continues;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private long minFreeSpace = 16L << 20;

    private Builder(Path directory, SigningKeyset signer) {
      this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
      this.signer = Objects.requireNonNull(signer, "checkpointSigner");
      if (!signer.algorithm().equals("Ed25519")) {
        throw new IllegalArgumentException("audit checkpoints are Ed25519 signed notes, so that a verifier can check "
            + "them with the public key alone");
      }
    }

    /**
     * The log's origin: the first line of its checkpoints, which names the log to verifiers and witnesses (a
     * schema-less URL such as {@code clinic.example/audit}: printable, no spaces, no {@code +}). A new log takes
     * {@code safeguards-audit/<log id>} unless set; an existing log keeps its own and refuses to open under another.
     *
     * @param value the origin: 1 to 255 printable ASCII characters, no spaces, no {@code +}
     * @return this builder
     * @throws IllegalArgumentException if {@code value} is not a valid origin
     */
    public Builder origin(String value) {
      origin = NoteCheckpoints.checkOrigin(value);
      return this;
    }

    /**
     * Seals the identifying members of every event written from now on (who acted, what was touched, an emergency
     * justification) under {@code value}'s keys, beside index tokens for review; see {@link AuditSealing}. Verifying
     * the log and its proofs still needs the checkpoint public key alone.
     *
     * @param value the audit log's own identity and index keysets; not null
     * @return this builder
     */
    public Builder sealIdentities(AuditSealing value) {
      sealing = Objects.requireNonNull(value, "sealing");
      return this;
    }

    /**
     * The clock for record times, checkpoint intervals and segment ages; the system UTC clock unless set.
     *
     * @param value gives record times, checkpoint intervals and segment ages; not null
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Signs a checkpoint after this many records; 1000 unless set.
     *
     * @param recordCount records per checkpoint, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code recordCount} is less than 1
     */
    public Builder checkpointEvery(int recordCount) {
      if (recordCount < 1) {
        throw new IllegalArgumentException("checkpoints come after at least one record");
      }
      checkpointEvery = recordCount;
      return this;
    }

    /**
     * Signs a checkpoint when records have waited this long for one; one minute unless set.
     *
     * @param interval how long records may wait for a checkpoint, at least one second; not null
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is under one second
     */
    public Builder checkpointInterval(Duration interval) {
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("the checkpoint interval is at least one second");
      }
      checkpointInterval = interval;
      return this;
    }

    /**
     * Publishes every checkpoint to {@code anchor} too, and on opening requires the log to extend the latest checkpoint
     * the anchor holds for the log's origin (or refuses to open it: the log was cut back or rewritten). Needs an
     * {@link #origin} of the log's own, so that a log deleted and created anew is found as well. Repeatable.
     *
     * @param anchor where to publish, e.g. a {@link DirectoryAnchor} or a {@link WitnessAnchor}; not null
     * @return this builder
     */
    public Builder anchor(CheckpointAnchor anchor) {
      anchors.add(Objects.requireNonNull(anchor, "anchor"));
      return this;
    }

    /**
     * Makes a new log continue the format-1 log that ended at {@code head} ({@link VerifiedAuditLog#head()} of that
     * log, verified): its first record names it, so the two verify as one history. Applies when the log is created.
     *
     * @param head the end of the verified format-1 log ({@link VerifiedAuditLog#head()}); not null
     * @return this builder
     */
    public Builder continues(Format1Head head) {
      continues = Objects.requireNonNull(head, "head");
      return this;
    }

    /**
     * Opens the log even if it does not extend what its anchors hold, and writes an {@code override} record for each
     * such anchor (which anchor, the sizes, the finding and {@code reason}) into the log; the compliance report shows
     * it. For an operator who restored a log from a backup, knowing what was lost. {@code reason}: 10 to 200
     * printable ASCII characters, no personal data.
     *
     * @param reason why the operator opens the log anyway, in words, without personal data
     * @return this builder
     * @throws IllegalArgumentException if {@code reason} is null, shorter than 10 characters once stripped, longer than
     *     200, or not printable ASCII
     */
    public Builder overrideAnchors(String reason) {
      if (reason == null || reason.strip().length() < 10 || reason.length() > 200
          || !reason.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
        throw new IllegalArgumentException("an override reason is 10 to 200 printable ASCII characters");
      }
      anchorOverride = reason.strip();
      return this;
    }

    /**
     * How long the log waits after an I/O failure before it tries to recover, doubling after each failed try up to
     * {@code max}; 1 s and 60 s unless set.
     *
     * @param initial the wait after the first failure; not null
     * @param max the longest wait, at most one hour; not null
     * @return this builder
     * @throws IllegalArgumentException unless {@code 0 < initial <= max <= 1 hour}
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0
          || max.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("a backoff is positive, its maximum at least the start and at most an hour");
      }
      initialBackoff = initial;
      maxBackoff = max;
      return this;
    }

    /**
     * How much room the log's file system must have for {@link TamperEvidentAuditLog#checkAvailable} to pass; 16 MiB
     * unless set, 0 turns the check off. The gate asks before a request acts, so once the disk is this full requests
     * are refused before they change anything, while the room left still takes the events of those under way.
     *
     * @param bytes the reserve in bytes, at least 0; 0 turns the check off
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder minFreeSpace(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("free space is not negative");
      }
      minFreeSpace = bytes;
      return this;
    }

    /**
     * Starts a new segment once the current one holds this many bytes; 64 MiB unless set.
     *
     * @param bytes the size in bytes, at least 4096
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is under 4096
     */
    public Builder maxSegmentBytes(long bytes) {
      if (bytes < 4096) {
        throw new IllegalArgumentException("a segment holds at least 4096 bytes");
      }
      maxSegmentBytes = bytes;
      return this;
    }

    /**
     * Starts a new segment once the current one is this old; one day unless set.
     *
     * @param age the age, at least one minute; not null
     * @return this builder
     * @throws IllegalArgumentException if {@code age} is under one minute
     */
    public Builder maxSegmentAge(Duration age) {
      if (age.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException("a segment lives at least one minute");
      }
      maxSegmentAge = age;
      return this;
    }

    /**
     * Lets {@link TamperEvidentAuditLog#record} return once the record is written to the operating system, before it
     * is on the storage device. <b>Warning:</b> a power failure or kernel crash can then lose acknowledged events;
     * a process crash cannot. Checkpoints, rotations and close still sync.
     *
     * @return this builder
     */
    public Builder acknowledgeBeforeSync() {
      durable = false;
      return this;
    }

    /**
     * Receives every checkpoint once it and the tiles of its tree are on disk, to be kept off the host (a SIEM,
     * object storage, a witness) so that {@link AuditLogVerifier.Builder#trustCheckpoint} can catch a log cut short
     * or rewritten. It runs on the log's publishing thread, one checkpoint at a time in order; its exceptions are
     * logged, not thrown.
     *
     * @param listener receives each checkpoint; not null. Replaces any listener set before
     * @return this builder
     */
    public Builder onCheckpoint(Consumer<AuditCheckpoint> listener) {
      checkpointListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Opens the log: creates the directory (owner-only) or checks and continues the last segment, recovering from a
     * torn last line.
     *
     * @return the open log, holding the directory's lock until closed
     * @throws IllegalStateException if anchors are set without an {@link #origin}
     * @throws AuditLogTamperedException if the last segment is damaged other than by a torn last line
     * @throws AuditException if another writer holds the directory, or it cannot be created, read or written
     */
    public TamperEvidentAuditLog open() throws AuditException {
      if (!anchors.isEmpty() && origin == null) {
        throw new IllegalStateException("an anchored audit log needs an origin of its own (Builder.origin), so that "
            + "its anchors find a log deleted and created anew");
      }
      FileChannel lockChannel = null;
      try {
        AtomicFiles.createOwnerOnlyDirectories(directory);
        lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        AtomicFiles.restrictToOwner(directory.resolve(LOCK_FILE));
        FileLock fileLock;
        try {
          fileLock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
          fileLock = null;
        }
        if (fileLock == null) {
          throw new AuditException("another writer holds the audit log in " + directory);
        }
        TamperEvidentAuditLog log = new TamperEvidentAuditLog(this, lockChannel);
        log.lock.lock();
        try {
          log.open();
        } catch (IOException | AuditException | RuntimeException e) {
          log.closeQuietly();
          log.timer.shutdownNow();
          throw e;
        } finally {
          log.lock.unlock();
        }
        long period = checkpointInterval.toMillis();
        log.timer.scheduleWithFixedDelay(log::checkpointOnTimer, period, period, TimeUnit.MILLISECONDS);
        return log;
      } catch (IOException e) {
        closeChannel(lockChannel);
        throw new AuditException("cannot open the audit log in " + directory, e);
      } catch (AuditException | RuntimeException e) {
        closeChannel(lockChannel);
        throw e;
      }
    }

    private static void closeChannel(FileChannel channel) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
    }
  }

  private void checkpointOnTimer() {
    try {
      checkpointIfDue();
    } catch (AuditException | RuntimeException e) {
      LOG.error("the timed audit checkpoint failed: {}", e.toString());
    }
  }
}
