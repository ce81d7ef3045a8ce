/**
 * Automatic logoff (164.312(a)(2)(iii)): idle and absolute timeouts, logout and revocation for stateless tokens,
 * tracked server-side by session id. See docs/authentication.md.
 */
package dev.safeguards.session;
