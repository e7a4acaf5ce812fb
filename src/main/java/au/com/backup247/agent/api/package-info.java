/**
 * The HTTP side of the agent: the REST API under {@code /api/v1} (described in {@code openapi.json}),
 * the web console's files, server-sent event streams, {@code /metrics}, TLS and the request guards.
 * Routes stay thin: they authenticate, check their input and ask the owning service on the event bus,
 * then map its reply or coded failure to HTTP. No business logic lives here.
 */
package au.com.backup247.agent.api;
