package au.com.backup247.agent.backup;

/** Deduplication scope (guide ch. 9.5): all files of the set, the same path only, or off. */
public enum DedupScope { ALL, SAME_PATH, OFF }
