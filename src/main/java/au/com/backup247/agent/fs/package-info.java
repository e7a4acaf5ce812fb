/**
 * File system access that a local user cannot redirect while the agent runs as root (TEST-MATRIX
 * S1, S3; issue 11 items 7 and 8): operations on an open file or folder go through its descriptor
 * ({@code /proc/self/fd/N}, {@link au.com.backup247.agent.fs.Fds}) rather than through a path whose
 * folders could be swapped for symlinks in between; a file the scan saw is opened without blocking
 * on a FIFO swapped in and checked to be the same file ({@link au.com.backup247.agent.fs.ScannedOpen});
 * extended attributes are read and written through the JDK's {@code UserDefinedFileAttributeView}
 * ({@link au.com.backup247.agent.fs.Xattrs}); owner, mode and times of an open file are read and set
 * on its descriptor itself, one system call each ({@link au.com.backup247.agent.fs.FdCalls}).
 *
 * <p>Where descriptors are not reachable (no {@code /proc}, as on macOS, or a JVM started without
 * the {@code Add-Opens} of the agent's jar), the same operations fall back to paths with
 * {@code NOFOLLOW_LINKS} on the last name and say so once in the log.
 */
package au.com.backup247.agent.fs;
