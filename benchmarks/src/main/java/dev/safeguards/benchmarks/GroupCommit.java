package dev.safeguards.benchmarks;

import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditLogStats;
import dev.safeguards.audit.TamperEvidentAuditLog;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit of the durable audit log: with 1, 4 and 64 producer threads appending for a fixed time, how many events
 * share one fsync, next to how many fsyncs per second this disk does alone (measured in the same run). Not a JMH
 * benchmark: what is measured is a ratio of counts, not the time of one operation.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.safeguards.benchmarks.GroupCommit [seconds per run [producers,...]]</pre>
 *
 * <p>The producer counts are 1, 4 and 64 unless given (comma-separated), e.g. {@code 10 64} to profile one of them.
 */
public final class GroupCommit {

  private GroupCommit() {}

  public static void main(String[] args) throws Exception {
    Duration run = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
    int[] counts = args.length > 1
        ? java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 4, 64};
    try (Keys keys = new Keys()) {
      double fsyncsPerSecond = rawFsyncsPerSecond(keys, run);
      System.out.printf("raw fsync (4 KiB append + force) on this disk: %.0f per second%n", fsyncsPerSecond);
      System.out.printf("%-10s %12s %12s %16s %16s %14s%n", "producers", "events/s", "fsyncs/s", "events/fsync",
          "target", "CPU µs/event");
      for (int producers : counts) {
        long cpuBefore = processCpuNanos();
        AuditLogStats stats = run(keys, producers, run);
        double cpuMicros = (processCpuNanos() - cpuBefore) / 1000.0;
        double seconds = run.toMillis() / 1000.0;
        System.out.printf("%-10d %12.0f %12.0f %16.2f %16s %14.1f%n", producers, stats.events() / seconds,
            stats.syncs() / seconds, stats.eventsPerSync(), producers == 1 ? ">= 0.9" : producers == 4 ? ">= 3"
                : ">= 32", cpuMicros / stats.events());
      }
    }
  }

  /** The CPU time this process used so far, every thread and the kernel's work for them (-1 if unknown). */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }

  private static double rawFsyncsPerSecond(Keys keys, Duration run) throws Exception {
    ByteBuffer block = ByteBuffer.allocate(4096);
    long count = 0;
    try (FileChannel ch = FileChannel.open(keys.dir.resolve("fsync-probe"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      long end = System.nanoTime() + run.toNanos();
      while (System.nanoTime() < end) {
        block.clear();
        ch.write(block);
        ch.force(false);
        count++;
      }
    }
    return count / (run.toMillis() / 1000.0);
  }

  private static AuditLogStats run(Keys keys, int producers, Duration run) throws Exception {
    AuditFixture fixture = new AuditFixture();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong failures = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(producers);
    List<Thread> threads = new ArrayList<>();
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(keys.dir.resolve("audit-" + producers),
        AuditFixture.checkpointKeys(keys)).checkpointEvery(1_000_000).checkpointInterval(Duration.ofHours(1))
        .open()) {
      AuditLogStats before = log.stats();
      for (int t = 0; t < producers; t++) {
        AuditEvent event = fixture.read(t);
        Thread th = new Thread(() -> {
          ready.countDown();
          while (!stop.get()) {
            try {
              log.record(event);
            } catch (Exception e) {
              failures.incrementAndGet();
            }
          }
        });
        th.start();
        threads.add(th);
      }
      ready.await();
      Thread.sleep(run.toMillis()); // the measured interval itself; no test waits here
      stop.set(true);
      for (Thread th : threads) {
        th.join();
      }
      AuditLogStats after = log.stats();
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " appends failed");
      }
      return new AuditLogStats(after.records() - before.records(), after.events() - before.events(),
          after.syncs() - before.syncs(), after.checkpoints() - before.checkpoints(),
          after.rotations() - before.rotations());
    }
  }
}
