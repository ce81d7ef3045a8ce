/**
 * Transmission security (164.312(e)(1), (e)(2)(ii)): HTTPS-only with HSTS and trusted-proxy handling ({@link
 * dev.safeguards.transport.TransportPolicy}), the NIST SP 800-52r2 TLS policy ({@link
 * dev.safeguards.transport.TlsPolicy}), and request size limits ({@link dev.safeguards.transport.RequestLimits}).
 */
package dev.safeguards.transport;
