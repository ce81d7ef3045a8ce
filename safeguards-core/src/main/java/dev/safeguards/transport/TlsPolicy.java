package dev.safeguards.transport;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The TLS configuration NIST SP 800-52 Rev. 2 asks for (164.312(e)(2)(ii)): TLS 1.3 and 1.2 only, and for TLS 1.2
 * only ECDHE key exchange with AEAD ciphers (AES-GCM, ChaCha20-Poly1305). Use {@link #sslParameters} (or {@link
 * #protocols()} and {@link #cipherSuites()}) to configure a server, and {@link #checkNegotiated} to refuse a connection
 * that was negotiated below the policy (for example behind a terminating proxy with a weaker configuration).
 */
public final class TlsPolicy {

  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final List<String> SUITES = List.of(
      "TLS_AES_256_GCM_SHA384",
      "TLS_AES_128_GCM_SHA256",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  private static final Set<String> ALLOWED_SUITES = Set.copyOf(SUITES);
  private static final Set<String> ALLOWED_PROTOCOLS = Set.copyOf(PROTOCOLS);

  private TlsPolicy() {}

  /**
   * The allowed protocols.
   *
   * @return {@code TLSv1.3} and {@code TLSv1.2}, in order of preference; unmodifiable
   */
  public static List<String> protocols() {
    return PROTOCOLS;
  }

  /**
   * The allowed cipher suites.
   *
   * @return the suites in order of preference (IANA names, as JSSE uses them); unmodifiable
   */
  public static List<String> cipherSuites() {
    return SUITES;
  }

  /**
   * Parameters for a server or client socket of {@code context}: the allowed protocols and suites it supports, with
   * the server's order of suites preferred.
   *
   * @param context the TLS context the socket or engine comes from; not null
   * @return new parameters; their protocol or suite list is empty if the context supports none of the allowed ones
   */
  public static SSLParameters sslParameters(SSLContext context) {
    SSLParameters supported = context.getSupportedSSLParameters();
    List<String> protocols = PROTOCOLS.stream().filter(Arrays.asList(supported.getProtocols())::contains).toList();
    List<String> suites = SUITES.stream().filter(Arrays.asList(supported.getCipherSuites())::contains).toList();
    SSLParameters p = new SSLParameters(suites.toArray(String[]::new), protocols.toArray(String[]::new));
    p.setUseCipherSuitesOrder(true);
    return p;
  }

  /**
   * A TLS context serving the key and certificate chain in {@code keyStore}, with the platform's default key manager
   * algorithm and no client authentication. Apply {@link #sslParameters} to its sockets or engines: the context alone
   * does not restrict protocols or suites.
   *
   * @param keyStore the key store holding the server's private key and certificate chain
   * @param keyPassword the private key's password; the caller owns the array and may clear it afterwards
   * @return a new, initialised context
   * @throws GeneralSecurityException if the key store cannot be used
   */
  public static SSLContext serverContext(KeyStore keyStore, char[] keyPassword) throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, keyPassword);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, new SecureRandom());
    return context;
  }

  /**
   * Checks what a connection negotiated.
   *
   * @param protocol the protocol, e.g. {@code TLSv1.3}; may be null when the container does not tell, and then the
   *     suite alone decides (TLS 1.3 suites exist only in TLS 1.3)
   * @param cipherSuite the cipher suite
   * @throws WeakTransportException if either is below the policy
   */
  public static void checkNegotiated(String protocol, String cipherSuite) throws WeakTransportException {
    if (protocol != null && !ALLOWED_PROTOCOLS.contains(protocol)) {
      throw new WeakTransportException("TLS protocol " + protocol + " is below the policy");
    }
    if (cipherSuite == null || !ALLOWED_SUITES.contains(cipherSuite)) {
      throw new WeakTransportException("TLS cipher suite " + cipherSuite + " is below the policy");
    }
  }
}
