package dev.safeguards.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safeguards.crypto.InvalidSignatureException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkpoints: the spec's, Go's and real logs' as known answers, the body's rules, and opening by the log's key. */
class CheckpointTest {

  private static final String SOFA_HASH = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
  private static final String SOFA = "example.com/behind-the-sofa\n20852163\n" + SOFA_HASH + "\n";
  private static final NoteVerifier ARCHE = TlogVectors.verifier("scales-arche-vkey");
  private static final NoteVerifier SUMDB = NoteVerifier.parse(TlogVectors.lines("formats-sumdb-vkeys")[0]);

  private static void assertMalformed(String text, String messagePart) {
    assertThatThrownBy(() -> Checkpoint.parse(text)).as(text).isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(messagePart);
  }

  private static InvalidSignatureException openFails(Note note, NoteVerifier key) {
    try {
      Checkpoint.open(note, key);
    } catch (InvalidSignatureException e) {
      return e;
    }
    throw new AssertionError("the checkpoint opened");
  }

  // Known answers

  @Test
  void parse_specCheckpoint_readsOriginSizeAndHashAndFormatsBackExactly() {
    Checkpoint c = Checkpoint.parse(TlogVectors.note("c2sp-checkpoint-note").text());

    assertThat(c.origin()).isEqualTo("example.com/behind-the-sofa");
    assertThat(c.size()).isEqualTo(20852163L);
    assertThat(c.rootHash()).isEqualTo(Base64.getDecoder().decode(SOFA_HASH));
    assertThat(c.extensions()).isEmpty();
    assertThat(c.text()).isEqualTo(SOFA);
  }

  @Test
  void text_goTreeOfHelloWorldRecord_isGoFormattedTree() throws Exception {
    byte[] leaf = MessageDigest.getInstance("SHA-256").digest("\0hello world".getBytes(StandardCharsets.US_ASCII));

    Checkpoint c = Checkpoint.of("go.sum database tree", 123456789012L, leaf);

    assertThat(c.text()).isEqualTo(TlogVectors.text("go-tlog-tree"));
    assertThat(Checkpoint.parse(TlogVectors.text("go-tlog-tree"))).isEqualTo(c);
  }

  @Test
  void parse_goBadTrees_areRefused() {
    assertMalformed(TlogVectors.text("go-tlog-bad-tree-size"), "tree size");
    assertMalformed(TlogVectors.text("go-tlog-bad-tree-hash"), "root hash");
  }

  @Test
  void open_realCheckpointWithItsLogKey_returnsItAndIgnoresTheOtherSignatures() throws Exception {
    Checkpoint c = Checkpoint.open(TlogVectors.note("scales-arche-note"), ARCHE);

    assertThat(c.origin()).isEqualTo("arche2025h1.staging.ct.transparency.dev");
    assertThat(c.size()).isEqualTo(1432088532L);
    assertThat(Base64.getEncoder().encodeToString(c.rootHash()))
        .isEqualTo("U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=");
  }

  @Test
  void open_sumdbTreeByItsKey_needsTheOriginNamedBecauseTheKeyNameDiffers() throws Exception {
    Note note = TlogVectors.note("formats-sumdb-note");

    InvalidSignatureException e = openFails(note, SUMDB);
    assertThat(e.keyUnknown()).isFalse();
    assertThat(e).hasMessageContaining("sum.golang.org").hasMessageContaining("origin");

    Checkpoint c = Checkpoint.open(note, "go.sum database tree", List.of(SUMDB));
    assertThat(c.size()).isEqualTo(6476701L);
    assertThat(c.origin()).isEqualTo("go.sum database tree");
  }

  @Test
  void open_sumdbTreeByAnyOfSeveralLogKeys_opens() throws Exception {
    Note note = TlogVectors.note("formats-sumdb-note");
    List<NoteVerifier> keys = List.of(NoteVerifier.parse(TlogVectors.lines("formats-sumdb-vkeys")[2]),
        TlogVectors.verifier("c2sp-foo-vkey"));

    assertThat(Checkpoint.open(note, "go.sum database tree", keys).size()).isEqualTo(6476701L);
  }

  @Test
  void open_wrongExpectedOrigin_isRefusedEvenWithAValidSignature() {
    assertThatThrownBy(() -> Checkpoint.open(TlogVectors.note("scales-arche-note"), "example.com/other",
        List.of(ARCHE))).isExactlyInstanceOf(InvalidSignatureException.class).hasMessageContaining("origin");
  }

  @Test
  void open_notSignedByTheLogKey_isRefusedAsKeyUnknown() {
    // No key is published for the spec's checkpoint: a key of the log's name that did not sign it.
    NoteVerifier other = NoteVerifier.ed25519("example.com/behind-the-sofa", new byte[32]);
    Note note = TlogVectors.note("c2sp-checkpoint-note");

    assertThat(openFails(note, other).keyUnknown()).isTrue();
  }

  @Test
  void open_aNoteThatIsNotACheckpoint_isRefusedAsMalformed() {
    assertThatThrownBy(() -> Checkpoint.open(TlogVectors.note("go-peter-note"), TlogVectors.verifier("go-peter-vkey")))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  // Round trips

  @Test
  void sign_thenOpen_returnsTheSameCheckpoint() throws Exception {
    NoteSigner log = NoteSigner.generate("example.com/log");
    Checkpoint c = Checkpoint.of("example.com/log", 42, hash(7));

    Note note = Note.parse(c.sign(log).encode());

    assertThat(Checkpoint.open(note, log.verifiers().get(0))).isEqualTo(c);
  }

  @Test
  void sign_withExtensionLines_keepsAndSignsThem() throws Exception {
    NoteSigner log = NoteSigner.generate("example.com/log");
    Checkpoint c = Checkpoint.of("example.com/log", 42, hash(7), List.of("ext one", "\u2014 looks like a signature"));
    byte[] encoded = c.sign(log).encode();

    Checkpoint read = Checkpoint.open(Note.parse(encoded), log.verifiers().get(0));
    assertThat(read.extensions()).containsExactly("ext one", "\u2014 looks like a signature");
    assertThat(read.text()).isEqualTo(c.text()).endsWith("ext one\n\u2014 looks like a signature\n");

    String tampered = new String(encoded, StandardCharsets.UTF_8).replace("ext one", "ext two");
    assertThat(openFails(Note.parse(tampered.getBytes(StandardCharsets.UTF_8)), log.verifiers().get(0))
        .keyUnknown()).isFalse();
  }

  @Test
  void open_tamperedSizeOrHash_failsTheLogSignature() {
    NoteSigner log = NoteSigner.generate("example.com/log");
    String encoded = new String(Checkpoint.of("example.com/log", 42, hash(7)).sign(log).encode(),
        StandardCharsets.UTF_8);
    String hash = Base64.getEncoder().encodeToString(hash(7));

    for (String tampered : List.of(encoded.replace("\n42\n", "\n43\n"),
        encoded.replace(hash, Base64.getEncoder().encodeToString(hash(8))))) {
      InvalidSignatureException e = openFails(Note.parse(tampered.getBytes(StandardCharsets.UTF_8)),
          log.verifiers().get(0));
      assertThat(e.keyUnknown()).isFalse();
    }
  }

  @Test
  void parse_emptyTreeAndLargestSize_areAccepted() {
    assertThat(Checkpoint.parse("o\n0\n" + SOFA_HASH + "\n").size()).isZero();
    assertThat(Checkpoint.parse("o\n9223372036854775807\n" + SOFA_HASH + "\n").size()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void parse_originWithSpacesAndPlus_isAcceptedAsTheSpecRequires() {
    assertThat(Checkpoint.parse("a log + its name\n1\n" + SOFA_HASH + "\n").origin()).isEqualTo("a log + its name");
  }

  // Hostile input

  @Test
  void parse_badTreeSizes_areRefused() {
    for (String size : List.of("020852163", "00", "01", "+1", "-1", " 1", "1 ", "", "1e3", "0x10", "1_000",
        "\u0661\u0662", "\uff11", "\u0967")) {
      assertMalformed("o\n" + size + "\n" + SOFA_HASH + "\n", "tree size");
    }
  }

  @Test
  void parse_treeSizeAboveSignedLong_isRefused() {
    for (String size : List.of("9223372036854775808", "18446744073709551615", "18446744073709551616",
        "99999999999999999999999")) {
      assertMalformed("o\n" + size + "\n" + SOFA_HASH + "\n", "2^63 - 1");
    }
  }

  @Test
  void parse_rootHashOf31Or33BytesOrNotCanonical_isRefused() {
    assertMalformed("o\n1\n" + Base64.getEncoder().encodeToString(new byte[31]) + "\n", "32 bytes");
    assertMalformed("o\n1\n" + Base64.getEncoder().encodeToString(new byte[33]) + "\n", "32 bytes");
    assertMalformed("o\n1\n" + Base64.getEncoder().encodeToString(new byte[0]) + "\n", "32 bytes");
    assertMalformed("o\n1\n" + SOFA_HASH.replace("=", "") + "\n", "canonical");
    assertMalformed("o\n1\n" + SOFA_HASH.replace("2I=", "2J=") + "\n", "canonical");
    assertMalformed("o\n1\n" + SOFA_HASH.replace("/", "_") + "\n", "base64");
    assertMalformed("o\n1\n " + SOFA_HASH + "\n", "base64");
  }

  @Test
  void parse_missingOrEmptyLines_areRefused() {
    assertMalformed("", "newline");
    assertMalformed(SOFA.substring(0, SOFA.length() - 1), "newline");
    assertMalformed("example.com/behind-the-sofa\n20852163\n", "root hash");
    assertMalformed("\n20852163\n" + SOFA_HASH + "\n", "origin");
    assertMalformed(SOFA + "\n", "extension line");
    assertMalformed(SOFA + "ext\n\next\n", "extension line");
  }

  @Test
  void parse_controlCharactersInLines_areRefused() {
    assertMalformed("o\t1\n1\n" + SOFA_HASH + "\n", "control character");
    assertMalformed(SOFA + "ext\r\n", "control character");
  }

  @Test
  void open_noteWhoseTextHasAnEmptyExtensionLine_isRefused() {
    NoteSigner log = NoteSigner.generate("o");
    Note note = Note.sign(SOFA.replace("example.com/behind-the-sofa", "o") + "\next\n", log);

    assertThatThrownBy(() -> Checkpoint.open(note, log.verifiers().get(0)))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("extension line");
  }

  @Test
  void of_invalidValues_areRefused() {
    assertThatThrownBy(() -> Checkpoint.of("o", -1, hash(1))).isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Checkpoint.of("o", 1, new byte[31])).isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Checkpoint.of("o", 1, new byte[33])).isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Checkpoint.of("", 1, hash(1))).isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Checkpoint.of("a\nb", 1, hash(1))).isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Checkpoint.of("lone \ud800", 1, hash(1)))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Checkpoint.of("o", 1, hash(1), List.of("")))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Checkpoint.of("o", 1, hash(1), List.of("a\nb")))
        .isExactlyInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rootHash_isCopiedInAndOut() {
    byte[] h = hash(1);
    Checkpoint c = Checkpoint.of("o", 1, h);
    h[0] ^= 1;
    c.rootHash()[1] ^= 1;

    assertThat(c.rootHash()).isEqualTo(hash(1));
  }

  @Test
  void equalsAndToString_followTheText() {
    Checkpoint a = Checkpoint.of("o", 1, hash(1));

    assertThat(a).isEqualTo(Checkpoint.parse(a.text())).hasSameHashCodeAs(Checkpoint.parse(a.text()));
    assertThat(a).isNotEqualTo(Checkpoint.of("o", 2, hash(1))).isNotEqualTo(Checkpoint.of("o", 1, hash(2)))
        .isNotEqualTo(Checkpoint.of("o", 1, hash(1), List.of("x")));
    assertThat(a.toString()).contains("o", "size 1", "0101");
  }

  private static byte[] hash(int b) {
    byte[] h = new byte[32];
    Arrays.fill(h, (byte) b);
    return h;
  }
}
