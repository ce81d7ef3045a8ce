package dev.safeguards.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.safeguards.testing.FuzzInputs;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes the RFC 9530 digest fields a request carries ({@code Content-Digest}, {@code Want-Content-Digest}), one
 * field line per line of the input. Whatever the lines, each parse returns or throws {@link IntegrityException} with a
 * short message, and what it returns is one of the accepted algorithms.
 */
class DigestFieldsFuzzTest {

  private static final byte[] CONTENT = "{\"hello\": \"world\"}".getBytes(StandardCharsets.US_ASCII);

  @FuzzTest(maxDuration = "2m")
  void parse_anyFieldLines_acceptsOnlyStrongDigestsOrThrowsIntegrityException(byte[] data) {
    List<String> lines = FuzzInputs.lines(data);
    ExpectedDigest digest;
    try {
      digest = DigestFields.parse(DigestFields.CONTENT_DIGEST, lines);
    } catch (IntegrityException e) {
      FuzzInputs.assertBoundedMessage(e);
      return;
    }
    assertThat(digest.algorithm()).isIn(DigestAlgorithm.SHA_256, DigestAlgorithm.SHA_512);
    try {
      digest.verify(CONTENT);
    } catch (IntegrityException e) {
      assertThat(e.reason()).isEqualTo(IntegrityException.Reason.DIGEST_MISMATCH);
      return;
    }
    // Content verifies only against a digest the field really carries.
    String value = DigestFields.fieldValue(CONTENT, digest.algorithm());
    String base64 = value.substring(value.indexOf(':') + 1, value.lastIndexOf(':')).replace("=", "");
    assertThat(String.join(", ", lines)).contains(base64);
  }

  @FuzzTest(maxDuration = "2m")
  void preferredAlgorithm_anyFieldLines_returnsAnAcceptedAlgorithmOrThrowsIntegrityException(byte[] data) {
    Optional<DigestAlgorithm> preferred;
    try {
      preferred = DigestFields.preferredAlgorithm(FuzzInputs.lines(data));
    } catch (IntegrityException e) {
      assertThat(e.reason()).isEqualTo(IntegrityException.Reason.MALFORMED);
      FuzzInputs.assertBoundedMessage(e);
      return;
    }
    preferred.ifPresent(a -> assertThat(a).isIn(DigestAlgorithm.SHA_256, DigestAlgorithm.SHA_512));
  }
}
