package au.com.backup247.agent.repo.store.s3;

import au.com.backup247.agent.repo.store.HostNotFound;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.StoreException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An {@link S3Store}'s reading of the SDK's failures as the contract's errors: 403
 * ({@code AccessDenied}, {@code InvalidAccessKeyId}, {@code SignatureDoesNotMatch}, …) → permanent;
 * {@code NoSuchKey} → {@link NoSuchObjectException}; {@code NoSuchBucket} and other 404s →
 * permanent; {@code RequestTimeTooSkewed} → permanent (fix the clock); 5xx, 429, {@code SlowDown},
 * throttling, {@code RequestTimeout}, {@code BadDigest} and {@code XAmzContentSHA256Mismatch} (a body
 * damaged in transit), timeouts and I/O failures → transient; a proxy's 407 → permanent, naming
 * the proxy. Messages name the bucket, prefix and endpoint, never the keys.
 */
record S3Errors(String name, S3Store.Config config) {

  /** Maps an SDK failure to the contract's errors. */
  StoreException error(String op, String path, Throwable e) {
    String what = StoreException.cannot(op, path, name);
    if (e instanceof StoreException se) {
      return se;
    }
    if (e instanceof AwsServiceException s) {
      int status = s.statusCode();
      String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      String c = code == null ? "" : code;
      String m = " (HTTP " + status + (code == null ? "" : " " + code) + ")";
      if (status == 407 && config.proxy() != null) {
        return StoreException.permanent(what + ": " + config.proxy().loginRefused(), e);
      }
      if (c.equals("NoSuchKey") || status == 404 && c.isEmpty() && !op.equals("list")) {
        return new NoSuchObjectException(what + ": no such object" + m, e);
      }
      if (c.equals("NoSuchBucket")) {
        return StoreException.permanent(what + ": bucket " + config.bucket() + " does not exist" + m, e);
      }
      if (c.equals("InvalidAccessKeyId") || c.equals("SignatureDoesNotMatch")) {
        return StoreException.permanent(what + ": the access key " + config.maskedAccessKey() + " or its secret key is"
            + " wrong" + m, e);
      }
      if (c.equals("RequestTimeTooSkewed")) {
        return StoreException.permanent(what + ": this computer's clock is too far off the server's" + m, e);
      }
      if (c.equals("InvalidRange") || status == 416) {
        return StoreException.permanent(what + ": the range is beyond the end of the object" + m, e);
      }
      if (status == 403) {
        return StoreException.permanent(what + ": access denied for access key " + config.maskedAccessKey() + m, e);
      }
      if (status >= 500 || status == 429 || status == 408 || c.equals("SlowDown") || c.equals("RequestTimeout")
          || c.equals("BadDigest") || c.equals("XAmzContentSHA256Mismatch") || c.contains("Throttl")
          || c.equals("OperationAborted") || c.equals("InternalError") || s.isThrottlingException()) {
        return StoreException.transientError(what + ": the server is busy or failed" + m, e);
      }
      if (c.equals("EntityTooLarge") || c.equals("QuotaExceeded") || c.equals("XMinioStorageFull")) {
        return StoreException.permanent(what + ": no space or quota exceeded" + m, e);
      }
      return StoreException.permanent(what + ": " + describe(s) + m, e);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return StoreException.transientError(what + ": timed out", e);
    }
    if (e instanceof AbortedException) {
      return StoreException.permanent(what + ": interrupted", e);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof SocketTimeoutException) {
      return StoreException.transientError(what + ": timed out after " + config.ioTimeout().toSeconds() + " s", e);
    }
    if (config.proxy() != null && root.getClass().getSimpleName().equals("TunnelRefusedException")) {
      // CONNECT (https:// endpoint) answered with something other than 200
      String rm = String.valueOf(root.getMessage());
      if (rm.contains("407")) {
        return StoreException.permanent(what + ": " + config.proxy().loginRefused(), e);
      }
      return StoreException.transientError(what + ": the HTTP proxy " + config.proxy().url() + " refused the tunnel: "
          + rm, e);
    }
    if (root instanceof ConnectException) {
      return StoreException.transientError(what + ": " + (config.proxy() != null ? "cannot connect to the HTTP proxy "
          + config.proxy().url() + ": " : "") + "connection refused", e);
    }
    if (root instanceof java.net.UnknownHostException && config.proxy() != null
        && String.valueOf(root.getMessage()).contains(config.proxy().host())) {
      return StoreException.permanent(what + ": the HTTP proxy's host " + config.proxy().host() + " is unknown", e);
    }
    StoreException unknown = HostNotFound.error(what, config.endpoint() == null ? config.bucket() + ".s3."
        + config.region() + ".amazonaws.com" : config.endpoint().getHost(), e);
    if (unknown != null) {
      return unknown;
    }
    return StoreException.transientError(what + ": " + describe(e), e);
  }

  private static String describe(Throwable e) {
    String m = e instanceof AwsServiceException s && s.awsErrorDetails() != null
        ? s.awsErrorDetails().errorMessage() : e.getMessage();
    if (e instanceof SdkClientException && e.getCause() != null) {
      m = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** Runs {@code call} (operation {@code op} on {@code path}, as errors name it), mapping an SDK failure. */
  <T> T call(String op, String path, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException | UncheckedIOException e) {
      throw error(op, path, e);
    }
  }
}
