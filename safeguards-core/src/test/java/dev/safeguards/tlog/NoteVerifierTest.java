package dev.safeguards.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Verifier keys: the published ones as known answers, Go's manglings, and the name and key rules. */
class NoteVerifierTest {

  private static final String PETER = TlogVectors.line("go-peter-vkey");

  private static List<String> publishedVerifierKeys() {
    List<String> keys = new ArrayList<>(List.of(PETER, TlogVectors.line("go-enoch-vkey"),
        TlogVectors.line("c2sp-foo-vkey"), TlogVectors.line("formats-plus-vkey"),
        TlogVectors.line("formats-remora-vkey"), TlogVectors.line("formats-wit1-vkey"),
        TlogVectors.line("scales-arche-vkey"), TlogVectors.line("derived-wit1-cosigner-vkey")));
    keys.addAll(List.of(TlogVectors.lines("formats-sumdb-vkeys")));
    return keys;
  }

  @Test
  void parse_publishedVerifierKeys_printBackExactly() {
    for (String vkey : publishedVerifierKeys()) {
      NoteVerifier v = NoteVerifier.parse(vkey);

      assertThat(v.vkey()).isEqualTo(vkey);
      assertThat(v.toString()).isEqualTo(vkey);
      assertThat(Note.hex(v.keyHash())).isEqualTo(vkey.split("\\+")[1]);
      assertThat(v.name()).isEqualTo(vkey.substring(0, vkey.indexOf('+')));
    }
  }

  @Test
  void parse_goPeterKey_hasItsNameHashAndType() {
    NoteVerifier v = NoteVerifier.parse(PETER);

    assertThat(v.name()).isEqualTo("PeterNeumann");
    assertThat(v.keyHash()).isEqualTo(0xc74f20a3);
    assertThat(v.type()).isEqualTo(NoteVerifier.ED25519);
  }

  @Test
  void parse_keyWithPlusInItsBase64_splitsOnlyAtTheFirstTwoPluses() {
    NoteVerifier v = NoteVerifier.parse(TlogVectors.line("formats-plus-vkey"));

    assertThat(v.name()).isEqualTo("TEST");
    assertThat(v.keyHash()).isEqualTo(0x7997405c);
  }

  @Test
  void parse_witnessKeyOfType4_isACosignatureKey() {
    NoteVerifier v = NoteVerifier.parse(TlogVectors.line("formats-remora-vkey"));

    assertThat(v.type()).isEqualTo(NoteVerifier.COSIGNATURE_V1);
    assertThat(v.keyHash()).isEqualTo(0xda77ade7);
    byte[] key = Arrays.copyOfRange(Base64.getDecoder().decode(v.vkey().split("\\+", 3)[2]), 1, 33);
    assertThat(Cosignature.verifier("remora.n621.de", key)).isEqualTo(v);
  }

  @Test
  void ed25519_specExamplePublicKey_givesTheSpecVerifierKey() {
    String vkey = TlogVectors.line("c2sp-foo-vkey");
    byte[] key = Arrays.copyOfRange(Base64.getDecoder().decode(vkey.split("\\+", 3)[2]), 1, 33);

    assertThat(NoteVerifier.ed25519("example.com/foo", key).vkey()).isEqualTo(vkey);
  }

  @Test
  void keyHash_sameKeyAndNameOfAnotherType_differs() {
    String vkey = TlogVectors.line("formats-wit1-vkey");
    byte[] key = Arrays.copyOfRange(Base64.getDecoder().decode(vkey.split("\\+", 3)[2]), 1, 33);

    NoteVerifier plain = NoteVerifier.ed25519("Wit1", key);
    NoteVerifier cosigner = Cosignature.verifier("Wit1", key);

    assertThat(plain.vkey()).isEqualTo(vkey);
    assertThat(cosigner.vkey()).isEqualTo(TlogVectors.line("derived-wit1-cosigner-vkey"));
    assertThat(cosigner.keyHash()).isNotEqualTo(plain.keyHash());
    assertThat(cosigner).isNotEqualTo(plain);
  }

  @Test
  void parse_everyProperSubstringOfAKey_isRefused() {
    // Go's TestNewVerifier manglings.
    for (int i = 0; i <= PETER.length(); i++) {
      for (int j = i + 1; j <= PETER.length(); j++) {
        if (i != 0 || j != PETER.length()) {
          String bad = PETER.substring(i, j);
          assertThatThrownBy(() -> NoteVerifier.parse(bad)).as(bad)
              .isExactlyInstanceOf(IllegalArgumentException.class);
        }
      }
    }
  }

  @Test
  void parse_everySingleCharacterChange_isRefused() {
    char[] key = PETER.toCharArray();
    for (int i = 0; i < key.length; i++) {
      key[i]++;
      String bad = new String(key);
      assertThatThrownBy(() -> NoteVerifier.parse(bad)).as(bad).isExactlyInstanceOf(IllegalArgumentException.class);
      key[i]--;
    }
  }

  @Test
  void parse_goKeysWithWrongLengthOrUnknownAlgorithm_areRefused() {
    String[] bad = TlogVectors.lines("go-bad-vkeys");

    // Go refuses the first for its length; its base64 also has non-zero unused bits ("EY=="), which Go's decoder
    // takes and ours does not.
    assertThatThrownBy(() -> NoteVerifier.parse(bad[0])).isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("canonical");
    assertThatThrownBy(() -> NoteVerifier.parse(bad[1])).isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signature type");
  }

  @Test
  void parse_keyOf31Or33BytesWithMatchingHash_isRefusedForItsLength() {
    for (int length : List.of(31, 33)) {
      byte[] key = new byte[1 + length];
      key[0] = 1;
      String hash = Note.hex(NoteVerifier.keyHash("a", (byte) 1, Arrays.copyOfRange(key, 1, key.length)));
      String vkey = "a+" + hash + "+" + Base64.getEncoder().encodeToString(key);
      assertThatThrownBy(() -> NoteVerifier.parse(vkey)).as(vkey).isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("32-byte key");
    }
  }

  @Test
  void parse_keyHashThatDoesNotMatch_isRefused() {
    assertThatThrownBy(() -> NoteVerifier.parse(PETER.replace("c74f20a3", "c74f20a4")))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
  }

  @Test
  void parse_upperCaseOrShortOrSignedKeyHash_isRefused() {
    for (String hash : List.of("C74F20A3", "c74f20a", "c74f20a30", "+74f20a3", "c74f20g3", "\u0661\u0662345678")) {
      String bad = PETER.replace("c74f20a3", hash);
      assertThatThrownBy(() -> NoteVerifier.parse(bad)).as(bad).isExactlyInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void parse_keyBase64NotCanonical_isRefused() {
    String b64 = PETER.substring(PETER.lastIndexOf('+') + 1);
    for (String bad : List.of(b64.substring(0, b64.length() - 1), b64 + "=", b64 + "\n", " " + b64,
        b64.replace("/", "_"))) {
      assertThatThrownBy(() -> NoteVerifier.parse("PeterNeumann+c74f20a3+" + bad)).as(bad)
          .isExactlyInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void parse_otherSignatureTypes_areRefusedWhateverTheirHash() {
    byte[] key = new byte[33];
    for (int type : List.of(0x00, 0x02, 0x03, 0x05, 0x06, 0xff)) {
      key[0] = (byte) type;
      String hash = Note.hex(NoteVerifier.keyHash("example.com/log", (byte) type, Arrays.copyOfRange(key, 1, 33)));
      String vkey = "example.com/log+" + hash + "+" + Base64.getEncoder().encodeToString(key);
      assertThatThrownBy(() -> NoteVerifier.parse(vkey)).as(vkey).isExactlyInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("signature type");
    }
  }

  @Test
  void parse_emptyKeyOrMissingParts_isRefused() {
    for (String bad : List.of("", "+", "++", "PeterNeumann", "PeterNeumann+c74f20a3", "PeterNeumann+c74f20a3+",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "PeterNeumann+c74f20a3ARpc2QcUPDhMQegwxbzhKq")) {
      assertThatThrownBy(() -> NoteVerifier.parse(bad)).as(bad).isExactlyInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void ed25519_invalidNames_areRefused() {
    byte[] key = new byte[32];
    for (String name : List.of("", "a b", "a+b", "a\tb", "a\nb", "a\u00a0b", "a\u3000b", "a\u2028b", "a\u2029b",
        "a\u0085b", "a\u1680b", "a\u202fb", "a\u0001b", "lone\ud800", "lone\udfff")) {
      assertThatThrownBy(() -> NoteVerifier.ed25519(name, key)).as(name)
          .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("key name");
    }
  }

  @Test
  void ed25519_unicodeNamesWithoutSpaces_areAccepted() {
    byte[] key = new byte[32];
    for (String name : List.of("\u4f8b\u3048.example/log", "log\ud83d\udd12.example", "a\u200bb", "oid/1.3.6.1.4")) {
      NoteVerifier v = NoteVerifier.ed25519(name, key);
      assertThat(NoteVerifier.parse(v.vkey())).as(name).isEqualTo(v);
    }
  }

  @Test
  void ed25519_keyOfWrongLength_isRefused() {
    assertThatThrownBy(() -> NoteVerifier.ed25519("a", new byte[31])).isExactlyInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> NoteVerifier.ed25519("a", new byte[33])).isExactlyInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void ed25519_copiesItsKey() {
    byte[] key = new byte[32];
    NoteVerifier v = NoteVerifier.ed25519("a", key);
    String before = v.vkey();
    key[0] = 1;

    assertThat(v.vkey()).isEqualTo(before);
  }
}
