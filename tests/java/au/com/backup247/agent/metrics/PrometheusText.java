package au.com.backup247.agent.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of the Prometheus text exposition format 0.0.4, strict enough to fail on a malformed
 * line: {@code # TYPE name type} lines, then samples {@code name{label="value",...} value [timestamp]}
 * with label values escaped ({@code \\ \" \n}). Every sample must belong to a declared family.
 */
final class PrometheusText {
  record Sample(String name, Map<String, String> labels, double value) {
  }

  final List<Sample> samples = new ArrayList<>();
  final Map<String, String> types = new HashMap<>();

  static PrometheusText parse(String text) {
    PrometheusText p = new PrometheusText();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("# HELP ")) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] f = line.substring(7).split(" ");
        if (f.length != 2) {
          throw new IllegalArgumentException("bad TYPE line: " + line);
        }
        p.types.put(f[0], f[1]);
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      p.samples.add(p.sample(line));
    }
    return p;
  }

  private Sample sample(String line) {
    int i = 0;
    while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_'
        || line.charAt(i) == ':')) {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      throw new IllegalArgumentException("bad metric name: " + line);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf("=\"", i);
        String key = line.substring(i, eq);
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            value.append(n == 'n' ? '\n' : n);
          } else {
            value.append(c);
          }
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = line.substring(i).trim().split(" ");
    if (rest.length < 1 || rest.length > 2) {
      throw new IllegalArgumentException("bad sample: " + line);
    }
    if (family(name) == null) {
      throw new IllegalArgumentException("sample of no declared family: " + line);
    }
    return new Sample(name, labels, value(rest[0]));
  }

  private static double value(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  /** The declared family of a sample name ({@code x_count} belongs to summary {@code x}, ...). */
  String family(String name) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : new String[] {"_total", "_count", "_sum", "_bucket", "_max", "_created"}) {
      if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return null;
  }

  /** The samples named {@code name} whose labels include {@code labels} (name, value, ...). */
  List<Sample> find(String name, String... labels) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      boolean match = s.name().equals(name);
      for (int k = 0; match && k + 1 < labels.length; k += 2) {
        match = labels[k + 1].equals(s.labels().get(labels[k]));
      }
      if (match) {
        out.add(s);
      }
    }
    return out;
  }

  /** The sum of the samples {@link #find} returns (0 when there are none). */
  double sum(String name, String... labels) {
    return find(name, labels).stream().mapToDouble(Sample::value).sum();
  }
}
