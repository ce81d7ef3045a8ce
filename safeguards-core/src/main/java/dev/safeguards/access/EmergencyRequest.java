package dev.safeguards.access;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A request to open an emergency grant (164.312(a)(2)(ii)): which resource (or all of the configured type), why, for
 * what purpose, for how long, and from where.
 *
 * @param resourceId the one resource to open, or empty for every resource of the type; checked as an identifier (1
 *     to 256 visible ASCII characters) when the grant is opened
 * @param reason why, in the requester's words, as {@link #reason} keeps it; mandatory, kept in the audit log only
 * @param purposeOfUse an emergency code of the HL7 PurposeOfUse value set: {@code ETREAT} (emergency treatment, the
 *     default), {@code BTG} (break the glass) or {@code ERTREAT} (emergency research treatment)
 * @param duration how long, or empty for the configured default
 * @param sourceAddress the requester's network address, for the audit log; empty if not known
 */
public record EmergencyRequest(Optional<String> resourceId, String reason, String purposeOfUse,
    Optional<Duration> duration, Optional<String> sourceAddress) {

  /** The HL7 PurposeOfUse codes an emergency grant may give. */
  public static final Set<String> EMERGENCY_PURPOSES = Set.of("ETREAT", "BTG", "ERTREAT");

  /**
   * Checks the parts, and normalises the reason.
   *
   * @param resourceId the one resource; empty for every resource of the type, not null
   * @param reason why; not null
   * @param purposeOfUse {@code ETREAT}, {@code BTG} or {@code ERTREAT}; not null
   * @param duration how long; empty for the configured default, not null
   * @param sourceAddress the requester's address; empty if not known, not null
   * @throws NullPointerException if a part other than {@code reason} is null
   * @throws IllegalArgumentException if the reason is null or is not one a reviewer can read ({@link #reason}:
   *     normalised, then refused with control or format characters, under {@value #MIN_REASON_LETTERS} letters and
   *     digits or over {@value #MAX_REASON} characters), the purpose is not an emergency purpose, or the duration is
   *     not positive
   */
  public EmergencyRequest {
    Objects.requireNonNull(resourceId, "resourceId");
    reason = reason(reason);
    if (!EMERGENCY_PURPOSES.contains(Objects.requireNonNull(purposeOfUse, "purposeOfUse"))) {
      throw new IllegalArgumentException("an emergency purpose of use is one of " + EMERGENCY_PURPOSES);
    }
    Objects.requireNonNull(duration, "duration");
    duration.ifPresent(d -> {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("an emergency grant lasts a positive time");
      }
    });
    Objects.requireNonNull(sourceAddress, "sourceAddress");
  }

  /** The fewest letters and digits a reason holds: it must say something a reviewer can read. */
  public static final int MIN_REASON_LETTERS = 10;
  /** The longest reason, in characters after normalisation: longer ones are refused, never cut. */
  public static final int MAX_REASON = 1000;

  /**
   * The reason as it is kept: Unicode NFC, every run of white space (line breaks and tabs included) one space, no
   * space around it.
   *
   * @throws IllegalArgumentException if it holds a control character other than white space, a format character
   *     (zero-width, bidirectional controls), a private-use, unassigned or unpaired surrogate character, fewer than
   *     {@value #MIN_REASON_LETTERS} letters and digits, or more than {@value #MAX_REASON} characters; the message
   *     never repeats the reason
   */
  static String reason(String reason) {
    if (reason == null) {
      throw new IllegalArgumentException("an emergency access needs a reason");
    }
    String nfc = java.text.Normalizer.normalize(reason, java.text.Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(nfc.length());
    int letters = 0;
    boolean space = false;
    for (int i = 0; i < nfc.length(); ) {
      int c = nfc.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        space = out.length() > 0;
        continue;
      }
      switch (Character.getType(c)) {
        case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE ->
            throw new IllegalArgumentException("an emergency reason holds no control or invisible characters");
        default -> { }
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.appendCodePoint(c);
      if (Character.isLetterOrDigit(c)) {
        letters++;
      }
    }
    if (letters < MIN_REASON_LETTERS) {
      throw new IllegalArgumentException("an emergency reason says why in at least " + MIN_REASON_LETTERS
          + " letters or digits");
    }
    if (out.length() > MAX_REASON) {
      throw new IllegalArgumentException("an emergency reason is at most " + MAX_REASON + " characters");
    }
    return out.toString();
  }

  /**
   * Emergency treatment ({@code ETREAT}) of one resource, for the default duration.
   *
   * @param resourceId the resource's id; not null
   * @param reason why, in the requester's words
   * @return the request
   * @throws IllegalArgumentException if the reason is not one a reviewer can read
   * @throws NullPointerException if {@code resourceId} is null
   */
  public static EmergencyRequest forResource(String resourceId, String reason) {
    return new EmergencyRequest(Optional.of(resourceId), reason, "ETREAT", Optional.empty(), Optional.empty());
  }

  /**
   * Emergency treatment ({@code ETREAT}) of every resource of the configured type, for the default duration.
   *
   * @param reason why, in the requester's words
   * @return the request
   * @throws IllegalArgumentException if the reason is not one a reviewer can read
   */
  public static EmergencyRequest forAll(String reason) {
    return new EmergencyRequest(Optional.empty(), reason, "ETREAT", Optional.empty(), Optional.empty());
  }

  /**
   * This request, for {@code value}.
   *
   * @param value how long the grant lasts; positive, and at most the configured maximum when opened
   * @return a new request; this one is unchanged
   * @throws IllegalArgumentException unless positive
   * @throws NullPointerException if {@code value} is null
   */
  public EmergencyRequest lasting(Duration value) {
    return new EmergencyRequest(resourceId, reason, purposeOfUse, Optional.of(value), sourceAddress);
  }

  /**
   * This request, with HL7 PurposeOfUse {@code code}.
   *
   * @param code one of {@link #EMERGENCY_PURPOSES}
   * @return a new request; this one is unchanged
   * @throws IllegalArgumentException if {@code code} is not an emergency purpose
   * @throws NullPointerException if {@code code} is null
   */
  public EmergencyRequest purpose(String code) {
    return new EmergencyRequest(resourceId, reason, code, duration, sourceAddress);
  }

  /**
   * This request, made from {@code address}.
   *
   * @param address the requester's network address, as the gate established it; not null
   * @return a new request; this one is unchanged
   * @throws NullPointerException if {@code address} is null
   */
  public EmergencyRequest from(String address) {
    return new EmergencyRequest(resourceId, reason, purposeOfUse, duration, Optional.of(address));
  }
}
