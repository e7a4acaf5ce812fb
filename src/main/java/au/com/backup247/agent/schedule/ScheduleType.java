package au.com.backup247.agent.schedule;

/**
 * The four schedule types of the guide. {@code DAILY} and {@code WEEKLY} may start "at" a time or
 * "every" period; {@code MONTHLY} and {@code CUSTOM} start only "at" a time (the guide's Monthly
 * dialog reads "Start backup at .. on the selected days", Custom "Start backup at").
 */
enum ScheduleType {
  DAILY, WEEKLY, MONTHLY, CUSTOM;

  /** Whether a periodic ("every") start is allowed for this type. */
  public boolean allowsPeriodic() {
    return this == DAILY || this == WEEKLY;
  }
}
