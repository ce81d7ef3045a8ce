/** Implementation details shared by the safeguards (durable file writes, unambiguous encodings). Not API. */
package dev.safeguards.internal;
