package au.com.backup247.agent.backup;

/** The outcome of a backup job at one destination ({@code error} is null when {@code ok}). */
public record BackupResult(String destination, String jobId, boolean ok, String error, JobStats stats) {
}
