/**
 * Jakarta RESTful Web Services adapter: a {@code Feature} that registers request and response filters which translate
 * each exchange to the neutral types of {@code dev.safeguards.http} and delegate every decision to the gate in
 * safeguards-core.
 *
 * <p>The adapter holds no security logic of its own. The container API ({@code jakarta.ws.rs-api} 3.1) is a
 * {@code provided} dependency.
 */
package dev.safeguards.jaxrs;
