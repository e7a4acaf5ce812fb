/**
 * Restoring file versions from a repository into a target folder: every path re-rooted and checked
 * under the target, written relative to folders opened without following links, the stored metadata
 * given back in an order that keeps each step possible; and the index-free block scan behind
 * "Decrypt Backup Data".
 */
package au.com.backup247.agent.restore;
