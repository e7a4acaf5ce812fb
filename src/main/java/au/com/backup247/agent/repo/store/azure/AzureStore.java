package au.com.backup247.agent.repo.store.azure;

import au.com.backup247.agent.repo.store.HostNotFound;
import au.com.backup247.agent.repo.store.HttpProxy;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.PartUpload;
import au.com.backup247.agent.repo.store.RecordCopy;
import au.com.backup247.agent.repo.store.RetryingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.StorePaths;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.ProxyOptions;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.BinaryData;
import com.azure.core.util.ClientOptions;
import com.azure.core.util.Configuration;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * A destination in an Azure Blob Storage container (or Azurite), through the Azure SDK's
 * synchronous blob client with the JDK's {@code HttpClient} ({@code azure-core-http-jdk-httpclient};
 * the SDK's Netty client is left out, Vert.x has its own Netty). Objects are block blobs named
 * {@code <prefix><path>}.
 *
 * <p><b>Container</b>: before the first write, a container that does not exist is created with
 * no public access; credentials that may not create it fail with a permanent error saying so.
 * Reads and stats of a missing container find nothing.
 *
 * <p><b>Put</b>: a block blob becomes visible only when its upload is complete, so puts are atomic
 * without temp names. Below {@link Config#blockThreshold} one {@code Put Blob}; from it on the
 * object goes up as staged blocks of {@link Config#blockSize} ({@code Put Block}, grown when needed
 * to stay within Azure's 50,000 blocks) made visible at once by {@code Put Block List}. Every
 * request carries a {@code Content-MD5}, so the service rejects a body damaged in transit. A failed
 * or interrupted staged upload leaves only uncommitted blocks: they are never listed nor readable,
 * and Azure discards them after a week (or when the blob is next committed); there is nothing to
 * abort. Block ids are the block's number and MD5, so two uploads of the same bytes to the same
 * path at once (content-addressed objects) share blocks and both succeed, while two uploads of
 * different bytes can never mix: the later commit then fails with {@code InvalidBlockList} (a
 * transient error; a retry uploads again). The blocks of an object held in memory are staged
 * {@value #BLOCK_THREADS} at a time, those of a stream one after the other, so a streamed put holds
 * one block in memory ({@link PartUpload}).
 *
 * <p><b>Retries</b>: the SDK retries each request at most {@value #SDK_ATTEMPTS} times in all
 * (I/O errors, timeouts, 5xx, 429 and 408, with short exponential backoff); {@link RetryingStore} is
 * the place for longer outages, as for {@code S3Store}.
 *
 * <p><b>Get</b> with a range asks for {@code x-ms-range}; a shorter answer or {@code 416} is the
 * contract's permanent out-of-range error. <b>List</b> pages through {@code List Blobs} with the
 * prefix, skips names that are not valid object paths and sorts by path. <b>Stat</b> is
 * {@code Get Blob Properties}; <b>delete</b> removes the blob with its snapshots, and a missing blob
 * is fine.
 *
 * <p><b>Credentials</b>: an account key ({@code StorageSharedKeyCredential}) or a SAS token,
 * usually taken from a connection string ({@link Config#withConnectionString}). The service endpoint
 * is the URL's {@code endpoint} (for Azurite {@code http://127.0.0.1:10000/devstoreaccount1}), else
 * the connection string's {@code BlobEndpoint}, else {@code https://<account>.blob.core.windows.net}.
 * The SDK reads no environment variables or system properties for settings (its configuration is
 * {@link Configuration#NONE}).
 *
 * <p><b>Proxy</b>: with an {@link HttpProxy}, requests go through it. A proxy login is sent
 * preemptively as a {@code Proxy-Authorization: Basic} header on every request (the JDK client
 * passes it to the proxy, also on the {@code CONNECT} of an {@code https://} tunnel), and a
 * {@code 407} becomes a permanent error naming the proxy. The JDK's own {@code Authenticator} is
 * not used: with one set, the JDK client drops the SDK's {@code Authorization} header. The JDK
 * keeps Basic off tunnels unless the system property {@code jdk.http.auth.tunneling.disabledSchemes}
 * allows it; the program's entry point allows it ({@link HttpProxy#allowBasicLoginOnTunnels}), not
 * this class.
 *
 * <p><b>Errors</b>: {@code BlobNotFound} → {@link NoSuchObjectException}; {@code ContainerNotFound},
 * 403 ({@code AuthenticationFailed}, …) and other 4xx → permanent; 407 → permanent, naming the proxy;
 * 5xx, 429, 408, {@code ServerBusy}, {@code OperationTimedOut}, {@code Md5Mismatch},
 * {@code InvalidBlockList}, timeouts and I/O failures → transient. Messages name the account,
 * container and prefix (and the proxy), never a key.
 *
 * <p><b>Threads</b>: the SDK's clients are thread-safe; requests run in parallel on pooled
 * connections.
 */
public final class AzureStore implements Store {
  /** Azure's limits for staged blocks. */
  static final long MIN_BLOCK = 1L << 20;
  static final long MAX_BLOCK = 4000L << 20;
  static final int MAX_BLOCKS = 50_000;
  /** Attempts per request, including the first. */
  static final int SDK_ATTEMPTS = 3;
  /** Blocks of one object from memory staged at once. */
  static final int BLOCK_THREADS = 4;
  private static final HttpHeaderName PROXY_AUTHORIZATION = HttpHeaderName.fromString("Proxy-Authorization");

  /**
   * Where and how to connect. Build with {@link #of} and the {@code with…} methods.
   *
   * @param account storage account name
   * @param container container name (created, private, by the first write when it does not exist)
   * @param prefix blob name prefix for the repository ("" or ending with '/', added when missing)
   * @param endpoint blob service endpoint ({@code https://account.blob.core.windows.net}, for Azurite
   *     {@code http://127.0.0.1:10000/devstoreaccount1}), or null for Azure's default for the account
   * @param accountKey the account's shared key (base64), or null when a SAS token is used; never shown
   * @param sasToken a shared access signature (without the leading '?'), or null; never shown
   * @param blockThreshold objects of at least this size are uploaded as staged blocks
   * @param blockSize size of each staged block
   * @param proxy HTTP proxy for all requests, or null
   * @param connectTimeout for TCP connect
   * @param ioTimeout for each wait for an answer or more data
   */
  public record Config(String account, String container, String prefix, URI endpoint, String accountKey,
      String sasToken, long blockThreshold, long blockSize, HttpProxy proxy, Duration connectTimeout,
      Duration ioTimeout) {

    /** 16 MiB. */
    public static final long DEFAULT_BLOCK_THRESHOLD = 16L << 20;
    /** 8 MiB. */
    public static final long DEFAULT_BLOCK_SIZE = 8L << 20;

    public Config {
      if (account == null || !account.matches("[a-z0-9]{3,24}")) {
        throw new IllegalArgumentException("Azure account name \"" + account + "\" is not valid (3 to 24 lowercase "
            + "letters and digits)");
      }
      if (container == null || !container.matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]") || container.contains("--")) {
        throw new IllegalArgumentException("Azure container name \"" + container + "\" is not valid");
      }
      prefix = StorePaths.keyPrefix(prefix, "Azure prefix");
      if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null
          || !endpoint.getScheme().equals("http") && !endpoint.getScheme().equals("https"))) {
        throw new IllegalArgumentException("Azure endpoint " + endpoint + " must be an http:// or https:// URL");
      }
      if (blockSize < MIN_BLOCK || blockSize > MAX_BLOCK) {
        throw new IllegalArgumentException("Azure block size must be between 1 MiB and 4000 MiB, not " + blockSize);
      }
      if (blockThreshold < MIN_BLOCK) {
        throw new IllegalArgumentException("Azure block threshold must be at least 1 MiB, not " + blockThreshold);
      }
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(ioTimeout, "ioTimeout");
    }

    /**
     * Azure's default endpoint for the account, no credentials yet (add them with
     * {@link #withAccountKey} or {@link #withConnectionString}), 16 MiB block threshold, 8 MiB
     * blocks, 30 s connect and 60 s I/O timeouts.
     */
    public static Config of(String account, String container, String prefix) {
      return new Config(account, container, prefix, null, null, null, DEFAULT_BLOCK_THRESHOLD, DEFAULT_BLOCK_SIZE,
          null, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    public Config withEndpoint(URI endpoint) {
      return RecordCopy.of(this).set("endpoint", endpoint).build();
    }

    /** Signs requests with the account's shared key. */
    public Config withAccountKey(String accountKey) {
      return RecordCopy.of(this).set("accountKey", accountKey).set("sasToken", null).build();
    }

    /** Authorizes requests with a shared access signature instead of the account key. */
    public Config withSasToken(String sasToken) {
      String t = sasToken != null && sasToken.startsWith("?") ? sasToken.substring(1) : sasToken;
      return RecordCopy.of(this).set("accountKey", null).set("sasToken", t).build();
    }

    /**
     * Takes the credentials (and, when no endpoint is set, the blob endpoint) from an Azure
     * connection string such as
     * {@code DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net}.
     *
     * @throws IllegalArgumentException when it is not a connection string, is for another account,
     *     or holds neither {@code AccountKey} nor {@code SharedAccessSignature}; the message never
     *     shows the string
     */
    public Config withConnectionString(String connectionString) {
      ConnectionString cs = ConnectionString.parse(connectionString);
      if (cs.accountName != null && !cs.accountName.equals(account)) {
        throw new IllegalArgumentException("the Azure connection string is for account " + cs.accountName
            + ", not " + account);
      }
      Config c = cs.accountKey != null ? withAccountKey(cs.accountKey)
          : cs.sas != null ? withSasToken(cs.sas) : null;
      if (c == null) {
        throw new IllegalArgumentException("the Azure connection string has neither AccountKey nor "
            + "SharedAccessSignature");
      }
      if (endpoint == null) {
        if (cs.blobEndpoint != null) {
          c = c.withEndpoint(cs.blobEndpoint);
        } else if (cs.suffix != null || cs.protocol != null) {
          c = c.withEndpoint(URI.create((cs.protocol == null ? "https" : cs.protocol) + "://" + account + ".blob."
              + (cs.suffix == null ? "core.windows.net" : cs.suffix)));
        }
      }
      return c;
    }

    public Config withBlocks(long threshold, long blockSize) {
      return RecordCopy.of(this).set("blockThreshold", threshold).set("blockSize", blockSize).build();
    }

    /** Requests go through {@code proxy} (null: directly). */
    public Config withProxy(HttpProxy proxy) {
      return RecordCopy.of(this).set("proxy", proxy).build();
    }

    public Config withTimeouts(Duration connect, Duration io) {
      return RecordCopy.of(this).set("connectTimeout", connect).set("ioTimeout", io).build();
    }

    /** The endpoint requests go to: as set, or Azure's default for the account. */
    public URI serviceEndpoint() {
      return endpoint != null ? endpoint : URI.create("https://" + account + ".blob.core.windows.net");
    }

    /** {@code azure://account/container/prefix}, with {@code ?endpoint=…} when one is set; no secrets. */
    public String url() {
      return "azure://" + account + "/" + container + "/" + prefix + (endpoint == null ? "" : "?endpoint=" + endpoint);
    }

    @Override
    public String toString() {
      return "AzureStore.Config[" + url() + ", credential=" + (accountKey != null ? "account key"
          : sasToken != null ? "SAS token" : "(none)") + ", blockThreshold=" + blockThreshold + ", blockSize="
          + blockSize + (proxy != null ? ", proxy=" + proxy : "") + ", connectTimeout=" + connectTimeout
          + ", ioTimeout=" + ioTimeout + "]";
    }
  }

  /** The parts of a connection string that matter here. */
  private record ConnectionString(String accountName, String accountKey, String sas, URI blobEndpoint,
      String protocol, String suffix) {
    static ConnectionString parse(String text) {
      if (text == null || text.isBlank()) {
        throw new IllegalArgumentException("the Azure connection string is empty");
      }
      String name = null;
      String key = null;
      String sas = null;
      URI blob = null;
      String protocol = null;
      String suffix = null;
      for (String part : text.strip().split(";")) {
        if (part.isBlank()) {
          continue;
        }
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("the Azure connection string is not a list of Name=value pairs "
              + "separated by ';'");
        }
        String k = part.substring(0, eq).strip();
        String v = part.substring(eq + 1).strip();
        switch (k.toLowerCase(Locale.ROOT)) {
          case "accountname" -> name = v;
          case "accountkey" -> key = v;
          case "sharedaccesssignature" -> sas = v;
          case "defaultendpointsprotocol" -> protocol = v.toLowerCase(Locale.ROOT);
          case "endpointsuffix" -> suffix = v;
          case "blobendpoint" -> {
            try {
              blob = URI.create(v);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("the Azure connection string's BlobEndpoint is not a URL");
            }
          }
          default -> {
            // other services' endpoints and settings do not matter for blobs
          }
        }
      }
      if (protocol != null && !protocol.equals("http") && !protocol.equals("https")) {
        throw new IllegalArgumentException("the Azure connection string's DefaultEndpointsProtocol must be http or "
            + "https");
      }
      return new ConnectionString(name, key, sas, blob, protocol, suffix);
    }
  }

  private final Config config;
  private final String name;
  private final String keyPrefix;
  private final BlobContainerClient container;
  private volatile boolean containerReady;
  private final PartUpload blocks = new PartUpload("azure-block", BLOCK_THREADS);

  /** Checks the settings and builds the client; connects on first use. */
  public AzureStore(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    if (config.accountKey() == null && config.sasToken() == null) {
      throw new IllegalArgumentException(config.url() + ": an Azure account key, SAS token or connection string "
          + "is needed");
    }
    this.name = config.url();
    this.keyPrefix = config.prefix();
    JdkHttpClientBuilder http = new JdkHttpClientBuilder().configuration(Configuration.NONE)
        .connectionTimeout(config.connectTimeout()).responseTimeout(config.ioTimeout())
        .readTimeout(config.ioTimeout()).writeTimeout(config.ioTimeout());
    if (config.proxy() != null) {
      HttpProxy p = config.proxy();
      http.proxy(new ProxyOptions(ProxyOptions.Type.HTTP, p.address()));
    }
    HttpClient client = http.build();
    BlobServiceClientBuilder b = new BlobServiceClientBuilder().configuration(Configuration.NONE)
        .httpClient(client).endpoint(config.serviceEndpoint().toString())
        .clientOptions(new ClientOptions().setApplicationId("b247-agent"))
        .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, SDK_ATTEMPTS, (Duration) null,
            Duration.ofMillis(200), Duration.ofSeconds(2), null));
    if (config.proxy() != null) {
      b.addPolicy(new ProxyPolicy(config.proxy()));
    }
    if (config.accountKey() != null) {
      b.credential(new StorageSharedKeyCredential(config.account(), config.accountKey()));
    } else {
      b.sasToken(config.sasToken());
    }
    this.container = b.buildClient().getBlobContainerClient(config.container());
  }

  /**
   * Sends the proxy login as a preemptive {@code Proxy-Authorization: Basic} header, and turns a
   * proxy's {@code 407} into an error at once: the SDK cannot read the empty answer the JDK client
   * gives for a refused {@code CONNECT}.
   */
  private static final class ProxyPolicy implements HttpPipelinePolicy {
    private final String basic;

    ProxyPolicy(HttpProxy p) {
      this.basic = p.hasLogin() ? "Basic " + Base64.getEncoder().encodeToString((p.username() + ":"
          + (p.password() == null ? "" : p.password())).getBytes(StandardCharsets.UTF_8)) : null;
    }

    private void prepare(HttpPipelineCallContext context) {
      if (basic != null) {
        context.getHttpRequest().setHeader(PROXY_AUTHORIZATION, basic);
      }
    }

    private static HttpResponse check(HttpResponse r) {
      if (r.getStatusCode() == 407) {
        r.close();
        throw new HttpResponseException("HTTP 407 Proxy Authentication Required", r);
      }
      return r;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
      prepare(context);
      return next.process().map(ProxyPolicy::check);
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
      prepare(context);
      return check(next.processSync());
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
      return HttpPipelinePosition.PER_RETRY;
    }
  }

  public Config config() {
    return config;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "AzureStore[" + name + "]";
  }

  private BlockBlobClient blob(String path) {
    return container.getBlobClient(keyPrefix + path).getBlockBlobClient();
  }

  // ---- errors ----------------------------------------------------------------------------------

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

  private interface Call<T> {
    T run();
  }

  private <T> T call(String op, String path, Call<T> call) {
    try {
      return call.run();
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw error(op, path, e);
    }
  }

  // ---- put -------------------------------------------------------------------------------------

  @Override
  public void put(String path, byte[] data) {
    put(path, data, data.length);
  }

  @Override
  public void put(String path, byte[] data, int length) {
    StorePaths.checkPut(this, path, length, data.length);
    ensureContainer(path);
    blocks.put(this, path, data, length, config.blockThreshold(), blockSizeFor(length), requests(path));
  }

  @Override
  public void put(String path, InputStream data, long length) {
    StorePaths.checkPut(this, path, length, Long.MAX_VALUE);
    ensureContainer(path);
    blocks.put(this, path, data, length, config.blockThreshold(), blockSizeFor(length), requests(path));
  }

  /**
   * Before the first write: a container that does not exist is created, private (no public
   * access). Credentials that may not create it are a permanent error saying so. When the
   * credentials may not even read the container's properties (a SAS for blobs only), nothing is
   * created and the writes tell.
   */
  private void ensureContainer(String path) {
    if (containerReady) {
      return;
    }
    synchronized (this) {
      if (containerReady) {
        return;
      }
      try {
        container.getPropertiesWithResponse(null, null, Context.NONE);
      } catch (BlobStorageException e) {
        if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode()) || e.getStatusCode() == 404) {
          createContainer(path);
        } else if (e.getStatusCode() != 403) {
          throw error("put", path, e);
        }
      } catch (RuntimeException e) {
        throw error("put", path, e);
      }
      containerReady = true;
    }
  }

  private void createContainer(String path) {
    try {
      container.createWithResponse(null, null, null, Context.NONE); // no public access: private
    } catch (BlobStorageException e) {
      if (BlobErrorCode.CONTAINER_ALREADY_EXISTS.equals(e.getErrorCode())) {
        return; // made meanwhile
      }
      if (e.getStatusCode() == 403) {
        throw StoreException.permanent("cannot put " + path + " on " + name + ": container " + config.container()
            + " does not exist in account " + config.account() + " and these credentials may not create it (HTTP 403"
            + (e.getErrorCode() == null ? "" : " " + e.getErrorCode()) + "): create the container, or use an account"
            + " key or a SAS that allows creating containers", e);
      }
      throw error("create container " + config.container() + " for", path, e);
    } catch (RuntimeException e) {
      throw error("create container " + config.container() + " for", path, e);
    }
  }

  private static BinaryData body(byte[] data, int off, int length) {
    return BinaryData.fromByteBuffer(ByteBuffer.wrap(data, off, length).asReadOnlyBuffer());
  }

  private static BlobHttpHeaders headers() {
    return new BlobHttpHeaders().setContentType("application/octet-stream");
  }

  /** {@code Put Blob} below the block threshold, else staged blocks. */
  private PartUpload.Requests<String> requests(String path) {
    return new PartUpload.Requests<>() {
      @Override
      public void whole(byte[] data, int length) {
        byte[] md5 = md5(data, 0, length);
        call("put", path, () -> blob(path).uploadWithResponse(new BlockBlobSimpleUploadOptions(body(data, 0, length))
            .setContentMd5(md5).setHeaders(headers().setContentMd5(md5)), null, Context.NONE));
      }

      @Override
      public PartUpload.Parts<String> start() {
        return staged(path);
      }
    };
  }

  static byte[] md5(byte[] data, int off, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      md.update(data, off, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The block size for an object of {@code length} bytes: the configured one, grown to stay within 50,000 blocks. */
  long blockSizeFor(long length) {
    return PartUpload.partSize(config.blockSize(), length, MAX_BLOCKS, MAX_BLOCK);
  }

  /** The id of block {@code number} with MD5 {@code md5}: all of one length, as Azure requires. */
  static String blockId(int number, byte[] md5) {
    String id = String.format(Locale.ROOT, "b247-%06d-%s", number, HexFormat.of().formatHex(md5));
    return Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
  }

  /** The staged blocks of {@code path} ({@code Put Block}), made visible by {@code Put Block List}. */
  private PartUpload.Parts<String> staged(String path) {
    BlockBlobClient blob = blob(path);
    return new PartUpload.Parts<>() {
      @Override
      public String part(int index, byte[] buf, int off, int n) {
        byte[] md5 = md5(buf, off, n);
        String id = blockId(index, md5);
        BinaryData block = body(buf, off, n);
        call("put", path + " (block " + index + ")", () -> blob.stageBlockWithResponse(
            new BlockBlobStageBlockOptions(id, block).setContentMd5(md5), null, Context.NONE));
        return id;
      }

      @Override
      public void commit(List<String> ids) {
        call("put", path, () -> blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
            .setHeaders(headers()), null, Context.NONE));
      }

      @Override
      public void abort() {
        // uncommitted blocks are never visible, and Azure discards them after a week
      }
    };
  }

  @Override
  public void close() {
    blocks.close();
  }

  // ---- get, list, stat, delete -----------------------------------------------------------------

  @Override
  public byte[] get(String path) {
    StorePaths.check(this, path);
    return call("get", path, () -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      blob(path).downloadStreamWithResponse(out, null, null, null, false, null, Context.NONE);
      return out.toByteArray();
    });
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    return StorePaths.getRange(this, path, offset, length, () -> call("get", path, () -> {
      ByteArrayOutputStream b = new ByteArrayOutputStream(length);
      blob(path).downloadStreamWithResponse(b, new BlobRange(offset, (long) length), null, null, false, null,
          Context.NONE);
      return b.toByteArray();
    }), cause -> cause instanceof HttpResponseException h && h.getResponse() != null
        && h.getResponse().getStatusCode() == 416);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    StorePaths.checkPrefix(this, prefix);
    return call("list", prefix, () -> {
      List<StoredObject> out = new ArrayList<>();
      ListBlobsOptions options = new ListBlobsOptions().setPrefix(keyPrefix + prefix).setMaxResultsPerPage(5000);
      for (BlobItem item : container.listBlobs(options, null)) {
        if (Boolean.TRUE.equals(item.isPrefix()) || Boolean.TRUE.equals(item.isDeleted())) {
          continue;
        }
        String p = StorePaths.pathOfKey(item.getName(), keyPrefix, prefix);
        if (p != null) {
          out.add(new StoredObject(p, item.getProperties().getContentLength()));
        }
      }
      out.sort((a, b) -> a.path().compareTo(b.path()));
      return out;
    });
  }

  @Override
  public List<String> folders(String folder) {
    String under = keyPrefix + (folder.isEmpty() ? "" : StorePaths.check(this, folder) + "/");
    return call("list", folder, () -> {
      List<String> out = new ArrayList<>();
      ListBlobsOptions options = new ListBlobsOptions().setPrefix(under).setMaxResultsPerPage(5000);
      for (BlobItem item : container.listBlobsByHierarchy("/", options, null)) {
        String n = Boolean.TRUE.equals(item.isPrefix()) ? StorePaths.folderOfKey(item.getName(), under) : null;
        if (n != null) {
          out.add(n);
        }
      }
      out.sort(null);
      return out;
    });
  }

  @Override
  public Optional<StoredObject> stat(String path) {
    StorePaths.check(this, path);
    try {
      long size = call("stat", path, () -> blob(path).getPropertiesWithResponse(null, null, Context.NONE).getValue()
          .getBlobSize());
      return Optional.of(new StoredObject(path, size));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    } catch (StoreException e) {
      if (e.getCause() instanceof BlobStorageException b && BlobErrorCode.CONTAINER_NOT_FOUND.equals(b.getErrorCode())) {
        return Optional.empty(); // no container yet (the first put creates it): no object
      }
      throw e;
    }
  }

  @Override
  public boolean exists(String path) {
    return stat(path).isPresent();
  }

  @Override
  public void delete(String path) {
    StorePaths.check(this, path);
    try {
      call("delete", path, () -> blob(path).deleteIfExistsWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null,
          Context.NONE));
    } catch (NoSuchObjectException e) {
      // already gone
    }
  }

  /** Checks the container and credentials now (normally found out on first use). */
  public void connect() {
    call("open", "container " + config.container(), () -> container.getPropertiesWithResponse(null, null,
        Context.NONE));
  }
}
