/**
 * PHI redaction for text that leaves the system's trusted stores, such as log lines and error bodies (164.312(b),
 * 164.514): {@link dev.safeguards.redact.PhiRedactor} masks common PHI shapes in free text; structured documents are
 * redacted by their field classification ({@link dev.safeguards.access.FieldClassification#redact}).
 */
package dev.safeguards.redact;
