/**
 * Space freeing (guide ch. 9.9.2): {@link au.com.backup247.agent.prune.Pruner} applies a retention
 * plan to a repository — removes versions, deletes and repacks blocks — in the crash-safe order of
 * FORMAT.md §10, refusing to act on listings it cannot trust (TEST-MATRIX R12).
 */
package au.com.backup247.agent.prune;
