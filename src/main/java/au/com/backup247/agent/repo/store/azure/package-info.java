/**
 * A destination in an Azure Blob Storage container (Azure SDK), with its config and error mapping.
 * Invariant: a block blob is visible only once its block list is committed.
 */
package au.com.backup247.agent.repo.store.azure;
