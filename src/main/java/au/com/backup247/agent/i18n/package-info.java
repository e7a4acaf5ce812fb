/**
 * The languages of the agent's messages ({@link au.com.backup247.agent.i18n.Messages}): an
 * account's profile language, or for a caller not yet logged in the browser's Accept-Language.
 */
package au.com.backup247.agent.i18n;
