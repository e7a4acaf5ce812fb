/**
 * The {@code b247} command line (picocli): commands that talk to a running agent through its API
 * (with the local token file or a login) and the offline {@code repo ...} commands that work on a
 * repository directly for disaster recovery. Commands parse and print; the work is done by the
 * services and the repository code they call.
 */
package au.com.backup247.agent.cli;
