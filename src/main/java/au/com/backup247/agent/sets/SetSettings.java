package au.com.backup247.agent.sets;

import au.com.backup247.agent.bandwidth.BandwidthControl;
import au.com.backup247.agent.retention.RetentionPolicy;
import au.com.backup247.agent.schedule.Schedule;
import java.util.List;
import java.util.Objects;

/**
 * Every setting of a backup set (guide ch. 9.5), as the user edits them. Immutable; decoded and
 * checked by {@link SetJson}, which collects every field error at once.
 *
 * @param name General: unique among sets, ignoring case
 * @param owner General: the machine or user the set belongs to
 * @param source what is backed up
 * @param scheduleEnabled "Run scheduled backup for this backup set"
 * @param schedules the backup schedules
 * @param destinations where it is backed up
 * @param deduplication the deduplication settings
 * @param retention how long superseded and deleted versions are kept
 * @param preBackupCommands run before a backup, in order
 * @param postBackupCommands run after a backup, in order
 * @param bandwidth bandwidth control
 * @param others temporary directory, follow links, compression
 * @param encryption fixed at creation
 */
public record SetSettings(String name, String owner, Source source, boolean scheduleEnabled,
    List<Schedule> schedules, Destinations destinations, Deduplication deduplication, RetentionPolicy retention,
    List<CommandSpec> preBackupCommands, List<CommandSpec> postBackupCommands, BandwidthControl bandwidth,
    Others others, Encryption encryption) {

  public SetSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(source, "source");
    schedules = List.copyOf(schedules);
    Objects.requireNonNull(destinations, "destinations");
    Objects.requireNonNull(deduplication, "deduplication");
    Objects.requireNonNull(retention, "retention");
    preBackupCommands = List.copyOf(preBackupCommands);
    postBackupCommands = List.copyOf(postBackupCommands);
    Objects.requireNonNull(bandwidth, "bandwidth");
    Objects.requireNonNull(others, "others");
    Objects.requireNonNull(encryption, "encryption");
  }

  /** The same settings under another name. */
  public SetSettings withName(String newName) {
    return new SetSettings(newName, owner, source, scheduleEnabled, schedules, destinations, deduplication,
        retention, preBackupCommands, postBackupCommands, bandwidth, others, encryption);
  }
}
