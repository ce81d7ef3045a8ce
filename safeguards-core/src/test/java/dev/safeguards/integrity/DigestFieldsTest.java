package dev.safeguards.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9530 examples (src/test/resources/vectors/rfc9530-digest-fields-examples.txt, from ../shared/vectors, whose
 * header lists the known defects used here as negative cases).
 */
class DigestFieldsTest {

  private static final byte[] HELLO = "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] HELLO_LF = "{\"hello\": \"world\"}\n".getBytes(StandardCharsets.UTF_8);
  private static String rfc;

  @BeforeAll
  static void loadVectors() throws Exception {
    rfc = Rfc8792.unfolded("/vectors/rfc9530-digest-fields-examples.txt");
  }

  /** A field value exactly as printed in the RFC text (asserted to be there). */
  private static String fromRfc(String value) {
    assertThat(rfc).as("the RFC text holds %s", value).contains(value);
    return value;
  }

  private static void verify(String fieldValue, byte[] content) throws IntegrityException {
    DigestFields.parse("Content-Digest", List.of(fieldValue)).verify(content);
  }

  @Test
  void fieldValue_reproducesTheRfcExamples() {
    assertThat(DigestFields.fieldValue(HELLO_LF, DigestAlgorithm.SHA_512)).isEqualTo(fromRfc(
        "sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:"));
    assertThat(DigestFields.fieldValue(HELLO_LF, DigestAlgorithm.SHA_256))
        .isEqualTo(fromRfc("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:"));
    assertThat(DigestFields.fieldValue(new byte[0], DigestAlgorithm.SHA_256))
        .isEqualTo(fromRfc("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"));
    assertThat(DigestFields.fieldValue("\"world\"}\n".getBytes(StandardCharsets.UTF_8), DigestAlgorithm.SHA_256))
        .isEqualTo(fromRfc("sha-256=:jjcgBDWNAtbYUXI37CVG3gRuGOAjaaDRGpIUFsdyepQ=:"));
    assertThat(DigestFields.fieldValue("{\"title\": \"New Title\"}\n".getBytes(StandardCharsets.UTF_8),
        DigestAlgorithm.SHA_256)).isEqualTo(fromRfc("sha-256=:mEkdbO7Srd9LIOegftO0aBX+VPTVz7/CSHes2Z27gc4=:"));
    assertThat(DigestFields.fieldValue("{\n  \"id\": \"123\",\n  \"title\": \"New Title\"\n}\n"
        .getBytes(StandardCharsets.UTF_8), DigestAlgorithm.SHA_256))
        .isEqualTo(fromRfc("sha-256=:uVSlinTTdQUwm2On4k8TJUikGN1bf/Ds8WPX4oe0h9I=:"));
    assertThat(DigestFields.fieldValue(("{\n  \"status\": \"created\",\n  \"id\": \"123\",\n  \"ts\": 1569327729,\n"
        + "  \"instance\": \"/books/123\"\n}\n").getBytes(StandardCharsets.UTF_8), DigestAlgorithm.SHA_256))
        .isEqualTo(fromRfc("sha-256=:yXIGDTN5VrfoyisKlXgRKUHHMs35SNtyC3szSz1dbO8=:"));
    assertThat(DigestFields.fieldValue(("{\n  \"title\": \"Not Found\",\n  \"detail\": \"Cannot PATCH a non-existent "
        + "resource\",\n  \"status\": 404\n}\n").getBytes(StandardCharsets.UTF_8), DigestAlgorithm.SHA_256))
        .isEqualTo(fromRfc("sha-256=:EXB0S2VF2H7ijkAVJkH1Sm0pBho0iDZcvVUHHXTTZSA=:"));
  }

  @Test
  void fieldValue_ofTheSignatureTestRequest_matchesRfc9421() {
    // RFC 9421 test-request body; its Content-Digest is quoted in the signature bases.
    assertThat(DigestFields.fieldValue(HELLO, DigestAlgorithm.SHA_512)).isEqualTo(
        "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:");
    assertThat(DigestFields.fieldValue(HELLO, DigestAlgorithm.SHA_512, DigestAlgorithm.SHA_256))
        .startsWith("sha-512=:WZDP").contains(", sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
  }

  @Test
  void parse_rfcExamples_verify() throws Exception {
    verify(fromRfc("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:"), HELLO_LF);
    verify(fromRfc("sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:"),
        HELLO_LF);
    verify(fromRfc("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"), new byte[0]);
  }

  @Test
  void parse_twoDigests_checksTheStrongest_soTheRfcDefectD1IsAccepted() throws Exception {
    // Known defect D1: the sha-256 member is not the digest of the body, the sha-512 member is. Only sha-512 is checked.
    String field = fromRfc("sha-256=:d435Qo+nKZ+gLcUHn7GQtQ72hiBVAgqoLsZnZPiTGPk=:,"
        + "sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:");
    ExpectedDigest expected = DigestFields.parse("Repr-Digest", List.of(field));
    assertThat(expected.algorithm()).isEqualTo(DigestAlgorithm.SHA_512);
    expected.verify(HELLO_LF);
    // ... and the sha-256 member alone is rejected for that body.
    assertThatThrownBy(() -> verify("sha-256=:d435Qo+nKZ+gLcUHn7GQtQ72hiBVAgqoLsZnZPiTGPk=:", HELLO_LF))
        .isInstanceOf(IntegrityException.class)
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(IntegrityException.Reason.DIGEST_MISMATCH);
  }

  @Test
  void parse_brotliExampleDefectD2_doesNotMatchThePrintedBytes() {
    byte[] printed = HexFormat.of().parseHex("8b08807b2268656c6c6f223a2022776f726c64227d0a03");
    assertThatThrownBy(() -> verify(fromRfc("sha-256=:d435Qo+nKZ+gLcUHn7GQtQ72hiBVAgqoLsZnZPiTGPk=:"), printed))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void parse_badPaddingDefectD3_isMalformed() {
    assertThatThrownBy(() -> verify(fromRfc("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg==:"), HELLO_LF))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("Content-Digest")
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(IntegrityException.Reason.MALFORMED);
  }

  @Test
  void parse_responseDigestDefectOfRfc9421_isRejected() throws Exception {
    // RFC 9421 test-response prints a Content-Digest that does not match its body (see vectors README).
    String field = "sha-512=:JlEy2bfUz7WrWIjc1qV6KVLpdr/7L5/L4h7Sxvh6sNHpDQWDCL+GauFQWcZBvVDhiyOnAQsxzZFYwi0wDH+1pw==:";
    assertThat(Rfc8792.unfolded("/vectors/rfc9421-appendix-b-http-message-signatures.txt")).contains(field);
    assertThatThrownBy(() -> verify(field, "{\"message\": \"good dog\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IntegrityException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"md5", "sha", "unixsum", "unixcksum", "adler", "crc32c"})
  void parse_insecureAlgorithmsOnly_areRefusedByName(String algorithm) {
    assertThatThrownBy(() -> verify(algorithm + "=:AAAA:", HELLO))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(algorithm + " (insecure)")
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(IntegrityException.Reason.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void parse_insecureBesideAcceptedAlgorithm_checksTheAcceptedOne() throws Exception {
    verify("md5=:Sd/dVLAcvNLSq16eXua5uQ==:, sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", HELLO);
    assertThatThrownBy(() -> verify("foo=:AAAA:", HELLO)).hasMessageContaining("foo (unknown)");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE:x", // trailing garbage
      "sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", // not a byte sequence
      "sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\"", // a string
      "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DB!E=:", // not base64
      "sha-256=:AAAA:", // wrong length
      "sha-512=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", // sha-256 length under sha-512
      "sha-256", // boolean true
      "sha-256=(:AAAA:)", // inner list
      "SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", // upper-case key
  })
  void parse_malformedFields_areRefused(String field) {
    assertThatThrownBy(() -> verify(field, HELLO))
        .isInstanceOf(IntegrityException.class)
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(IntegrityException.Reason.MALFORMED);
  }

  @Test
  void parse_absentOrEmpty_isMissing() {
    assertThatThrownBy(() -> DigestFields.parse("Content-Digest", List.of()))
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(IntegrityException.Reason.MISSING);
    assertThatThrownBy(() -> DigestFields.parse("Content-Digest", List.of("")))
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(IntegrityException.Reason.MISSING);
  }

  @Test
  void parse_severalFieldLines_areCombined() throws Exception {
    ExpectedDigest d = DigestFields.parse("Content-Digest", List.of("md5=:Sd/dVLAcvNLSq16eXua5uQ==:",
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"));
    d.verify(HELLO);
  }

  @Test
  void verify_wrongContent_isADigestMismatch() {
    assertThatThrownBy(() -> verify("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
        "{\"hello\": \"World\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageNotContaining("hello")
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(IntegrityException.Reason.DIGEST_MISMATCH);
  }

  @Test
  void calculator_streamsAnySizeInPieces() throws Exception {
    byte[] big = new byte[5 * 1024 * 1024 + 3];
    new Random(1).nextBytes(big);
    DigestCalculator calc = DigestFields.calculator(DigestAlgorithm.SHA_256, DigestAlgorithm.SHA_512);
    try (var out = calc.asOutputStream()) {
      for (int i = 0; i < big.length; i += 7919) {
        out.write(big, i, Math.min(7919, big.length - i));
      }
    }
    assertThat(calc.fieldValue()).isEqualTo(DigestFields.fieldValue(big, DigestAlgorithm.SHA_256, DigestAlgorithm.SHA_512));
    ExpectedDigest expected = DigestFields.parse("Content-Digest", List.of(calc.fieldValue()));
    DigestCalculator check = expected.newCalculator();
    check.update(java.nio.ByteBuffer.wrap(big));
    expected.verify(check);
    assertThatThrownBy(() -> calc.update(new byte[1])).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void wantFieldValue_listsPreferences() {
    assertThat(DigestFields.wantFieldValue(DigestAlgorithm.SHA_512, DigestAlgorithm.SHA_256))
        .isEqualTo("sha-512=10, sha-256=9");
    assertThat(DigestFields.wantFieldValue(DigestAlgorithm.SHA_256)).isEqualTo("sha-256=10");
  }

  @org.junit.jupiter.api.Test
  void preferredAlgorithm_takesTheHighestWeightWeAccept() throws Exception {
    org.assertj.core.api.Assertions.assertThat(DigestFields.preferredAlgorithm(java.util.List.of("sha-256=3, sha-512=10")))
        .hasValue(DigestAlgorithm.SHA_512);
    org.assertj.core.api.Assertions.assertThat(DigestFields.preferredAlgorithm(java.util.List.of("sha-512=0, sha-256=1")))
        .hasValue(DigestAlgorithm.SHA_256);
    org.assertj.core.api.Assertions.assertThat(DigestFields.preferredAlgorithm(java.util.List.of("md5=10"))).isEmpty();
    org.assertj.core.api.Assertions.assertThat(DigestFields.preferredAlgorithm(java.util.List.of())).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> DigestFields.preferredAlgorithm(java.util.List.of("sha-256=11")))
        .isInstanceOf(IntegrityException.class);
  }
}
