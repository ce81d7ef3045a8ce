package dev.safeguards.audit;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks the signatures of the checkpoint notes a walk meets on a thread of its own, while the walk goes on hashing
 * records: one Ed25519 verification (Tink's Java code) costs about as much as hashing a thousand records, so on a
 * machine with a second core this takes the signatures off the walk's time. The walk reads what each note states
 * without waiting ({@link TreeWalk.Notes#statement}); a signature that does not verify is reported where its note is,
 * and before anything the walk found after it, just as if the walk had checked it in line.
 *
 * <p>Not thread-safe: one walk uses it. {@link #close} stops the thread.
 */
final class NoteSignatureChecks implements AutoCloseable {

  private record Pending(Future<TreeWalk.NoteRejected> result, long seq, String name, long lineNo) {}

  private final TreeWalk.Notes notes;
  /** Checks submitted and not yet reported, in the order of their notes in the log. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private ExecutorService thread;

  NoteSignatureChecks(TreeWalk.Notes notes) {
    this.notes = notes;
  }

  /**
   * Has the signature of {@code note} (record {@code seq}, line {@code lineNo} of segment {@code name}) checked, and
   * reports the checks submitted before it that have finished.
   *
   * @throws AuditException if one of those failed: the first of them
   */
  void submit(String note, long seq, String name, long lineNo) throws AuditException {
    if (thread == null) {
      thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "safeguards-audit-note-signatures");
        t.setDaemon(true);
        return t;
      });
    }
    pending.add(new Pending(thread.submit(() -> check(note)), seq, name, lineNo));
    while (!pending.isEmpty() && pending.peek().result().isDone()) {
      report(pending.poll());
    }
  }

  /**
   * Waits for every check submitted.
   *
   * @throws AuditLogTamperedException for the first note whose signature does not verify
   * @throws AuditException if interrupted while waiting
   */
  void awaitAll() throws AuditException {
    while (!pending.isEmpty()) {
      report(pending.poll());
    }
  }

  private TreeWalk.NoteRejected check(String note) {
    try {
      notes.open(note);
      return null;
    } catch (TreeWalk.NoteRejected e) {
      return e;
    }
  }

  private static void report(Pending p) throws AuditException {
    TreeWalk.NoteRejected rejected;
    try {
      rejected = p.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("interrupted while checking checkpoint signatures", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) e.getCause();
    }
    if (rejected != null) {
      throw SegmentWalk.tampered(rejected.tampering, p.seq(), p.name(), p.lineNo(), rejected.getMessage());
    }
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
