package au.com.backup247.agent.repo.index;

import java.util.Arrays;

/**
 * One extended attribute of a file or folder (FORMAT.md §5): its full name as the operating system
 * shows it ({@code user.comment} on Linux; {@code com.apple.FinderInfo},
 * {@code com.apple.ResourceFork}, ... on macOS) and its value. Equal by content.
 */
public record ExtendedAttribute(String name, byte[] value) {

  public ExtendedAttribute {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("an extended attribute needs a name");
    }
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  public int length() {
    return value.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtendedAttribute a && a.name.equals(name) && Arrays.equals(a.value, value);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return name + " (" + value.length + " bytes)";
  }
}
