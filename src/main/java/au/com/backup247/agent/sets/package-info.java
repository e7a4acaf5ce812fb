/**
 * Backup sets (guide ch. 9.5, 10): the model of every setting, its JSON form with field-level
 * validation, the service that stores sets in the catalog and their keys in {@code keys/}, and the
 * verticle that binds it to {@code b247.sets.*}.
 *
 * <p>Invariants: a set is never half-saved (key file first, then one catalog transaction, key file
 * removed again when the row is refused); a key never appears in the catalog, a log line or an
 * error message, and leaves the agent only in the create reply and on an explicit unmask; the
 * encryption settings never change after creation; names are unique ignoring case; ids only grow.
 * A set's destinations log in only with the credentials stored for that set
 * ({@code credentials/<setId>/}, 0600), which leave the agent never.
 */
package au.com.backup247.agent.sets;
