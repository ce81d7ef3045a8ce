/**
 * The neutral HTTP message types every safeguard works on, whatever container carries them: header fields ({@link
 * dev.safeguards.http.HttpFields}), requests and responses as views ({@link dev.safeguards.http.HttpRequestView},
 * {@link dev.safeguards.http.HttpResponseView}) and RFC 9457 problems ({@link dev.safeguards.http.Problem}). This
 * package depends on no other package of the library.
 */
package dev.safeguards.http;
