package au.com.backup247.agent.repo.store.azure;

import au.com.backup247.agent.repo.store.HttpProxy;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.ObjectStore;
import au.com.backup247.agent.repo.store.PartUpload;
import au.com.backup247.agent.repo.store.RecordCopy;
import au.com.backup247.agent.repo.store.RetryingStore;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.StorePaths;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.ProxyOptions;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
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
import java.net.URI;
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
import java.util.function.Supplier;

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
 * {@value ObjectStore#PARTS_AT_ONCE} at a time, those of a stream one after the other, so a streamed put holds
 * one block in memory ({@link PartUpload}).
 *
 * <p><b>Retries</b>: the SDK retries each request at most {@value ObjectStore#SDK_ATTEMPTS} times in all
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
public final class AzureStore extends ObjectStore<AzureStore.Config> {
  /** Azure's limits for staged blocks. */
  static final long MIN_BLOCK = 1L << 20;
  static final long MAX_BLOCK = 4000L << 20;
  static final int MAX_BLOCKS = 50_000;

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
      AzureConnectionString cs = AzureConnectionString.parse(connectionString);
      if (cs.accountName() != null && !cs.accountName().equals(account)) {
        throw new IllegalArgumentException("the Azure connection string is for account " + cs.accountName()
            + ", not " + account);
      }
      Config c = cs.accountKey() != null ? withAccountKey(cs.accountKey())
          : cs.sas() != null ? withSasToken(cs.sas()) : null;
      if (c == null) {
        throw new IllegalArgumentException("the Azure connection string has neither AccountKey nor "
            + "SharedAccessSignature");
      }
      if (endpoint == null) {
        if (cs.blobEndpoint() != null) {
          c = c.withEndpoint(cs.blobEndpoint());
        } else if (cs.suffix() != null || cs.protocol() != null) {
          c = c.withEndpoint(URI.create((cs.protocol() == null ? "https" : cs.protocol()) + "://" + account + ".blob."
              + (cs.suffix() == null ? "core.windows.net" : cs.suffix())));
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

  private final String keyPrefix;
  private final AzureErrors errors;
  private final BlobContainerClient container;

  /** Checks the settings and builds the client; connects on first use. */
  public AzureStore(Config config) {
    super(config, Config::url, "azure-block",
        c -> new PartUpload.Sizes(c.blockThreshold(), c.blockSize(), MAX_BLOCKS, MAX_BLOCK));
    if (config.accountKey() == null && config.sasToken() == null) {
      throw new IllegalArgumentException(config.url() + ": an Azure account key, SAS token or connection string "
          + "is needed");
    }
    this.keyPrefix = config.prefix();
    this.errors = new AzureErrors(name, config);
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
      b.addPolicy(new AzureProxyPolicy(config.proxy()));
    }
    if (config.accountKey() != null) {
      b.credential(new StorageSharedKeyCredential(config.account(), config.accountKey()));
    } else {
      b.sasToken(config.sasToken());
    }
    this.container = b.buildClient().getBlobContainerClient(config.container());
  }

  private BlockBlobClient blob(String path) {
    return container.getBlobClient(keyPrefix + path).getBlockBlobClient();
  }

  private <T> T call(String op, String path, Supplier<T> call) {
    return errors.call(op, path, call);
  }

  // ---- put -------------------------------------------------------------------------------------

  /**
   * Before the first write: a container that does not exist is created, private (no public
   * access). Credentials that may not create it are a permanent error saying so. When the
   * credentials may not even read the container's properties (a SAS for blobs only), nothing is
   * created and the writes tell.
   */
  @Override
  protected void prepare(String path) {
    try {
      container.getPropertiesWithResponse(null, null, Context.NONE);
    } catch (BlobStorageException e) {
      if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode()) || e.getStatusCode() == 404) {
        createContainer(path);
      } else if (e.getStatusCode() != 403) {
        throw errors.error("put", path, e);
      }
    } catch (RuntimeException e) {
      throw errors.error("put", path, e);
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
      throw errors.error("create container " + config.container() + " for", path, e);
    } catch (RuntimeException e) {
      throw errors.error("create container " + config.container() + " for", path, e);
    }
  }

  private static BinaryData body(byte[] data, int off, int length) {
    return BinaryData.fromByteBuffer(ByteBuffer.wrap(data, off, length).asReadOnlyBuffer());
  }

  private static BlobHttpHeaders headers() {
    return new BlobHttpHeaders().setContentType("application/octet-stream");
  }

  /** {@code Put Blob} below the block threshold, else staged blocks. */
  @Override
  protected PartUpload.Requests<String> requests(String path) {
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
    return sizes().partSizeFor(length);
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
