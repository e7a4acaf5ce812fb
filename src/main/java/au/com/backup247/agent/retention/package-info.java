/**
 * Retention (guide ch. "Retention Policy"): which superseded or deleted file versions in the
 * Retention Area are kept and which are removed. {@link au.com.backup247.agent.retention.RetentionPlanner}
 * is a pure function of (versions of one path, job times, policy, now, zone) to a
 * {@link au.com.backup247.agent.retention.Plan} with a reason for every decision.
 *
 * <p>Invariants: the current version (not superseded) is never removed; with a simple policy a
 * version inside the window (N days or N jobs) is never removed; calendar reasoning uses only the
 * zone passed in. The retention service applies the plan; nothing here deletes anything.
 */
package au.com.backup247.agent.retention;
