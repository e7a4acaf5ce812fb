/**
 * Backup schedules (guide ch. 9.5 "Backup Schedule"): an immutable model, its validation with
 * field-level errors, a JSON codec, and {@link au.com.backup247.agent.schedule.ScheduleEvaluator},
 * a pure function from (schedules, zone, time window) to the firings that are due or missed.
 *
 * <p>Invariants: nothing here reads a clock, starts a thread or touches Vert.x beyond
 * {@code JsonObject}; all wall-clock reasoning happens in the {@code ZoneId} passed in; a schedule
 * fires at most once per wall-clock slot (no double runs in a daylight-saving overlap, no lost run
 * in a gap). The scheduler verticle that drives this owns the clock and the persistence of
 * "last evaluated".
 */
package au.com.backup247.agent.schedule;
