/**
 * One backup job's stages and their state, independent of how they are driven: the walk merged with
 * each destination's previous state, file reading and chunking, packing blobs into blocks, the
 * index window and the commit; plus filters, data validation, the job log and statistics. The
 * {@code pipeline} package drives these stages as verticles, for the agent and the CLI alike.
 */
package au.com.backup247.agent.backup;
