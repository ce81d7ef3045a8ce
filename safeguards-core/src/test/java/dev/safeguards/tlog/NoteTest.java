package dev.safeguards.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.InvalidSignatureException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Signed notes: Go's sumdb/note and the C2SP spec's examples as known answers (see {@link TlogVectors}), the format's
 * rules against hostile input, and verification with known, unknown and colliding keys.
 */
class NoteTest {

  private static final String TEXT = TlogVectors.text("go-peter-text");
  private static final String PETER_LINE = TlogVectors.lines("go-peter-enoch-note")[3] + "\n";
  private static final String ENOCH_LINE = TlogVectors.lines("go-peter-enoch-note")[4] + "\n";
  private static final NoteVerifier PETER = TlogVectors.verifier("go-peter-vkey");
  private static final NoteVerifier ENOCH = TlogVectors.verifier("go-enoch-vkey");

  private static Note parse(String s) {
    return Note.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static void assertMalformed(byte[] encoded, String messagePart) {
    assertThatThrownBy(() -> Note.parse(encoded)).isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(messagePart);
  }

  private static void assertMalformed(String encoded, String messagePart) {
    assertMalformed(encoded.getBytes(StandardCharsets.UTF_8), messagePart);
  }

  private static InvalidSignatureException openFails(Note note, List<NoteVerifier> verifiers) {
    try {
      note.open(verifiers);
    } catch (InvalidSignatureException e) {
      return e;
    }
    throw new AssertionError("the note opened");
  }

  // Known answers

  @Test
  void parse_goNoteSignedByPeterAndEnoch_readsTextAndBothSignatures() {
    Note note = TlogVectors.note("go-peter-enoch-note");

    assertThat(note.text()).isEqualTo(TEXT);
    assertThat(note.signatures()).extracting(Note.Signature::name).containsExactly("PeterNeumann", "EnochRoot");
    assertThat(note.signatures()).extracting(Note.Signature::keyHash).containsExactly(0xc74f20a3, 0xaf0cfe78);
    assertThat(note.signatures().get(0).bytes()).hasSize(64);
    assertThat(note.signatures().get(0).line()).isEqualTo(PETER_LINE);
    assertThat(note.encode()).isEqualTo(TlogVectors.bytes("go-peter-enoch-note"));
  }

  @Test
  void open_withPeterOnly_verifiesPeterAndIgnoresEnoch() throws Exception {
    List<Note.Signature> verified = TlogVectors.note("go-peter-enoch-note").open(List.of(PETER));

    assertThat(verified).extracting(Note.Signature::name).containsExactly("PeterNeumann");
  }

  @Test
  void open_withBothKeys_verifiesBothInNoteOrder() throws Exception {
    List<Note.Signature> verified = TlogVectors.note("go-peter-enoch-note").open(List.of(ENOCH, PETER));

    assertThat(verified).extracting(Note.Signature::name).containsExactly("PeterNeumann", "EnochRoot");
  }

  @Test
  void open_withOnlyUnknownKeys_throwsKeyUnknown() {
    InvalidSignatureException e =
        openFails(TlogVectors.note("go-peter-enoch-note"), List.of(TlogVectors.verifier("c2sp-foo-vkey")));

    assertThat(e.keyUnknown()).isTrue();
    assertThat(e).hasMessageContaining("example.com/foo+530d903a");
  }

  @Test
  void sign_withGoPeterKey_reproducesGoNoteByteForByte() {
    NoteSigner peter = NoteSigner.fromPrivateKey("PeterNeumann", TlogVectors.goPrivateKey("go-peter-skey"));

    assertThat(Note.sign(TEXT, peter).encode()).isEqualTo(TlogVectors.bytes("go-peter-note"));
  }

  @Test
  void open_specExample_verifiesUnderSpecVerifierKey() throws Exception {
    Note note = TlogVectors.note("c2sp-foo-note");

    assertThat(note.open(List.of(TlogVectors.verifier("c2sp-foo-vkey")))).hasSize(1);
    assertThat(note.text()).isEqualTo("This is an example message.\n");
  }

  @Test
  void parse_specPoemWithBlankLineAndNonAscii_splitsAtLastBlankLineAndRoundTrips() {
    Note note = TlogVectors.note("c2sp-quasimodo-note");

    assertThat(note.text()).isEqualTo(
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n");
    assertThat(note.signatures()).singleElement().extracting(Note.Signature::name)
        .isEqualTo("quasimodo.example/salvatore");
    assertThat(note.encode()).isEqualTo(TlogVectors.bytes("c2sp-quasimodo-note"));
  }

  @Test
  void encode_everyVectorNote_givesBackItsExactBytes() {
    for (String id : List.of("go-peter-note", "go-peter-enoch-note", "c2sp-foo-note", "c2sp-quasimodo-note",
        "c2sp-checkpoint-note", "c2sp-cosigned-note", "formats-sumdb-note", "scales-arche-note")) {
      assertThat(TlogVectors.note(id).encode()).as(id).isEqualTo(TlogVectors.bytes(id));
      assertThat(TlogVectors.note(id)).as(id).isEqualTo(TlogVectors.note(id));
    }
  }

  @Test
  void open_realCheckpointWithFiveOtherSignatures_verifiesTheLogAndTheKnownWitnessOnly() throws Exception {
    List<Note.Signature> verified = TlogVectors.note("scales-arche-note")
        .open(List.of(TlogVectors.verifier("scales-arche-vkey"), TlogVectors.verifier("scales-remora-vkey")));

    assertThat(verified).extracting(Note.Signature::name)
        .containsExactly("arche2025h1.staging.ct.transparency.dev", "remora.n621.de");
    assertThat(verified).extracting(Note.Signature::keyHash).containsExactly(0xba2f06c0, 0xda77ade7);
  }

  // Verification failures

  @Test
  void open_corruptedSignatureOfKnownKey_throwsNotKeyUnknown() {
    // Go's TestOpen: four characters inserted into the signature.
    Note note = parse(TEXT + "\n" + PETER_LINE.substring(0, 60) + "ABCD" + PETER_LINE.substring(60));

    InvalidSignatureException e = openFails(note, List.of(PETER));

    assertThat(e.keyUnknown()).isFalse();
    assertThat(e).hasMessageContaining("PeterNeumann+c74f20a3").hasMessageContaining("does not verify");
  }

  @Test
  void open_badSignatureOfOneKnownKeyBesideAGoodOne_rejectsTheWholeNote() {
    Note note = parse(TEXT + "\n" + PETER_LINE + ENOCH_LINE.substring(0, 40) + "ABCD" + ENOCH_LINE.substring(40));

    InvalidSignatureException e = openFails(note, List.of(PETER, ENOCH));

    assertThat(e.keyUnknown()).isFalse();
    assertThat(e).hasMessageContaining("EnochRoot+af0cfe78");
  }

  @Test
  void open_wrongKeyHash_treatsTheSignatureAsUnknown() {
    // Go's TestOpen: the key hash bytes changed ("x08g" -> "xxxx"); the name still matches a known key.
    Note note = parse(TEXT + "\n" + PETER_LINE.replace("x08g", "xxxx"));

    assertThat(note.signatures().get(0).keyHash()).isNotEqualTo(0xc74f20a3);
    assertThat(openFails(note, List.of(PETER)).keyUnknown()).isTrue();
  }

  @Test
  void open_sameHashUnderAnotherName_treatsTheSignatureAsUnknown() {
    // The spec's checkpoint example is signed by a key whose hash is sum.golang.org's, under another name.
    Note note = TlogVectors.note("c2sp-checkpoint-note");
    NoteVerifier sumdb = NoteVerifier.parse(TlogVectors.lines("formats-sumdb-vkeys")[0]);

    assertThat(note.signatures().get(0).keyHash()).isEqualTo(sumdb.keyHash());
    assertThat(openFails(note, List.of(sumdb)).keyUnknown()).isTrue();
  }

  @Test
  void open_keyCraftedToCollideWithAKnownKeyHash_failsVerificationInsteadOfPassing() {
    // An attacker can find a key with the same name and 32-bit hash as a trusted one; what it signs fails.
    byte[][] pair = collidingPublicKeys("example.com/log");
    NoteVerifier trusted = NoteVerifier.ed25519("example.com/log", pair[0]);
    NoteVerifier attacker = NoteVerifier.ed25519("example.com/log", pair[1]);
    Note forged = parse("forged\n\n" + new Note.Signature("example.com/log", attacker.keyHash(), new byte[64]).line());

    assertThat(attacker.keyHash()).isEqualTo(trusted.keyHash());
    assertThat(openFails(forged, List.of(trusted)).keyUnknown()).isFalse();
  }

  @Test
  void open_twoDifferentVerifiersWithSameNameAndHash_refusesTheAmbiguousConfiguration() {
    byte[][] pair = collidingPublicKeys("example.com/log");
    List<NoteVerifier> ambiguous = List.of(NoteVerifier.ed25519("example.com/log", pair[0]),
        NoteVerifier.ed25519("example.com/log", pair[1]));

    assertThatThrownBy(() -> TlogVectors.note("go-peter-note").open(ambiguous))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("two different verifier keys");
  }

  @Test
  void open_sameVerifierTwice_isNotAmbiguous() throws Exception {
    assertThat(TlogVectors.note("go-peter-note").open(List.of(PETER, TlogVectors.verifier("go-peter-vkey"))))
        .hasSize(1);
  }

  @Test
  void open_noVerifiers_isRefused() {
    assertThatThrownBy(() -> TlogVectors.note("go-peter-note").open(List.of()))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  /** Two 32-byte public keys whose key hashes under {@code name} collide (a birthday search, seeded). */
  private static byte[][] collidingPublicKeys(String name) {
    Random random = new Random(42);
    Map<Integer, byte[]> seen = new HashMap<>();
    while (true) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      byte[] other = seen.putIfAbsent(NoteVerifier.keyHash(name, (byte) 1, key), key);
      if (other != null && !Arrays.equals(other, key)) {
        return new byte[][] {other, key};
      }
    }
  }

  // Hostile input

  @Test
  void parse_goMalformedMessages_areAllRefused() {
    // Go's TestOpen badMsgs.
    assertMalformed(TEXT, "blank line");
    assertMalformed(TEXT + "\n", "at least one signature");
    assertMalformed(TEXT + "\n" + PETER_LINE.substring(0, PETER_LINE.length() - 1), "ends with a newline");
    assertMalformed("\u0001" + TEXT + "\n" + PETER_LINE, "control character");
    assertMalformed(concat(new byte[] {(byte) 0xff}, (TEXT + "\n" + PETER_LINE).getBytes(StandardCharsets.UTF_8)),
        "UTF-8");
    assertMalformed(TEXT + "\n" + PETER_LINE.replace("PeterNeumann", "Bad Name"), "base64");
    assertMalformed(TEXT + "\n" + PETER_LINE + "Unexpected line.\n", "em dash");
  }

  @Test
  void parse_missingFinalNewline_isRefused() {
    String note = new String(TlogVectors.bytes("go-peter-note"), StandardCharsets.UTF_8);

    assertMalformed(note.substring(0, note.length() - 1), "ends with a newline");
  }

  @Test
  void parse_signatureLineWithoutEmDashAndSpace_isRefused() {
    String rest = PETER_LINE.substring(1);
    for (String dash : List.of("-", "\u2013", "\u2015", "--")) {
      assertMalformed(TEXT + "\n" + dash + rest, "em dash");
    }
    assertMalformed(TEXT + "\n\u2014" + rest.substring(1), "em dash");
    assertMalformed(TEXT + "\n\u2014\u00a0" + rest.substring(1), "em dash");
  }

  @Test
  void parse_controlCharacters_areRefusedAnywhere() {
    for (String c : List.of("\u0000", "\t", "\r", "\u000b", "\u001b", "\u001f")) {
      assertMalformed(TEXT.replace(",", c) + "\n" + PETER_LINE, "control character");
      assertMalformed(TEXT + "\n" + PETER_LINE.replace("Neumann", c), "control character");
    }
    assertMalformed(TEXT + "\r\n" + PETER_LINE, "control character");
  }

  @Test
  void parse_notUtf8_isRefused() {
    byte[] note = TlogVectors.bytes("go-peter-note");
    byte[][] bad = {
        {(byte) 0xc0, (byte) 0xaf}, // overlong '/'
        {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}, // overlong '/'
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate, encoded
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xe2, (byte) 0x80}, // truncated
        {(byte) 0x80}, // a lone continuation byte
        {(byte) 0xfe},
    };
    for (byte[] b : bad) {
      assertMalformed(concat(b, note), "UTF-8");
      assertMalformed(concat(note, b), "UTF-8");
    }
  }

  @Test
  void parse_corruptedEmDash_isRefusedAsNotUtf8() {
    byte[] note = TlogVectors.bytes("go-peter-note");
    int dash = TEXT.length() + 1; // the em dash's first byte: the text is ASCII
    note[dash + 2] = (byte) 0x20;

    assertMalformed(note, "UTF-8");
  }

  @Test
  void parse_badSignatureBase64_isRefused() {
    String sig = PETER_LINE.substring(PETER_LINE.indexOf(' ', 2) + 1, PETER_LINE.length() - 1);
    String prefix = TEXT + "\n\u2014 PeterNeumann ";
    assertMalformed(prefix + "!!!!\n", "not base64");
    assertMalformed(prefix + sig.replace("/", "_") + "\n", "not base64");
    assertMalformed(prefix + sig.substring(0, sig.length() - 1) + "\n", "canonical");
    // The last character before '=' carries two unused bits: setting one changes the text, not the bytes.
    assertThat(sig).endsWith("AM=");
    assertMalformed(prefix + sig.replace("AM=", "AN=") + "\n", "canonical");
    assertMalformed(prefix + sig + " \n", "not base64");
    assertMalformed(prefix + sig.substring(0, 20) + " " + sig.substring(20) + "\n", "not base64");
    assertMalformed(prefix + "\n", "at least one more byte");
  }

  @Test
  void parse_signatureOfFourBytesOrFewer_isRefused() {
    assertMalformed(TEXT + "\n\u2014 PeterNeumann x08gow==\n", "at least one more byte");
    assertMalformed(TEXT + "\n\u2014 PeterNeumann x08g\n", "at least one more byte");
    assertThat(parse(TEXT + "\n\u2014 PeterNeumann x08go/Y=\n").signatures().get(0).bytes()).hasSize(1);
  }

  @Test
  void parse_invalidKeyNames_areRefused() {
    String rest = PETER_LINE.substring(PETER_LINE.indexOf(' ', 2));
    for (String name : List.of("", "Peter+Neumann", "Peter\u00a0Neumann", "Peter\u3000Neumann", "Peter\u2028Neumann",
        "Peter\u0085Neumann", "Peter\u2003Neumann")) {
      assertMalformed(TEXT + "\n\u2014 " + name + rest, "key name");
    }
  }

  @Test
  void parse_duplicateSignatures_areRefused() {
    assertMalformed(TEXT + "\n" + PETER_LINE + PETER_LINE, "one signature per key");
    String corrupted = PETER_LINE.substring(0, 60) + "ABCD" + PETER_LINE.substring(60);
    assertMalformed(TEXT + "\n" + PETER_LINE + ENOCH_LINE + corrupted, "one signature per key");
  }

  @Test
  void parse_sameNameWithDifferentKeyHashes_isAccepted() {
    // Two keys of one log (as in the arche checkpoint: an RFC 6962 key and an Ed25519 key under the log's name).
    Note note = TlogVectors.note("scales-arche-note");

    assertThat(note.signatures().get(0).name()).isEqualTo(note.signatures().get(1).name());
    assertThat(note.signatures().get(0).keyHash()).isNotEqualTo(note.signatures().get(1).keyHash());
  }

  @Test
  void parse_maxSignaturesButNotOneMore() {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < Note.MAX_SIGNATURES; i++) {
      lines.append(new Note.Signature("key" + i, i, new byte[64]).line());
    }
    assertThat(parse(TEXT + "\n" + lines).signatures()).hasSize(100);

    String tooMany = TEXT + "\n" + lines + new Note.Signature("key100", 100, new byte[64]).line();
    assertMalformed(tooMany, "at most 100 signatures");
  }

  @Test
  void parse_atTheSizeLimitButNotOneByteMore() {
    int room = Note.MAX_BYTES - 1 - PETER_LINE.getBytes(StandardCharsets.UTF_8).length;
    String text = "x".repeat(room - 1) + "\n";
    byte[] atLimit = (text + "\n" + PETER_LINE).getBytes(StandardCharsets.UTF_8);
    assertThat(atLimit).hasSize(Note.MAX_BYTES);
    assertThat(Note.parse(atLimit).text()).isEqualTo(text);

    assertMalformed(("x" + text + "\n" + PETER_LINE).getBytes(StandardCharsets.UTF_8), "at most 1048576 bytes");
  }

  @Test
  void parse_spacesAndDelAndC1ControlsInText_areAllowedAsTheSpecSays() {
    Note note = parse("tab-free text with \u007f and \u0085 and \u00a0\n\n" + PETER_LINE);

    assertThat(note.text()).contains("\u007f", "\u0085");
  }

  @Test
  void parse_smallestNote_hasTextOfOneNewline() {
    assertThat(parse("\n\n" + PETER_LINE).text()).isEqualTo("\n");
  }

  @Test
  void parse_textEndingInBlankLinesOrHoldingSignatureLikeLines_isSplitAtTheLastBlankLine() {
    NoteSigner signer = NoteSigner.generate("example.com/log");
    for (String text : List.of("a\n\n", "a\n\n\n", "x\n\n" + PETER_LINE, PETER_LINE + "\n" + ENOCH_LINE)) {
      Note signed = Note.sign(text, signer);
      Note read = Note.parse(signed.encode());

      assertThat(read.text()).as(text).isEqualTo(text);
      assertThat(read.signatures()).as(text).hasSize(1);
    }
  }

  // Signing

  @Test
  void sign_invalidTexts_areRefused() {
    NoteSigner signer = NoteSigner.generate("example.com/log");
    for (String text : List.of("", "no newline", "a\tb\n", "a\rb\n", "a\u0000\n", "lone \ud800 surrogate\n",
        "lone \udc00 surrogate\n")) {
      assertThatThrownBy(() -> Note.sign(text, signer)).as(text).isExactlyInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void sign_noSignerOrTwoSignersWithOneKey_isRefused() {
    NoteSigner signer = NoteSigner.generate("example.com/log");

    assertThatThrownBy(() -> Note.sign(TEXT)).isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Note.sign(TEXT, signer, signer)).isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two signers");
  }

  @Test
  void sign_moreThanMaxSigners_isRefused() {
    List<NoteSigner> signers = new ArrayList<>();
    for (int i = 0; i <= Note.MAX_SIGNATURES; i++) {
      signers.add(NoteSigner.generate("k" + i));
    }

    assertThatThrownBy(() -> Note.sign(TEXT, signers.toArray(NoteSigner[]::new)))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 100 signatures");
  }

  @Test
  void sign_textTooLargeForANote_isRefused() {
    String text = "x".repeat(Note.MAX_BYTES - 10) + "\n";

    assertThatThrownBy(() -> Note.sign(text, NoteSigner.generate("example.com/log")))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes");
  }

  @Test
  void addSignatures_replacesAnExistingSignatureBySameKey() {
    // Go's TestSign: an existing (bad) Peter signature is replaced by the new one.
    Note withBadPeter = parse(TEXT + "\n" + PETER_LINE.substring(0, 60) + "ABCD" + PETER_LINE.substring(60));
    NoteSigner peter = NoteSigner.fromPrivateKey("PeterNeumann", TlogVectors.goPrivateKey("go-peter-skey"));

    assertThat(withBadPeter.addSignatures(peter).encode()).isEqualTo(TlogVectors.bytes("go-peter-note"));
  }

  @Test
  void addSignatures_keepsOtherSignaturesAndAppendsNewOnes() throws Exception {
    NoteSigner other = NoteSigner.generate("EnochRoot2");

    Note both = TlogVectors.note("go-peter-enoch-note").addSignatures(other);

    assertThat(both.signatures()).extracting(Note.Signature::name)
        .containsExactly("PeterNeumann", "EnochRoot", "EnochRoot2");
    assertThat(Note.parse(both.encode()).open(List.of(PETER, ENOCH, other.verifiers().get(0)))).hasSize(3);
  }

  @Test
  void signatureBytes_areCopies() {
    Note note = TlogVectors.note("go-peter-note");
    note.signatures().get(0).bytes()[0] ^= 1;

    assertThat(note.encode()).isEqualTo(TlogVectors.bytes("go-peter-note"));
  }

  @Test
  void toString_namesTheKeysButNotTheText() {
    String s = TlogVectors.note("go-peter-enoch-note").toString();

    assertThat(s).contains("PeterNeumann+c74f20a3", "EnochRoot+af0cfe78").doesNotContain("cryptography");
  }

  @Test
  void signatureLine_isTheBase64OfKeyHashAndBytes() {
    Note.Signature s = TlogVectors.note("go-peter-note").signatures().get(0);
    byte[] raw = Base64.getDecoder().decode(s.line().substring(s.line().lastIndexOf(' ') + 1).strip());

    assertThat(raw).hasSize(68).startsWith((byte) 0xc7, (byte) 0x4f, (byte) 0x20, (byte) 0xa3);
  }
}
