package dev.safeguards.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.safeguards.http.HttpMessageView;
import dev.safeguards.http.HttpRequestView;
import dev.safeguards.http.HttpResponseView;
import dev.safeguards.integrity.internal.StructuredFields;
import dev.safeguards.integrity.internal.StructuredFields.InnerList;
import dev.safeguards.integrity.internal.StructuredFields.Item;
import dev.safeguards.integrity.internal.StructuredFields.Member;
import dev.safeguards.integrity.internal.StructuredFields.SfBytes;
import dev.safeguards.integrity.internal.StructuredFields.StructuredFieldException;
import dev.safeguards.testing.FuzzInputs;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzzes RFC 9421 verification with any message: the first line of the input is {@code METHOD URI} for a request or
 * {@code HTTP STATUS} for a response (answering a fixed request), every further line a field line {@code name: value}.
 * A {@code Signature: @hmac} line is replaced by the correct HMAC signature of the first label of
 * {@code Signature-Input} (when its base can be built), so that inputs also reach the checks after the signature.
 * Whatever the message, verification returns a signature that the policy accepts or throws
 * {@link IntegrityException} with a short message.
 */
class HttpMessageVerifierFuzzTest {

  /** The RFC 9421 examples' {@code created}, ten seconds later. */
  private static final Instant NOW = Instant.ofEpochSecond(1618884473L + 10);
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final byte[] SECRET = new byte[32];
  private static final HttpVerificationKeys KEYS;
  private static final HttpRequestView ANSWERED = HttpRequestView.builder("GET",
      URI.create("https://example.com/foo?param=Value&Pet=dog")).field("Host", "example.com").build();

  static {
    new SecureRandom().nextBytes(SECRET);
    KEYS = HttpVerificationKeys.of(HttpVerificationKey.hmacSha256("test-shared-secret", SECRET));
  }

  @FuzzTest(maxDuration = "3m")
  void verify_anyMessage_returnsAnAcceptedSignatureOrThrowsIntegrityException(byte[] data) throws Exception {
    List<String> lines = FuzzInputs.lines(data);
    if (lines.isEmpty()) {
      return;
    }
    String[] start = lines.get(0).split(" ", 2);
    if (start.length != 2) {
      return;
    }
    HttpMessageView message;
    try {
      message = start[0].equals("HTTP") ? response(start[1], lines) : request(start[0], start[1], lines);
    } catch (IllegalArgumentException e) {
      return; // not a message the builders accept: what the fuzz test feeds, not the verifier
    }
    HttpMessageVerifier verifier = HttpMessageVerifier.builder(KEYS).clock(CLOCK).build();
    VerifiedHttpSignature verified;
    try {
      verified = message instanceof HttpRequestView request ? verifier.verify(request)
          : verifier.verify((HttpResponseView) message, ANSWERED);
    } catch (IntegrityException e) {
      FuzzInputs.assertBoundedMessage(e);
      return;
    }
    assertThat(verified.keyId()).isEqualTo("test-shared-secret");
    assertThat(verified.components()).contains(message instanceof HttpRequestView
        ? new SignatureComponent[] {SignatureComponent.METHOD, SignatureComponent.TARGET_URI}
        : new SignatureComponent[] {SignatureComponent.STATUS});
    assertThat(verified.created()).isBetween(NOW.minus(Duration.ofMinutes(6)), NOW.plusSeconds(30));
  }

  private static HttpRequestView request(String method, String uri, List<String> lines) throws Exception {
    HttpRequestView.Builder b = HttpRequestView.builder(method, URI.create(uri));
    List<String[]> fields = fields(lines);
    for (String[] f : fields) {
      if (!f[1].equals("@hmac")) {
        b.field(f[0], f[1]);
      }
    }
    HttpRequestView unsigned = b.build();
    for (String[] f : fields) {
      if (f[1].equals("@hmac")) {
        b.field(f[0], hmac(unsigned, null));
      }
    }
    return b.build();
  }

  private static HttpResponseView response(String status, List<String> lines) throws Exception {
    int code;
    try {
      code = Integer.parseInt(status);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a status");
    }
    HttpResponseView.Builder b = HttpResponseView.builder(code);
    List<String[]> fields = fields(lines);
    for (String[] f : fields) {
      if (!f[1].equals("@hmac")) {
        b.field(f[0], f[1]);
      }
    }
    HttpResponseView unsigned = b.build();
    for (String[] f : fields) {
      if (f[1].equals("@hmac")) {
        b.field(f[0], hmac(unsigned, ANSWERED));
      }
    }
    return b.build();
  }

  /** The field lines after the first line, as name and value (a line without a colon is skipped). */
  private static List<String[]> fields(List<String> lines) {
    List<String[]> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        out.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
      }
    }
    return out;
  }

  /**
   * {@code label=:HMAC(base):} for the first label of the message's Signature-Input, or {@code @hmac} unchanged when no
   * base can be built from it.
   */
  private static String hmac(HttpMessageView message, HttpRequestView request) throws Exception {
    Map<String, Member> inputs;
    try {
      inputs = StructuredFields.parseDictionary(message.fieldValues(SignatureFields.SIGNATURE_INPUT));
    } catch (StructuredFieldException e) {
      return "@hmac";
    }
    if (inputs.isEmpty() || !(inputs.values().iterator().next() instanceof InnerList params)) {
      return "@hmac";
    }
    byte[] base;
    try {
      List<SignatureComponent> components = new ArrayList<>();
      for (Item id : params.items()) {
        components.add(SignatureComponent.fromIdentifier(id));
      }
      base = SignatureBase.build(message, request, components, params);
    } catch (IntegrityException e) {
      return "@hmac";
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    return inputs.keySet().iterator().next() + "="
        + StructuredFields.serializeBareItem(new SfBytes(mac.doFinal(base)));
  }
}
