/**
 * The scheduler: drives {@code schedule.ScheduleEvaluator} with an injected clock and starts
 * backups through the jobs service. Invariant: a firing is acted on at most once (the evaluated
 * time is stored before acting), and firings the agent was down for are reported "Missed", never run.
 */
package au.com.backup247.agent.scheduler;
