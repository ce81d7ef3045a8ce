package dev.safeguards.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.safeguards.http.HttpMessageView;
import dev.safeguards.http.HttpRequestView;
import dev.safeguards.http.HttpResponseView;
import dev.safeguards.integrity.IntegrityException.Reason;
import dev.safeguards.integrity.internal.StructuredFields;
import dev.safeguards.integrity.internal.StructuredFields.InnerList;
import dev.safeguards.integrity.internal.StructuredFields.Item;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every RFC 9421 Appendix B example: bases byte for byte, signatures verified, deterministic ones reproduced. */
class HttpMessageSignaturesRfc9421Test {

  /** Ten seconds after the examples' created=1618884473. */
  private static final Clock AT_SIGNING = Clock.fixed(Instant.ofEpochSecond(1618884483L), ZoneOffset.UTC);

  private static HttpMessageView message(String label) {
    return switch (label) {
      case "sig-b24" -> withSignature(Rfc9421Vectors.testResponse(), label);
      case "ttrp" -> withSignature(Rfc9421Vectors.proxiedRequest(), label);
      case "transform" -> withSignature(transformRequest(), label);
      default -> withSignature(Rfc9421Vectors.testRequest(), label);
    };
  }

  private static HttpRequestView.Builder transformRequest() {
    return HttpRequestView.builder("GET", URI.create("https://example.org/demo?name1=Value1&Name2=value2"))
        .field("Host", "example.org")
        .field("Date", "Fri, 15 Jul 2022 14:24:55 GMT")
        .field("Accept", "application/json")
        .field("Accept", "*/*");
  }

  private static HttpMessageView withSignature(Object builder, String label) {
    JsonNode c = Rfc9421Vectors.testCase(label);
    String input = c.get("signature_input").asText();
    String signature = label + "=:" + c.get("signature_b64").asText() + ":";
    if (builder instanceof HttpRequestView.Builder b) {
      return b.field("Signature-Input", input).field("Signature", signature).build();
    }
    return ((HttpResponseView.Builder) builder).field("Signature-Input", input).field("Signature", signature).build();
  }

  private static HttpMessageVerifier verifier() throws Exception {
    return HttpMessageVerifier.builder(Rfc9421Vectors.keys()).requireComponents().clock(AT_SIGNING).build();
  }

  private static VerifiedHttpSignature verify(HttpMessageVerifier verifier, HttpMessageView m) throws Exception {
    return m instanceof HttpRequestView r ? verifier.verify(r) : verifier.verify((HttpResponseView) m, null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sig-b21", "sig-b22", "sig-b23", "sig-b24", "sig-b25", "sig-b26", "ttrp", "transform"})
  void signatureBase_ofEveryExample_isReproducedByteForByte(String label) throws Exception {
    HttpMessageView m = message(label);
    Map<String, StructuredFields.Member> inputs =
        StructuredFields.parseDictionary(m.fieldValues("Signature-Input"));
    InnerList params = (InnerList) inputs.get(label);
    List<SignatureComponent> components = new ArrayList<>();
    for (Item id : params.items()) {
      components.add(SignatureComponent.fromIdentifier(id));
    }

    byte[] base = SignatureBase.build(m, null, components, params);

    assertThat(new String(base, StandardCharsets.US_ASCII))
        .isEqualTo(Rfc9421Vectors.testCase(label).get("signature_base").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sig-b21", "sig-b22", "sig-b23", "sig-b24", "sig-b25", "sig-b26", "ttrp", "transform"})
  void verify_everyExample_succeeds(String label) throws Exception {
    VerifiedHttpSignature v = verify(verifier(), message(label));

    JsonNode c = Rfc9421Vectors.testCase(label);
    assertThat(v.label()).isEqualTo(label);
    assertThat(v.keyId()).isEqualTo(c.get("keyid").asText());
    assertThat(v.created()).isEqualTo(Instant.ofEpochSecond(1618884473L));
  }

  @Test
  void sign_hmacExampleB25_reproducesTheExactSignature() throws Exception {
    HttpMessageSigner signer = HttpMessageSigner.builder(
            HttpSigningKey.hmacSha256("test-shared-secret", Rfc9421Vectors.sharedSecret()))
        .label("sig-b25")
        .components(SignatureComponent.field("date"), SignatureComponent.AUTHORITY, SignatureComponent.field("content-type"))
        .clock(Clock.fixed(Instant.ofEpochSecond(1618884473L), ZoneOffset.UTC))
        .withoutNonceAllowingReplay()
        .build();

    SignatureFields fields = signer.sign(Rfc9421Vectors.testRequest().build());

    JsonNode c = Rfc9421Vectors.testCase("sig-b25");
    assertThat(fields.signatureInput()).isEqualTo(c.get("signature_input").asText());
    assertThat(fields.signature()).isEqualTo("sig-b25=:" + c.get("signature_b64").asText() + ":");
  }

  @Test
  void sign_ed25519ExampleB26_reproducesTheExactSignature() throws Exception {
    HttpMessageSigner signer = HttpMessageSigner.builder(HttpSigningKey.of("test-key-ed25519",
            HttpSignatureAlgorithm.ED25519, Rfc9421Vectors.privateKey("### Example Ed25519 Test Key", "Ed25519")))
        .label("sig-b26")
        .components(SignatureComponent.field("date"), SignatureComponent.METHOD, SignatureComponent.PATH,
            SignatureComponent.AUTHORITY, SignatureComponent.field("content-type"),
            SignatureComponent.field("content-length"))
        .clock(Clock.fixed(Instant.ofEpochSecond(1618884473L), ZoneOffset.UTC))
        .withoutNonceAllowingReplay()
        .build();

    SignatureFields fields = signer.sign(Rfc9421Vectors.testRequest().build());

    JsonNode c = Rfc9421Vectors.testCase("sig-b26");
    assertThat(fields.signatureInput()).isEqualTo(c.get("signature_input").asText());
    assertThat(fields.signature()).isEqualTo("sig-b26=:" + c.get("signature_b64").asText() + ":");
  }

  @Test
  void verify_b21ExampleTwice_isAReplay() throws Exception {
    HttpMessageVerifier verifier = verifier();
    verify(verifier, message("sig-b21"));

    assertThatThrownBy(() -> verify(verifier, message("sig-b21")))
        .isInstanceOf(IntegrityException.class)
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(Reason.REPLAYED);
  }

  @Test
  void verify_b4Transformations_acceptTheAllowedOnesAndRejectTheOthers() throws Exception {
    String input = Rfc9421Vectors.testCase("transform").get("signature_input").asText();
    String signature = "transform=:" + Rfc9421Vectors.testCase("transform").get("signature_b64").asText() + ":";
    HttpMessageVerifier verifier = verifier();
    // Query parameter and Accept-Language added; Date removed, Referer added, Accept collapsed; fields reordered.
    List<HttpRequestView> stillValid = List.of(
        HttpRequestView.builder("GET", URI.create("https://example.org/demo?name1=Value1&Name2=value2&param=added"))
            .field("Host", "example.org").field("Date", "Fri, 15 Jul 2022 14:24:55 GMT")
            .field("Accept", "application/json").field("Accept", "*/*").field("Accept-Language", "en-US,en;q=0.5")
            .field("Signature-Input", input).field("Signature", signature).build(),
        HttpRequestView.builder("GET", URI.create("https://example.org/demo?name1=Value1&Name2=value2"))
            .field("Host", "example.org").field("Referer", "https://developer.example.org/demo")
            .field("Accept", "application/json, */*")
            .field("Signature-Input", input).field("Signature", signature).build(),
        HttpRequestView.builder("GET", URI.create("https://example.org/demo?name1=Value1&Name2=value2"))
            .field("Accept", "application/json").field("Accept", "*/*")
            .field("Date", "Fri, 15 Jul 2022 14:24:55 GMT").field("Host", "example.org")
            .field("Signature-Input", input).field("Signature", signature).build());
    for (HttpRequestView r : stillValid) {
      assertThat(verifier.verify(r).label()).isEqualTo("transform");
    }
    List<HttpRequestView> broken = List.of(
        HttpRequestView.builder("POST", URI.create("https://example.com/demo?name1=Value1&Name2=value2"))
            .field("Host", "example.com").field("Date", "Fri, 15 Jul 2022 14:24:55 GMT")
            .field("Accept", "application/json").field("Accept", "*/*")
            .field("Signature-Input", input).field("Signature", signature).build(),
        HttpRequestView.builder("GET", URI.create("https://example.org/demo?name1=Value1&Name2=value2"))
            .field("Host", "example.org").field("Date", "Fri, 15 Jul 2022 14:24:55 GMT")
            .field("Accept", "*/*").field("Accept", "application/json")
            .field("Signature-Input", input).field("Signature", signature).build());
    for (HttpRequestView r : broken) {
      assertThatThrownBy(() -> verifier.verify(r))
          .isInstanceOf(IntegrityException.class)
          .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(Reason.SIGNATURE_INVALID);
    }
  }

  @Test
  void verify_section32Example_succeeds() throws Exception {
    String extra = Rfc9421Vectors.TEXT.substring(Rfc9421Vectors.TEXT.indexOf("================ EXTRA"));
    String input = line(extra, "Signature-Input: ");
    String signature = line(extra, "Signature: ");
    HttpRequestView r = Rfc9421Vectors.testRequest().field("Signature-Input", input).field("Signature", signature)
        .build();

    assertThat(verifier().verify(r).label()).isEqualTo("sig1");
  }

  @Test
  void verify_withDefaultPolicy_refusesExamplesThatDoNotCoverTheTargetUri() throws Exception {
    HttpMessageVerifier strict = HttpMessageVerifier.builder(Rfc9421Vectors.keys()).clock(AT_SIGNING).build();

    assertThatThrownBy(() -> strict.verify((HttpRequestView) message("sig-b26")))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("does not cover \"@target-uri\"")
        .extracting(e -> ((IntegrityException) e).reason()).isEqualTo(Reason.POLICY_VIOLATION);
  }

  @Test
  void verify_rfc9421TestResponse_asPrintedCarriesAWrongDigest() throws Exception {
    // Known defect: the printed test-response Content-Digest is not the digest of its body.
    String printed = Rfc9421Vectors.TEXT.substring(Rfc9421Vectors.TEXT.indexOf("Content-Digest: sha-512=:JlEy"));
    printed = printed.substring("Content-Digest: ".length(), printed.indexOf('\n'));
    String digest = printed;
    assertThatThrownBy(() -> DigestFields.parse("Content-Digest", List.of(digest))
        .verify("{\"message\": \"good dog\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IntegrityException.class);
  }

  private static String line(String text, String prefix) {
    int at = text.indexOf("\n" + prefix) + 1 + prefix.length();
    return text.substring(at, text.indexOf('\n', at));
  }
}
