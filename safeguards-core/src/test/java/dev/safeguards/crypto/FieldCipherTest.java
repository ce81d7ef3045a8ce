package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

class FieldCipherTest {

  private static final FieldContext SSN = FieldContext.of("Patient", "0193b2c4-7f00-7000-8000-000000000001", "ssn");
  private static final String SECRET = "123-45-6789";

  @TempDir Path dir;
  private Keyring keys;
  private FieldCipher cipher;

  @BeforeEach
  void setUp() throws Exception {
    keys = TestKeys.keyring(dir);
    cipher = keys.fieldCipher();
  }

  @Test
  void encrypt_thenDecrypt_returnsPlaintext() throws Exception {
    String ciphertext = cipher.encrypt(SECRET, SSN);

    assertThat(ciphertext).startsWith("sg1:").doesNotContain(SECRET).matches("sg1:[A-Za-z0-9_-]+");
    assertThat(cipher.decrypt(ciphertext, SSN)).isEqualTo(SECRET);
  }

  @Test
  void encrypt_bytesAndEmpty_roundTrip() throws Exception {
    byte[] binary = {0, 1, 2, (byte) 0xff};
    assertThat(cipher.decryptBytes(cipher.encrypt(binary, SSN), SSN)).containsExactly(binary);
    assertThat(cipher.decrypt(cipher.encrypt("", SSN), SSN)).isEmpty();
  }

  @Test
  void encrypt_textWithLoneSurrogate_isRefused_insteadOfDecryptingToAnotherValue() {
    for (String odd : new String[] {"a\uD800", "\uDC00b", "x\uDBFF\uDBFFy", "\uD800"}) {
      assertThatThrownBy(() -> cipher.encrypt(odd, SSN))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Patient/0193b2c4-7f00-7000-8000-000000000001/ssn")
          .hasMessageContaining("surrogate")
          .hasMessageNotContaining(odd);
    }
  }

  @Test
  void encrypt_textWithPairedSurrogates_roundTrips() throws Exception {
    String emoji = "\uD83D\uDE00 \uDBFF\uDFFF";
    assertThat(cipher.decrypt(cipher.encrypt(emoji, SSN), SSN)).isEqualTo(emoji);
  }

  @Test
  void binaryForm_roundTrips_andIsTheTextFormWithoutItsEncoding() throws Exception {
    byte[] plaintext = SECRET.getBytes(StandardCharsets.UTF_8);
    byte[] binary = cipher.encryptToBytes(plaintext, SSN);

    assertThat(binary).hasSize(plaintext.length + 33);
    assertThat(binary[0]).isEqualTo((byte) 0x01);
    assertThat(cipher.decryptBytes(binary, SSN)).containsExactly(plaintext);
    assertThat(cipher.keyIdOf(binary)).isEqualTo(cipher.primaryKeyId());
    String asText = "sg1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(binary);
    assertThat(cipher.decrypt(asText, SSN)).isEqualTo(SECRET);
    byte[] fromText = Base64.getUrlDecoder().decode(cipher.encrypt(SECRET, SSN).substring(4));
    assertThat(cipher.decryptBytes(fromText, SSN)).containsExactly(plaintext);
    assertThat(cipher.decryptBytes(cipher.encryptToBytes(new byte[0], SSN), SSN)).isEmpty();
  }

  @Test
  void binaryForm_tamperedTruncatedOrMoved_fails() {
    byte[] binary = cipher.encryptToBytes(SECRET.getBytes(StandardCharsets.UTF_8), SSN);
    for (int i = 5; i < binary.length; i++) {
      byte[] tampered = binary.clone();
      tampered[i] ^= 0x01;
      assertThatThrownBy(() -> cipher.decryptBytes(tampered, SSN)).isInstanceOf(CiphertextIntegrityException.class);
    }
    for (int len = 0; len < binary.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(binary, len);
      assertThatThrownBy(() -> cipher.decryptBytes(cut, SSN)).isInstanceOf(DecryptionException.class);
    }
    assertThatThrownBy(() -> cipher.decryptBytes(binary, FieldContext.of("Patient", "other-record", "ssn")))
        .isInstanceOf(CiphertextIntegrityException.class).hasMessageContaining("Patient/other-record/ssn");
    byte[] badVersion = binary.clone();
    badVersion[0] = 0x00;
    assertThatThrownBy(() -> cipher.decryptBytes(badVersion, SSN)).isInstanceOf(MalformedCiphertextException.class);
    assertThatThrownBy(() -> cipher.keyIdOf(new byte[10])).isInstanceOf(MalformedCiphertextException.class);
  }

  @Test
  void encrypt_sameValueTwice_givesDifferentCiphertexts() {
    assertThat(cipher.encrypt(SECRET, SSN)).isNotEqualTo(cipher.encrypt(SECRET, SSN));
  }

  @Test
  void decrypt_ciphertextOfAnotherRecordOrField_fails() {
    String ciphertext = cipher.encrypt(SECRET, SSN);

    assertThatThrownBy(() -> cipher.decrypt(ciphertext, FieldContext.of("Patient", "other-record", "ssn")))
        .isInstanceOf(CiphertextIntegrityException.class)
        .hasMessageContaining("Patient/other-record/ssn")
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(() -> cipher.decrypt(ciphertext, FieldContext.of("Patient", SSN.recordId(), "name")))
        .isInstanceOf(CiphertextIntegrityException.class);
    assertThatThrownBy(() -> cipher.decrypt(ciphertext, FieldContext.of("Practitioner", SSN.recordId(), "ssn")))
        .isInstanceOf(CiphertextIntegrityException.class);
  }

  @Test
  void decrypt_everySingleBitFlipped_fails() {
    byte[] raw = Base64.getUrlDecoder().decode(cipher.encrypt(SECRET, SSN).substring(4));
    // Past the 5-byte key prefix: nonce, ciphertext and tag are all authenticated.
    for (int i = 5; i < raw.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] tampered = raw.clone();
        tampered[i] ^= (byte) (1 << bit);
        String text = "sg1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
        assertThatThrownBy(() -> cipher.decrypt(text, SSN)).isInstanceOf(CiphertextIntegrityException.class);
      }
    }
  }

  @Test
  void decrypt_truncatedCiphertext_fails() {
    String ciphertext = cipher.encrypt(SECRET, SSN);
    byte[] raw = Base64.getUrlDecoder().decode(ciphertext.substring(4));
    for (int len = 0; len < raw.length; len++) {
      String text = "sg1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(raw, len));
      assertThatThrownBy(() -> cipher.decrypt(text, SSN)).isInstanceOf(DecryptionException.class);
    }
  }

  @Test
  void decrypt_malformedInput_failsWithMalformedCiphertext() {
    String valid = cipher.encrypt(SECRET, SSN);
    for (String bad : new String[] {"", SECRET, "sg2:" + valid.substring(4), "sg1:", "sg1:!!!!", valid + "=",
        "sg1:" + Base64.getUrlEncoder().encodeToString(new byte[40]), valid.substring(4),
        "SG1:" + valid.substring(4), " " + valid, valid + "\n", valid.substring(0, 20) + "\r\n" + valid.substring(20),
        "sg1:" + Base64.getEncoder().withoutPadding().encodeToString(
            Base64.getUrlDecoder().decode(valid.substring(4))).replace('-', '+').replace('_', '/') + "+/"}) {
      assertThatThrownBy(() -> cipher.decrypt(bad, SSN))
          .as("input %s", bad)
          .isInstanceOf(MalformedCiphertextException.class)
          .hasMessageNotContaining(SECRET);
    }
  }

  @Test
  void decrypt_bytesAsText_failsClearly() {
    String ciphertext = cipher.encrypt(new byte[] {(byte) 0xc3, 0x28}, SSN);
    assertThatThrownBy(() -> cipher.decrypt(ciphertext, SSN))
        .isInstanceOf(MalformedCiphertextException.class)
        .hasMessageContaining("decryptBytes");
  }

  @Test
  void decrypt_underAnotherKeyring_failsWithUnknownKey(@TempDir Path other) throws Exception {
    FieldCipher stranger = TestKeys.keyring(other).fieldCipher();
    String ciphertext = stranger.encrypt(SECRET, SSN);

    assertThatThrownBy(() -> cipher.decrypt(ciphertext, SSN))
        .isInstanceOf(UnknownKeyException.class)
        .hasMessageContaining(stranger.primaryKeyId().toString());
  }

  @Test
  void rotate_oldCiphertextsStillDecrypt_newOnesUseNewKey() throws Exception {
    String before = cipher.encrypt(SECRET, SSN);
    KeyId oldKey = cipher.keyIdOf(before);

    KeyInfo rotated = keys.keyset(KeyPurpose.FIELD_ENCRYPTION).rotate();
    String after = cipher.encrypt(SECRET, SSN);

    assertThat(cipher.keyIdOf(after)).isEqualTo(rotated.keyId()).isNotEqualTo(oldKey);
    assertThat(cipher.decrypt(before, SSN)).isEqualTo(SECRET);
    assertThat(cipher.decrypt(after, SSN)).isEqualTo(SECRET);
  }

  @Test
  void decrypt_underDisabledKey_failsWithUnknownKey_untilReenabled() throws Exception {
    ManagedKeyset keyset = keys.keyset(KeyPurpose.FIELD_ENCRYPTION);
    String before = cipher.encrypt(SECRET, SSN);
    KeyId oldKey = cipher.keyIdOf(before);
    keyset.rotate();
    keyset.disable(oldKey, ReencryptionConfirmation.confirmedByOperator(
        KeyPurpose.FIELD_ENCRYPTION, Set.of(oldKey), "test: values deleted"));

    assertThatThrownBy(() -> cipher.decrypt(before, SSN))
        .isInstanceOf(UnknownKeyException.class)
        .hasMessageContaining("disabled");

    keyset.enable(oldKey);
    assertThat(cipher.decrypt(before, SSN)).isEqualTo(SECRET);
  }

  @Test
  void create_withKeysetOfAnotherPurpose_isRefused() {
    assertThatThrownBy(() -> FieldCipher.create(keys.keyset(KeyPurpose.BLIND_INDEX)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fieldContext_invalidParts_areRefused() {
    assertThatThrownBy(() -> FieldContext.of("", "1", "ssn")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldContext.of("Patient", "1\n2", "ssn")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldContext.of("Patient", "x".repeat(257), "ssn"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldContext.of("Patient", null, "ssn")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> FieldContext.of("Patient", "a\uD800", "ssn"))
        .as("would have the associated data of a?").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
    assertThatThrownBy(() -> FieldContext.of("Patient", "\uDE00a", "ssn")).isInstanceOf(IllegalArgumentException.class);
    assertThat(FieldContext.of("Patient", "p-\uD83D\uDE00", "ssn").recordId()).endsWith("\uD83D\uDE00");
  }

  @Test
  void associatedData_isUnambiguous() {
    // "a/b" + "c" must not collide with "a" + "b/c": length prefixes keep the parts apart.
    assertThat(FieldContext.of("a", "b:c", "d").associatedData("x"))
        .isNotEqualTo(FieldContext.of("a:b", "c", "d").associatedData("x"));
    assertThat(new String(FieldContext.of("P", "1", "f").associatedData("x"), StandardCharsets.UTF_8))
        .contains("P", "1", "f");
  }
}
