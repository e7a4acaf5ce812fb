/**
 * Backup jobs in the agent: runs a set's backup (commands, repositories, pipeline) and writes one
 * report per destination. Invariants: which jobs of one set may run together is {@code SetRuns}'s
 * rule (at most one backup, one restore, space freeing alone); a report is "In
 * progress" only while its backup runs in this agent (a restart marks leftovers "Backup not yet
 * finished"); a cancelled destination commits nothing.
 */
package au.com.backup247.agent.jobs;
