package dev.safeguards.audit;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that writes an audit log until it is killed or the disk refuses, for {@link AuditLogCrashTest}.
 *
 * <p>Arguments: {@code append|fill}, the log directory, the master key file, the checkpoint keyset file. In {@code
 * append} mode four threads append durable events forever (three one at a time, one in batches of 16) and print
 * {@code ack <event id>} for each event once its append returned; in {@code fill} mode one thread appends until an
 * append fails, prints {@code failed <message>}, tries once more and prints {@code again <message>}. In {@code
 * fill-concurrent} mode the four threads of {@code append} mode append until an append fails, print {@code ack <id>}
 * or {@code refused <id>} for each event, then the log is closed ({@code closed}, or {@code close-failed}).
 */
public final class AuditLogChildMain {

  private AuditLogChildMain() {}

  public static void main(String[] args) throws Exception {
    Clock clock = Clock.systemUTC();
    SigningKeyset keys = SigningKeyset.create(ManagedKeyset.open(Path.of(args[3]),
        KeyPurpose.RECORD_SIGNING_ED25519, KeyEncryptionKey.fromMasterKeyFile(Path.of(args[2])), clock));
    TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(Path.of(args[1]), keys).checkpointEvery(50).open();
    AuditEvents events = AuditEvents.create(clock);
    PrintStream out = System.out;
    if (args[0].equals("fill-concurrent")) {
      fillConcurrently(log, events, out);
      return;
    }
    if (args[0].equals("fill")) {
      try {
        for (int i = 0; ; i++) {
          log.record(AuditFixtures.read(events, AuditFixtures.ALICE, i));
        }
      } catch (AuditException e) {
        out.println("failed " + e.getMessage() + " / " + e.getCause());
      }
      try {
        log.record(AuditFixtures.read(events, AuditFixtures.ALICE, 0));
        out.println("again accepted");
      } catch (AuditException e) {
        out.println("again " + e.getMessage());
      }
      out.flush();
      return;
    }
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 1_000_000;
      Thread thread = new Thread(() -> {
        try {
          // The last thread appends batches of 16, as AsyncAuditSink hands them over.
          int batch = base == 3_000_000 ? 16 : 1;
          for (int i = base; ; i += batch) {
            List<AuditEvent> appended = new ArrayList<>();
            for (int j = 0; j < batch; j++) {
              appended.add(AuditFixtures.read(events, AuditFixtures.ALICE, i + j));
            }
            if (batch == 1) {
              log.record(appended.get(0));
            } else {
              log.recordAll(appended);
            }
            synchronized (out) {
              appended.forEach(e -> out.println("ack " + e.id()));
              out.flush();
            }
          }
        } catch (AuditException e) {
          synchronized (out) {
            out.println("error " + e.getMessage());
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  private static void fillConcurrently(TamperEvidentAuditLog log, AuditEvents events, PrintStream out)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 1_000_000;
      int batch = t == 3 ? 16 : 1;
      Thread thread = new Thread(() -> {
        for (int i = base; ; i += batch) {
          List<AuditEvent> appended = new ArrayList<>();
          for (int j = 0; j < batch; j++) {
            appended.add(AuditFixtures.read(events, AuditFixtures.ALICE, i + j));
          }
          String outcome = "ack ";
          try {
            if (batch == 1) {
              log.record(appended.get(0));
            } else {
              log.recordAll(appended);
            }
          } catch (AuditException e) {
            outcome = "refused ";
          }
          synchronized (out) {
            for (AuditEvent e : appended) {
              out.println(outcome + e.id());
            }
            out.flush();
          }
          if (!outcome.equals("ack ")) {
            return;
          }
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    try {
      log.close();
      out.println("closed");
    } catch (AuditException e) {
      out.println("close-failed " + e.getMessage());
    }
    out.flush();
  }
}
