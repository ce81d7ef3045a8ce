package dev.safeguards.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransportPolicyTest {

  private static final List<String> NONE = List.of();

  private final TransportPolicy behindProxy = TransportPolicy.builder()
      .trustedProxies(TrustedProxies.of("10.0.0.0/8", "2001:db8::/32")).build();

  @Test
  void trustedProxies_matchCidrBlocks_v4AndV6() {
    TrustedProxies p = TrustedProxies.of("10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "172.16.0.0/12");

    assertThat(p.trusts("10.200.3.4")).isTrue();
    assertThat(p.trusts("11.0.0.1")).isFalse();
    assertThat(p.trusts("192.168.1.7")).isTrue();
    assertThat(p.trusts("192.168.1.8")).isFalse();
    assertThat(p.trusts("172.31.255.255")).isTrue();
    assertThat(p.trusts("172.32.0.0")).isFalse();
    assertThat(p.trusts("2001:db8:ffff::1")).isTrue();
    assertThat(p.trusts("[2001:db8::1]")).isTrue();
    assertThat(p.trusts("2001:db9::1")).isFalse();
    assertThat(p.trusts("::ffff:10.1.2.3")).as("IPv4-mapped").isTrue();
    assertThat(p.trusts("proxy.example")).as("never a DNS lookup").isFalse();
    assertThat(p.trusts(null)).isFalse();
    assertThat(p.trusts(" 10.0.0.1 ")).isTrue();
    for (String notAnAddress : new String[] {"010.0.0.1", "10.0.0.01", "10.0.0", "10.0.0.1.", "10.0.0.1.5",
        "10..0.1", ".10.0.0.1", "10.0.0.256", "10.0.0.1000", "10.0.0.-1", "10.0.0.1/8", "", "10.0.0.١"}) {
      assertThat(p.trusts(notAnAddress)).as(notAnAddress).isFalse();
    }
    assertThat(TrustedProxies.of("0.0.0.0/0").trusts("0.0.0.0")).isTrue();
    assertThatThrownBy(() -> TrustedProxies.of("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrustedProxies.of("proxy.example")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrustedProxies.of("300.1.1.1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void directHttps_isAccepted_directPlainHttp_isRefusedWith403() {
    TransportPolicy p = TransportPolicy.defaults();

    assertThat(p.evaluate(true, "203.0.113.5", "GET", "api/x", NONE, NONE, NONE).refusal()).isEmpty();
    TransportPolicy.Transport plain = p.evaluate(false, "203.0.113.5", "GET", "api/x", NONE, NONE, NONE);
    assertThat(plain.https()).isFalse();
    assertThat(plain.refusal()).hasValue(new TransportPolicy.Refusal(403, Optional.empty()));
  }

  @Test
  void forwardingHeaders_fromATrustedProxy_decideSchemeAndClient() {
    TransportPolicy.Transport t = behindProxy.evaluate(false, "10.1.1.1", "GET", "h/x",
        List.of("for=198.51.100.1;proto=http, for=\"[2001:db8:cafe::17]:4711\";proto=https"), NONE, NONE);

    assertThat(t.https()).isTrue();
    assertThat(t.clientAddress()).isEqualTo("[2001:db8:cafe::17]");
    assertThat(t.refusal()).isEmpty();

    TransportPolicy.Transport x = behindProxy.evaluate(false, "10.1.1.1", "GET", "h/x", NONE,
        List.of("https"), List.of("203.0.113.9, 198.51.100.7"));
    assertThat(x.https()).isTrue();
    assertThat(x.clientAddress()).isEqualTo("198.51.100.7");

    TransportPolicy.Transport proxiedPlain = behindProxy.evaluate(true, "10.1.1.1", "GET", "h/x", NONE,
        List.of("http"), NONE);
    assertThat(proxiedPlain.https()).as("the proxy says the client used plain HTTP").isFalse();
    assertThat(proxiedPlain.refusal()).isPresent();
  }

  @Test
  void forwarded_unterminatedQuoteBeforeTheProxysElement_isPlainHttpFromTheProxy() {
    // Found by ForwardedFuzzTest's property (seed unterminated-quote): a client's unterminated quoted string swallowed
    // the element an appending proxy added after it, and the client's own proto=https decided the scheme.
    TransportPolicy.Transport t = behindProxy.evaluate(false, "10.1.1.1", "GET", "h/x",
        List.of("proto=https, for=\"x, for=192.0.2.60;proto=http"), List.of("https"), List.of("203.0.113.9"));

    assertThat(t.https()).isFalse();
    assertThat(t.clientAddress()).isEqualTo("10.1.1.1");
    assertThat(t.refusal()).isPresent();
    TransportPolicy dev = TransportPolicy.builder().allowPlainHttpForLoopback()
        .trustedProxies(TrustedProxies.of("127.0.0.1")).build();
    assertThat(dev.evaluate(false, "127.0.0.1", "GET", "h/x", List.of("for=\"x"), NONE, NONE).refusal())
        .as("a request through a local proxy is not local, even when its Forwarded is unreadable").isPresent();
  }

  @Test
  void forwarded_lastElementOnly_withQuotedPairsAndNoRepeatedParameter() {
    // Found while writing ForwardedFuzzTest: an escaped backslash before a closing quote read as an escaped quote, of
    // a parameter given twice in one element the last was believed, and a proto from an element before the proxy's.
    TransportPolicy.Transport escaped = behindProxy.evaluate(false, "10.1.1.1", "GET", "h/x",
        List.of("for=\"a\\\\\", for=192.0.2.60;proto=https"), NONE, NONE);
    assertThat(escaped.https()).isTrue();
    assertThat(escaped.clientAddress()).isEqualTo("192.0.2.60");

    TransportPolicy.Transport twice = behindProxy.evaluate(false, "10.1.1.1", "GET", "h/x",
        List.of("for=192.0.2.60;proto=http;proto=https"), NONE, NONE);
    assertThat(twice.https()).isFalse();
    assertThat(twice.clientAddress()).isEqualTo("10.1.1.1");

    TransportPolicy.Transport proxyNamesNoProto = behindProxy.evaluate(false, "10.1.1.1", "GET", "h/x",
        List.of("proto=https, for=192.0.2.60"), List.of("http"), NONE);
    assertThat(proxyNamesNoProto.https()).as("only the proxy's own element counts").isFalse();
    assertThat(proxyNamesNoProto.clientAddress()).isEqualTo("192.0.2.60");
  }

  @Test
  void forwardingHeaders_fromAnyoneElse_areIgnored() {
    TransportPolicy.Transport t = behindProxy.evaluate(false, "203.0.113.66", "GET", "h/x",
        List.of("for=10.0.0.1;proto=https"), List.of("https"), List.of("10.0.0.1"));

    assertThat(t.https()).isFalse();
    assertThat(t.clientAddress()).isEqualTo("203.0.113.66");
    assertThat(t.refusal()).isPresent();
  }

  @Test
  void redirect_optIn_onlyForGetAndHead() {
    TransportPolicy p = TransportPolicy.builder().redirectSafeRequestsToHttps().build();

    assertThat(p.evaluate(false, "203.0.113.5", "GET", "api.example/patients?x=1", NONE, NONE, NONE).refusal())
        .hasValue(new TransportPolicy.Refusal(308, Optional.of("https://api.example/patients?x=1")));
    assertThat(p.evaluate(false, "203.0.113.5", "POST", "api.example/patients", NONE, NONE, NONE).refusal())
        .hasValue(new TransportPolicy.Refusal(403, Optional.empty()));
    assertThat(TransportPolicy.builder().refusePlainHttpWith421().build()
        .evaluate(false, "203.0.113.5", "POST", "h/x", NONE, NONE, NONE).refusal().orElseThrow().status())
        .isEqualTo(421);
  }

  @Test
  void loopbackPlainHttp_onlyWhenExplicitlyAllowed_andNeverThroughAProxy() {
    TransportPolicy dev = TransportPolicy.builder().allowPlainHttpForLoopback()
        .trustedProxies(TrustedProxies.of("127.0.0.1")).build();

    assertThat(TransportPolicy.defaults().evaluate(false, "127.0.0.1", "GET", "h/x", NONE, NONE, NONE).refusal())
        .isPresent();
    assertThat(dev.evaluate(false, "127.0.0.1", "GET", "h/x", NONE, NONE, NONE).refusal()).isEmpty();
    assertThat(dev.evaluate(false, "::1", "GET", "h/x", NONE, NONE, NONE).refusal()).isEmpty();
    assertThat(dev.evaluate(false, "127.0.0.1", "GET", "h/x", NONE, NONE, List.of("203.0.113.5")).refusal())
        .as("a client behind a local proxy is not local").isPresent();
  }

  @Test
  void loopbackPlainHttp_throughAProxyThatNamesNoClient_isNotLocal() {
    // Found by JettyHostileEdgesTest: RFC 7239 lets a proxy send for=unknown, an obfuscated identifier or only a
    // proto; the client address stayed the loopback proxy's, and the forwarded request counted as local.
    TransportPolicy dev = TransportPolicy.builder().allowPlainHttpForLoopback()
        .trustedProxies(TrustedProxies.of("127.0.0.1")).build();

    assertThat(dev.evaluate(false, "127.0.0.1", "GET", "h/x", List.of("for=unknown;proto=http"), NONE, NONE).refusal())
        .isPresent();
    assertThat(dev.evaluate(false, "127.0.0.1", "GET", "h/x", List.of("for=_hidden"), NONE, NONE).refusal())
        .isPresent();
    assertThat(dev.evaluate(false, "127.0.0.1", "GET", "h/x", NONE, List.of("http"), NONE).refusal()).isPresent();
    assertThat(TransportPolicy.builder().allowPlainHttpForLoopback().build()
        .evaluate(false, "127.0.0.1", "GET", "h/x", NONE, NONE, List.of("203.0.113.5")).refusal())
        .as("a local proxy nobody trusts is still a proxy").isPresent();
  }

  @Test
  void forwardedAddress_withAZoneOrSpaces_isTheProxys() {
    // Found by JettyHostileEdgesTest: such an address parsed as a literal, then no audit event could name it.
    for (String forwarded : List.of("for=\"[fe80::1%25eth0]\";proto=https", "for=\" 192.0.2.7\";proto=https",
        "for=\"[fe80::1%Jane Roe]:80\";proto=https")) {
      TransportPolicy.Transport t = behindProxy.evaluate(false, "10.1.1.1", "GET", "h/x", List.of(forwarded), NONE,
          NONE);
      assertThat(t.https()).isTrue();
      assertThat(t.clientAddress()).as(forwarded).isEqualTo("10.1.1.1");
    }
    assertThat(behindProxy.evaluate(false, "10.1.1.1", "GET", "h/x", NONE, List.of("https"),
        List.of("fe80::1%eth0")).clientAddress()).isEqualTo("10.1.1.1");
  }

  @Test
  void hsts_defaultsAndOptions() {
    assertThat(TransportPolicy.defaults().hstsHeaderValue()).isEqualTo("max-age=31536000; includeSubDomains");
    assertThat(TransportPolicy.builder().hstsMaxAge(Duration.ofDays(730)).hstsPreload().build().hstsHeaderValue())
        .isEqualTo("max-age=63072000; includeSubDomains; preload");
    assertThat(TransportPolicy.builder().hstsWithoutSubdomains().build().hstsHeaderValue())
        .isEqualTo("max-age=31536000");
    assertThatThrownBy(() -> TransportPolicy.builder().hstsMaxAge(Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TransportPolicy.builder().weakHstsMaxAge(Duration.ofDays(1)).build().hstsHeaderValue())
        .startsWith("max-age=86400");
    assertThatThrownBy(() -> TransportPolicy.builder().hstsWithoutSubdomains().hstsPreload().build())
        .isInstanceOf(IllegalStateException.class);
  }
}
