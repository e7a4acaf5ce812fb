/**
 * A destination on an FTP or explicit FTPS server (Apache Commons Net), with its config, its reading
 * of server replies (full disk, quota, TLS session reuse) and the FTPS client that resumes the
 * control connection's TLS session on data connections. Invariant: puts go to a temporary name and
 * are renamed over the final one; a reply that means "no space" is a permanent error.
 */
package au.com.backup247.agent.repo.store.ftp;
