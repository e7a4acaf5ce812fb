/**
 * A destination on an SFTP server (Apache MINA SSHD client), with its config and error mapping.
 * Invariant: a server's host key is checked against known hosts or a pinned fingerprint before any
 * login; puts go to a temporary name and are renamed over the final one.
 */
package au.com.backup247.agent.repo.store.sftp;
