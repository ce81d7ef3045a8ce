/**
 * Access control (164.312(a)(1)), the emergency access procedure (164.312(a)(2)(ii)) and minimum necessary
 * (164.502(b), 164.514(d)): role- and resource-based decisions that deny by default and name the rule that decided
 * ({@link dev.safeguards.access.AccessPolicy}, {@link dev.safeguards.access.AccessRules}); audited, alerted,
 * time-limited break-glass grants ({@link dev.safeguards.access.EmergencyAccess}); and a field classification that
 * removes what a role may not see ({@link dev.safeguards.access.FieldClassification},
 * {@link dev.safeguards.access.MinimumNecessary}).
 */
package dev.safeguards.access;
