package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Real crashes: a child JVM writing the log is killed with SIGKILL, or runs out of file space. */
@EnabledOnOs(OS.LINUX)
class AuditLogCrashTest {

  private static final Pattern ACK = Pattern.compile("ack ([0-9a-f-]{36})");

  @TempDir Path tmp;
  private Path logDir;
  private Path masterKey;
  private Path keysetFile;
  private SigningKeyset keys;

  @BeforeEach
  void setUp() throws Exception {
    logDir = tmp.resolve("audit");
    masterKey = tmp.resolve("master.key");
    keysetFile = tmp.resolve("checkpoint.json");
    keys = SigningKeyset.create(ManagedKeyset.create(keysetFile, KeyPurpose.RECORD_SIGNING_ED25519,
        KeyEncryptionKey.generateMasterKeyFile(masterKey), Clock.systemUTC()));
  }

  private List<String> childCommand(String mode) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
        AuditLogChildMain.class.getName(), mode, logDir.toString(), masterKey.toString(), keysetFile.toString());
  }

  @Test
  void sigkillAtRandomMoments_everyAcknowledgedRecordSurvivesAndVerifies() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Set<UUID> acknowledged = new HashSet<>();
    for (int round = 0; round < 5; round++) {
      int killAfter = 1 + random.nextInt(300);
      Process child = new ProcessBuilder(childCommand("append")).redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      List<String> output = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        int acks = 0;
        String line;
        while (acks < killAfter && (line = out.readLine()) != null) {
          output.add(line);
          acks += line.startsWith("ack ") ? 1 : 0;
        }
        // SIGKILL; lines the child printed but this side had not read yet are lost with the pipe, so the set of
        // acknowledged events here is a subset of what the child saw acknowledged, which is all the test needs.
        child.destroyForcibly();
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
      }
      assertThat(output).as("seed %d round %d: the child acknowledged appends", seed, round)
          .anyMatch(l -> l.startsWith("ack "));
      for (String line : output) {
        Matcher m = ACK.matcher(line);
        if (m.matches()) { // a line cut by the kill is not an acknowledgement
          acknowledged.add(UUID.fromString(m.group(1)));
        }
      }
      // Whatever the kill left verifies as it is, before any recovery.
      AuditLogVerifier.builder(keys).build().verify(logDir);
    }

    TamperEvidentAuditLog.builder(logDir, keys).open().close();
    VerifiedAuditLog v = AuditLogVerifier.builder(keys).build().verify(logDir);
    Set<UUID> present = new HashSet<>();
    try (Stream<AuditEvent> events = AuditReview.of(logDir).events(AuditFilter.all())) {
      events.forEach(e -> assertThat(present.add(e.id())).as("no duplicate").isTrue());
    }
    assertThat(present).as("seed %d", seed).containsAll(acknowledged);
    assertThat(v.events()).isEqualTo(present.size());
    assertThat(v.tornTailBytes()).isZero();
  }

  @Test
  void fileSpaceRunsOut_appendsFailLoudlyAndKeepFailing_andTheLogRecovers() throws Exception {
    // RLIMIT_FSIZE makes write(2) fail with EFBIG past 256 KiB, as a full disk fails with ENOSPC.
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -f 512 && exec \"$0\" \"$@\""));
    command.addAll(childCommand("fill"));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();

    assertThat(output).as(output).contains("failed the audit log could not write a record")
        .contains("File too large")
        .contains("again the audit log failed and has not recovered yet");
    assertThat(Files.size(logDir.resolve("audit-000000000001.jsonl"))).isLessThanOrEqualTo(512 * 512);

    TamperEvidentAuditLog.builder(logDir, keys).open().close();
    VerifiedAuditLog v = AuditLogVerifier.builder(keys).build().verify(logDir);
    assertThat(v.events()).isPositive();
  }

  @Test
  void fileSpaceRunsOutUnderConcurrentAppends_noRefusedEventAppearsAndNoAcknowledgedOneIsLost() throws Exception {
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "ulimit -f 512 && exec \"$0\" \"$@\""));
    command.addAll(childCommand("fill-concurrent"));
    Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> output = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines()
        .toList();
    assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
    Set<UUID> acknowledged = new HashSet<>();
    Set<UUID> refused = new HashSet<>();
    for (String line : output) {
      if (line.startsWith("ack ")) {
        acknowledged.add(UUID.fromString(line.substring(4)));
      } else if (line.startsWith("refused ")) {
        refused.add(UUID.fromString(line.substring(8)));
      }
    }
    // Closing recovers first; the final records may then meet the limit again, which the next opening cuts off.
    assertThat(output).as("the child got to close its log").anyMatch(l -> l.startsWith("close"));
    assertThat(refused).as("every thread met the failure").hasSizeGreaterThanOrEqualTo(4);

    TamperEvidentAuditLog.builder(logDir, keys).open().close();
    AuditLogVerifier.builder(keys).build().verify(logDir);
    List<UUID> present = new ArrayList<>();
    try (Stream<AuditEvent> events = AuditReview.of(logDir).events(AuditFilter.all())) {
      events.forEach(e -> present.add(e.id()));
    }
    assertThat(present).doesNotHaveDuplicates().containsAll(acknowledged).doesNotContainAnyElementsOf(refused);
  }
}
