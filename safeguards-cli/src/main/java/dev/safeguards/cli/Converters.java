package dev.safeguards.cli;

import dev.safeguards.audit.AuditAction;
import dev.safeguards.audit.AuditOutcome;
import dev.safeguards.crypto.KeyPurpose;
import dev.safeguards.identity.UserId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters of option values to core types. A value that does not convert is an input problem (exit status 3); the
 * message says what was expected.
 */
final class Converters {

  private Converters() {}

  /** A {@link KeyPurpose} by its file name, e.g. {@code record-signing-ed25519}. */
  static final class Purpose implements ITypeConverter<KeyPurpose> {
    @Override
    public KeyPurpose convert(String value) {
      try {
        return Keysets.purpose(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A {@link UserId}: a 36-character UUID. */
  static final class User implements ITypeConverter<UserId> {
    @Override
    public UserId convert(String value) {
      try {
        return UserId.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not a user id: " + e.getMessage());
      }
    }
  }

  /** An ISO-8601 instant in UTC, e.g. {@code 2026-11-23T00:00:00Z}. */
  static final class Time implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 instant such as 2026-11-23T00:00:00Z");
      }
    }
  }

  /** An audit action by its code, e.g. {@code read} or {@code emergency-access}. */
  static final class Action implements ITypeConverter<AuditAction> {
    @Override
    public AuditAction convert(String value) {
      try {
        return AuditAction.fromCode(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not an audit action (one of: "
            + Arrays.stream(AuditAction.values()).map(AuditAction::code).collect(Collectors.joining(", ")) + ")");
      }
    }
  }

  /** An audit outcome by its code, e.g. {@code success} or {@code minor-failure}. */
  static final class Outcome implements ITypeConverter<AuditOutcome> {
    @Override
    public AuditOutcome convert(String value) {
      try {
        return AuditOutcome.fromCode(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not an audit outcome (one of: "
            + Arrays.stream(AuditOutcome.values()).map(AuditOutcome::code).collect(Collectors.joining(", ")) + ")");
      }
    }
  }
}
