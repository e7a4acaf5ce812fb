/**
 * Emailed backup reports (guide ch. 9.6): {@link au.com.backup247.agent.reports.ReportMailer} builds
 * the message of one finished backup report, {@link au.com.backup247.agent.reports.ReportsVerticle}
 * sends it over SMTP to the contacts in the profile of the set's owner (the admins' for the admins' sets)
 * and to those still in agent.json. A failing mail server never affects a backup.
 */
package au.com.backup247.agent.reports;
