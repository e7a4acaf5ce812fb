/**
 * Content-defined (FastCDC, keyed gear table) and fixed-size chunkers: they only decide where a chunk
 * ends and never copy the data, so the reader controls buffers and memory.
 */
package au.com.backup247.agent.repo.chunk;
