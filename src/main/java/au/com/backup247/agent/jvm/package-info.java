/**
 * Settings of the running Java virtual machine that the program changes for speed, never for
 * results: what the just-in-time compilers compile ({@link CompilerDirectives}).
 *
 * <p>Invariants:
 * <ul>
 *   <li>Nothing here changes what the program computes: a JVM that refuses a setting runs as before.</li>
 *   <li>Nothing here depends on the program's other packages.</li>
 * </ul>
 */
package au.com.backup247.agent.jvm;
