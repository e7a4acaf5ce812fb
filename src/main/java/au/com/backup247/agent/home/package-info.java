/**
 * The agent home ({@code ~/.b247} or {@code $B247_HOME}): its layout, the single-instance lock, and
 * owner-only files and folders (the agent refuses a home readable by others).
 */
package au.com.backup247.agent.home;
