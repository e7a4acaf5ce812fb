/**
 * The catalog: the agent's own state, behind {@link au.com.backup247.agent.catalog.Catalog}.
 * Invariants: one writer connection; schema changes only through numbered migrations; long
 * listings are keyset-paginated; nothing here holds repository data (that lives at destinations).
 */
package au.com.backup247.agent.catalog;
