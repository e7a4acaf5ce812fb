/**
 * The data integrity check (guide ch. 11.1): manifests, index and checkpoint parts and blocks of a
 * repository agree, and with data reading every blob authenticates and hashes to its id. Problems
 * name the job, block and blob; nothing here writes to the repository.
 */
package au.com.backup247.agent.integrity;
