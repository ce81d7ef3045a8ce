package dev.safeguards.conformance;

import dev.safeguards.transport.TlsPolicy;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS key store generated at test time with the JDK's keytool (a P-256 key and a self-signed certificate for
 * 127.0.0.1 and localhost, valid two days), and a client context that trusts exactly it.
 *
 * @param keyStoreFile the PKCS#12 file
 * @param password its password, also the key's
 * @param keyStore the loaded store
 */
public record TestTls(Path keyStoreFile, char[] password, KeyStore keyStore) {

  /** Generates the key store in {@code dir}. */
  public static TestTls generate(Path dir) throws Exception {
    Path file = dir.resolve("server.p12");
    String password = "test-" + Long.toHexString(System.nanoTime());
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", password,
        "-keypass", password)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password.toCharArray());
    }
    return new TestTls(file, password.toCharArray(), ks);
  }

  /** A server context for the key store, for containers configured with an {@link SSLContext}. */
  public SSLContext serverContext() throws Exception {
    return TlsPolicy.serverContext(keyStore, password);
  }

  /** A client context that trusts the generated certificate only. */
  public SSLContext clientContext() throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keyStore);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
