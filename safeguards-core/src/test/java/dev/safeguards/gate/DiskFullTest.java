package dev.safeguards.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.Safeguards;
import dev.safeguards.access.AccessPolicy;
import dev.safeguards.audit.AuditEvent;
import dev.safeguards.audit.AuditException;
import dev.safeguards.audit.AuditFilter;
import dev.safeguards.audit.AuditLogVerifier;
import dev.safeguards.audit.AuditReview;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.audit.VerifiedAuditLog;
import dev.safeguards.authn.AuthenticationException;
import dev.safeguards.authn.RevocationList;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.http.HttpFields;
import dev.safeguards.identity.Principal;
import dev.safeguards.identity.UserId;
import dev.safeguards.session.SessionPolicy;
import dev.safeguards.session.SessionStore;
import dev.safeguards.session.SessionTracker;
import dev.safeguards.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log on a real, small file system (a tmpfs the test mounts; it needs root, as every machine here and CI run) that fills up while
 * requests run through the gate (issue 17, findings 11 and 12): writes are refused before they act, the log recovers
 * by itself once space returns, and no change goes unaudited.
 */
class DiskFullTest {

  private static final long RESERVE = 64 * 1024;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private Path mount;
  private Path keysDir;

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    mount = Files.createTempDirectory("audit-tmpfs");
    keysDir = Files.createTempDirectory("audit-keys");
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    // Never skipped: the project's machines and CI run as root. A build that cannot mount fails here and says why.
    assertThat(p.waitFor()).as("mounting a 512 KiB tmpfs needs root: " + out).isZero();
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null && Files.getFileStore(mount).type().equals("tmpfs")) {
      new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
    }
  }

  private SigningKeyset checkpointKeys() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(keysDir.resolve("master.key"));
    return SigningKeyset.create(ManagedKeyset.create(keysDir.resolve("checkpoint.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
  }

  private Safeguards safeguards(TamperEvidentAuditLog log) {
    return Safeguards.builder()
        .tokens(token -> {
          if (!token.equals("good")) {
            throw new AuthenticationException(AuthenticationException.Reason.MALFORMED, "test");
          }
          return new Principal(UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c"), Set.of("clinician"), Set.of(),
              Set.of("pwd", "otp"), clock.instant(), Optional.of("s-1"), Optional.empty(), Optional.empty(),
              clock.instant().plusSeconds(3600));
        })
        .sessions(SessionTracker.create(SessionPolicy.DEFAULT, SessionStore.inMemory(10, clock),
            RevocationList.inMemory(10, clock), clock))
        .access(AccessPolicy.builder().role("clinician", "patient:create").build())
        .routes(Routes.of(Route.protect("POST", "/patients", "patient:create")))
        .audit(log)
        .clock(clock)
        .build();
  }

  /** What the application did, and what the clients were told. */
  private final List<String> written = new ArrayList<>();
  private final List<String> acknowledged = new ArrayList<>();

  /** One create through the gate, the application writing only if the gate lets it. */
  private int create(Gate gate, int n) {
    Exchange x = gate.enter(new GateRequest("POST", "/patients", true, "203.0.113.5", "h/patients",
        HttpFields.builder().add("Authorization", "Bearer good").build(), Optional.empty()),
        new ByteArrayInputStream(new byte[0]));
    if (x.outcome() instanceof Outcome.Respond refused) {
      return refused.status();
    }
    String id = String.format("0193b2c4-7f00-7000-8000-%012d", n);
    written.add(id);
    x.audit().entity("Patient", id);
    Outcome out = gate.exit(x, 201, false, new byte[0]);
    if (out instanceof Outcome.Respond failed) {
      return failed.status();
    }
    acknowledged.add(id);
    return 201;
  }

  /** Fills the file system until at most {@code leave} bytes are free; returns the filler. */
  private Path fill(long leave) throws IOException {
    Path filler = mount.resolve("filler");
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] chunk = new byte[1024];
      while (Files.getFileStore(mount).getUsableSpace() > leave) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException full) {
      // no space left at all
    }
    return filler;
  }

  @Test
  void diskFillsUp_writesAreRefusedBeforeTheyAct_andTheLogRecoversOnceSpaceReturns() throws Exception {
    SigningKeyset keys = checkpointKeys();
    Path dir = mount.resolve("audit");
    TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(dir, keys).clock(clock).minFreeSpace(RESERVE)
        .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).open();
    Gate gate = safeguards(log).gate();
    int n = 0;
    for (; n < 20; n++) {
      assertThat(create(gate, n)).isEqualTo(201);
    }

    // The disk fills past the reserve: requests are refused before the application writes anything.
    Path filler = fill(RESERVE / 2);
    int before = written.size();
    for (int i = 0; i < 50; i++, n++) {
      assertThat(create(gate, n)).isEqualTo(503);
    }
    assertThat(written).as("the application did not run").hasSize(before);

    // Space returns: served again, without a restart.
    Files.delete(filler);
    for (int i = 0; i < 20; i++, n++) {
      assertThat(create(gate, n)).isEqualTo(201);
    }

    // Someone fills the disk to the last byte: an append fails, the log fails and refuses, then recovers.
    filler = fill(0);
    assertThatThrownBy(() -> {
      for (int i = 0; i < 10_000; i++) {
        log.record(dev.safeguards.audit.AuditEvents.create(clock).event(dev.safeguards.audit.AuditAction.EXECUTE,
            "probe").subtype("probe-" + i).build());
      }
    }).isInstanceOf(AuditException.class);
    int refused = 0;
    for (int i = 0; i < 5; i++, n++) {
      refused += create(gate, n) == 503 ? 1 : 0;
    }
    assertThat(refused).isEqualTo(5);
    Files.delete(filler);
    assertThat(create(gate, n++)).as("still within the backoff").isEqualTo(503);
    clock.advance(Duration.ofSeconds(2));
    assertThat(create(gate, n++)).as("recovered once the backoff passed").isEqualTo(201);
    log.close();

    // The log verifies, names every acknowledged create, and no change went unaudited.
    VerifiedAuditLog verified = AuditLogVerifier.builder(SigningKeyset.fromPublicJwks(keys.publicJwks())).build()
        .verify(dir);
    assertThat(verified.records()).isPositive();
    TreeSet<String> audited = new TreeSet<>();
    try (Stream<AuditEvent> events = AuditReview.of(dir).events(AuditFilter.builder().build())) {
      events.filter(e -> e.httpStatus().orElse(0) == 201)
          .forEach(e -> e.entities().forEach(x -> audited.add(x.id())));
    }
    assertThat(audited).containsAll(acknowledged);
    assertThat(written).as("every write the application made is audited").allMatch(audited::contains);
    String segments = String.join("", Files.readAllLines(dir.resolve("audit-000000000001.jsonl")));
    assertThat(segments).contains("\"kind\":\"recovery\"").contains("\"failedAt\"").contains("\"refused\":");
  }
}
