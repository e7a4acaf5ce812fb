package au.com.backup247.agent.bus;

import java.util.Arrays;
import java.util.Optional;

/**
 * The one failure vocabulary of the agent: each coded failure maps to an HTTP status, a CLI exit
 * code and a stable event-bus failure code (carried by {@link io.vertx.core.eventbus.ReplyException}).
 *
 * <p>Bus codes are never reused; add new failures at the end with a new number.
 */
public enum Failure {
  BAD_REQUEST(1, "bad_request", 400, 2),
  NOT_FOUND(2, "not_found", 404, 1),
  METHOD_NOT_ALLOWED(3, "method_not_allowed", 405, 1),
  CONFLICT(4, "conflict", 409, 1),
  PAYLOAD_TOO_LARGE(5, "payload_too_large", 413, 1),
  HEADERS_TOO_LARGE(6, "headers_too_large", 431, 1),
  UNAVAILABLE(7, "unavailable", 503, 1),
  INTERNAL(8, "internal", 500, 1),
  NOT_RUNNING(9, "not_running", 503, 3),
  ALREADY_RUNNING(10, "already_running", 409, 4),
  CONFIG_INVALID(11, "config_invalid", 500, 5),
  PORT_IN_USE(12, "port_in_use", 500, 6),
  TIMEOUT(13, "timeout", 504, 7),
  UNSUPPORTED_MEDIA_TYPE(14, "unsupported_media_type", 415, 1),
  URI_TOO_LONG(15, "uri_too_long", 414, 1),
  /** Settings that break rules; the error carries one entry per bad field ({@link ValidationException}). */
  VALIDATION(16, "validation", 400, 2),
  /** No valid session or token; the API answers 401 and says how to log in. */
  UNAUTHORIZED(17, "unauthorized", 401, 8),
  /** Authenticated, but not allowed to do this; the message names what was refused. */
  FORBIDDEN(18, "forbidden", 403, 8),
  /** Too many attempts; the API answers 429 with {@code Retry-After}. */
  TOO_MANY_REQUESTS(19, "too_many_requests", 429, 1);

  private final int busCode;
  private final String code;
  private final int httpStatus;
  private final int exitCode;

  Failure(int busCode, String code, int httpStatus, int exitCode) {
    this.busCode = busCode;
    this.code = code;
    this.httpStatus = httpStatus;
    this.exitCode = exitCode;
  }

  /** Stable numeric code used as the {@code ReplyException} failure code. */
  public int busCode() {
    return busCode;
  }

  /** Stable string code used in the API error shape. */
  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Exit code of the CLI when a command ends with this failure. */
  public int exitCode() {
    return exitCode;
  }

  public static Optional<Failure> ofBusCode(int busCode) {
    return Arrays.stream(values()).filter(f -> f.busCode == busCode).findFirst();
  }

  public static Optional<Failure> ofHttpStatus(int status) {
    return Arrays.stream(values()).filter(f -> f.httpStatus == status).findFirst();
  }
}
