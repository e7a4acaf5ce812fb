/**
 * Emailed backup reports (guide ch. 9.6): {@link au.com.backup247.agent.reports.ReportMailer} builds
 * the message of one finished backup report, {@link au.com.backup247.agent.reports.ReportsVerticle}
 * sends it to the contacts of agent.json over SMTP. A failing mail server never affects a backup.
 */
package au.com.backup247.agent.reports;
