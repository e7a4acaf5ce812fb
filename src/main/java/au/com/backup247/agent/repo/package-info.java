/**
 * The repository format (chunking, crypto, compression, packing, index): plain Java with no Vert.x
 * imports, so the offline CLI and the agent share one implementation. Enforced by
 * {@code ArchitectureTest}. Specified byte by byte in {@code docs/FORMAT.md}.
 */
package au.com.backup247.agent.repo;
