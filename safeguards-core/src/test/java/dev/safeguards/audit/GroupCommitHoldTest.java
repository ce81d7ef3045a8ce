package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The position a recovery cuts the log back to ({@link GroupCommit#cutBackTo}) against the holds of writes under way:
 * it never falls behind a record that a sync made durable for its caller, and never passes one whose write is not
 * complete.
 */
class GroupCommitHoldTest {

  @TempDir
  Path dir;

  @Test
  void aWriteCoveredByASync_isAcknowledgedAsTheSyncEnds_beforeItsCallerWakes() throws IOException {
    GroupCommit commits = new GroupCommit(() -> null, () -> { });
    try (RandomAccessFile file = new RandomAccessFile(Files.createFile(dir.resolve("s")).toFile(), "rw")) {
      GroupCommit.Hold hold = commits.hold(0, 100);
      commits.written(hold, 7); // records up to 7 buffered; the caller now waits for its sync
      commits.syncExclusively(file, 7, 0, 400, () -> { });

      // The caller has not run again, yet was released as durable: a recovery now must keep its records.
      assertThat(commits.cutBackTo()).isEqualTo(new GroupCommit.Position(0, 400));
    }
  }

  @Test
  void aWriteUnderWay_keepsTheAcknowledgedPositionWhereItBegan_whateverASyncCovers() throws IOException {
    GroupCommit commits = new GroupCommit(() -> null, () -> { });
    try (RandomAccessFile file = new RandomAccessFile(Files.createFile(dir.resolve("s")).toFile(), "rw")) {
      GroupCommit.Hold done = commits.hold(0, 100);
      commits.written(done, 3);
      commits.hold(0, 200); // a batch still buffering: records 4.. of it may be in the file already
      commits.syncExclusively(file, 5, 0, 300, () -> { });

      assertThat(commits.cutBackTo()).isEqualTo(new GroupCommit.Position(0, 200));
    }
  }

  @Test
  void aWriteReleasedWithoutASync_noLongerHoldsThePosition() throws IOException {
    GroupCommit commits = new GroupCommit(() -> null, () -> { });
    try (RandomAccessFile file = new RandomAccessFile(Files.createFile(dir.resolve("s")).toFile(), "rw")) {
      GroupCommit.Hold hold = commits.hold(0, 100);
      commits.release(hold); // acknowledged without a sync (a log that does not sync), or given up
      commits.syncExclusively(file, 3, 0, 300, () -> { });

      assertThat(commits.cutBackTo()).isEqualTo(new GroupCommit.Position(0, 300));
    }
  }
}
