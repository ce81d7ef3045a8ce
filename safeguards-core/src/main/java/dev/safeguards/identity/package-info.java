/**
 * Unique user identification (164.312(a)(2)(i)): every action traces back to one person through a {@link
 * dev.safeguards.identity.UserId}.
 */
package dev.safeguards.identity;
