package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.error.CorruptDataException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plain {@code key=value} text used by {@code config}, manifests and locks: UTF-8, one pair per
 * line, keys sorted, values without newlines. Canonical, so it can be MACed.
 */
public final class Props {
  private final TreeMap<String, String> map = new TreeMap<>();

  public Props put(String key, Object value) {
    String v = String.valueOf(value);
    if (key.contains("=") || key.contains("\n") || v.contains("\n")) {
      throw new IllegalArgumentException("bad property " + key);
    }
    map.put(key, v);
    return this;
  }

  public Props remove(String key) {
    map.remove(key);
    return this;
  }

  /** A copy that can be changed without touching this one. */
  public Props copy() {
    Props p = new Props();
    p.map.putAll(map);
    return p;
  }

  public String get(String key) {
    return map.get(key);
  }

  public Map<String, String> asMap() {
    return java.util.Collections.unmodifiableMap(map);
  }

  /** The value, or an error naming the key and {@code where}. */
  public String require(String key, String where) {
    String v = map.get(key);
    if (v == null) {
      throw new CorruptDataException(where + ": missing " + key);
    }
    return v;
  }

  public long requireLong(String key, String where) {
    try {
      return Long.parseLong(require(key, where));
    } catch (NumberFormatException e) {
      throw new CorruptDataException(where + ": " + key + " is not a number");
    }
  }

  public String text(String... except) {
    StringBuilder sb = new StringBuilder();
    outer:
    for (Map.Entry<String, String> e : map.entrySet()) {
      for (String x : except) {
        if (x.equals(e.getKey())) {
          continue outer;
        }
      }
      sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    return sb.toString();
  }

  public byte[] bytes() {
    return text().getBytes(StandardCharsets.UTF_8);
  }

  public static Props parse(String text, String where) {
    Props p = new Props();
    int line = 0;
    for (String l : text.split("\n")) {
      line++;
      if (l.isEmpty()) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new CorruptDataException(where + ": line " + line + " is not key=value");
      }
      p.map.put(l.substring(0, eq), l.substring(eq + 1));
    }
    return p;
  }
}
