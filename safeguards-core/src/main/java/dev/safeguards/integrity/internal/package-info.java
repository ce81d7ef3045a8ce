/** Implementation details of the integrity safeguards (structured fields, JSON canonicalization). Not API. */
package dev.safeguards.integrity.internal;
