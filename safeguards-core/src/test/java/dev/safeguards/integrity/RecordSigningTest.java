package dev.safeguards.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.safeguards.crypto.KeyEncryptionKey;
import dev.safeguards.crypto.KeyId;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.crypto.ManagedKeyset;
import dev.safeguards.crypto.ReencryptionConfirmation;
import dev.safeguards.crypto.SigningKeyset;
import dev.safeguards.identity.UserId;
import dev.safeguards.integrity.IntegrityException.Reason;
import dev.safeguards.integrity.internal.JsonCanonicalizer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordSigningTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:15:30.123Z"), ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RecordRef PATIENT = RecordRef.of("Patient", "0193b2c4-7f00-7000-8000-000000000001");
  private static final UserId ALICE = UserId.parse("0193b2c4-7f00-7000-8000-00000000a11c");
  private static final UserId BOB = UserId.parse("0193b2c4-7f00-7000-8000-000000000b0b");

  @TempDir Path dir;
  private KeyEncryptionKey kek;
  private ManagedKeyset keyset;
  private RecordSigner signer;
  private RecordVerifier verifier;

  @BeforeEach
  void setUp() throws Exception {
    kek = KeyEncryptionKey.generateMasterKeyFile(dir.resolve("master.key"));
    keyset = ManagedKeyset.create(dir.resolve("signing.json"), KeyPurpose.RECORD_SIGNING_ED25519, kek, CLOCK);
    signer = RecordSigner.create(SigningKeyset.create(keyset), CLOCK);
    verifier = RecordVerifier.create(SigningKeyset.create(keyset));
  }

  private static JsonNode record(String diagnosis) throws Exception {
    return JSON.readTree("{\"name\":\"Ada Lovelace\",\"birthDate\":\"1815-12-10\",\"diagnosis\":\"" + diagnosis
        + "\",\"allergies\":[\"penicillin\"],\"weightKg\":52.5}");
  }

  private static void assertRefused(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOf(IntegrityException.class)
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(reason);
  }

  @Test
  void signJson_thenVerify_returnsAuthorAndVersion() throws Exception {
    RecordSignature sig = signer.signJson(PATIENT, record("J45.909"), ALICE);

    VerifiedRecord v = verifier.verifyJson(PATIENT, record("J45.909"), RecordSignature.parse(sig.encoded()));

    assertThat(v.author()).isEqualTo(ALICE);
    assertThat(v.version()).isEqualTo(1);
    assertThat(v.signedAt()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123Z"));
    assertThat(v.keyId()).isEqualTo(keyset.primaryKeyId());
  }

  @Test
  void verify_memberOrderAndWhitespace_doNotMatter_butEveryEditDoes() throws Exception {
    RecordSignature sig = signer.signJson(PATIENT, record("J45.909"), ALICE);
    JsonNode reordered = JSON.readTree("{ \"weightKg\" : 52.50, \"allergies\":[\"penicillin\"], \"diagnosis\":"
        + "\"J45.909\", \"birthDate\":\"1815-12-10\", \"name\":\"Ada Lovelace\" }");
    assertThat(verifier.verifyJson(PATIENT, reordered, sig).author()).isEqualTo(ALICE);

    for (String field : List.of("name", "birthDate", "diagnosis")) {
      ObjectNode edited = (ObjectNode) record("J45.909");
      edited.put(field, edited.get(field).asText() + "x");
      assertRefused(() -> verifier.verifyJson(PATIENT, edited, sig), Reason.SIGNATURE_INVALID);
    }
    ObjectNode added = (ObjectNode) record("J45.909");
    added.put("ssn", "123-45-6789");
    assertRefused(() -> verifier.verifyJson(PATIENT, added, sig), Reason.SIGNATURE_INVALID);
    ObjectNode weight = (ObjectNode) record("J45.909");
    weight.put("weightKg", 52.6);
    assertRefused(() -> verifier.verifyJson(PATIENT, weight, sig), Reason.SIGNATURE_INVALID);
  }

  @Test
  void verify_signatureOfAnotherRecord_fails() throws Exception {
    RecordRef other = RecordRef.of("Patient", "0193b2c4-7f00-7000-8000-000000000002");
    RecordSignature otherSig = signer.signJson(other, record("J45.909"), ALICE);

    assertRefused(() -> verifier.verifyJson(PATIENT, record("J45.909"), otherSig), Reason.SIGNATURE_INVALID);
    // Even with the record reference in the stored form rewritten, the signed bytes name the other record.
    RecordSignature relabelled = RecordSignature.parse(otherSig.encoded().replace(other.id(), PATIENT.id()));
    assertRefused(() -> verifier.verifyJson(PATIENT, record("J45.909"), relabelled), Reason.SIGNATURE_INVALID);
  }

  @Test
  void verify_replayedOlderVersion_failsWhenTheVersionIsExpected() throws Exception {
    RecordSignature v1 = signer.signJson(PATIENT, record("J45.909"), ALICE);
    RecordSignature v2 = signer.signNextJson(PATIENT, record("J45.40"), BOB, v1);

    assertThat(verifier.verifyJson(PATIENT, record("J45.40"), v2, 2).author()).isEqualTo(BOB);
    assertThat(verifier.verifyJson(PATIENT, record("J45.909"), v1).version()).isEqualTo(1);
    assertRefused(() -> verifier.verifyJson(PATIENT, record("J45.909"), v1, 2), Reason.POLICY_VIOLATION);
  }

  @Test
  void verifyHistory_returnsAuthorsInOrder_andDetectsEveryRewrite() throws Exception {
    RecordSignature v1 = signer.signJson(PATIENT, record("a"), ALICE);
    RecordSignature v2 = signer.signNextJson(PATIENT, record("b"), BOB, v1);
    RecordSignature v3 = signer.signNextJson(PATIENT, record("c"), ALICE, v2);
    RecordVersion r1 = RecordVersion.ofJson(record("a"), v1);
    RecordVersion r2 = RecordVersion.ofJson(record("b"), v2);
    RecordVersion r3 = RecordVersion.ofJson(record("c"), v3);

    assertThat(verifier.verifyHistory(PATIENT, List.of(r1, r2, r3), 3)).extracting(VerifiedRecord::author)
        .containsExactly(ALICE, BOB, ALICE);

    assertRefused(() -> verifier.verifyHistory(PATIENT, List.of(r1, r3, r2)), Reason.CHAIN_BROKEN);
    assertRefused(() -> verifier.verifyHistory(PATIENT, List.of(r1, r3)), Reason.CHAIN_BROKEN);
    assertRefused(() -> verifier.verifyHistory(PATIENT, List.of(r2, r3)), Reason.CHAIN_BROKEN);
    assertRefused(() -> verifier.verifyHistory(PATIENT, List.of(r1, r2), 3), Reason.CHAIN_BROKEN);
    assertRefused(() -> verifier.verifyHistory(PATIENT, List.of()), Reason.CHAIN_BROKEN);
    // A rewritten middle version, validly signed, no longer links to the version after it.
    RecordSignature forged = signer.signNextJson(PATIENT, record("b-forged"), BOB, v1);
    assertRefused(() -> verifier.verifyHistory(PATIENT, List.of(r1, RecordVersion.ofJson(record("b-forged"), forged),
        r3)), Reason.CHAIN_BROKEN);
    // Edited content of an old version.
    assertRefused(() -> verifier.verifyHistory(PATIENT, List.of(r1, RecordVersion.ofJson(record("b2"), v2), r3)),
        Reason.SIGNATURE_INVALID);
  }

  @Test
  void rotation_keepsOldSignaturesValid_andDisablingTheKeyMakesThemUnknown() throws Exception {
    RecordSignature old = signer.signJson(PATIENT, record("a"), ALICE);
    KeyId oldKey = keyset.primaryKeyId();
    keyset.rotate();
    RecordSignature fresh = signer.signJson(PATIENT, record("a"), ALICE);

    assertThat(fresh.keyId()).isNotEqualTo(oldKey);
    assertThat(verifier.verifyJson(PATIENT, record("a"), old).keyId()).isEqualTo(oldKey);
    keyset.disable(oldKey, ReencryptionConfirmation.confirmedByOperator(KeyPurpose.RECORD_SIGNING_ED25519,
        Set.of(oldKey), "test: records re-signed"));
    assertRefused(() -> verifier.verifyJson(PATIENT, record("a"), old), Reason.UNKNOWN_KEY);
  }

  @Test
  void verify_withAnotherKeyset_isAnUnknownKey() throws Exception {
    ManagedKeyset other = ManagedKeyset.create(dir.resolve("other.json"), KeyPurpose.RECORD_SIGNING_ED25519, kek, CLOCK);
    RecordSignature foreign = RecordSigner.create(SigningKeyset.create(other), CLOCK).signJson(PATIENT, record("a"), ALICE);

    assertRefused(() -> verifier.verifyJson(PATIENT, record("a"), foreign), Reason.UNKNOWN_KEY);
  }

  @Test
  void ecdsaP256AndMac_signAndVerify_andAlgorithmsDoNotMix() throws Exception {
    for (KeyPurpose purpose : List.of(KeyPurpose.RECORD_SIGNING_P256, KeyPurpose.RECORD_MAC)) {
      ManagedKeyset ks = ManagedKeyset.create(dir.resolve(purpose.fileName() + ".json"), purpose, kek, CLOCK);
      RecordSignature sig = RecordSigner.create(SigningKeyset.create(ks), CLOCK).signJson(PATIENT, record("a"), BOB);
      RecordVerifier v = RecordVerifier.create(SigningKeyset.create(ks));

      assertThat(v.verifyJson(PATIENT, record("a"), sig).author()).isEqualTo(BOB);
      assertRefused(() -> v.verifyJson(PATIENT, record("b"), sig), Reason.SIGNATURE_INVALID);
      assertRefused(() -> verifier.verifyJson(PATIENT, record("a"), sig), Reason.UNSUPPORTED_ALGORITHM);
    }
    ManagedKeyset mac = ManagedKeyset.open(dir.resolve("record-mac.json"), KeyPurpose.RECORD_MAC, kek, CLOCK);
    assertThatThrownBy(() -> SigningKeyset.create(mac).publicJwks()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SigningKeyset.create(ManagedKeyset.create(dir.resolve("f.json"),
        KeyPurpose.FIELD_ENCRYPTION, kek, CLOCK))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void publicJwks_letsAThirdPartyVerify_withTheJdkAlone_asDocumented() throws Exception {
    for (KeyPurpose purpose : List.of(KeyPurpose.RECORD_SIGNING_ED25519, KeyPurpose.RECORD_SIGNING_P256)) {
      ManagedKeyset ks = ManagedKeyset.openOrCreate(dir.resolve(purpose.fileName() + ".json"), purpose, kek, CLOCK);
      RecordSignature sig = RecordSigner.create(SigningKeyset.create(ks), CLOCK).signJson(PATIENT, record("a"), ALICE);
      String jwks = SigningKeyset.create(ks).publicJwks();

      // Through the library, from public keys only.
      assertThat(RecordVerifier.create(SigningKeyset.fromPublicJwks(jwks)).verifyJson(PATIENT, record("a"), sig)
          .author()).isEqualTo(ALICE);
      assertThatThrownBy(() -> SigningKeyset.fromPublicJwks(jwks).sign(new byte[1]))
          .isInstanceOf(IllegalStateException.class);

      // Independently, following docs/integrity.md: rebuild the signing input and verify with the JDK.
      JsonNode stored = JSON.readTree(sig.encoded());
      ObjectNode input = stored.deepCopy();
      input.remove("sig");
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(JsonCanonicalizer.canonicalize(record("a")));
      ((ObjectNode) input.get("record")).put("digest", Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
      byte[] signed = JsonCanonicalizer.canonicalize(input);
      JsonNode jwk = JSON.readTree(jwks).get("keys").get(0);
      assertThat(jwk.get("kid").asText()).isEqualTo(stored.get("kid").asText());
      Signature jdk = purpose == KeyPurpose.RECORD_SIGNING_ED25519
          ? Signature.getInstance("Ed25519") : Signature.getInstance("SHA256withECDSAinP1363Format");
      jdk.initVerify(publicKey(jwk));
      jdk.update(signed);
      assertThat(jdk.verify(Base64.getUrlDecoder().decode(stored.get("sig").asText()))).isTrue();
    }
  }

  private static PublicKey publicKey(JsonNode jwk) throws Exception {
    byte[] x = Base64.getUrlDecoder().decode(jwk.get("x").asText());
    if (jwk.get("kty").asText().equals("OKP")) {
      byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
      byte[] der = new byte[spki.length + 32];
      System.arraycopy(spki, 0, der, 0, spki.length);
      System.arraycopy(x, 0, der, spki.length, 32);
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }
    AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
    p.init(new ECGenParameterSpec("secp256r1"));
    ECPoint point = new ECPoint(new BigInteger(1, x),
        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("y").asText())));
    return KeyFactory.getInstance("EC").generatePublic(
        new ECPublicKeySpec(point, p.getParameterSpec(ECParameterSpec.class)));
  }

  @Test
  void encoded_holdsNoContentNorItsDigest() throws Exception {
    RecordSignature sig = signer.signJson(PATIENT, record("J45.909"), ALICE);
    String digest = Base64.getUrlEncoder().withoutPadding().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(JsonCanonicalizer.canonicalize(record("J45.909"))));

    // The signature (base64url) and the key id (hex) may hold any short run of letters and digits by chance (a
    // signature held "J45" once in some thousands of runs): the content is looked for everywhere else.
    String besideSignatureAndKeyId = sig.encoded().replaceFirst("\"sig\":\"[A-Za-z0-9_-]*\"", "\"sig\":\"\"")
        .replaceFirst("\"kid\":\"[0-9a-f]*\"", "\"kid\":\"\"");
    assertThat(besideSignatureAndKeyId).doesNotContain("Ada", "J45", "1815", digest);
    assertThat(sig.encoded()).doesNotContain("J45.909", digest)
        .startsWith("{\"alg\":\"Ed25519\",\"author\":\"" + ALICE + "\",\"kid\":\"" + keyset.primaryKeyId()
            + "\",\"prev\":null,\"record\":{\"id\":\"" + PATIENT.id() + "\",\"type\":\"Patient\"},\"sig\":\"");
    assertThat(RecordSignature.parse(sig.encoded())).isEqualTo(sig);
  }

  @Test
  void parse_malformedStoredSignatures_areRefused() throws Exception {
    String good = signer.signJson(PATIENT, record("a"), ALICE).encoded();
    String v2 = signer.signNextJson(PATIENT, record("b"), ALICE, RecordSignature.parse(good)).encoded();
    for (String bad : List.of("", "[]", "{}", good.replace("\"typ\":\"safeguards-record-signature/v1\"", "\"typ\":\"x\""),
        good.replace("\"version\":1", "\"version\":0"), good.replace("\"version\":1", "\"version\":\"1\""),
        good.replace("\"version\":1", "\"version\":1.5"), good.replace("\"prev\":null", "\"prev\":\"abc\""),
        good.replace("\"author\":\"", "\"author\":\"x"), good.replace("\"kid\":\"", "\"kid\":\"zz"),
        good.replace("\"prev\":null,", ""), good.replace("}", ",\"extra\":1}"), good.replace("\"sig\":\"", "\"sig\":\"%"),
        good.replace("\"signedAt\":\"2026", "\"signedAt\":\"x2026"), v2.replaceAll("\"prev\":\"[^\"]+\"", "\"prev\":null"),
        good.replace("{\"alg\"", "{\"alg\":\"x\",\"alg\""))) {
      assertRefused(() -> RecordSignature.parse(bad), Reason.MALFORMED);
    }
  }

  @Test
  void signNext_withPreviousOfAnotherRecord_isRefused() throws Exception {
    RecordSignature other = signer.signJson(RecordRef.of("Patient", "x"), record("a"), ALICE);
    assertThatThrownBy(() -> signer.signNextJson(PATIENT, record("a"), ALICE, other))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signBytes_forNonJsonRecords() throws Exception {
    byte[] content = "MSH|^~\\&|HL7 v2 message".getBytes(StandardCharsets.UTF_8);
    RecordSignature sig = signer.sign(PATIENT, content, ALICE);
    assertThat(verifier.verify(PATIENT, content, sig).author()).isEqualTo(ALICE);
    content[0] ^= 1;
    assertRefused(() -> verifier.verify(PATIENT, content, sig), Reason.SIGNATURE_INVALID);
  }
}
