/**
 * Integrity of ePHI at rest and on the wire (164.312(c)(2), (e)(2)(i)): signed records with a version chain
 * ({@link dev.safeguards.integrity.RecordSigner}, {@link dev.safeguards.integrity.RecordVerifier}), RFC 9530 digest
 * fields ({@link dev.safeguards.integrity.DigestFields}) and RFC 9421 HTTP Message Signatures
 * ({@link dev.safeguards.integrity.HttpMessageSigner}, {@link dev.safeguards.integrity.HttpMessageVerifier}). See
 * docs/integrity.md.
 */
package dev.safeguards.integrity;
