package dev.safeguards.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.crypto.InvalidSignatureException;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyInfo;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.KeyedSignature;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.SigningKeyset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Note signers: Go's keys as known answers, and signers over a rotating Ed25519 keyset. */
class NoteSignerTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:15:30.123Z"), ZoneOffset.UTC);
  private static final String LOG = "example.com/audit-log";
  private static final String TEXT = "example.com/audit-log\n1\n" + Base64.getEncoder().encodeToString(new byte[32])
      + "\n";

  @TempDir Path dir;
  private ManagedKeyset keyset;
  private NoteSigner signer;

  @BeforeEach
  void setUp() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
    keyset = ManagedKeyset.create(dir.resolve("checkpoint.json"), KeyPurpose.RECORD_SIGNING_ED25519, kek, CLOCK);
    signer = NoteSigner.over(LOG, SigningKeyset.create(keyset));
  }

  private static InvalidSignatureException openFails(Note note, List<NoteVerifier> verifiers) {
    try {
      note.open(verifiers);
    } catch (InvalidSignatureException e) {
      return e;
    }
    throw new AssertionError("the note opened");
  }

  /** Verifies a note's only signature with the JDK's Ed25519 and a public key from the keyset's JWK set. */
  private void assertJdkVerifies(Note note, String kid) throws Exception {
    JsonNode jwk = null;
    for (JsonNode k : new ObjectMapper().readTree(SigningKeyset.create(keyset).publicJwks()).get("keys")) {
      if (k.get("kid").asText().equals(kid)) {
        jwk = k;
      }
    }
    assertThat(jwk).as("key " + kid).isNotNull();
    byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of()
        .formatHex(Base64.getUrlDecoder().decode(jwk.get("x").asText())));
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(key);
    jdk.update(note.text().getBytes(StandardCharsets.UTF_8));
    assertThat(jdk.verify(note.signatures().get(0).bytes())).isTrue();
  }

  // Key pairs

  @Test
  void fromPrivateKey_goPeterKey_hasGoPeterVerifierKey() {
    NoteSigner peter = NoteSigner.fromPrivateKey("PeterNeumann", TlogVectors.goPrivateKey("go-peter-skey"));

    assertThat(peter.name()).isEqualTo("PeterNeumann");
    assertThat(peter.verifiers()).extracting(NoteVerifier::vkey).containsExactly(TlogVectors.line("go-peter-vkey"));
  }

  @Test
  void fromPrivateKey_transparencyDevWitnessKey_hasItsVerifierKey() {
    NoteSigner wit1 = NoteSigner.fromPrivateKey("Wit1", TlogVectors.goPrivateKey("formats-wit1-skey"));

    assertThat(wit1.verifiers().get(0).vkey()).isEqualTo(TlogVectors.line("formats-wit1-vkey"));
  }

  @Test
  void fromPrivateKey_leavesTheCallersArrayAndRefusesOtherLengths() {
    byte[] key = TlogVectors.goPrivateKey("go-peter-skey");
    byte[] copy = key.clone();
    NoteSigner.fromPrivateKey("PeterNeumann", key);

    assertThat(key).isEqualTo(copy);
    assertThatThrownBy(() -> NoteSigner.fromPrivateKey("a", new byte[31]))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> NoteSigner.fromPrivateKey("a", new byte[64]))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NoteSigner.fromPrivateKey("a b", copy))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("key name");
  }

  @Test
  void generate_signsNotesThatItsVerifierOpensAndNoOtherKeyDoes() throws Exception {
    NoteSigner a = NoteSigner.generate(LOG);
    NoteSigner b = NoteSigner.generate(LOG);

    Note note = Note.parse(Note.sign(TEXT, a).encode());

    assertThat(note.open(a.verifiers())).singleElement().extracting(Note.Signature::keyHash)
        .isEqualTo(a.verifiers().get(0).keyHash());
    assertThat(b.verifiers().get(0)).isNotEqualTo(a.verifiers().get(0));
    assertThat(openFails(note, b.verifiers()).keyUnknown()).isTrue();
  }

  @Test
  void generate_invalidName_isRefused() {
    assertThatThrownBy(() -> NoteSigner.generate("")).isExactlyInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NoteSigner.generate("a+b")).isExactlyInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_showsNoPrivateKeyMaterial() {
    byte[] key = TlogVectors.goPrivateKey("go-peter-skey");
    String s = NoteSigner.fromPrivateKey("PeterNeumann", key).toString();

    assertThat(s).isEqualTo("NoteSigner[PeterNeumann+c74f20a3]");
    assertThat(s).doesNotContain(Base64.getEncoder().encodeToString(key).substring(0, 8))
        .doesNotContainIgnoringCase(HexFormat.of().formatHex(key).substring(0, 8));
  }

  // Over a keyset

  @Test
  void over_keyset_signsWithThePrimaryKeyUnderItsOwnKeyHash() throws Exception {
    Note note = Note.parse(Note.sign(TEXT, signer).encode());

    assertThat(signer.verifiers()).hasSize(1);
    NoteVerifier verifier = signer.verifiers().get(0);
    assertThat(verifier.name()).isEqualTo(LOG);
    assertThat(note.signatures().get(0).keyHash()).isEqualTo(verifier.keyHash());
    assertThat(note.open(List.of(verifier))).hasSize(1);
    assertJdkVerifies(note, keyset.primaryKeyId().toString());
  }

  @Test
  void over_keyset_aVerifierKeyFromTheJwkSetAloneOpensTheNote() throws Exception {
    Note note = Note.sign(TEXT, signer);
    NoteSigner publicOnly = NoteSigner.over(LOG, SigningKeyset.fromPublicJwks(SigningKeyset.create(keyset)
        .publicJwks()));

    assertThat(publicOnly.verifiers()).isEqualTo(signer.verifiers());
    assertThat(NoteVerifier.parse(publicOnly.verifiers().get(0).vkey()).equals(signer.verifiers().get(0))).isTrue();
    assertThat(note.open(publicOnly.verifiers())).hasSize(1);
    assertThatThrownBy(() -> Note.sign(TEXT, publicOnly)).isExactlyInstanceOf(IllegalStateException.class);
  }

  @Test
  void over_keysetAfterRotation_signsUnderTheNewKeyAndOldNotesStillOpenWithTheOldKey() throws Exception {
    Note before = Note.sign(TEXT, signer);
    NoteVerifier oldKey = signer.verifiers().get(0);

    KeyInfo rotated = keyset.rotate();
    Note after = Note.sign(TEXT, signer);

    assertThat(signer.verifiers()).hasSize(2).contains(oldKey);
    NoteVerifier newKey = signer.verifiers().stream().filter(v -> !v.equals(oldKey)).findFirst().orElseThrow();
    assertThat(after.signatures().get(0).keyHash()).isEqualTo(newKey.keyHash()).isNotEqualTo(oldKey.keyHash());
    assertThat(after.open(List.of(newKey))).hasSize(1);
    assertThat(openFails(after, List.of(oldKey)).keyUnknown()).isTrue();
    assertThat(before.open(List.of(oldKey))).hasSize(1);
    assertThat(openFails(before, List.of(newKey)).keyUnknown()).isTrue();
    assertThat(after.open(signer.verifiers())).hasSize(1);
    assertJdkVerifies(after, rotated.keyId().toString());
  }

  @Test
  void over_keysetWithAnAddedKeyNotYetPrimary_publishesItButSignsWithThePrimary() throws Exception {
    NoteVerifier primary = signer.verifiers().get(0);
    KeyInfo added = keyset.addKey();

    Note note = Note.sign(TEXT, signer);

    assertThat(signer.verifiers()).hasSize(2);
    assertThat(note.open(List.of(primary))).hasSize(1);

    keyset.promote(added.keyId());
    Note promoted = Note.sign(TEXT, signer);
    assertThat(openFails(promoted, List.of(primary)).keyUnknown()).isTrue();
    assertThat(promoted.open(signer.verifiers())).hasSize(1);
    assertJdkVerifies(promoted, added.keyId().toString());
  }

  @Test
  void over_keysetWhoseExportedPublicKeyIsNotTheSigningKey_refusesToSign() throws Exception {
    // A faulty keyset (or key service): it signs with one key and exports another's public key under that key's id.
    SigningKeyset real = SigningKeyset.create(keyset);
    String otherX = new ObjectMapper().readTree(SigningKeyset.create(ManagedKeyset.create(dir.resolve("other.json"),
        KeyPurpose.RECORD_SIGNING_ED25519, KeyEncryptionKey.generateMasterKeyFile(dir.resolve("other.key")), CLOCK))
        .publicJwks()).get("keys").get(0).get("x").asText();
    ObjectNode jwks = (ObjectNode) new ObjectMapper().readTree(real.publicJwks());
    ((ObjectNode) jwks.get("keys").get(0)).put("x", otherX);
    SigningKeyset faulty = new SigningKeyset() {
      @Override
      public String algorithm() {
        return real.algorithm();
      }

      @Override
      public KeyedSignature sign(byte[] data) {
        return real.sign(data);
      }

      @Override
      public KeyedSignature signNamingKey(Function<KeyId, byte[]> inputForKey) {
        return real.signNamingKey(inputForKey);
      }

      @Override
      public void verify(byte[] data, KeyedSignature signature) throws InvalidSignatureException {
        real.verify(data, signature);
      }

      @Override
      public String publicJwks() {
        return jwks.toString();
      }
    };

    assertThatThrownBy(() -> Note.sign(TEXT, NoteSigner.over(LOG, faulty)))
        .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("does not verify");
  }

  @Test
  void over_keysetsOfOtherAlgorithms_areRefused() throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("other.key"));
    for (KeyPurpose purpose : List.of(KeyPurpose.RECORD_SIGNING_P256, KeyPurpose.RECORD_MAC)) {
      SigningKeyset other = SigningKeyset.create(
          ManagedKeyset.create(dir.resolve(purpose.fileName() + ".json"), purpose, kek, CLOCK));
      assertThatThrownBy(() -> NoteSigner.over(LOG, other)).as(purpose.toString())
          .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ed25519");
    }
  }

  @Test
  void over_invalidName_isRefused() {
    assertThatThrownBy(() -> NoteSigner.over("example.com log", SigningKeyset.create(keyset)))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("key name");
  }

  @Test
  void toString_overKeyset_namesTheKeysetNotItsKeys() {
    assertThat(signer.toString()).startsWith("NoteSigner[" + LOG + ", over SigningKeyset[Ed25519");
  }
}
