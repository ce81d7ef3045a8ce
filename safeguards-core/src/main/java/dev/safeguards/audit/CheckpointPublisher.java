package dev.safeguards.audit;

import dev.safeguards.internal.AtomicFiles;
import dev.safeguards.tlog.Proofs;
import dev.safeguards.tlog.TileReader;
import dev.safeguards.tlog.TileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log's top layer: publishes each checkpoint once its record is durable (the tiles of its tree, then the
 * {@code checkpoint} file, then every anchor and the listener), on a thread of its own, off the append path; and, when
 * the log opens, asks every anchor whether the log still extends what it holds. It never takes the writer's locks.
 */
final class CheckpointPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointPublisher.class);

  /** A checkpoint whose record is in the log, and the tiles of its tree, written before it is published. */
  record Published(AuditCheckpoint checkpoint, TileWriter.Snapshot tiles) {}

  private final Path directory;
  private final List<CheckpointAnchor> anchors;
  private final String anchorOverride;
  private final Consumer<AuditCheckpoint> listener;
  /** Anchors whose last publish failed, so that a failure is logged once, and its end once. */
  private final Set<CheckpointAnchor> failingAnchors = ConcurrentHashMap.newKeySet();
  private final Queue<Published> unpublished = new ConcurrentLinkedQueue<>();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "safeguards-audit-publish");
    t.setDaemon(true);
    return t;
  });

  CheckpointPublisher(Path directory, List<CheckpointAnchor> anchors, String anchorOverride,
      Consumer<AuditCheckpoint> listener) {
    this.directory = directory;
    this.anchors = List.copyOf(anchors);
    this.anchorOverride = anchorOverride;
    this.listener = listener;
  }

  /** Whether the log has an anchor off the host. */
  boolean anchored() {
    return !anchors.isEmpty();
  }

  /** The anchors, for the evidence: {@code none}, or each described. */
  String describeAnchors() {
    return anchors.isEmpty() ? "none" : String.join(", ", anchors.stream().map(CheckpointAnchor::describe).toList());
  }

  /**
   * Has a checkpoint that is on disk published on the publisher thread: the tiles of its tree written (so that every
   * proof for it can be made), then the checkpoint file replaced, then the anchors and the listener told. When
   * checkpoints come faster than the disk takes that, the publisher writes the tiles and the file of the newest waiting
   * one only (its tiles hold every earlier one's), and tells the listener of each in order. A failure is logged; the
   * next checkpoint writes the tiles this one could not.
   */
  void publish(Published p) {
    if (p != null) {
      unpublished.add(p);
      thread.execute(this::publishWaiting);
    }
  }

  private void publishWaiting() {
    List<Published> waiting = new ArrayList<>();
    for (Published p; (p = unpublished.poll()) != null; ) {
      waiting.add(p);
    }
    if (waiting.isEmpty()) {
      return;
    }
    Published newest = waiting.get(waiting.size() - 1);
    try {
      newest.tiles().write();
      AtomicFiles.write(directory.resolve(TamperEvidentAuditLog.CHECKPOINT_FILE),
          newest.checkpoint().note().getBytes(StandardCharsets.UTF_8), true);
    } catch (IOException | RuntimeException e) {
      LOG.error("publishing audit checkpoint {} failed: {}", newest.checkpoint().size(), e.toString());
      return;
    }
    toAnchors(newest.checkpoint());
    for (Published p : waiting) {
      try {
        listener.accept(p.checkpoint());
      } catch (RuntimeException e) {
        LOG.error("the audit checkpoint listener failed for checkpoint {}: {}", p.checkpoint().size(), e.toString());
      }
    }
  }

  /**
   * Hands a published checkpoint to every anchor, with consistency proofs from the log's tiles. A failure (the anchor
   * unreachable, or refusing) is logged when it begins and when it ends; the next checkpoint tries again.
   */
  private void toAnchors(AuditCheckpoint c) {
    for (CheckpointAnchor anchor : anchors) {
      try {
        anchor.publish(c, old -> Proofs.consistency(new TileReader(directory), old, c.size()));
        if (failingAnchors.remove(anchor)) {
          LOG.warn("the audit checkpoint anchor {} takes checkpoints again (size {})", anchor.describe(), c.size());
        }
      } catch (IOException | RuntimeException e) {
        if (failingAnchors.add(anchor)) {
          LOG.error("the audit checkpoint anchor {} did not take checkpoint {}: {}", anchor.describe(), c.size(),
              e.getMessage());
        }
      }
    }
  }

  /**
   * Checks that the log extends the latest checkpoint every anchor holds for its origin: it holds at least as many
   * records, and its tree of that size has the anchored root. If not, the log was cut back or rewritten since: it
   * refuses to open, unless an operator's override (its reason) was given, which is then written into the log.
   *
   * @param current a checkpoint of the tree as it is (not written into the log)
   * @param tree the tree's stored hashes, for consistency proofs
   * @return the override records to append (sequence number 0, to be set), one per anchor the log does not extend
   */
  List<byte[]> checkAnchors(AuditCheckpoint current, dev.safeguards.tlog.HashReader tree, Instant now)
      throws AuditException {
    List<byte[]> overrides = new ArrayList<>();
    for (CheckpointAnchor anchor : anchors) {
      try {
        anchor.verifyExtends(current, old -> Proofs.consistency(tree, old, current.size()));
      } catch (CheckpointAnchor.AnchorRefusedException e) {
        String what = "the log holds " + current.size() + " records, which do not extend what the anchor "
            + anchor.describe() + " holds (" + e.getMessage() + "): the log was "
            + (e.finding() == AuditLogTamperedException.Tampering.TRUNCATED ? "cut back" : "rewritten");
        if (anchorOverride == null) {
          throw new AuditLogTamperedException(e.finding(), current.size() + 1, "anchor", 0, what
              + ". Restore the log, or open it with an operator's override (Builder.overrideAnchors), which is "
              + "written into the log");
        }
        LOG.error("audit log {}: {}; opened anyway on the operator's override", current.origin(), what);
        overrides.add(AuditLogFormat.overrideRecord(0, now, anchor.describe(), current.size(), e.finding().name(),
            anchorOverride));
      } catch (IOException | RuntimeException e) {
        throw new AuditException("cannot ask the audit checkpoint anchor " + anchor.describe() + " whether the log "
            + "extends what it holds, so the log cannot tell whether it was cut back: " + e.getMessage(), e);
      }
    }
    return overrides;
  }

  /** Waits until every checkpoint handed over is published. */
  void drain() {
    try {
      thread.submit(() -> { }).get(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      LOG.warn("the audit checkpoint publisher did not finish: {}", e.toString());
    }
  }

  /** Stops the thread once what was handed over is published. */
  void shutdown() {
    thread.shutdown();
  }
}
