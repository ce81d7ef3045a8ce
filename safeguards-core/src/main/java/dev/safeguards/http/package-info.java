/**
 * The neutral view of an HTTP exchange that every safeguard works on, whatever container carries it: requests
 * ({@link dev.safeguards.http.HttpRequestView}) and responses ({@link dev.safeguards.http.HttpResponseView}) with
 * their header fields. Adapters supply these views over their container's types.
 */
package dev.safeguards.http;
