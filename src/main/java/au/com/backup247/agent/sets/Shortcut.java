package au.com.backup247.agent.sets;

import java.nio.file.Path;

/**
 * The guide's "Quick or Shortcut" sources: folders of the user's home (ch. 9.5 "Source").
 * {@link #HOME} is the whole home folder (the guide's entry named after the user).
 */
public enum Shortcut implements Labeled {
  HOME(""),
  DESKTOP("Desktop"),
  DOCUMENTS("Documents"),
  DOWNLOADS("Downloads"),
  PICTURES("Pictures"),
  MUSIC("Music"),
  VIDEOS("Videos"),
  MOVIES("Movies");

  private final String folder;

  Shortcut(String folder) {
    this.folder = folder;
  }

  /** The folder this shortcut selects under {@code home}. */
  public Path resolve(Path home) {
    return folder.isEmpty() ? home : home.resolve(folder);
  }
}
