package dev.safeguards.authn;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing for applications that run their own login (164.312(d)): PBKDF2-HMAC-SHA256 from the JDK, with a
 * random 16-byte salt, a 32-byte output and, by default, OWASP's current 600,000 iterations, stored in the PHC string
 * format {@code $pbkdf2-sha256$i=600000$<salt>$<hash>} (unpadded standard base64).
 *
 * <p>Why not Argon2id: the JDK has no Argon2, and Safeguards adds no dependency beyond Tink, jjwt and Jackson. PBKDF2
 * at this cost is OWASP's recommended FIPS-compatible choice. {@link #verify} reports when a stored hash uses fewer
 * iterations than this hasher, so the application can rehash at the next successful login.
 *
 * <p>Comparison is in constant time; passwords are taken as {@code char[]} so callers can wipe them. Thread-safe.
 */
public final class PasswordHasher {

  /** OWASP's minimum for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet). */
  public static final int OWASP_MIN_ITERATIONS = 600_000;
  /** Longer passwords are refused (hashing cost stays bounded). */
  public static final int MAX_PASSWORD_CHARS = 1024;

  private static final String ID = "pbkdf2-sha256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;

  private PasswordHasher(int iterations) {
    this.iterations = iterations;
  }

  /**
   * A hasher at {@value #OWASP_MIN_ITERATIONS} iterations.
   *
   * @return the hasher
   */
  public static PasswordHasher pbkdf2() {
    return new PasswordHasher(OWASP_MIN_ITERATIONS);
  }

  /**
   * A hasher at more iterations, as hardware gets faster.
   *
   * @param iterations PBKDF2 iterations for new hashes, from {@value #OWASP_MIN_ITERATIONS} to 10,000,000; stored
   *     hashes with fewer are reported as needing a rehash
   * @return the hasher
   * @throws IllegalArgumentException below {@value #OWASP_MIN_ITERATIONS} or above 10,000,000
   */
  public static PasswordHasher pbkdf2(int iterations) {
    if (iterations < OWASP_MIN_ITERATIONS || iterations > 10_000_000) {
      throw new IllegalArgumentException("PBKDF2-HMAC-SHA256 needs 600,000 to 10,000,000 iterations");
    }
    return new PasswordHasher(iterations);
  }

  /**
   * Hashes a new password, with a new random salt.
   *
   * @param password the password, 1 to {@value #MAX_PASSWORD_CHARS} characters; not modified (the caller wipes it)
   * @return the PHC string, {@code $pbkdf2-sha256$i=<iterations>$<salt>$<hash>}; different for every call
   * @throws IllegalArgumentException if the password is empty or longer than {@value #MAX_PASSWORD_CHARS} characters
   * @throws NullPointerException if {@code password} is null
   */
  public String hash(char[] password) {
    Objects.requireNonNull(password, "password");
    if (password.length == 0 || password.length > MAX_PASSWORD_CHARS) {
      throw new IllegalArgumentException("a password has 1 to " + MAX_PASSWORD_CHARS + " characters");
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, iterations);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$" + ID + "$i=" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  /**
   * The outcome of checking a password against a stored hash.
   *
   * @param matches whether the password matches
   * @param needsRehash whether the stored hash should be replaced: for a match, when it uses fewer iterations than
   *     this hasher; always for a malformed stored hash (which never matches). Rehash only after a match
   */
  public record Check(boolean matches, boolean needsRehash) {}

  /**
   * Checks a password against a stored hash. A malformed stored hash, or a password of the wrong length, never
   * matches. The stored hash's own iteration count (1 to 10,000,000) is used, so older hashes still verify.
   *
   * @param password the password presented; not modified (the caller wipes it)
   * @param stored the PHC string {@link #hash} made
   * @return whether it matches, and whether the stored hash should be replaced
   * @throws NullPointerException if an argument is null
   */
  public Check verify(char[] password, String stored) {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(stored, "stored");
    String[] parts = stored.split("\\$", -1);
    if (parts.length != 5 || !parts[0].isEmpty() || !parts[1].equals(ID) || !parts[2].startsWith("i=")) {
      return new Check(false, true);
    }
    int storedIterations;
    byte[] salt;
    byte[] expected;
    try {
      storedIterations = Integer.parseInt(parts[2].substring(2));
      salt = Base64.getDecoder().decode(parts[3]);
      expected = Base64.getDecoder().decode(parts[4]);
    } catch (IllegalArgumentException e) {
      return new Check(false, true);
    }
    if (storedIterations < 1 || storedIterations > 10_000_000 || salt.length < 8 || expected.length != 32
        || password.length == 0 || password.length > MAX_PASSWORD_CHARS) {
      return new Check(false, true);
    }
    byte[] actual = derive(password, salt, storedIterations);
    boolean matches = MessageDigest.isEqual(expected, actual);
    Arrays.fill(actual, (byte) 0);
    return new Check(matches, matches && storedIterations < iterations);
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }

  @Override
  public String toString() {
    return "PasswordHasher[" + ID + ", " + iterations + " iterations]";
  }
}
