/**
 * The agent's Prometheus metrics ({@code GET /metrics}): one Micrometer registry per node, fed by
 * Vert.x (HTTP server, JVM), by the jobs' progress events and by the pipeline's credit flows. Nothing
 * in here is called per chunk or per file: counters follow events, gauges are read when scraped.
 * Labels name sets by id and destinations by name, never a path, URL, set name or account.
 */
package au.com.backup247.agent.metrics;
