/**
 * Logging set-up: warnings to stderr for CLI commands (programmatic, no XML parsing at start) and the
 * running agent's rotating {@code logs/agent.log} with job, set and destination context. Secrets
 * never reach a log line.
 */
package au.com.backup247.agent.logging;
