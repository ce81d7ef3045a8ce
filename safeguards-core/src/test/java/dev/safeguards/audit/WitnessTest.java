package dev.safeguards.audit;

import static dev.safeguards.audit.AuditFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.MutableClock;
import dev.safeguards.tlog.Proofs;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The witness (C2SP tlog-witness add-checkpoint, Ed25519 cosignatures) and the log's witness client, over real HTTP on
 * loopback: honest growth is cosigned, rollback, forks and bad proofs are refused with the protocol's codes, the state
 * survives a restart, and a log cut back or rewritten behind the witness's back refuses to open.
 */
class WitnessTest {

  private static final String ORIGIN = "clinic.example/audit";

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private SigningKeyset logKeys;
  private SigningKeyset witnessKeys;
  private AuditWitness witness;
  private HttpServer server;
  private final List<AuditCheckpoint> checkpoints = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    logKeys = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("log-keys")), clock);
    witnessKeys = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("witness-keys")), clock);
    witness = AuditWitness.open(tmp.resolve("witness-state"), "witness.example/w1", witnessKeys,
        Map.of(ORIGIN, SigningKeyset.fromPublicJwks(logKeys.publicJwks())), clock);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/add-checkpoint", exchange -> {
      AuditWitness.Response r = witness.addCheckpoint(exchange.getRequestBody().readAllBytes());
      byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", r.contentType());
      exchange.sendResponseHeaders(r.status(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private WitnessAnchor client() {
    return WitnessAnchor.create(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        witness.verifierKey(), HttpClient.newHttpClient(), Duration.ofSeconds(10));
  }

  private TamperEvidentAuditLog.Builder log(Path dir) {
    return TamperEvidentAuditLog.builder(dir, logKeys).clock(clock).origin(ORIGIN).checkpointEvery(5)
        .anchor(client()).onCheckpoint(checkpoints::add);
  }

  private void write(Path dir, int events, int from) throws Exception {
    AuditEvents e = AuditEvents.create(clock);
    try (TamperEvidentAuditLog l = log(dir).open()) {
      for (int i = 0; i < events; i++) {
        l.record(AuditFixtures.read(e, ALICE, from + i));
      }
    }
  }

  private static byte[] request(long old, List<byte[]> proof, String note) {
    StringBuilder b = new StringBuilder("old ").append(old).append('\n');
    proof.forEach(h -> b.append(Base64.getEncoder().encodeToString(h)).append('\n'));
    return b.append('\n').append(note).toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aWitnessWhoseKeysetCannotSign_isRefusedAtOpen() {
    Path state = tmp.resolve("public-only-witness");
    assertThatThrownBy(() -> AuditWitness.open(state, "witness.example/w2",
        SigningKeyset.fromPublicJwks(witnessKeys.publicJwks()),
        Map.of(ORIGIN, SigningKeyset.fromPublicJwks(logKeys.publicJwks())), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot sign");
    assertThat(state).doesNotExist();
  }

  @Test
  void aLogWithAWitness_hasEveryCheckpointCosigned_andTheWitnessStateSurvivesARestart() throws Exception {
    Path dir = tmp.resolve("audit");
    write(dir, 30, 0);
    AuditCheckpoint last = AuditProofs.published(dir);

    AuditWitness restarted = AuditWitness.open(tmp.resolve("witness-state"), "witness.example/w1", witnessKeys,
        Map.of(ORIGIN, SigningKeyset.fromPublicJwks(logKeys.publicJwks())), clock);
    AuditWitness.Response r = restarted.addCheckpoint(request(0, List.of(), last.note()));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.contentType()).isEqualTo("text/x.tlog.size");
    assertThat(r.body()).isEqualTo(last.size() + "\n");
    AuditWitness.Response again = restarted.addCheckpoint(request(last.size(), List.of(), last.note()));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).startsWith("\u2014 witness.example/w1 ");
    dev.safeguards.tlog.Note cosigned = dev.safeguards.tlog.Note.parse(
        (last.note() + again.body()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(dev.safeguards.tlog.Cosignature.verify(cosigned,
        dev.safeguards.tlog.NoteVerifier.parse(witness.verifierKey())).time().getEpochSecond())
        .isEqualTo(clock.instant().getEpochSecond());
    write(dir, 5, 30); // the client learns the witness's size again from its 409 and goes on
    assertThat(witness.addCheckpoint(request(0, List.of(), last.note())).body().strip())
        .isEqualTo(String.valueOf(AuditProofs.published(dir).size()));
  }

  @Test
  void rollbackForksBadProofsAndForeignLogs_areRefusedWithTheProtocolsCodes() throws Exception {
    Path dir = tmp.resolve("audit");
    write(dir, 30, 0);
    AuditCheckpoint held = AuditProofs.published(dir);
    AuditCheckpoint older = checkpoints.get(1);
    NoteCheckpoints notes = NoteCheckpoints.over(logKeys);

    assertThat(witness.addCheckpoint(request(held.size(), List.of(), older.note())).status()).as("rollback")
        .isEqualTo(400);
    assertThat(witness.addCheckpoint(request(older.size(), List.of(), older.note())).status()).isEqualTo(409);
    AuditCheckpoint fork = notes.sign(ORIGIN, held.size() + 3, new byte[32]);
    List<byte[]> someProof = AuditProofs.consistency(dir, older.size(), held.size());
    assertThat(witness.addCheckpoint(request(held.size(), someProof, fork.note())).status()).as("fork")
        .isEqualTo(422);
    AuditCheckpoint same = notes.sign(ORIGIN, held.size(), new byte[32]);
    assertThat(witness.addCheckpoint(request(held.size(), List.of(), same.note())).status())
        .as("same size, other root").isEqualTo(422);
    AuditCheckpoint empty = notes.sign(ORIGIN, 0, new byte[32]);
    assertThat(witness.addCheckpoint(request(0, List.of(), empty.note())).status()).isEqualTo(409);
    SigningKeyset other = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("other")), clock);
    assertThat(witness.addCheckpoint(request(held.size(), List.of(),
        NoteCheckpoints.over(other).sign(ORIGIN, held.size() + 1, new byte[32]).note())).status()).isEqualTo(403);
    assertThat(witness.addCheckpoint(request(0, List.of(),
        notes.sign("another.example/log", 5, new byte[32]).note())).status()).isEqualTo(404);
    for (String garbage : new String[] {"", "old 01\n\nx", "old 5\nnot base64!\n\n" + held.note(), "old 5\n"}) {
      assertThat(witness.addCheckpoint(garbage.getBytes(StandardCharsets.UTF_8)).status()).as(garbage)
          .isEqualTo(400);
    }
    assertThat(witness.addCheckpoint(request(0, List.of(), held.note())).body().strip())
        .as("nothing changed what it holds").isEqualTo(String.valueOf(held.size()));
  }

  @Test
  void aLogCutBackBehindTheWitnessesBack_refusesToOpen() throws Exception {
    Path dir = tmp.resolve("audit");
    write(dir, 30, 0);
    Path segment = dir.resolve("audit-000000000001.jsonl");
    List<String> lines = Files.readAllLines(segment);
    AuditCheckpoint kept = checkpoints.get(1);
    Files.writeString(segment, String.join("\n", lines.subList(0, (int) kept.size() + 1)) + "\n");
    Files.writeString(dir.resolve("checkpoint"), kept.note());
    TamperEvidentAuditLogTest.deleteRecursively(dir.resolve("tile"));

    assertThatThrownBy(() -> log(dir).open()).isInstanceOfSatisfying(AuditLogTamperedException.class, e -> {
      assertThat(e.tampering()).isEqualTo(Tampering.TRUNCATED);
      assertThat(e.getMessage()).contains("witness.example/w1");
    });
  }

  @Test
  void aLogRewrittenBehindTheWitnessesBack_isForked() throws Exception {
    Path dir = tmp.resolve("audit");
    write(dir, 30, 0);
    TamperEvidentAuditLogTest.deleteRecursively(dir);
    try (TamperEvidentAuditLog l = TamperEvidentAuditLog.builder(dir, logKeys).clock(clock).origin(ORIGIN).open()) {
      AuditEvents e = AuditEvents.create(clock);
      for (int i = 0; i < 60; i++) {
        l.record(AuditFixtures.read(e, ALICE, 900 + i));
      }
    }

    assertThatThrownBy(() -> log(dir).open()).isInstanceOfSatisfying(AuditLogTamperedException.class,
        e -> assertThat(e.tampering()).isEqualTo(Tampering.FORKED));
  }

  @Test
  void aWitnessKeyThatDoesNotAddUp_isRefused() {
    String good = witness.verifierKey();
    String[] p = good.split("\\+", 3);
    for (String bad : new String[] {p[0] + "+00000000+" + p[2], p[0] + "+" + p[1], "x+" + p[1] + "+" + p[2],
        p[0] + "+" + p[1] + "+" + Base64.getEncoder().encodeToString(new byte[33])}) {
      assertThatThrownBy(() -> WitnessAnchor.create(URI.create("http://127.0.0.1:1"), bad, HttpClient.newHttpClient(),
          Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Proofs.class).isNotNull();
  }

  @Test
  void aVerifierPinnedToTheWitness_holdsTheLogToWhatTheWitnessCosigned() throws Exception {
    Path dir = tmp.resolve("audit");
    write(dir, 6, 0);
    Path early = tmp.resolve("early");
    copy(dir, early);
    write(dir, 6, 6);
    String cosigned = witness.cosignedCheckpoint(ORIGIN).orElseThrow();
    String logKey = dev.safeguards.tlog.NoteSigner.over(ORIGIN, logKeys).verifier().vkey();

    VerifiedAuditLog v = AuditLogVerifier.builder(List.of(logKey))
        .trustCosignedCheckpoint(cosigned, witness.verifierKey()).build().verify(dir);
    assertThat(v.events()).isEqualTo(12);
    assertThatThrownBy(() -> AuditLogVerifier.builder(List.of(logKey))
        .trustCosignedCheckpoint(cosigned, witness.verifierKey()).build().verify(early))
        .isInstanceOfSatisfying(AuditLogTamperedException.class,
            e -> assertThat(e.tampering()).isEqualTo(Tampering.TRUNCATED));

    String own = Files.readString(dir.resolve("checkpoint"));
    assertThatThrownBy(() -> AuditLogVerifier.builder(List.of(logKey)).trustCosignedCheckpoint(own,
        witness.verifierKey())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no valid cosignature by the witness witness.example/w1");
    String otherWitness = dev.safeguards.tlog.Cosignature.generateSigner("witness.example/w1", clock).verifier()
        .vkey();
    assertThatThrownBy(() -> AuditLogVerifier.builder(List.of(logKey)).trustCosignedCheckpoint(cosigned,
        otherWitness)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuditLogVerifier.builder(List.of(logKey)).trustCosignedCheckpoint(cosigned, logKey))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a cosignature key");
  }

  @Test
  void aVerifierGivenNoteVerifierKeys_verifiesFormat2Only_andOnlyWithTheLogsKey() throws Exception {
    Path dir = tmp.resolve("audit");
    write(dir, 6, 0);
    String other = dev.safeguards.tlog.NoteSigner.over(ORIGIN, witnessKeys).verifier().vkey();

    assertThatThrownBy(() -> AuditLogVerifier.builder(List.of(other)).build().verify(dir))
        .isInstanceOfSatisfying(AuditLogTamperedException.class,
            e -> assertThat(e.tampering()).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE));
    Path v1 = AuditFixtures.v1Sample(tmp.resolve("v1"));
    assertThatThrownBy(() -> AuditLogVerifier.builder(List.of(other)).build().verify(v1))
        .isInstanceOf(AuditException.class).hasMessageContaining("JWK set");
    assertThatThrownBy(() -> AuditLogVerifier.builder(List.of("not a key"))).isInstanceOf(
        IllegalArgumentException.class);
  }

  private static void copy(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(from.relativize(f).toString()));
      }
    }
  }
}
