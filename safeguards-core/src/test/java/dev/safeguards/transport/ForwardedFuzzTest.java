package dev.safeguards.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.safeguards.testing.FuzzInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fuzzes the forwarding headers (RFC 7239 {@code Forwarded}, {@code X-Forwarded-Proto}, {@code X-Forwarded-For}) and
 * address parsing. Nothing here may throw: a request's transport is always decided.
 */
class ForwardedFuzzTest {

  private static final String PROXY = "10.1.1.1";
  private static final TransportPolicy BEHIND_PROXY = TransportPolicy.builder()
      .trustedProxies(TrustedProxies.of("10.0.0.0/8", "2001:db8::/32")).build();
  private static final TransportPolicy LOCAL_PROXY = TransportPolicy.builder().allowPlainHttpForLoopback()
      .trustedProxies(TrustedProxies.of("127.0.0.1")).build();

  /**
   * The input's lines are field lines {@code Forwarded: ...}, {@code X-Forwarded-Proto: ...} or
   * {@code X-Forwarded-For: ...} sent by the client; a trusted proxy then appends its own element
   * {@code for=192.0.2.60;proto=http} to the last {@code Forwarded} line, as an appending proxy does. Whatever the
   * client sent, the request is plain HTTP from 192.0.2.60 (or, if the field cannot be read, from the proxy); and from
   * an untrusted peer the same headers change nothing.
   */
  @FuzzTest(maxDuration = "2m")
  void evaluate_anyClientHeadersBeforeTheProxysElement_believeOnlyTheProxy(byte[] data) {
    List<String> forwarded = new ArrayList<>();
    List<String> proto = new ArrayList<>();
    List<String> forClient = new ArrayList<>();
    for (String line : FuzzInputs.lines(data)) {
      int colon = line.indexOf(':');
      String name = colon < 0 ? "" : line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = colon < 0 ? line : line.substring(colon + 1);
      switch (name) {
        case "x-forwarded-proto" -> proto.add(value);
        case "x-forwarded-for" -> forClient.add(value);
        default -> forwarded.add(value);
      }
    }
    List<String> appended = new ArrayList<>(forwarded);
    if (appended.isEmpty()) {
      appended.add("for=192.0.2.60;proto=http");
    } else {
      appended.set(appended.size() - 1, appended.get(appended.size() - 1) + ", for=192.0.2.60;proto=http");
    }

    TransportPolicy.Transport t = BEHIND_PROXY.evaluate(true, PROXY, "GET", "h/x", appended, proto, forClient);
    assertThat(t.https()).as("the proxy said proto=http").isFalse();
    assertThat(t.clientAddress()).isIn("192.0.2.60", PROXY);
    assertThat(t.refusal()).isPresent();

    TransportPolicy.Transport local = LOCAL_PROXY.evaluate(false, "127.0.0.1", "GET", "h/x", appended, proto,
        forClient);
    assertThat(local.refusal()).as("a request through a local proxy is not local").isPresent();

    for (boolean secure : new boolean[] {true, false}) {
      TransportPolicy.Transport direct = BEHIND_PROXY.evaluate(secure, "203.0.113.66", "GET", "h/x", forwarded,
          proto, forClient);
      assertThat(direct.https()).isEqualTo(secure);
      assertThat(direct.clientAddress()).isEqualTo("203.0.113.66");
    }

    // What the trusted proxy's own headers decide, read back; the client address is always an address.
    TransportPolicy.Transport trusted = BEHIND_PROXY.evaluate(false, PROXY, "GET", "h/x", forwarded, proto, forClient);
    assertThat(TrustedProxies.literal(trusted.clientAddress())).isNotNull();
    assertThat(trusted.refusal().isEmpty()).isEqualTo(trusted.https());
  }

  /**
   * Any text as a peer address, a forwarded address or a proxy list entry: {@link TrustedProxies#literal} gives 4 or
   * 16 bytes or nothing, and agrees with a dotted-quad reading for IPv4; {@link TrustedProxies#of} accepts it or
   * throws {@link IllegalArgumentException}, and the blocks it lists read back as the same blocks.
   */
  @FuzzTest(maxDuration = "1m")
  void literalAndOf_anyText_parseAddressesOrRefuse(byte[] data) {
    String text = FuzzInputs.text(data);
    byte[] bytes = TrustedProxies.literal(text);
    assertThat(bytes == null || bytes.length == 4 || bytes.length == 16).isTrue();
    String stripped = text.strip();
    if (stripped.indexOf(':') < 0 && !stripped.startsWith("[")) {
      assertThat(bytes == null ? null : bytes.clone()).isEqualTo(dottedQuad(stripped));
    }
    String stripPort = Forwarded.stripPort(text);
    assertThat(text).startsWith(stripPort);

    TrustedProxies proxies;
    try {
      proxies = TrustedProxies.of(text);
    } catch (IllegalArgumentException e) {
      return;
    }
    List<String> cidrs = proxies.cidrs();
    assertThat(TrustedProxies.of(cidrs.toArray(String[]::new)).cidrs()).isEqualTo(cidrs);
    if (bytes != null) {
      assertThat(proxies.trusts(text)).as("a block trusts its own address").isTrue();
    }
  }

  /** Four decimal parts 0-255 without leading zeros, written independently of the class under test. */
  private static byte[] dottedQuad(String s) {
    if (!s.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")) {
      return null;
    }
    String[] parts = s.split("\\.");
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }
}
