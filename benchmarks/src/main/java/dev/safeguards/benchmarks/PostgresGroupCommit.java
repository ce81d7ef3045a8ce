package dev.safeguards.benchmarks;

import dev.safeguards.audit.AuditEvent;
import dev.safeguards.postgresql.ClinicDatabase;
import dev.safeguards.postgresql.PostgresAuditLog;
import dev.safeguards.postgresql.PostgresState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster audit log's group commit: three {@link PostgresAuditLog}s (three replicas, each with its own pool)
 * appending into one log in one local PostgreSQL server (started from the binaries artifact, fsync on, synchronous
 * commit), with the producers split between them, for a fixed time: durable events per second in total, and events
 * per committed transaction. Not a JMH benchmark: what is measured is counts.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.safeguards.benchmarks.PostgresGroupCommit [seconds [producers]]
 * </pre>
 *
 * <p>Producers (default 64) are in total, a third on each replica; 192 puts 64 on each.
 */
public final class PostgresGroupCommit {

  private PostgresGroupCommit() {}

  public static void main(String[] args) throws Exception {
    Duration run = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
    int producers = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    try (Keys keys = new Keys(); ClinicDatabase db = ClinicDatabase.start()) {
      AuditFixture fixture = new AuditFixture();

      List<PostgresState> states = new ArrayList<>();
      List<PostgresAuditLog> logs = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        PostgresState state = db.state().poolSize(4).connect();
        states.add(state);
        logs.add(PostgresAuditLog.builder(state, "bench.example/audit", AuditFixture.checkpointKeys(keys))
            .replica("replica-" + r).open());
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong events = new AtomicLong();
      AtomicLong failures = new AtomicLong();
      CountDownLatch ready = new CountDownLatch(producers);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < producers; t++) {
        PostgresAuditLog log = logs.get(t % 3);
        AuditEvent event = fixture.read(t);
        Thread th = new Thread(() -> {
          ready.countDown();
          while (!stop.get()) {
            try {
              log.record(event);
              events.incrementAndGet();
            } catch (Exception e) {
              failures.incrementAndGet();
            }
          }
        });
        threads.add(th);
      }
      threads.forEach(Thread::start);
      ready.await();
      long commitsBefore = commits(db);
      long eventsBefore = events.get();
      long cpuBefore = processCpuNanos();
      Thread.sleep(run.toMillis()); // the measured interval itself; no test waits here
      long done = events.get() - eventsBefore;
      long commits = commits(db) - commitsBefore;
      double cpuMicros = (processCpuNanos() - cpuBefore) / 1000.0;
      stop.set(true);
      for (Thread th : threads) {
        th.join();
      }
      for (PostgresAuditLog log : logs) {
        log.close();
      }
      states.forEach(PostgresState::close);
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " appends failed");
      }
      double seconds = run.toMillis() / 1000.0;
      System.out.printf("%-10s %12s %14s %18s %16s%n", "producers", "events/s", "commits/s", "events/commit",
          "JVM CPU µs/event");
      System.out.printf("%-10d %12.0f %14.0f %18.1f %16.1f%n", producers, done / seconds, commits / seconds,
          (double) done / Math.max(1, commits), cpuMicros / done);
      System.out.println("targets: >= 20000 events/s in total, >= 32 events per commit (issue 20); commits are "
          + "every transaction the database committed meanwhile (pg_stat_database), so the ratio is a lower bound");
    }
  }

  private static long commits(ClinicDatabase db) throws Exception {
    try (Connection c = db.superuser().getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_force_next_flush()");
      try (ResultSet rs = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = 'clinic'")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }
}
