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
 * commit), with the producers split between them, for a fixed time: durable events per second in total, events per
 * append transaction, and events per WAL flush (the fsyncs that made them durable). Not a JMH benchmark: what is
 * measured is counts.
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
      long[] before = counts(db);
      long eventsBefore = events.get();
      long cpuBefore = processCpuNanos();
      Thread.sleep(run.toMillis()); // the measured interval itself; no test waits here
      long done = events.get() - eventsBefore;
      long[] after = counts(db);
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
      long appends = appendTransactions(db, before[0], after[0]);
      long flushes = after[1] - before[1];
      System.out.printf("%-10s %12s %14s %16s %14s %16s %16s%n", "producers", "events/s", "appends/s",
          "events/append", "WAL flushes/s", "events/flush", "JVM CPU µs/event");
      System.out.printf("%-10d %12.0f %14.0f %16.1f %14.0f %16.1f %16.1f%n", producers, done / seconds,
          appends / seconds, (double) done / Math.max(1, appends), flushes / seconds,
          (double) done / Math.max(1, flushes), cpuMicros / done);
      System.out.println("targets: >= 20000 events/s in total, >= 32 events per commit (issue 20); appends are the "
          + "log's transactions (distinct xmin of the records written meanwhile), WAL flushes every fsync of the WAL "
          + "(pg_stat_wal.wal_sync), whoever asked for it");
    }
  }

  /** The log's size and how many times the WAL was synced so far. */
  private static long[] counts(ClinicDatabase db) throws Exception {
    try (Connection c = db.superuser().getConnection(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_force_next_flush()");
      try (ResultSet rs = s.executeQuery("SELECT (SELECT coalesce(max(seq), 0) FROM safeguards.audit_record), "
          + "(SELECT wal_sync FROM pg_stat_wal)")) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** How many transactions wrote the records after {@code from} up to {@code to}. */
  private static long appendTransactions(ClinicDatabase db, long from, long to) throws Exception {
    try (Connection c = db.superuser().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(DISTINCT xmin::text) FROM safeguards.audit_record WHERE seq > "
            + from + " AND seq <= " + to)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }
}
