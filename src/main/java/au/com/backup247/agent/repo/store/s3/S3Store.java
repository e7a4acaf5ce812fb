package au.com.backup247.agent.repo.store.s3;

import au.com.backup247.agent.repo.store.HttpProxy;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.ObjectStore;
import au.com.backup247.agent.repo.store.PartUpload;
import au.com.backup247.agent.repo.store.RecordCopy;
import au.com.backup247.agent.repo.store.RetryingStore;
import au.com.backup247.agent.repo.store.Store;
import au.com.backup247.agent.repo.store.StoreException;
import au.com.backup247.agent.repo.store.StorePaths;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A destination in an S3 bucket (AWS or S3-compatible: MinIO, Ceph, Wasabi, Backblaze B2, …),
 * through the AWS SDK v2 synchronous client with Apache HttpClient 5 ({@link Apache5HttpClient},
 * set explicitly: no Netty next to Vert.x's). Objects live under
 * {@code <prefix><path>}.
 *
 * <p><b>Bucket</b>: before the first write, a bucket that does not exist is created in
 * {@link Config#region}; credentials that may not create it fail with a permanent error saying so.
 *
 * <p><b>Put</b>: S3 makes an object visible only when its upload is complete, so puts are atomic
 * without temp names. Below {@link Config#multipartThreshold} one {@code PutObject}; from it on a
 * multipart upload with parts of {@link Config#partSize} (grown when needed to stay within S3's
 * 10,000 parts, {@link PartUpload}); the parts of an object held in memory go up
 * {@value ObjectStore#PARTS_AT_ONCE} at a time, those of a stream one after the other. Each request carries a
 * {@code Content-MD5}, so the server rejects a body damaged in transit ({@code BadDigest}); the body
 * is hashed once: its MD5 is signed as a header, and the body itself is sent unsigned
 * ({@code UNSIGNED-PAYLOAD}) over http:// as over https:// ({@link Md5BodySigner}). When anything
 * fails during a multipart upload (a part, the source stream, completing), the upload is aborted with {@code AbortMultipartUpload}, so no parts are left to be billed; when
 * the abort itself cannot reach the server, or the process is killed mid-upload, an incomplete
 * upload remains, and {@link #removeTemporaryBefore} (run by every backup) aborts it once it is
 * older than the grace period for temporary uploads. A streamed put holds
 * one part in memory at a time.
 *
 * <p><b>Retries</b>: the SDK retries each request at most {@value ObjectStore#SDK_ATTEMPTS} times in all (its
 * standard strategy: I/O errors, 5xx and throttling, with short jittered backoff; no retry quota
 * circuit breaker). That is small on purpose: {@link RetryingStore} is the place that decides about
 * longer outages, logs them and respects time limits. The SDK's quick retry also keeps one bad
 * part from failing a large, possibly streamed (so not repeatable) multipart upload. The HTTP
 * client is Apache HttpClient 5 with idle connections dropped after 20 s: the JDK's
 * {@code HttpURLConnection} now and then re-used a keep-alive connection the server had already
 * closed ("Error writing request body to server", about 1 in 200 puts against s3proxy under load,
 * enough to exhaust the SDK's attempts in a 1,000-put test). {@code Expect: 100-continue} stays on,
 * so a server that refuses an upload (wrong secret key: 403) answers before the body is sent and
 * the refusal is reported as the permanent error it is.
 *
 * <p><b>Get</b> with a range sends {@code Range: bytes=a-b}; an answer shorter than asked, or
 * {@code 416}, is the contract's permanent out-of-range error. <b>List</b> uses
 * {@code ListObjectsV2} with pagination, strips the prefix, skips keys that are not valid object
 * paths (folder markers {@code x/}, names with {@link Store#TEMP_MARKER}) and sorts by path.
 * <b>Stat</b> is {@code HeadObject}; <b>delete</b> of a missing key succeeds, as S3 answers it.
 *
 * <p><b>Addressing</b>: without an endpoint, AWS in {@link Config#region} with virtual-host style
 * ({@code bucket.s3.region.amazonaws.com}); with an endpoint, path style
 * ({@code endpoint/bucket/key}) unless {@link Config#pathStyle} says otherwise. Checksums are
 * calculated and validated only when an operation requires them ({@code WHEN_REQUIRED}), since many
 * S3-compatible servers do not support the SDK's newer default (CRC32 trailers, aws-chunked
 * bodies). The SDK reads no {@code ~/.aws} profile: everything comes from the {@link Config}.
 *
 * <p><b>Errors</b>: 403 ({@code AccessDenied}, {@code InvalidAccessKeyId},
 * {@code SignatureDoesNotMatch}, …) → permanent; {@code NoSuchKey} → {@link NoSuchObjectException};
 * {@code NoSuchBucket} and other 404s → permanent; {@code RequestTimeTooSkewed} → permanent (fix the
 * clock); 5xx, 429, {@code SlowDown}, throttling, {@code RequestTimeout}, {@code BadDigest} and
 * {@code XAmzContentSHA256Mismatch} (a body damaged in transit), timeouts and I/O failures →
 * transient. Messages name the bucket, prefix and endpoint, never the keys.
 *
 * <p><b>Threads</b>: the S3 client is thread-safe; requests run in parallel on pooled keep-alive
 * connections.
 */
public final class S3Store extends ObjectStore<S3Store.Config> {
  private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);
  /** S3's limits for multipart uploads. */
  static final long MIN_PART = 5L << 20;
  static final long MAX_PART = 5L << 30;
  static final int MAX_PARTS = 10_000;

  /**
   * Where and how to connect. Build with {@link #of} and the {@code with…} methods.
   *
   * @param bucket bucket name
   * @param prefix key prefix for the repository ("" or ending with '/', added when missing)
   * @param endpoint S3-compatible endpoint such as {@code https://s3.example.com:9000}, or null for AWS
   * @param region signing region (AWS region; S3-compatible servers mostly accept {@code us-east-1})
   * @param pathStyle true for {@code endpoint/bucket/key}, false for {@code bucket.endpoint/key}, null
   *     for the default: path style exactly when an endpoint is given
   * @param accessKey access key id (needed by {@link S3Store}; shown only masked)
   * @param secretKey secret access key (needed by {@link S3Store}; never shown)
   * @param multipartThreshold objects of at least this size are uploaded in parts
   * @param partSize size of each part (at least 5 MiB, S3's minimum)
   * @param proxy HTTP proxy for all requests (with an optional Basic login), or null
   * @param connectTimeout for TCP connect
   * @param ioTimeout for each read on a connection (the wait for an answer or more data)
   */
  public record Config(String bucket, String prefix, URI endpoint, String region, Boolean pathStyle,
      String accessKey, String secretKey, long multipartThreshold, long partSize, HttpProxy proxy,
      Duration connectTimeout, Duration ioTimeout) {

    /** 16 MiB. */
    public static final long DEFAULT_MULTIPART_THRESHOLD = 16L << 20;
    /** 8 MiB. */
    public static final long DEFAULT_PART_SIZE = 8L << 20;

    public Config {
      if (bucket == null || !bucket.matches("[a-zA-Z0-9][a-zA-Z0-9._-]{1,254}")) {
        throw new IllegalArgumentException("S3 bucket name \"" + bucket + "\" is not valid");
      }
      prefix = StorePaths.keyPrefix(prefix, "S3 prefix");
      region = region == null || region.isBlank() ? "us-east-1" : region;
      if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null
          || !endpoint.getScheme().equals("http") && !endpoint.getScheme().equals("https"))) {
        throw new IllegalArgumentException("S3 endpoint " + endpoint + " must be an http:// or https:// URL");
      }
      if (partSize < MIN_PART || partSize > MAX_PART) {
        throw new IllegalArgumentException("S3 part size must be between 5 MiB and 5 GiB, not " + partSize);
      }
      if (multipartThreshold < MIN_PART) {
        throw new IllegalArgumentException("S3 multipart threshold must be at least 5 MiB, not " + multipartThreshold);
      }
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(ioTimeout, "ioTimeout");
    }

    /**
     * AWS, region us-east-1, no credentials yet (add them with {@link #withCredentials}), 16 MiB
     * multipart threshold, 8 MiB parts, 30 s connect and 60 s I/O timeouts.
     */
    public static Config of(String bucket, String prefix) {
      return new Config(bucket, prefix, null, null, null, null, null, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE,
          null, Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    public Config withEndpoint(URI endpoint) {
      return RecordCopy.of(this).set("endpoint", endpoint).build();
    }

    public Config withRegion(String region) {
      return RecordCopy.of(this).set("region", region).build();
    }

    /** Path style ({@code endpoint/bucket/key}) or virtual-host style ({@code bucket.endpoint/key}). */
    public Config withPathStyle(boolean pathStyle) {
      return RecordCopy.of(this).set("pathStyle", pathStyle).build();
    }

    public Config withCredentials(String accessKey, String secretKey) {
      return RecordCopy.of(this).set("accessKey", accessKey).set("secretKey", secretKey).build();
    }

    public Config withMultipart(long threshold, long partSize) {
      return RecordCopy.of(this).set("multipartThreshold", threshold).set("partSize", partSize).build();
    }

    /** Requests go through {@code proxy} (null: directly). */
    public Config withProxy(HttpProxy proxy) {
      return RecordCopy.of(this).set("proxy", proxy).build();
    }

    /** Requests go through the proxy at {@code http://host:port}, without login. */
    public Config withProxy(URI proxy) {
      return withProxy(HttpProxy.parse(proxy.toString()));
    }

    public Config withTimeouts(Duration connect, Duration io) {
      return RecordCopy.of(this).set("connectTimeout", connect).set("ioTimeout", io).build();
    }

    /** The access key id's last 4 characters (as the AWS CLI shows it), for messages. */
    public String maskedAccessKey() {
      return accessKey == null ? "(none)" : accessKey.length() <= 4 ? "****" : "…" + accessKey.substring(
          accessKey.length() - 4);
    }

    /** Whether requests use path style: as set, or by default exactly when an endpoint is given. */
    public boolean usesPathStyle() {
      return pathStyle != null ? pathStyle : endpoint != null;
    }

    /**
     * {@code s3://bucket/prefix}, with {@code ?endpoint=…} for S3-compatible servers (and
     * {@code style=…} when not the default), without keys.
     */
    public String url() {
      StringBuilder b = new StringBuilder("s3://").append(bucket).append('/').append(prefix);
      String sep = "?";
      if (endpoint != null) {
        b.append(sep).append("endpoint=").append(endpoint);
        sep = "&";
      }
      if (pathStyle != null && pathStyle != (endpoint != null)) {
        b.append(sep).append("style=").append(pathStyle ? "path" : "virtual");
      }
      return b.toString();
    }

    @Override
    public String toString() {
      return "S3Store.Config[" + url() + ", region=" + region + ", style=" + (usesPathStyle() ? "path" : "virtual")
          + ", accessKey=" + maskedAccessKey() + ", multipartThreshold=" + multipartThreshold + ", partSize=" + partSize
          + (proxy != null ? ", proxy=" + proxy : "") + ", connectTimeout=" + connectTimeout + ", ioTimeout="
          + ioTimeout + "]";
    }
  }

  private final String keyPrefix;
  private final S3Errors errors;
  private final S3Client s3;

  /** Checks the settings and builds the client; connects on first use. */
  public S3Store(Config config) {
    this(config, List.of());
  }

  /** For tests: {@code interceptors} see (and may fail) every request. */
  S3Store(Config config, List<ExecutionInterceptor> interceptors) {
    super(config, Config::url, "s3-part",
        c -> new PartUpload.Sizes(c.multipartThreshold(), c.partSize(), MAX_PARTS, MAX_PART));
    if (config.accessKey() == null || config.accessKey().isBlank() || config.secretKey() == null
        || config.secretKey().isEmpty()) {
      throw new IllegalArgumentException(config.url() + ": an S3 access key and secret key are needed");
    }
    this.keyPrefix = config.prefix();
    this.errors = new S3Errors(name, config);
    this.s3 = S3Clients.client(config, interceptors);
  }

  private String key(String path) {
    return keyPrefix + path;
  }

  private <T> T call(String op, String path, Supplier<T> call) {
    return errors.call(op, path, call);
  }

  // ---- put -------------------------------------------------------------------------------------

  /**
   * Before the first write: a bucket that does not exist is created, in the configured region.
   * Credentials that may not create it are a permanent error saying so; when they may not even
   * look at the bucket (403 to {@code HeadBucket}), nothing is created and the writes tell.
   */
  @Override
  protected void prepare(String path) {
    try {
      s3.headBucket(r -> r.bucket(config.bucket()));
    } catch (NoSuchBucketException e) {
      createBucket(path);
    } catch (AwsServiceException e) {
      if (e.statusCode() == 404) {
        createBucket(path);
      } else if (e.statusCode() != 403 && e.statusCode() != 301) {
        throw errors.error("put", path, e);
      }
    } catch (SdkException | UncheckedIOException e) {
      throw errors.error("put", path, e);
    }
  }

  private void createBucket(String path) {
    String region = config.region();
    try {
      s3.createBucket(r -> {
        r.bucket(config.bucket());
        if (!region.equals("us-east-1")) { // S3 refuses us-east-1 as a location constraint: it is the default
          r.createBucketConfiguration(c -> c.locationConstraint(region));
        }
      });
      LOG.info("{}: created bucket {} in region {}", name, config.bucket(), region);
    } catch (BucketAlreadyOwnedByYouException e) {
      // made meanwhile
    } catch (BucketAlreadyExistsException e) {
      throw StoreException.permanent("cannot put " + path + " on " + name + ": bucket " + config.bucket()
          + " does not exist for access key " + config.maskedAccessKey() + " and its name is taken by another account"
          + " (HTTP 409 BucketAlreadyExists)", e);
    } catch (AwsServiceException e) {
      if (e.statusCode() == 403) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        throw StoreException.permanent("cannot put " + path + " on " + name + ": bucket " + config.bucket()
            + " does not exist and access key " + config.maskedAccessKey() + " may not create it (HTTP 403"
            + (code == null ? "" : " " + code) + "): create the bucket, or allow the key s3:CreateBucket", e);
      }
      throw errors.error("create bucket " + config.bucket() + " for", path, e);
    } catch (SdkException | UncheckedIOException e) {
      throw errors.error("create bucket " + config.bucket() + " for", path, e);
    }
  }

  /** {@code PutObject} below the multipart threshold, else a multipart upload. */
  @Override
  protected PartUpload.Requests<CompletedPart> requests(String path) {
    return new PartUpload.Requests<>() {
      @Override
      public void whole(byte[] data, int length) {
        call("put", path, () -> s3.putObject(r -> r.bucket(config.bucket()).key(key(path))
            .contentLength((long) length).contentMD5(md5(data, 0, length)), body(data, length)));
      }

      @Override
      public PartUpload.Parts<CompletedPart> start() {
        return multipart(path);
      }
    };
  }

  private static RequestBody body(byte[] data, int length) {
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
        "application/octet-stream");
  }

  static String md5(byte[] data, int offset, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      md.update(data, offset, length);
      return Base64.getEncoder().encodeToString(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The part size for an object of {@code length} bytes: the configured one, grown to stay within 10,000 parts. */
  long partSizeFor(long length) {
    return sizes().partSizeFor(length);
  }

  /** Starts a multipart upload of {@code path}: its parts ({@code UploadPart}), then complete or abort. */
  private PartUpload.Parts<CompletedPart> multipart(String path) {
    String key = key(path);
    String uploadId = call("put", path, () -> s3.createMultipartUpload(r -> r.bucket(config.bucket()).key(key)))
        .uploadId();
    return new PartUpload.Parts<>() {
      @Override
      public CompletedPart part(int index, byte[] buf, int off, int n) {
        int number = index + 1;
        String md5 = md5(buf, off, n);
        RequestBody body = RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, off, n), n,
            "application/octet-stream");
        String etag = call("put", path + " (part " + number + ")", () -> s3.uploadPart(r -> r.bucket(config.bucket())
            .key(key).uploadId(uploadId).partNumber(number).contentLength((long) n).contentMD5(md5), body).eTag());
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
      }

      @Override
      public void commit(List<CompletedPart> receipts) {
        call("put", path, () -> s3.completeMultipartUpload(r -> r.bucket(config.bucket()).key(key).uploadId(uploadId)
            .multipartUpload(u -> u.parts(receipts))));
      }

      @Override
      public void abort() {
        try {
          s3.abortMultipartUpload(r -> r.bucket(config.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException | UncheckedIOException e) {
          LOG.warn("{}: could not abort the failed multipart upload {} of {}; its parts stay until a lifecycle rule"
              + " removes them: {}", name, uploadId, path, e.getMessage());
        }
      }
    };
  }

  // ---- get, list, stat, delete -----------------------------------------------------------------

  @Override
  public byte[] get(String path) {
    StorePaths.check(this, path);
    return call("get", path, () -> s3.getObject(r -> r.bucket(config.bucket()).key(key(path)),
        ResponseTransformer.toBytes()).asByteArray());
  }

  @Override
  public byte[] get(String path, long offset, int length) {
    return StorePaths.getRange(this, path, offset, length,
        () -> call("get", path, () -> s3.getObject(r -> r.bucket(config.bucket()).key(key(path))
            .range("bytes=" + offset + "-" + (offset + length - 1)), ResponseTransformer.toBytes()).asByteArray()),
        cause -> cause instanceof AwsServiceException s && s.statusCode() == 416);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    StorePaths.checkPrefix(this, prefix);
    return call("list", prefix, () -> {
      List<StoredObject> out = new ArrayList<>();
      ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(config.bucket()).prefix(key(prefix)).build();
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
        for (S3Object o : page.contents()) {
          String p = StorePaths.pathOfKey(o.key(), keyPrefix, prefix);
          if (p != null) {
            out.add(new StoredObject(p, o.size()));
          }
        }
      }
      out.sort((a, b) -> a.path().compareTo(b.path()));
      return out;
    });
  }

  @Override
  public List<String> folders(String folder) {
    String under = key(folder.isEmpty() ? "" : StorePaths.check(this, folder) + "/");
    return call("list", folder, () -> {
      List<String> out = new ArrayList<>();
      ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(config.bucket()).prefix(under)
          .delimiter("/").build();
      for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
        for (CommonPrefix p : page.commonPrefixes()) {
          String n = StorePaths.folderOfKey(p.prefix(), under);
          if (n != null) {
            out.add(n);
          }
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
      HeadObjectResponse h = call("stat", path, () -> s3.headObject(r -> r.bucket(config.bucket()).key(key(path))));
      return Optional.of(new StoredObject(path, h.contentLength()));
    } catch (NoSuchObjectException e) {
      return Optional.empty();
    }
  }

  @Override
  public void delete(String path) {
    StorePaths.check(this, path);
    try {
      call("delete", path, () -> s3.deleteObject(r -> r.bucket(config.bucket()).key(key(path))));
    } catch (NoSuchObjectException e) {
      // already gone
    }
  }

  /**
   * Aborts the incomplete multipart uploads under the prefix that were started before
   * {@code before}: what a killed process or a failed abort left, whose parts are stored (and
   * billed) but never listed. Uploads without a start time are left alone. Returns how many were
   * aborted.
   */
  @Override
  public int removeTemporaryBefore(java.time.Instant before) {
    return call("clean", "incomplete uploads", () -> {
      int aborted = 0;
      for (MultipartUpload u : s3.listMultipartUploadsPaginator(r -> r.bucket(config.bucket()).prefix(keyPrefix))
          .uploads()) {
        if (u.initiated() != null && u.initiated().isBefore(before) && u.key().startsWith(keyPrefix)) {
          try {
            s3.abortMultipartUpload(r -> r.bucket(config.bucket()).key(u.key()).uploadId(u.uploadId()));
            aborted++;
          } catch (NoSuchUploadException e) {
            // completed or aborted meanwhile
          }
        }
      }
      return aborted;
    });
  }

  /** Incomplete multipart uploads under the prefix (for tests and maintenance): key → upload id. */
  List<String> incompleteUploads() {
    return call("list uploads", "", () -> s3.listMultipartUploadsPaginator(r -> r.bucket(config.bucket())
        .prefix(keyPrefix)).uploads().stream().map(u -> u.key() + " " + u.uploadId()).toList());
  }

  /** Checks the bucket and credentials now (normally found out on first use). */
  public void connect() {
    call("open", "bucket " + config.bucket(), () -> s3.headBucket(r -> r.bucket(config.bucket())));
  }

  @Override
  public void close() {
    super.close();
    s3.close();
  }
}
