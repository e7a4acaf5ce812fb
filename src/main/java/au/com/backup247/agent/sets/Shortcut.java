package au.com.backup247.agent.sets;

import java.nio.file.Path;

/**
 * The guide's "Quick or Shortcut" sources: folders of the user's home (ch. 9.5 "Source").
 * {@link #HOME} is the whole home folder (the guide's entry named after the user).
 */
public enum Shortcut implements Labeled {
  HOME("home", ""),
  DESKTOP("desktop", "Desktop"),
  DOCUMENTS("documents", "Documents"),
  DOWNLOADS("downloads", "Downloads"),
  PICTURES("pictures", "Pictures"),
  MUSIC("music", "Music"),
  VIDEOS("videos", "Videos"),
  MOVIES("movies", "Movies");

  private final String label;
  private final String folder;

  Shortcut(String label, String folder) {
    this.label = label;
    this.folder = folder;
  }

  @Override
  public String label() {
    return label;
  }

  /** The folder this shortcut selects under {@code home}. */
  public Path resolve(Path home) {
    return folder.isEmpty() ? home : home.resolve(folder);
  }
}
