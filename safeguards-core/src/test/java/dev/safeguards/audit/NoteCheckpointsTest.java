package dev.safeguards.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.audit.AuditLogTamperedException.Tampering;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log's checkpoints as C2SP signed notes: the exact text, and every way a note is refused. */
class NoteCheckpointsTest {

  private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private SigningKeyset keys;
  private NoteCheckpoints notes;
  private final byte[] root = new byte[32];

  @BeforeEach
  void keys() throws Exception {
    keys = AuditFixtures.checkpointKeys(tmp, clock);
    notes = NoteCheckpoints.over(keys);
    root[0] = 7;
  }

  private Tampering refused(String note) {
    try {
      notes.open(note);
    } catch (TreeWalk.NoteRejected e) {
      assertThat(e.getMessage()).doesNotContain(note);
      return e.tampering;
    }
    throw new AssertionError("accepted: " + note);
  }

  @Test
  void aSignedCheckpoint_isTheC2spText_andOpens() throws Exception {
    AuditCheckpoint c = notes.sign("clinic.example/audit", 42, root);

    assertThat(c.note()).matches("clinic\\.example/audit\n42\n" + Base64.getEncoder().encodeToString(root).replace("+",
        "\\+") + "\n\n\u2014 clinic\\.example/audit [A-Za-z0-9+/]{91}=\n");
    TreeWalk.Stated s = NoteCheckpoints.verifying(SigningKeyset.fromPublicJwks(keys.publicJwks())).open(c.note());
    assertThat(s.origin()).isEqualTo("clinic.example/audit");
    assertThat(s.size()).isEqualTo(42);
    assertThat(s.root()).isEqualTo(root);
    assertThat(AuditCheckpoint.parse(c.note(), keys)).isEqualTo(c);
  }

  @Test
  void aCheckpoint_opensWithTheLogsNoteVerifierKey_only() throws Exception {
    byte[] root = new byte[32];
    AuditCheckpoint c = notes.sign("clinic.example/audit", 42, root);
    String vkey = dev.safeguards.tlog.NoteSigner.over("clinic.example/audit", keys).verifier().vkey();
    assertThat(vkey).matches("clinic\\.example/audit\\+[0-9a-f]{8}\\+A[Q-Za-f].{42}");

    assertThat(NoteCheckpoints.verifying(java.util.List.of(dev.safeguards.tlog.NoteVerifier.parse(vkey)))
        .open(c.note()).size()).isEqualTo(42);
    String otherLog = dev.safeguards.tlog.NoteSigner.over("other.example/audit", keys).verifier().vkey();
    assertThatThrownBy(() -> NoteCheckpoints.verifying(java.util.List.of(
        dev.safeguards.tlog.NoteVerifier.parse(otherLog))).open(c.note()))
        .isInstanceOfSatisfying(TreeWalk.NoteRejected.class,
            e -> assertThat(e.tampering).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE));
    String cosigner = dev.safeguards.tlog.Cosignature.signer("clinic.example/audit", keys, java.time.Clock.systemUTC())
        .verifier().vkey();
    assertThatThrownBy(() -> NoteCheckpoints.verifying(java.util.List.of(
        dev.safeguards.tlog.NoteVerifier.parse(cosigner)))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSignatureInNonCanonicalBase64_isRefused_thoughItDecodesToTheSameBytes() {
    String note = notes.sign("o", 3, root).note();
    int last = note.length() - 3; // the character before "=\n"
    char c = note.charAt(last);
    char other = B64.charAt(B64.indexOf(c) ^ 1); // differs in an unused bit only
    String altered = note.substring(0, last) + other + note.substring(last + 1);
    String sig = note.substring(note.lastIndexOf(' ') + 1, note.length() - 1);
    String sig2 = altered.substring(altered.lastIndexOf(' ') + 1, altered.length() - 1);
    assertThat(Base64.getDecoder().decode(sig2)).isEqualTo(Base64.getDecoder().decode(sig));

    assertThat(refused(altered)).isEqualTo(Tampering.MODIFIED);
  }

  @Test
  void malformedNotes_areModified() {
    String good = notes.sign("o", 3, root).note();
    String b64 = Base64.getEncoder().encodeToString(root);
    String sigLine = good.substring(good.indexOf("\u2014"));
    for (String bad : new String[] {
        good.substring(0, good.length() - 1), // no final line feed
        "o\n03\n" + b64 + "\n\n" + sigLine, // leading zero
        "o\n3\n" + b64.replace("=", "") + "\n\n" + sigLine, // no padding
        "o\n3\n" + Base64.getEncoder().encodeToString(new byte[31]) + "\n\n" + sigLine, // 31 bytes
        "o\n99999999999999999999\n" + b64 + "\n\n" + sigLine, // overflow
        "o\n3\n" + b64 + "\n\n\n" + sigLine, // empty line among signatures
        "o\n3\n" + b64 + "\n\n- o AAAA\n", // no em dash
        "o\u0007\n3\n" + b64 + "\n\n" + sigLine, // control character
        "o\n3\n" + b64 + "\n\n" + sigLine.repeat(101), // too many signatures
        "o\n3\n" + b64 + "\n\n" + "x".repeat(20_000) + "\n"}) {
      assertThat(refused(bad)).as(bad.length() > 200 ? bad.substring(0, 200) : bad).isEqualTo(Tampering.MODIFIED);
    }
  }

  @Test
  void signatures_byOtherKeysAreIgnored_aBadOneByOursIsRefused() throws Exception {
    SigningKeyset other = AuditFixtures.checkpointKeys(Files.createDirectory(tmp.resolve("other")), clock);
    String ours = notes.sign("o", 3, root).note();
    String theirs = NoteCheckpoints.over(other).sign("o", 3, root).note();
    String theirLine = theirs.substring(theirs.indexOf("\u2014"));

    assertThat(notes.open(ours + theirLine).size()).as("a second signature by a key we do not know").isEqualTo(3);
    assertThat(refused(theirs)).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE);
    String witness = ours + "\u2014 witness.example/w1 " + Base64.getEncoder().encodeToString(new byte[76]) + "\n";
    assertThat(notes.open(witness).size()).as("another name's line is not ours to check").isEqualTo(3);
    String forged = ours.replace("o\n3\n", "o\n4\n");
    assertThat(refused(forged)).isEqualTo(Tampering.BAD_CHECKPOINT_SIGNATURE);
  }

  @Test
  void origins_areCheckedForNoteKeyNames() {
    assertThat(NoteCheckpoints.checkOrigin("clinic.example/audit")).isEqualTo("clinic.example/audit");
    for (String bad : new String[] {"", "a b", "a+b", "caf\u00e9", "x".repeat(256), "tab\there"}) {
      assertThatThrownBy(() -> NoteCheckpoints.checkOrigin(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
