/**
 * The agent's Information page (guide ch. 9.3) and health: the system facts, the API's address and
 * certificate fingerprint, and whether the catalog answers.
 */
package au.com.backup247.agent.system;
