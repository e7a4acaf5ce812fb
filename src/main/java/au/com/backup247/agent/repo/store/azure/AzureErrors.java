package au.com.backup247.agent.repo.store.azure;

import au.com.backup247.agent.repo.store.HostNotFound;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.StoreException;
import com.azure.core.exception.HttpResponseException;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * An {@link AzureStore}'s reading of the SDK's failures as the contract's errors:
 * {@code BlobNotFound} → {@link NoSuchObjectException}; {@code ContainerNotFound}, 403
 * ({@code AuthenticationFailed}, …) and other 4xx → permanent; 407 → permanent, naming the proxy;
 * 5xx, 429, 408, {@code ServerBusy}, {@code OperationTimedOut}, {@code Md5Mismatch},
 * {@code InvalidBlockList}, timeouts and I/O failures → transient. Messages name the account,
 * container and prefix (and the proxy), never a key.
 */
record AzureErrors(String name, AzureStore.Config config) {

  /** Maps an SDK failure to the contract's errors. */
  StoreException error(String op, String path, Throwable e) {
    String what = StoreException.cannot(op, path, name);
    if (e instanceof StoreException se) {
      return se;
    }
    HttpResponseException h = null;
    for (Throwable t = e; t != null && h == null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpResponseException r && r.getResponse() != null) {
        h = r; // the SDK's synchronous calls may wrap it
      }
    }
    if (h != null) {
      int status = h.getResponse().getStatusCode();
      BlobErrorCode code = h instanceof BlobStorageException b ? b.getErrorCode() : null;
      if (code == null) {
        String header = h.getResponse().getHeaderValue("x-ms-error-code");
        code = header == null ? null : BlobErrorCode.fromString(header);
      }
      String m = " (HTTP " + status + (code == null ? "" : " " + code) + ")";
      if (status == 407 && config.proxy() != null) {
        return StoreException.permanent(what + ": " + config.proxy().loginRefused(), e);
      }
      if (BlobErrorCode.BLOB_NOT_FOUND.equals(code) || status == 404 && code == null && !op.equals("list")) {
        return new NoSuchObjectException(what + ": no such object" + m, e);
      }
      if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
        return StoreException.permanent(what + ": container " + config.container() + " does not exist in account "
            + config.account() + m, e);
      }
      if (BlobErrorCode.AUTHENTICATION_FAILED.equals(code) || BlobErrorCode.INVALID_AUTHENTICATION_INFO.equals(code)
          || BlobErrorCode.NO_AUTHENTICATION_INFORMATION.equals(code)) {
        return StoreException.permanent(what + ": the account key or SAS token for account " + config.account()
            + " is wrong" + m, e);
      }
      if (BlobErrorCode.INVALID_RANGE.equals(code) || status == 416) {
        return StoreException.permanent(what + ": the range is beyond the end of the object" + m, e);
      }
      if (status == 403) {
        return StoreException.permanent(what + ": access denied for account " + config.account() + m, e);
      }
      if (status >= 500 || status == 429 || status == 408 || BlobErrorCode.SERVER_BUSY.equals(code)
          || BlobErrorCode.OPERATION_TIMED_OUT.equals(code) || BlobErrorCode.MD5MISMATCH.equals(code)
          || BlobErrorCode.INVALID_BLOCK_LIST.equals(code)) {
        return StoreException.transientError(what + ": the service is busy, failed or saw a concurrent upload" + m,
            e);
      }
      if (BlobErrorCode.ACCOUNT_IS_DISABLED.equals(code) || BlobErrorCode.CONTAINER_DISABLED.equals(code)) {
        return StoreException.permanent(what + ": the account or container is disabled" + m, e);
      }
      return StoreException.permanent(what + ": " + describe(h) + m, e);
    }
    Throwable root = e;
    boolean refused = false;
    boolean timedOut = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      root = t;
      if (t instanceof InterruptedException || t instanceof InterruptedIOException
          && !(t instanceof SocketTimeoutException)) {
        return StoreException.permanent(what + ": interrupted", e);
      }
      refused |= t instanceof ConnectException; // the JDK's has a ClosedChannelException as its cause
      timedOut |= t instanceof HttpTimeoutException || t instanceof SocketTimeoutException
          || t instanceof TimeoutException;
    }
    String via = config.proxy() == null ? "" : " (through the HTTP proxy " + config.proxy().url() + ")";
    String rm = String.valueOf(root.getMessage());
    if (config.proxy() != null && root instanceof IOException && (rm.contains("407")
        || rm.contains("too many authentication attempts"))) {
      return StoreException.permanent(what + ": " + config.proxy().loginRefused(), e);
    }
    StoreException unknown = HostNotFound.error(what, config.endpoint() == null ? config.account()
        + ".blob.core.windows.net" : config.endpoint().getHost(), e);
    if (unknown != null && (config.proxy() == null || !rm.contains(config.proxy().host()))) {
      return unknown;
    }
    if (timedOut) {
      return StoreException.transientError(what + ": timed out" + via, e);
    }
    if (refused) {
      return StoreException.transientError(what + ": " + (config.proxy() != null ? "cannot connect to the HTTP proxy "
          + config.proxy().url() + ": " : "") + "connection refused", e);
    }
    if (root instanceof UnknownHostException && config.proxy() != null && rm.contains(config.proxy().host())) {
      return StoreException.permanent(what + ": the HTTP proxy's host " + config.proxy().host() + " is unknown", e);
    }
    if (root instanceof IOException) {
      return StoreException.transientError(what + ": " + root.getClass().getSimpleName() + ": " + rm + via, e);
    }
    return StoreException.permanent(what + ": " + describe(e), e);
  }

  private static String describe(Throwable e) {
    String m = e instanceof BlobStorageException b && b.getServiceMessage() != null ? b.getServiceMessage()
        : e.getMessage();
    if (m != null) {
      m = m.replace('\n', ' ').replace('\r', ' ').strip();
      int cut = m.indexOf("RequestId:");
      if (cut > 0) {
        m = m.substring(0, cut).strip();
      }
    }
    return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
  }

  /** Runs {@code call} (operation {@code op} on {@code path}, as errors name it), mapping an SDK failure. */
  <T> T call(String op, String path, Supplier<T> call) {
    try {
      return call.get();
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw error(op, path, e);
    }
  }
}
