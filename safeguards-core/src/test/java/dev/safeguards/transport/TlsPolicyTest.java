package dev.safeguards.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class TlsPolicyTest {

  @Test
  void sslParameters_offerOnlyTls13And12_withEcdheAeadSuites() throws Exception {
    SSLParameters p = TlsPolicy.sslParameters(SSLContext.getDefault());

    assertThat(p.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(p.getCipherSuites()).isNotEmpty().allSatisfy(s -> assertThat(s)
        .matches("TLS_(AES_\\d+_GCM_SHA\\d+|CHACHA20_POLY1305_SHA256|ECDHE_(ECDSA|RSA)_WITH_.*(GCM|POLY1305).*)"));
    assertThat(p.getUseCipherSuitesOrder()).isTrue();
  }

  @Test
  void checkNegotiated_refusesWhatTheServerShouldNotHaveAgreedTo() throws Exception {
    TlsPolicy.checkNegotiated("TLSv1.3", "TLS_AES_128_GCM_SHA256");
    TlsPolicy.checkNegotiated(null, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

    assertThatThrownBy(() -> TlsPolicy.checkNegotiated("TLSv1.1", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"))
        .isInstanceOf(WeakTransportException.class);
    assertThatThrownBy(() -> TlsPolicy.checkNegotiated("TLSv1.2", "TLS_RSA_WITH_AES_128_CBC_SHA"))
        .isInstanceOf(WeakTransportException.class);
    assertThatThrownBy(() -> TlsPolicy.checkNegotiated("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"))
        .isInstanceOf(WeakTransportException.class);
    assertThatThrownBy(() -> TlsPolicy.checkNegotiated("TLSv1.2", null)).isInstanceOf(WeakTransportException.class);
  }
}
