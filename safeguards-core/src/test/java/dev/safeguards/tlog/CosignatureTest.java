package dev.safeguards.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.subtle.Ed25519Sign;
import dev.safeguards.crypto.InvalidSignatureException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cosignatures (cosignature/v1, Ed25519): a real witness's cosignature and the spec's example as known answers, a
 * cosignature computed independently from the spec (see {@link TlogVectors}), and forgeries.
 */
class CosignatureTest {

  private static final long SPEC_TIME = 1679315147L;
  private static final Clock SPEC_CLOCK = Clock.fixed(Instant.ofEpochSecond(SPEC_TIME), ZoneOffset.UTC);
  private static final NoteVerifier REMORA = TlogVectors.verifier("scales-remora-vkey");
  private static final NoteVerifier WIT1 = TlogVectors.verifier("derived-wit1-cosigner-vkey");

  private static NoteSigner wit1() {
    return Cosignature.signer("Wit1", TlogVectors.goPrivateKey("formats-wit1-skey"), SPEC_CLOCK);
  }

  private static InvalidSignatureException verifyFails(Note note, NoteVerifier cosigner) {
    try {
      Cosignature.verify(note, cosigner);
    } catch (InvalidSignatureException e) {
      return e;
    }
    throw new AssertionError("the cosignature verified");
  }

  /** The note with its only signature by {@code name} replaced by one with the given bytes after the key hash. */
  private static Note withSignatureBytes(Note note, String name, byte[] bytes) {
    StringBuilder sb = new StringBuilder(note.text()).append('\n');
    for (Note.Signature s : note.signatures()) {
      sb.append(s.name().equals(name) ? new Note.Signature(name, s.keyHash(), bytes).line() : s.line());
    }
    return Note.parse(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Note.Signature signatureBy(Note note, String name) {
    return note.signatures().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  // Known answers

  @Test
  void verify_realWitnessCosignatureOfARealCheckpoint_returnsItsTimeAndCheckpoint() throws Exception {
    Note note = TlogVectors.note("scales-arche-note");

    Cosignature c = Cosignature.verify(note, REMORA);

    assertThat(c.time()).isEqualTo(Instant.ofEpochSecond(1779573024L));
    assertThat(c.cosigner()).isEqualTo(REMORA);
    assertThat(c.checkpoint()).isEqualTo(Checkpoint.open(note, TlogVectors.verifier("scales-arche-vkey")));
    assertThat(c.toString()).contains("remora.n621.de+da77ade7", "arche2025h1");
  }

  @Test
  void message_specExample_isTheSpecSignedMessageExactly() {
    byte[] body = TlogVectors.note("c2sp-checkpoint-note").text().getBytes(StandardCharsets.UTF_8);

    assertThat(Cosignature.message(SPEC_TIME, body)).isEqualTo(TlogVectors.bytes("c2sp-cosigned-message"));
  }

  @Test
  void parse_specCosignedCheckpoint_holdsKeyHashTimestampAndSignature() {
    Note note = TlogVectors.note("c2sp-cosigned-note");
    Note.Signature witness = signatureBy(note, "witness.example.com/w1");

    assertThat(witness.keyHash()).isEqualTo(0x8d66cf3f);
    assertThat(witness.bytes()).hasSize(Cosignature.TIMESTAMP_LENGTH + 64);
    assertThat(Cosignature.timestamp(witness.bytes())).isEqualTo(SPEC_TIME);
  }

  @Test
  void signer_goWitnessKey_hasTheType4VerifierKeyAndReproducesTheIndependentCosignature() {
    NoteSigner wit1 = wit1();

    Note cosigned = TlogVectors.note("c2sp-checkpoint-note").addSignatures(wit1);

    assertThat(wit1.verifiers()).containsExactly(WIT1);
    assertThat(cosigned.signatures().get(1).line()).isEqualTo(TlogVectors.text("derived-wit1-cosignature"));
    assertThat(cosigned.encode()).isEqualTo((new String(TlogVectors.bytes("c2sp-checkpoint-note"),
        StandardCharsets.UTF_8) + TlogVectors.text("derived-wit1-cosignature")).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void verify_independentCosignature_returnsTheSpecTime() throws Exception {
    Note note = Note.parse((new String(TlogVectors.bytes("c2sp-checkpoint-note"), StandardCharsets.UTF_8)
        + TlogVectors.text("derived-wit1-cosignature")).getBytes(StandardCharsets.UTF_8));

    Cosignature c = Cosignature.verify(note, WIT1);

    assertThat(c.time()).isEqualTo(Instant.ofEpochSecond(SPEC_TIME));
    assertThat(c.checkpoint().size()).isEqualTo(20852163L);
  }

  // Round trips

  @Test
  void sign_logKeyAndCosigner_bothVerifyAndTheWitnessLineIsWhatAWitnessReturns() throws Exception {
    NoteSigner log = NoteSigner.generate("example.com/log");
    NoteSigner witness = Cosignature.generateSigner("witness.example/w1", SPEC_CLOCK);
    Checkpoint checkpoint = Checkpoint.of("example.com/log", 5, new byte[32]);

    Note logSigned = checkpoint.sign(log);
    Note.Signature line = logSigned.addSignatures(witness).signatures().get(1);
    Note cosigned = Note.parse((new String(logSigned.encode(), StandardCharsets.UTF_8) + line.line())
        .getBytes(StandardCharsets.UTF_8));

    assertThat(Checkpoint.open(cosigned, log.verifiers().get(0))).isEqualTo(checkpoint);
    Cosignature c = Cosignature.verify(cosigned, witness.verifiers().get(0));
    assertThat(c.time()).isEqualTo(Instant.ofEpochSecond(SPEC_TIME));
    assertThat(Cosignature.verify(checkpoint.sign(log, witness), witness.verifiers().get(0)).checkpoint())
        .isEqualTo(checkpoint);
  }

  @Test
  void sign_timeIsTruncatedToTheSecond() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:15:30.999Z"), ZoneOffset.UTC);
    NoteSigner witness = Cosignature.generateSigner("w", clock);

    Cosignature c = Cosignature.verify(Checkpoint.of("o", 1, new byte[32]).sign(witness), witness.verifiers().get(0));

    assertThat(c.time()).isEqualTo(Instant.parse("2026-11-23T10:15:30Z"));
  }

  @Test
  void sign_cosignatureCoversExtensionLines() {
    NoteSigner witness = wit1();
    Note note = Checkpoint.of("o", 1, new byte[32], List.of("extension")).sign(witness);
    String tampered = new String(note.encode(), StandardCharsets.UTF_8).replace("extension", "extensioN");

    assertThat(verifyFails(Note.parse(tampered.getBytes(StandardCharsets.UTF_8)), WIT1).keyUnknown()).isFalse();
  }

  // Refusals

  @Test
  void sign_textThatIsNotACheckpoint_isRefused() {
    assertThatThrownBy(() -> Note.sign("hello\n", wit1())).isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TlogVectors.note("go-peter-note").addSignatures(wit1()))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sign_clockBefore1970_isRefused() {
    NoteSigner witness = Cosignature.generateSigner("w", Clock.fixed(Instant.ofEpochSecond(-1), ZoneOffset.UTC));

    assertThatThrownBy(() -> Checkpoint.of("o", 1, new byte[32]).sign(witness))
        .isExactlyInstanceOf(IllegalStateException.class);
  }

  @Test
  void verify_witnessThatDidNotCosign_isKeyUnknown() {
    InvalidSignatureException e = verifyFails(TlogVectors.note("scales-arche-note"), WIT1);

    assertThat(e.keyUnknown()).isTrue();
  }

  @Test
  void verify_withAPlainEd25519Key_isRefused() {
    assertThatThrownBy(() -> Cosignature.verify(TlogVectors.note("scales-arche-note"),
        TlogVectors.verifier("scales-arche-vkey"))).isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type 0x04");
  }

  @Test
  void openWithType1KeyOfTheSameWitnessKey_doesNotAcceptTheCosignature() {
    // The same Ed25519 key as a type-0x01 verifier has another key hash: the cosignature is unknown to it.
    Note note = TlogVectors.note("c2sp-checkpoint-note").addSignatures(wit1());

    assertThatThrownBy(() -> note.open(List.of(TlogVectors.verifier("formats-wit1-vkey"))))
        .isExactlyInstanceOf(InvalidSignatureException.class)
        .matches(e -> ((InvalidSignatureException) e).keyUnknown());
  }

  @Test
  void verify_changedTimestamp_doesNotVerify() {
    Note note = TlogVectors.note("scales-arche-note");
    byte[] bytes = signatureBy(note, "remora.n621.de").bytes();
    bytes[7]++;

    assertThat(verifyFails(withSignatureBytes(note, "remora.n621.de", bytes), REMORA).keyUnknown()).isFalse();
  }

  @Test
  void verify_timestampAbove2To63Minus1_doesNotVerify() {
    Note note = TlogVectors.note("scales-arche-note");
    byte[] bytes = signatureBy(note, "remora.n621.de").bytes();
    bytes[0] |= (byte) 0x80;

    assertThat(verifyFails(withSignatureBytes(note, "remora.n621.de", bytes), REMORA).keyUnknown()).isFalse();
  }

  @Test
  void verify_timestampAbove2To63Minus1SignedAsANegativeNumber_doesNotVerify() throws Exception {
    // A u64 above 2^63 - 1 is a negative long; a message signed with that long's decimal must not pass either.
    Ed25519Sign.KeyPair pair = Ed25519Sign.KeyPair.newKeyPair();
    NoteSigner witness = Cosignature.signer("w", pair.getPrivateKey(), SPEC_CLOCK);
    Checkpoint checkpoint = Checkpoint.of("o", 1, new byte[32]);
    byte[] message = Cosignature.message(-1, checkpoint.text().getBytes(StandardCharsets.UTF_8));
    byte[] forged = Cosignature.timestamped(-1, new Ed25519Sign(pair.getPrivateKey()).sign(message));
    Note note = withSignatureBytes(checkpoint.sign(witness), "w", forged);

    assertThat(verifyFails(note, witness.verifiers().get(0)).keyUnknown()).isFalse();
  }

  @Test
  void verify_signatureWithoutTimestampOrTruncated_doesNotVerify() {
    Note note = TlogVectors.note("scales-arche-note");
    byte[] bytes = signatureBy(note, "remora.n621.de").bytes();

    for (byte[] bad : List.of(Arrays.copyOfRange(bytes, 8, bytes.length), Arrays.copyOf(bytes, bytes.length - 1),
        Arrays.copyOf(bytes, bytes.length + 1))) {
      assertThat(verifyFails(withSignatureBytes(note, "remora.n621.de", bad), REMORA).keyUnknown()).isFalse();
    }
  }

  @Test
  void verify_validSignatureAtATimeBeyondInstant_isRefused() throws Exception {
    Ed25519Sign.KeyPair pair = Ed25519Sign.KeyPair.newKeyPair();
    NoteSigner witness = Cosignature.signer("w", pair.getPrivateKey(), SPEC_CLOCK);
    Checkpoint checkpoint = Checkpoint.of("o", 1, new byte[32]);
    byte[] message = Cosignature.message(Long.MAX_VALUE, checkpoint.text().getBytes(StandardCharsets.UTF_8));
    byte[] forged = Cosignature.timestamped(Long.MAX_VALUE, new Ed25519Sign(pair.getPrivateKey()).sign(message));
    Note note = withSignatureBytes(checkpoint.sign(witness), "w", forged);

    assertThat(note.open(witness.verifiers())).hasSize(1);
    assertThat(verifyFails(note, witness.verifiers().get(0))).hasMessageContaining("beyond");
  }

  @Test
  void verifier_keyOfWrongLengthOrBadName_isRefused() {
    assertThatThrownBy(() -> Cosignature.verifier("w", new byte[31])).isExactlyInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> Cosignature.verifier("w 1", new byte[32])).isExactlyInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> Cosignature.signer("w", new byte[33], SPEC_CLOCK)).isExactlyInstanceOf(
        IllegalArgumentException.class);
  }
}
