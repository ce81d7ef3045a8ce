/**
 * Implementation details shared by the safeguards (durable file writes, unambiguous encodings, identifier checks).
 * Not API: public only so that the other packages and modules of Safeguards can use them; they may change or go away
 * in any release without notice.
 */
package dev.safeguards.internal;
