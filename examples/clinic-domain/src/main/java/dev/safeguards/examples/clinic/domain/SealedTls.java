package dev.safeguards.examples.clinic.domain;

import dev.safeguards.crypto.DecryptionException;
import dev.safeguards.crypto.FieldCipher;
import dev.safeguards.crypto.FieldContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The clinic's TLS key store: generated on first start (a P-256 key and a self-signed certificate for localhost and
 * 127.0.0.1, made by the JDK's keytool), then kept only encrypted with the field cipher, so the private key is never
 * on disk in the clear. The certificate is written beside it for clients ({@code curl --cacert DIR/tls/server.crt}).
 * A production deployment uses a certificate from its CA, or terminates TLS at a trusted proxy.
 */
public final class SealedTls {

  /** The loaded key store and its password (which exists only in memory). */
  public record Loaded(KeyStore keyStore, char[] password, Path certificate) {}

  private static final FieldContext STORE = FieldContext.of("TlsKeyStore", "server", "pkcs12");
  private static final FieldContext PASSWORD = FieldContext.of("TlsKeyStore", "server", "password");

  private SealedTls() {}

  public static Loaded openOrCreate(Path dir, FieldCipher cipher) throws IOException, GeneralSecurityException {
    DataDirectory.ownerOnlyDirectory(dir);
    Path sealed = dir.resolve("server.p12.sealed");
    Path certificate = dir.resolve("server.crt");
    if (!Files.exists(sealed)) {
      generate(dir, sealed, certificate, cipher);
    }
    List<String> lines = Files.readAllLines(sealed, StandardCharsets.US_ASCII);
    if (lines.size() != 2) {
      throw new IOException("the sealed key store " + sealed + " is malformed");
    }
    try {
      char[] password = cipher.decrypt(lines.get(0), PASSWORD).toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(new ByteArrayInputStream(cipher.decryptBytes(lines.get(1), STORE)), password);
      return new Loaded(ks, password, certificate);
    } catch (DecryptionException e) {
      throw new IOException("the sealed key store " + sealed + " cannot be opened with this master key", e);
    }
  }

  private static void generate(Path dir, Path sealed, Path certificate, FieldCipher cipher)
      throws IOException, GeneralSecurityException {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path work = Files.createTempDirectory(dir, "keytool-");
    Path store = work.resolve("server.p12");
    try {
      keytool(List.of("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
          "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "365",
          "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass:env", "SG_STOREPASS"), password);
      keytool(List.of("-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(),
          "-storepass:env", "SG_STOREPASS", "-file", work.resolve("server.crt").toString()), password);
      byte[] p12 = Files.readAllBytes(store);
      Path tmp = dir.resolve("server.p12.sealed.tmp");
      Files.writeString(tmp, cipher.encrypt(password, PASSWORD) + "\n" + cipher.encrypt(p12, STORE) + "\n",
          StandardCharsets.US_ASCII);
      Files.move(work.resolve("server.crt"), certificate);
      Files.move(tmp, sealed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(store);
      Files.deleteIfExists(work.resolve("server.crt"));
      Files.deleteIfExists(work);
    }
  }

  /** Runs the JDK's keytool; the password travels in its environment, never on a command line others can read. */
  private static void keytool(List<String> arguments, String password) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>();
    command.add(keytool.toString());
    command.addAll(arguments);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("SG_STOREPASS", password);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException("keytool could not make the TLS certificate: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making the TLS certificate", e);
    }
  }
}
