package dev.safeguards.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.safeguards.http.HttpRequestView;
import dev.safeguards.http.HttpResponseView;
import java.net.URI;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The RFC 9421 Appendix B keys, messages and derived test cases, read from
 * src/test/resources/vectors/rfc9421-appendix-b-http-message-signatures.txt (copied from ../shared/vectors, whose
 * header gives the source). These test keys are published in the RFC and "MUST NOT be used for any purpose other
 * than testing".
 */
final class Rfc9421Vectors {

  static final String TEXT;
  static final JsonNode CASES;

  static {
    try {
      TEXT = Rfc8792.unfolded("/vectors/rfc9421-appendix-b-http-message-signatures.txt");
      String json = TEXT.substring(TEXT.indexOf("[", TEXT.indexOf("================================ DERIVED")),
          TEXT.indexOf("================ EXTRA"));
      CASES = new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Rfc9421Vectors() {}

  /** The derived test case with this label. */
  static JsonNode testCase(String label) {
    for (JsonNode c : CASES) {
      if (c.get("label").asText().equals(label)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no test case " + label);
  }

  private static String pem(String heading, String type) {
    int at = TEXT.indexOf(heading);
    int begin = TEXT.indexOf("-----BEGIN " + type + "-----", at) + ("-----BEGIN " + type + "-----").length();
    int end = TEXT.indexOf("-----END " + type + "-----", begin);
    return TEXT.substring(begin, end).replaceAll("\\s", "");
  }

  static PublicKey publicKey(String heading, String algorithm) throws Exception {
    return KeyFactory.getInstance(algorithm)
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem(heading, "PUBLIC KEY"))));
  }

  static PrivateKey privateKey(String heading, String algorithm) throws Exception {
    return KeyFactory.getInstance(algorithm)
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem(heading, "PRIVATE KEY"))));
  }

  static byte[] sharedSecret() {
    int at = TEXT.indexOf("### Example Shared Secret");
    int start = TEXT.indexOf("NOTE: '\\' line wrapping per RFC 8792", at);
    start = TEXT.indexOf('\n', start) + 1;
    start = TEXT.indexOf('\n', start) + 1; // skip the blank line
    int end = TEXT.indexOf("~~~", start);
    return Base64.getDecoder().decode(TEXT.substring(start, end).strip());
  }

  static HttpVerificationKeys keys() throws Exception {
    return HttpVerificationKeys.of(
        HttpVerificationKey.of("test-key-rsa-pss", HttpSignatureAlgorithm.RSA_PSS_SHA512,
            publicKey("### Example RSA PSS Key", "RSA")),
        HttpVerificationKey.of("test-key-ecc-p256", HttpSignatureAlgorithm.ECDSA_P256_SHA256,
            publicKey("### Example ECC P-256 Test Key", "EC")),
        HttpVerificationKey.of("test-key-ed25519", HttpSignatureAlgorithm.ED25519,
            publicKey("### Example Ed25519 Test Key", "Ed25519")),
        HttpVerificationKey.hmacSha256("test-shared-secret", sharedSecret()));
  }

  static final String REQUEST_DIGEST =
      "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";

  /** The RFC's test-request, without signature fields. */
  static HttpRequestView.Builder testRequest() {
    return HttpRequestView.builder("POST", URI.create("https://example.com/foo?param=Value&Pet=dog"))
        .field("Host", "example.com")
        .field("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
        .field("Content-Type", "application/json")
        .field("Content-Digest", REQUEST_DIGEST)
        .field("Content-Length", "18");
  }

  /**
   * The RFC's test-response, with the Content-Digest that the B.2.4 signature base quotes (the value printed in the
   * message itself does not match the body; see the vectors README).
   */
  static HttpResponseView.Builder testResponse() {
    return HttpResponseView.builder(200)
        .field("Date", "Tue, 20 Apr 2021 02:07:56 GMT")
        .field("Content-Type", "application/json")
        .field("Content-Digest",
            "sha-512=:mEWXIS7MaLRuGgxOBdODa3xqM1XdEvxoYhvlCFJ41QJgJc4GTsPp29l5oGX69wWdXymyU0rjJuahq4l5aGgfLQ==:")
        .field("Content-Length", "23");
  }

  /** The B.3 request as the TLS-terminating proxy forwards it. */
  static HttpRequestView.Builder proxiedRequest() {
    int at = TEXT.indexOf("Client-Cert: :", TEXT.indexOf("This results in the following unsigned request"));
    String cert = TEXT.substring(at + "Client-Cert: ".length(), TEXT.indexOf('\n', at));
    return HttpRequestView.builder("POST", URI.create("https://service.internal.example/foo?param=Value&Pet=dog"))
        .field("Host", "service.internal.example")
        .field("Date", "Tue, 20 Apr 2021 02:07:55 GMT")
        .field("Content-Type", "application/json")
        .field("Content-Length", "18")
        .field("Client-Cert", cert);
  }
}
