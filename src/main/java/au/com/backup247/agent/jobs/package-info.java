/**
 * Backup jobs in the agent: runs a set's backup (commands, repositories, pipeline) and writes one
 * report per destination. Invariants: at most one backup per set at a time; a report is "In
 * progress" only while its backup runs in this agent (a restart marks leftovers "Backup not yet
 * finished"); a cancelled destination commits nothing.
 */
package au.com.backup247.agent.jobs;
