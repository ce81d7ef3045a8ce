package dev.sigstore.rekor.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.subtle.Ed25519Verify;
import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditCheckpoint;
import dev.safeguards.audit.AuditEvents;
import dev.safeguards.audit.AuditProofs;
import dev.safeguards.audit.TamperEvidentAuditLog;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.tlog.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop (issue 18): sigstore-java's own checkpoint parser reads the audit log's published checkpoint, and the
 * signature it takes out verifies, with Tink's Ed25519 and the key from the log's C2SP verifier key, over exactly what
 * it calls the signed data. {@code Checkpoints.from} is package-private, hence this test's package.
 */
class SigstoreCheckpointInteropTest {

  @TempDir Path tmp;

  @Test
  void sigstoreJavaParsesTheLogsCheckpoint_andItsSignatureVerifiesOverTheSignedData() throws Exception {
    Clock clock = Clock.systemUTC();
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(tmp.resolve("master.key"));
    SigningKeyset keys = SigningKeyset.create(ManagedKeyset.create(tmp.resolve("checkpoint.keyset.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, kek, clock));
    Path dir = tmp.resolve("audit");
    AuditEvents events = AuditEvents.create(clock);
    try (TamperEvidentAuditLog log = TamperEvidentAuditLog.builder(dir, keys).origin("clinic.example/audit")
        .open()) {
      for (int i = 0; i < 7; i++) {
        log.record(events.event(AuditAction.READ, "rest").entity("Patient", "p-" + i).build());
      }
    }
    AuditCheckpoint published = AuditProofs.published(dir);
    String note = Files.readString(dir.resolve("checkpoint"), StandardCharsets.UTF_8);

    RekorEntry.Checkpoint parsed = Checkpoints.from(note);

    assertThat(parsed.getOrigin()).isEqualTo("clinic.example/audit");
    assertThat(parsed.getSize()).isEqualTo(published.size());
    assertThat(parsed.getBase64Hash()).isEqualTo(Base64.getEncoder().encodeToString(published.root()));
    assertThat(parsed.getSignatures()).hasSize(1);
    RekorEntry.CheckpointSignature signature = parsed.getSignatures().get(0);
    String[] vkey = NoteSigner.over("clinic.example/audit", keys).verifier().vkey().split("\\+", 3);
    assertThat(signature.getIdentity()).isEqualTo(vkey[0]);
    assertThat(HexFormat.of().formatHex(signature.getKeyHint())).isEqualTo(vkey[1]);
    byte[] typed = Base64.getDecoder().decode(vkey[2]);
    new Ed25519Verify(Arrays.copyOfRange(typed, 1, typed.length))
        .verify(signature.getSignature(), parsed.getSignedData().getBytes(StandardCharsets.UTF_8));
  }
}
