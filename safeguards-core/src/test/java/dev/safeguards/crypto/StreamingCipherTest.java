package dev.safeguards.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingCipherTest {

  private static final FieldContext SCAN = FieldContext.of("DocumentReference", "doc-1", "content");
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  private Keyring keys;
  private StreamingCipher cipher;

  @BeforeEach
  void setUp() throws Exception {
    keys = TestKeys.keyring(dir);
    cipher = keys.streamingCipher();
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  private byte[] encrypt(byte[] plaintext, FieldContext context) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(cipher.encrypt(new ByteArrayInputStream(plaintext), out, context)).isEqualTo(plaintext.length);
    return out.toByteArray();
  }

  private byte[] decrypt(byte[] ciphertext, FieldContext context) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cipher.decrypt(new ByteArrayInputStream(ciphertext), out, context);
    return out.toByteArray();
  }

  @Test
  void encryptThenDecrypt_atSegmentBoundaries_roundTrips() throws Exception {
    for (int size : new int[] {0, 1, MIB - 100, MIB - 40, MIB, MIB + 1, 2 * MIB + 12345}) {
      byte[] plaintext = random(size);
      byte[] ciphertext = encrypt(plaintext, SCAN);

      assertThat(Arrays.copyOf(ciphertext, 4)).as("size %d", size).containsExactly('S', 'G', 'S', '1');
      assertThat(decrypt(ciphertext, SCAN)).as("size %d", size).isEqualTo(plaintext);
    }
  }

  @Test
  void decryptingStream_readsByteByByte() throws Exception {
    byte[] plaintext = random(5000);
    try (InputStream in = cipher.newDecryptingStream(new ByteArrayInputStream(encrypt(plaintext, SCAN)), SCAN)) {
      for (byte b : plaintext) {
        assertThat(in.read()).isEqualTo(b & 0xff);
      }
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void rotate_oldObjectsStillDecrypt_newOnesUseNewKey() throws Exception {
    byte[] plaintext = random(70_000);
    byte[] before = encrypt(plaintext, SCAN);
    KeyInfo rotated = keys.keyset(KeyPurpose.STREAMING_ENCRYPTION).rotate();
    byte[] after = encrypt(plaintext, SCAN);

    assertThat(java.nio.ByteBuffer.wrap(after, 4, 4).getInt()).isEqualTo(rotated.keyId().value());
    assertThat(decrypt(before, SCAN)).isEqualTo(plaintext);
    assertThat(decrypt(after, SCAN)).isEqualTo(plaintext);
  }

  @Test
  void decrypt_underDisabledOrForeignKey_failsWithUnknownKey(@TempDir Path other) throws Exception {
    byte[] old = encrypt(random(100), SCAN);
    ManagedKeyset keyset = keys.keyset(KeyPurpose.STREAMING_ENCRYPTION);
    KeyId oldKey = keyset.primaryKeyId();
    keyset.rotate();
    keyset.disable(oldKey, ReencryptionConfirmation.confirmedByOperator(
        KeyPurpose.STREAMING_ENCRYPTION, Set.of(oldKey), "test"));

    assertThatThrownBy(() -> decrypt(old, SCAN)).isInstanceOf(UnknownKeyException.class)
        .hasMessageContaining("disabled");

    ByteArrayOutputStream foreign = new ByteArrayOutputStream();
    TestKeys.keyring(other).streamingCipher().encrypt(new ByteArrayInputStream(new byte[10]), foreign, SCAN);
    assertThatThrownBy(() -> decrypt(foreign.toByteArray(), SCAN)).isInstanceOf(UnknownKeyException.class);
  }

  @Test
  void decrypt_withAnotherContext_failsAuthentication() throws Exception {
    byte[] ciphertext = encrypt(random(1000), SCAN);

    assertThatThrownBy(() -> decrypt(ciphertext, FieldContext.of("DocumentReference", "doc-2", "content")))
        .isInstanceOf(CiphertextIntegrityException.class)
        .hasMessageContaining("doc-2");
  }

  @Test
  void decrypt_flippedByte_failsAuthentication() throws Exception {
    byte[] ciphertext = encrypt(random(MIB + 5000), SCAN);
    for (int offset : new int[] {8, 20, 60, 5000, MIB, ciphertext.length - 17, ciphertext.length - 1}) {
      byte[] tampered = ciphertext.clone();
      tampered[offset] ^= 0x40;
      assertThatThrownBy(() -> decrypt(tampered, SCAN))
          .as("offset %d", offset)
          .isInstanceOf(CiphertextIntegrityException.class);
    }
  }

  @Test
  void decrypt_truncatedOrExtended_fails() throws Exception {
    byte[] ciphertext = encrypt(random(MIB + 5000), SCAN);
    for (int length : new int[] {9, 48, 1000, MIB, MIB + 100, ciphertext.length - 1}) {
      byte[] truncated = Arrays.copyOf(ciphertext, length);
      assertThatThrownBy(() -> decrypt(truncated, SCAN))
          .as("length %d", length)
          .isInstanceOf(CiphertextIntegrityException.class);
    }
    byte[] extended = Arrays.copyOf(ciphertext, ciphertext.length + 1);
    assertThatThrownBy(() -> decrypt(extended, SCAN)).isInstanceOf(CiphertextIntegrityException.class);
  }

  @Test
  void decrypt_missingOrForeignHeader_failsAsMalformed() {
    for (byte[] bad : new byte[][] {{}, {'S', 'G', 'S'}, "SGS2abcdefgh".getBytes(), "PK\u0003\u0004abcdefgh".getBytes()}) {
      assertThatThrownBy(() -> decrypt(bad, SCAN)).isInstanceOf(MalformedCiphertextException.class);
    }
  }

  @Test
  void create_withKeysetOfAnotherPurpose_isRefused() {
    assertThatThrownBy(() -> StreamingCipher.create(keys.keyset(KeyPurpose.FIELD_ENCRYPTION)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
