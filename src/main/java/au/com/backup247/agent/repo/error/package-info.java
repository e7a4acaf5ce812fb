/**
 * The failures of anything that reads or writes a repository: {@link
 * au.com.backup247.agent.repo.error.RepoException} and its kinds (corrupt data, a wrong key; a
 * destination's {@code StoreException} is one too). A package of its own, depending on nothing, so
 * that the format's packages and the destinations all use it without depending on each other.
 */
package au.com.backup247.agent.repo.error;
