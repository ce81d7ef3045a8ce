package dev.safeguards.authn;

import dev.safeguards.authn.AuthenticationException.Reason;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies RFC 6238 time-based one-time passwords (TOTP), the second factor of an application's own login
 * (164.312(d)).
 *
 * <p>Guarantees: codes are compared in constant time; the current step and one step either side are accepted (clock
 * drift of up to one step); each step is accepted at most once per account, and never one older than the last
 * accepted ({@link TotpReplayGuard}), so an observed code cannot be replayed. Thread-safe when the guard is.
 */
public final class TotpVerifier {

  /** The HMAC of RFC 6238: SHA-1 (what most authenticator apps use), SHA-256 or SHA-512. */
  public enum Algorithm {
    /** HMAC-SHA1, with a 20-byte secret. */
    SHA1("HmacSHA1", 20),
    /** HMAC-SHA256, with a 32-byte secret. */
    SHA256("HmacSHA256", 32),
    /** HMAC-SHA512, with a 64-byte secret. */
    SHA512("HmacSHA512", 64);

    private final String jca;
    private final int secretBytes;

    Algorithm(String jca, int secretBytes) {
      this.jca = jca;
      this.secretBytes = secretBytes;
    }

    /**
     * The recommended secret length in bytes (the hash length).
     *
     * @return 20, 32 or 64
     */
    public int secretBytes() {
      return secretBytes;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Algorithm algorithm;
  private final int digits;
  private final Duration step;
  private final TotpReplayGuard guard;
  private final Clock clock;

  private TotpVerifier(Builder b) {
    this.algorithm = b.algorithm;
    this.digits = b.digits;
    this.step = b.step;
    this.guard = b.guard;
    this.clock = b.clock;
  }

  /**
   * Starts configuring a verifier: SHA-1, 6 digits, 30-second steps unless changed.
   *
   * @param guard what remembers the last accepted step of each account; a shared one for several nodes. Not null
   * @return a new builder
   * @throws NullPointerException if {@code guard} is null
   */
  public static Builder builder(TotpReplayGuard guard) {
    return new Builder(guard);
  }

  /**
   * A new random secret of the algorithm's recommended length, to enroll a user. Store it encrypted.
   *
   * @return a new array of {@link Algorithm#secretBytes()} bytes from a CSPRNG; the caller owns it
   */
  public byte[] newSecret() {
    byte[] secret = new byte[algorithm.secretBytes];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /**
   * The {@code otpauth://} URI an authenticator app scans as a QR code, with the secret in base32. It contains the
   * secret: show it once, never log it.
   *
   * @param issuer the application's name as the app shows it, e.g. {@code Example Clinic}; not null
   * @param accountName the user's account name as the app shows it; not null
   * @param secret the user's secret, from {@link #newSecret()}; not modified
   * @return {@code otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=...&digits=...&period=...},
   *     the names percent-encoded
   * @throws NullPointerException if an argument is null
   */
  public String enrollmentUri(String issuer, String accountName, byte[] secret) {
    String label = encode(issuer) + ":" + encode(accountName);
    return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + encode(issuer)
        + "&algorithm=" + algorithm.name() + "&digits=" + digits + "&period=" + step.toSeconds();
  }

  /**
   * Accepts {@code code} for {@code account}, once. Returns normally when the code is accepted.
   *
   * @param account the account the code belongs to, as the replay guard keys it (the message names it); not null
   * @param secret the account's secret; not empty, not modified
   * @param code the code the user typed: exactly the configured number of ASCII digits; null is refused as malformed
   * @throws AuthenticationException ({@code INVALID_CREDENTIALS}) if the code is malformed, wrong, outside the window,
   *     or already used; the message never contains the code
   * @throws NullPointerException if {@code account} or {@code secret} is null
   * @throws IllegalArgumentException if {@code secret} is empty
   * @throws dev.safeguards.StateUnavailableException if a shared replay guard cannot answer
   */
  public void verify(String account, byte[] secret, String code) throws AuthenticationException {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(secret, "secret");
    if (code == null || code.length() != digits || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new AuthenticationException(Reason.INVALID_CREDENTIALS, "one-time code of " + account + " malformed");
    }
    long now = Math.floorDiv(clock.instant().getEpochSecond(), step.toSeconds());
    byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
    long matched = -1;
    for (long s = now - 1; s <= now + 1; s++) {
      // every candidate is computed and compared, so timing does not reveal which step matched
      if (MessageDigest.isEqual(presented, code(secret, s).getBytes(StandardCharsets.US_ASCII)) && matched < 0) {
        matched = s;
      }
    }
    if (matched < 0) {
      throw new AuthenticationException(Reason.INVALID_CREDENTIALS, "one-time code of " + account + " wrong");
    }
    if (!guard.acceptOnce(account, matched)) {
      throw new AuthenticationException(Reason.INVALID_CREDENTIALS, "one-time code of " + account
          + " already used");
    }
  }

  /** The code for time step {@code step} (RFC 4226 HOTP with the step as counter). */
  String code(byte[] secret, long step) {
    try {
      Mac mac = Mac.getInstance(algorithm.jca);
      mac.init(new SecretKeySpec(secret, algorithm.jca));
      byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
      int offset = h[h.length - 1] & 0x0f;
      int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
          | (h[offset + 3] & 0xff);
      int modulus = digits == 6 ? 1_000_000 : 100_000_000;
      return String.format(Locale.ROOT, "%0" + digits + "d", binary % modulus);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has " + algorithm.jca, e);
    }
  }

  /** The code at {@code instant}; for tests and for showing a code to confirm enrollment. */
  String codeAt(byte[] secret, Instant instant) {
    return code(secret, Math.floorDiv(instant.getEpochSecond(), step.toSeconds()));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** RFC 4648 base32 without padding, as authenticator apps expect. */
  static String base32(byte[] bytes) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /** Configures a {@link TotpVerifier}. */
  public static final class Builder {
    private final TotpReplayGuard guard;
    private Algorithm algorithm = Algorithm.SHA1;
    private int digits = 6;
    private Duration step = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();

    private Builder(TotpReplayGuard guard) {
      this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * The HMAC (default SHA-1, which authenticator apps support everywhere).
     *
     * @param algorithm the HMAC; not null
     * @return this builder
     * @throws NullPointerException if {@code algorithm} is null
     */
    public Builder algorithm(Algorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /**
     * The code length (default 6).
     *
     * @param digits 6 or 8
     * @return this builder
     * @throws IllegalArgumentException unless 6 or 8
     */
    public Builder digits(int digits) {
      if (digits != 6 && digits != 8) {
        throw new IllegalArgumentException("TOTP codes have 6 or 8 digits");
      }
      this.digits = digits;
      return this;
    }

    /**
     * The time step (default 30 seconds).
     *
     * @param step 15 to 120 whole seconds
     * @return this builder
     * @throws NullPointerException if {@code step} is null
     * @throws IllegalArgumentException unless 15 to 120 whole seconds
     */
    public Builder step(Duration step) {
      if (step.toSeconds() < 15 || step.toSeconds() > 120 || step.toNanosPart() != 0) {
        throw new IllegalArgumentException("the TOTP step is 15 to 120 whole seconds");
      }
      this.step = step;
      return this;
    }

    /**
     * The clock that tells the current step (default: the system UTC clock).
     *
     * @param clock the clock; not null
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return a new verifier, thread-safe when the guard is
     */
    public TotpVerifier build() {
      return new TotpVerifier(this);
    }
  }
}
