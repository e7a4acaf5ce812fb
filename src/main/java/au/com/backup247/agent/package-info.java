/**
 * The agent's entry points: {@link au.com.backup247.agent.AgentMain} starts a node (home lock,
 * {@code agent.json}, {@code verticles.json}, Vert.x and the verticles of its role) and
 * {@link au.com.backup247.agent.Version} names the build. The command line is in {@code cli}.
 */
package au.com.backup247.agent;
