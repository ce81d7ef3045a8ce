package dev.safeguards.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made for a test by the JDK's own {@code keytool} (EC P-256, valid for two days), written as
 * the PEM files a Redis server and a TLS client read: nothing is committed, and nothing but the JDK is needed.
 */
final class TestCertificates {

  /** A certificate (PEM) and its private key (unencrypted PKCS#8 PEM). */
  record Pem(Path certificate, Path privateKey) {}

  private static final String PASSWORD = "keystore-of-a-test";

  private TestCertificates() {}

  /** A certificate for {@code subjectAltName} (keytool's syntax: {@code ip:127.0.0.1}, {@code dns:redis.internal}). */
  static Pem create(Path dir, String name, String subjectAltName) throws IOException, InterruptedException {
    Path keystore = dir.resolve(name + ".p12");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
            .toString(), "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg",
        "SHA256withECDSA", "-dname", "CN=" + name, "-ext", "SAN=" + subjectAltName, "-validity", "2",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      PrivateKey key = (PrivateKey) ks.getKey(name, PASSWORD.toCharArray());
      Path cert = Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE",
          ks.getCertificate(name).getEncoded()));
      Path pkcs8 = Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY", key.getEncoded()));
      return new Pem(cert, pkcs8);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the keystore keytool wrote", e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
