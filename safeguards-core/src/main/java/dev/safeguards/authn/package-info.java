/**
 * Person or entity authentication (164.312(d)): verification of bearer access tokens against a policy
 * ({@link dev.safeguards.authn.TokenVerifier}, {@link dev.safeguards.authn.TokenPolicy}), keys from JWK sets
 * ({@link dev.safeguards.authn.JwkSource}), issuance of access and refresh tokens for applications that are their own
 * authorization server, revocation, and helpers for an application's own login: password hashing, TOTP and login
 * throttling. See docs/authentication.md.
 */
package dev.safeguards.authn;
