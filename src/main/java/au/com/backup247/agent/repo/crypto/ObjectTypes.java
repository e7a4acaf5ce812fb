package au.com.backup247.agent.repo.crypto;

/**
 * Object type ids (FORMAT.md §1); never reused. The sealer binds the type into every sealed object,
 * so the ids live beside it; the pack, index and recovery formats all use them.
 */
public final class ObjectTypes {
  private ObjectTypes() {
  }

  public static final int DATA = 1;
  public static final int FILE = 2;
  public static final int JOB = 3;
  public static final int BLOCK_HEADER = 4;
  public static final int INDEX = 5;
  public static final int MANIFEST = 6;
  /** A set's key sealed to a recovery public key ({@code recovery/*.rcv}; not sealed with the repository key). */
  public static final int RECOVERY = 7;

  public static String name(int type) {
    return switch (type) {
      case DATA -> "data";
      case FILE -> "file";
      case JOB -> "job";
      case BLOCK_HEADER -> "block header";
      case INDEX -> "index";
      case MANIFEST -> "manifest";
      case RECOVERY -> "recovery";
      default -> "type " + type;
    };
  }
}
