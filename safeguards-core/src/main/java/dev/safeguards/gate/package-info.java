/**
 * The request gate (45 CFR 164.312(a)-(e)): {@link dev.safeguards.gate.Gate} runs every safeguard for one request as
 * a line of steps (transport, audit availability, request line, route, authentication and session, authorization,
 * body, signature) and tells the adapter the {@link dev.safeguards.gate.Outcome}: go on, or answer with an audited
 * response. Routes ({@link dev.safeguards.gate.Route}, {@link dev.safeguards.gate.Routes}) say what each endpoint
 * requires; an adapter hands a request in as a {@link dev.safeguards.gate.GateRequest}.
 */
package dev.safeguards.gate;
