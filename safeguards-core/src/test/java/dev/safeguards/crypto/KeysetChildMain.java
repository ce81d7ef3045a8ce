package dev.safeguards.crypto;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Child JVM for {@link KeysetCrashTest}: changes a field-encryption keyset in a loop until it is killed, and after
 * each change prints {@code ack <n> <ciphertext>}, the ciphertext being value {@code n} encrypted under the new state.
 */
public final class KeysetChildMain {

  private KeysetChildMain() {}

  /**
   * Runs the loop.
   *
   * @param args the master key file and the keyset file
   * @throws Exception on any failure, which ends the child
   */
  public static void main(String[] args) throws Exception {
    KeyEncryptionKey kek = KeyEncryptionKey.fromMasterKeyFile(Path.of(args[0]));
    ManagedKeyset keyset = ManagedKeyset.open(Path.of(args[1]), KeyPurpose.FIELD_ENCRYPTION, kek, Clock.systemUTC());
    FieldCipher cipher = FieldCipher.create(keyset);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
    for (int n = Integer.parseInt(args[2]); ; n++) {
      if (n % 3 == 2) {
        keyset.promote(keyset.addKey().keyId());
      } else {
        keyset.rotate();
      }
      out.println("ack " + n + " " + cipher.encrypt(KeysetCrashTest.value(n), KeysetCrashTest.context(n)));
    }
  }
}
