package au.com.backup247.agent.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Trusted-device cookies (OWASP "device cookies", docs/SECURITY.md §4): after a successful login the
 * browser gets {@code b247_device = <userId>.<deviceId>.<mac>}, the MAC an HMAC-SHA-256 under a key
 * derived from the agent's secret. Login attempts that carry a valid one for the account are counted
 * apart from everyone else's, so an attacker hammering an account cannot lock out the browsers its
 * owner already uses. Nothing is stored: a device is untrusted again after 10 failures.
 */
final class DeviceCookies {
  static final String NAME = "b247_device";
  /** One year. */
  static final long MAX_AGE_S = 365L * 86_400;
  private final byte[] key;

  /** A device named in a valid cookie. */
  record Device(long userId, String id) {
    String throttleKey() {
      return "device:" + id;
    }
  }

  DeviceCookies(byte[] key) {
    this.key = key.clone();
  }

  String issue(long userId) {
    String body = userId + "." + Tokens.newId(16);
    return body + "." + mac(body);
  }

  /** The device of a cookie whose MAC is right, if any. */
  Optional<Device> parse(String cookie) {
    if (cookie == null || cookie.length() > 200) {
      return Optional.empty();
    }
    int last = cookie.lastIndexOf('.');
    int first = cookie.indexOf('.');
    if (first <= 0 || last <= first) {
      return Optional.empty();
    }
    String body = cookie.substring(0, last);
    if (!MessageDigest.isEqual(mac(body).getBytes(StandardCharsets.US_ASCII),
        cookie.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Device(Long.parseLong(cookie.substring(0, first)), cookie.substring(first + 1, last)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private String mac(String body) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
