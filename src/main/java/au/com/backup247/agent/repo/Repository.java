package au.com.backup247.agent.repo;

import au.com.backup247.agent.repo.chunk.Chunker;
import au.com.backup247.agent.repo.compress.Codec;
import au.com.backup247.agent.repo.compress.CompressionSetting;
import au.com.backup247.agent.repo.compress.Compressor;
import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.KeyType;
import au.com.backup247.agent.repo.crypto.MasterKey;
import au.com.backup247.agent.repo.crypto.ObjectSealer;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.crypto.UserKeys;
import au.com.backup247.agent.repo.error.CorruptDataException;
import au.com.backup247.agent.repo.error.RepoException;
import au.com.backup247.agent.repo.error.WrongKeyException;
import au.com.backup247.agent.repo.index.BlobLocation;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.index.FileVersion;
import au.com.backup247.agent.repo.index.IndexPartWriter;
import au.com.backup247.agent.repo.index.IndexRef;
import au.com.backup247.agent.repo.index.IndexSegment;
import au.com.backup247.agent.repo.pack.BlockReader;
import au.com.backup247.agent.repo.pack.BlockWriter;
import au.com.backup247.agent.repo.pack.SealedObject;
import au.com.backup247.agent.repo.store.NoSuchObjectException;
import au.com.backup247.agent.repo.store.Store;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An opened repository (FORMAT.md): its parameters, unwrapped master key, and the operations on its
 * objects that backup, restore and check are built from. Thread-safe.
 */
public final class Repository implements AutoCloseable {
  private volatile int indexPartBytes = IndexPartWriter.PART_BYTES;
  private volatile java.util.function.Consumer<String> notices = m -> { };
  public static final String CONFIG = "config";
  /** Argon2id defaults for passwords and custom keys: 46 MiB, 1 pass (an OWASP-recommended setting). */
  public static final int KDF_MEMORY_KIB = 47104;
  /**
   * Target size of the block files of a new repository, in MiB (each repository keeps its own in
   * {@code config}). 16 MiB, as restic's default: a backup holds about two blocks in memory (one
   * filling, one being written), so this sets most of its heap; larger blocks mean fewer objects
   * on a remote store. {@code repo init --pack-size} chooses another.
   */
  public static final int DEFAULT_BLOCK_SIZE_MIB = 16;
  public static final int KDF_ITERATIONS = 1;
  /**
   * One key derivation at a time in this process: each takes its memory cost (46 MiB by default),
   * and repositories opened at once (several destinations of one backup) must not multiply it.
   */
  private static final Object KDF_LOCK = new Object();
  private final Store store;
  private final RepoConfig config;
  private final MasterKey mk;
  private final Chunker chunker;
  private final Compressor compressor;
  private final SecureRandom random;
  private final ConcurrentHashMap<String, ObjectSealer> sealers = new ConcurrentHashMap<>();

  private Repository(Store store, RepoConfig config, MasterKey mk, SecureRandom random) {
    this.store = store;
    this.config = config;
    this.mk = mk;
    this.random = random;
    this.chunker = config.chunkerId() == 2 ? Chunker.fixed(config.chunkAvg())
        : Chunker.fastCdc(mk.gearKey(), config.chunkMin(), config.chunkAvg(), config.chunkMax());
    this.compressor = Compressor.of(config.compression());
  }

  /** Parameters chosen at {@code init}. */
  public record InitOptions(String setId, CipherSuite cipher, CompressionSetting compression, KeyType keyType,
      int fixedBlockSize, int blockSize, int kdfMemoryKiB, int kdfIterations) {
    public static InitOptions defaults(String setId) {
      return new InitOptions(setId, CipherSuite.AES_256_GCM, CompressionSetting.DEFAULT, KeyType.PASSWORD, 0,
          DEFAULT_BLOCK_SIZE_MIB << 20, KDF_MEMORY_KIB, KDF_ITERATIONS);
    }
  }

  /**
   * Creates a repository in an empty store. {@code secret} is the Default key (44 base64 chars), the
   * password or the custom key, per {@code options.keyType()}; ignored with cipher none.
   */
  public static Repository init(Store store, InitOptions options, String secret) {
    return init(store, options, secret, null);
  }

  /**
   * Like {@link #init(Store, InitOptions, String)}, but with the master key and parameters of
   * {@code like}, so one backup can write the same blocks to both (several destinations of a set).
   */
  public static Repository initLike(Store store, Repository like, String secret) {
    RepoConfig c = like.config;
    InitOptions o = new InitOptions(c.setId(), c.cipher(), c.compression(), c.keyType(),
        c.chunkerId() == 2 ? c.chunkAvg() : 0, c.blockSize(), c.kdf() == null ? KDF_MEMORY_KIB : c.kdf().memoryKiB(),
        c.kdf() == null ? KDF_ITERATIONS : c.kdf().iterations());
    return init(store, o, secret, like.mk);
  }

  private static Repository init(Store store, InitOptions options, String secret, MasterKey given) {
    if (store.exists(CONFIG)) {
      throw new RepoException(store.name() + " already holds a repository");
    }
    SecureRandom random = new SecureRandom();
    CipherSuite suite = options.cipher();
    MasterKey mk;
    byte[] wrapped = null;
    RepoConfig.Kdf kdf = null;
    if (suite == CipherSuite.NONE) {
      mk = MasterKey.none();
    } else {
      mk = given != null ? given : MasterKey.generate(random);
      byte[] kek;
      if (options.keyType() == KeyType.DEFAULT) {
        kek = UserKeys.kekForDefault(UserKeys.decodeDefaultKey(secret));
      } else {
        if (secret == null || secret.isEmpty()) {
          throw new RepoException("the " + options.keyType().label() + " must not be empty");
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        kdf = new RepoConfig.Kdf(salt, options.kdfMemoryKiB(), options.kdfIterations(), 1);
        kek = UserKeys.kekForSecret(secret, salt, kdf.memoryKiB(), kdf.iterations(), kdf.parallelism());
      }
      wrapped = mk.wrap(kek, random);
    }
    boolean fixed = options.fixedBlockSize() > 0;
    RepoConfig config = new RepoConfig(RepoConfig.FORMAT, options.setId(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), fixed ? 2 : 1,
        fixed ? options.fixedBlockSize() : Chunker.AUTO_MIN, fixed ? options.fixedBlockSize() : Chunker.AUTO_AVG,
        fixed ? options.fixedBlockSize() : Chunker.AUTO_MAX, suite, options.compression(), options.blockSize(),
        suite == CipherSuite.NONE ? KeyType.DEFAULT : options.keyType(), kdf, wrapped);
    store.put(CONFIG, config.text(mk).getBytes(StandardCharsets.UTF_8));
    return new Repository(store, config, mk, random);
  }

  /**
   * What the opener knows about the repository it wants (FORMAT.md §7 "Identity"): whoever controls
   * the storage can replace {@code config}, so anything recorded elsewhere is compared before the
   * key is used. A null field is not checked; {@code encrypted} true refuses a config that says
   * cipher none (whose MAC anyone can compute); {@code keyId} is the master key's
   * {@linkplain MasterKey#fingerprint() fingerprint}.
   */
  public record Expectation(String setId, CipherSuite cipher, Boolean encrypted, KeyType keyType, Integer format,
      String keyId) {
    /** Nothing known. */
    public static final Expectation NONE = new Expectation(null, null, null, null, null, null);

    /**
     * What the key itself says: a key given means an encrypted repository (the offline CLI's rule; a
     * repository without encryption is opened without a key).
     */
    public static Expectation fromSecret(String secret) {
      return secret == null || secret.isEmpty() ? NONE : new Expectation(null, null, true, null, null, null);
    }

    /** Mismatches between this and {@code c}, as "field X, expected Y" phrases; empty when none. */
    List<String> mismatches(RepoConfig c) {
      List<String> out = new ArrayList<>();
      if (setId != null && !setId.equals(c.setId())) {
        out.add("set id " + c.setId() + ", expected " + setId);
      }
      if (cipher != null && cipher != c.cipher()) {
        out.add("cipher " + c.cipher().label() + ", expected " + cipher.label());
      } else if (Boolean.TRUE.equals(encrypted) && c.cipher() == CipherSuite.NONE) {
        out.add("cipher none (no encryption), but a key was given");
      }
      if (keyType != null && c.cipher() != CipherSuite.NONE && keyType != c.keyType()) {
        out.add("key type " + c.keyType().label() + ", expected " + keyType.label());
      }
      if (format != null && format != c.format()) {
        out.add("format " + c.format() + ", expected " + format);
      }
      return out;
    }
  }

  /**
   * Opens the repository in {@code store} with the user's key, password or custom key; a key given
   * means the repository must be encrypted ({@link Expectation#fromSecret}).
   */
  public static Repository open(Store store, String secret) {
    return open(store, secret, Expectation.fromSecret(secret));
  }

  /**
   * Opens the repository in {@code store}, refusing one whose {@code config} disagrees with
   * {@code expected}, with a message naming each mismatch, before any key derivation.
   */
  public static Repository open(Store store, String secret, Expectation expected) {
    String where = "config of repository " + store.name();
    String text;
    try {
      text = new String(store.get(CONFIG), StandardCharsets.UTF_8);
    } catch (NoSuchObjectException e) {
      throw new RepoException("no repository at " + store.name() + " (no config); create one with 'repo init'");
    }
    RepoConfig config = RepoConfig.parse(text, where);
    List<String> wrong = expected.mismatches(config);
    if (!wrong.isEmpty()) {
      throw new RepoException("refusing repository " + store.name() + ": its config says " + String.join("; ", wrong)
          + ". Whoever controls the storage can replace the config (for example to make backups go out"
          + " unencrypted); if this change is really yours, set the destination up again");
    }
    MasterKey mk;
    if (config.cipher() == CipherSuite.NONE) {
      mk = MasterKey.none();
    } else {
      if (secret == null || secret.isEmpty()) {
        throw new WrongKeyException("repository " + store.name() + " is encrypted: a key is needed");
      }
      byte[] kek = config.keyType() == KeyType.DEFAULT ? UserKeys.kekForDefault(UserKeys.decodeDefaultKey(secret))
          : stretch(secret, config);
      try {
        mk = MasterKey.unwrap(kek, config.wrappedKey());
      } catch (WrongKeyException e) {
        throw new WrongKeyException("wrong key for repository " + store.name());
      }
    }
    RepoConfig.verifyMac(text, mk, where);
    if (expected.keyId() != null && !expected.keyId().equals(mk.fingerprint())) {
      throw new RepoException("refusing repository " + store.name() + ": its master key (fingerprint "
          + mk.fingerprint() + ") is not the one recorded for it (" + expected.keyId() + "); the repository was "
          + "replaced");
    }
    return new Repository(store, config, mk, new SecureRandom());
  }

  /** The key-encryption key of a password or Custom key, derived as {@code config}'s KDF says, one derivation at a time. */
  private static byte[] stretch(String secret, RepoConfig config) {
    synchronized (KDF_LOCK) {
      return UserKeys.kekForSecret(secret, config.kdf().salt(), config.kdf().memoryKiB(), config.kdf().iterations(),
          config.kdf().parallelism());
    }
  }

  public Store store() {
    return store;
  }

  public RepoConfig config() {
    return config;
  }

  public Chunker chunker() {
    return chunker;
  }

  public Compressor compressor() {
    return compressor;
  }

  /** The master key, for components that read blocks directly (check, decrypt). */
  public MasterKey masterKey() {
    return mk;
  }

  public CipherSuite cipher() {
    return config.cipher();
  }

  /** Chunk id of plaintext (FORMAT.md §2). */
  public ChunkId id(byte[] data, int off, int len) {
    return new ChunkId(mk.id(data, off, len));
  }

  /** True when {@code other} seals blobs identically (same master key and parameters): blocks can be shared. */
  public boolean sharesBlocksWith(Repository other) {
    return Arrays.equals(mk.chunkIdKey(), other.mk.chunkIdKey()) && config.cipher() == other.config.cipher()
        && config.chunkerId() == other.config.chunkerId() && config.chunkAvg() == other.config.chunkAvg()
        && config.chunkMin() == other.config.chunkMin() && config.chunkMax() == other.config.chunkMax()
        && config.compression() == other.config.compression();
  }

  public BlockWriter newBlockWriter() {
    return new BlockWriter(config.cipher(), mk, random, blockBufferSize());
  }

  /** A writer filling a pooled buffer of at least {@link #blockBufferSize()} bytes. */
  public BlockWriter newBlockWriter(byte[] buffer) {
    return new BlockWriter(config.cipher(), mk, random, buffer);
  }

  /** Room for a full block plus one largest blob and a header, so a block buffer rarely grows. */
  public int blockBufferSize() {
    return config.blockSize() + chunker.maxSize() + (1 << 20);
  }

  // ---------------------------------------------------------------- jobs, manifests, index segments

  /** Committed jobs (those with a manifest), oldest first. */
  public List<String> jobIds() {
    return jobIds(store, "");
  }

  /**
   * The committed jobs of the repository in folder {@code under} of {@code store} ({@code ""} or a
   * path ending in '/'), oldest first: what a listing of its {@code jobs/} shows, without its key.
   */
  static List<String> jobIds(Store store, String under) {
    String folder = under + "jobs/";
    List<String> out = new ArrayList<>();
    for (Store.StoredObject o : store.list(folder)) {
      String name = o.path().substring(folder.length());
      if (name.endsWith(".job") && !name.contains("/")) {
        out.add(name.substring(0, name.length() - 4));
      }
    }
    out.sort(String::compareTo);
    return out;
  }

  public Manifest manifest(String jobId) {
    String name = "jobs/" + jobId;
    byte[] body;
    for (int attempt = 0; ; attempt++) { // a manifest damaged in transit is fetched again (guide ch. 11.2)
      byte[] data;
      try {
        data = store.get(name + ".job");
      } catch (NoSuchObjectException e) {
        throw new RepoException("job " + jobId + " does not exist in " + store.name());
      }
      try {
        body = SealedObject.read(SealedObject.JOB_MAGIC, config.cipher(), mk, ObjectTypes.MANIFEST,
            SealedObject.nameId(name), data, "manifest of job " + jobId);
        if (attempt > 0) {
          notices.accept("Manifest " + name + ".job of job " + jobId + " re-transferred from " + store.name()
              + " (damaged)");
        }
        break;
      } catch (CorruptDataException e) {
        if (attempt >= IndexTransfer.RETRIES) {
          throw new CorruptDataException(e.getMessage() + " (at " + store.name() + ", after " + (attempt + 1)
              + " downloads)");
        }
      }
    }
    byte[] plain = decodeObject(body, "manifest of job " + jobId);
    return new Manifest(jobId, Props.parse(new String(plain, StandardCharsets.UTF_8), "manifest of job " + jobId));
  }

  /** The job's whole index segment (all its parts, concatenated), each part checked against its manifest. */
  public IndexSegment segment(Manifest m) {
    List<IndexSegment.Block> blocks = new ArrayList<>();
    java.util.Set<String> blockNames = new java.util.HashSet<>();
    List<IndexSegment.Blob> blobs = new ArrayList<>();
    List<FileVersion> added = new ArrayList<>();
    List<String> ended = new ArrayList<>();
    String prev = null;
    for (IndexRef ref : m.segmentRefs()) {
      IndexSegment part = indexPart(ref, m.jobId());
      prev = part.previousJobId();
      for (IndexSegment.Block b : part.blocks()) {
        if (blockNames.add(b.path())) {
          blocks.add(b);
        }
      }
      blobs.addAll(part.blobs());
      added.addAll(part.added());
      ended.addAll(part.ended());
    }
    return new IndexSegment(m.jobId(), prev, blocks, blobs, added, ended);
  }

  /**
   * One part of a job's index segment or checkpoint, checked against the size and SHA-256 its
   * manifest records (so a part can never be swapped for another), then opened and decoded.
   */
  public IndexSegment indexPart(IndexRef ref, String jobId) {
    return indexPart(ref, jobId, true);
  }

  /** {@link #indexPart(IndexRef, String)}, without decoding file versions unless {@code files}. */
  public IndexSegment indexPart(IndexRef ref, String jobId, boolean files) {
    return indexPart(openIndexPart(ref, jobId), ref, jobId, files);
  }

  /**
   * The first half of {@link #indexPart(IndexRef, String, boolean)}: the part downloaded, checked
   * against its reference and decrypted (its body, still compressed), for a caller that decodes it
   * more than once ({@code IndexChain}) with {@link #indexPart(byte[], IndexRef, String, boolean)}.
   */
  public byte[] openIndexPart(IndexRef ref, String jobId) {
    String what = indexPartName(ref, jobId);
    byte[] data = IndexTransfer.download(store, ref, what, notices); // re-downloaded on a mismatch (ch. 11.2)
    return SealedObject.read(SealedObject.INDEX_MAGIC, config.cipher(), mk, ObjectTypes.INDEX,
        SealedObject.nameId(ref.name()), data, what);
  }

  /** Decodes a part's body opened by {@link #openIndexPart}; without file versions unless {@code files}. */
  public IndexSegment indexPart(byte[] opened, IndexRef ref, String jobId, boolean files) {
    String what = indexPartName(ref, jobId);
    IndexSegment seg = IndexSegment.decode(decodeObject(opened, what), what, files);
    if (!seg.jobId().equals(jobId)) {
      throw new CorruptDataException(what + " names job " + seg.jobId());
    }
    return seg;
  }

  private static String indexPartName(IndexRef ref, String jobId) {
    return "index " + ref.name() + " of job " + jobId;
  }

  /**
   * Seals and writes one index or checkpoint part, reads it back and compares (re-uploading on a
   * mismatch, guide ch. 11.2); returns the reference its manifest records.
   */
  public IndexRef writeIndexPart(String name, byte[] plain) {
    byte[] body = Compressor.of(CompressionSetting.NORMAL).body(plain, 0, plain.length);
    byte[] data = SealedObject.write(SealedObject.INDEX_MAGIC, config.cipher(), mk, random, ObjectTypes.INDEX,
        SealedObject.nameId(name), body);
    return IndexTransfer.upload(store, name, data, notices);
  }

  /**
   * Where re-transfers of index parts are reported (a job sets its log here while it runs); by
   * default nowhere.
   */
  public void notices(java.util.function.Consumer<String> notices) {
    this.notices = notices == null ? m -> { } : notices;
  }

  /**
   * Sets the plaintext size that closes an index or checkpoint part (default
   * {@link IndexPartWriter#PART_BYTES}); tests use small parts to exercise multi-part indexes.
   */
  public void indexPartBytes(int bytes) {
    this.indexPartBytes = bytes;
  }

  /** A writer for a job's index segment parts ({@code index/<jobId>.idx}, {@code index/<jobId>.1.idx}, …). */
  public IndexPartWriter segmentWriter(String jobId, String previousJobId) {
    return new IndexPartWriter(jobId, previousJobId, "index/" + jobId, "idx", this::writeIndexPart,
        indexPartBytes);
  }

  /** A writer for the checkpoint written with a job ({@code index/<jobId>.ckp}, …). */
  public IndexPartWriter checkpointWriter(String jobId, String previousJobId) {
    return new IndexPartWriter(jobId, previousJobId, "index/" + jobId, "ckp", this::writeIndexPart,
        indexPartBytes);
  }

  /**
   * A writer for revision {@code rev} of a job's segment ({@code ext} "idx") or checkpoint ("ckp"),
   * stored under {@link Manifest#revisionBase} (a prune's rewrite, FORMAT.md §10).
   */
  public IndexPartWriter revisionWriter(String jobId, String previousJobId, String ext, long rev) {
    return new IndexPartWriter(jobId, previousJobId, Manifest.revisionBase(jobId, rev), ext, this::writeIndexPart,
        indexPartBytes);
  }

  /** Writes a whole index segment (tests and tools; backups stream theirs). */
  public List<IndexRef> writeSegment(IndexSegment seg) {
    IndexPartWriter w = segmentWriter(seg.jobId(), seg.previousJobId());
    seg.blocks().forEach(w::block);
    seg.blobs().forEach(w::blob);
    seg.added().forEach(w::added);
    seg.ended().forEach(w::ended);
    return w.finish();
  }

  /** Writes the manifest: from now on the job exists. */
  public void writeManifest(String jobId, Props props) {
    String name = "jobs/" + jobId;
    byte[] plain = props.bytes();
    byte[] body = new byte[plain.length + 1];
    body[0] = (byte) Codec.NONE.id();
    System.arraycopy(plain, 0, body, 1, plain.length);
    IndexTransfer.upload(store, name + ".job", SealedObject.write(SealedObject.JOB_MAGIC, config.cipher(), mk, random,
        ObjectTypes.MANIFEST, SealedObject.nameId(name), body), "manifest " + name + ".job of job " + jobId, notices);
  }

  /** Decodes the body of a standalone object, whose raw length is in its zstd frame (or is the rest). */
  static byte[] decodeObject(byte[] body, String what) {
    if (body.length > 0 && body[0] == (byte) Codec.ZSTD.id()) {
      long n = com.github.luben.zstd.Zstd.getFrameContentSize(body, 1, body.length - 1);
      if (n < 0 || n > Integer.MAX_VALUE - 16) {
        throw new CorruptDataException(what + " has a malformed compressed payload");
      }
      return Compressor.decode(body, 0, body.length, (int) n);
    }
    return Compressor.decode(body, 0, body.length, body.length - 1);
  }

  // ---------------------------------------------------------------- blobs

  private ObjectSealer sealerOf(String block) {
    return sealers.computeIfAbsent(block, b -> BlockReader.sealer(store.get(b, 0, BlockWriter.PROLOGUE),
        config.cipher(), mk, b));
  }

  /** Reads, authenticates, decompresses and (for data) re-hashes a blob; errors name blob, block and job. */
  public byte[] readBlob(ChunkId id, BlobLocation loc) {
    byte[] stored = readStored(id, loc);
    try {
      // the stored bytes are this call's own: decrypted in place, nothing else is allocated for them
      int n = sealerOf(loc.block()).openInPlace(loc.type(), id.bytes(), loc.offset(), stored, 0, loc.storedLength());
      return decodeBody(id, loc, stored, n);
    } catch (CorruptDataException e) {
      throw damaged(id, loc, e);
    }
  }

  /**
   * Reads a blob with the checks of {@link #readBlob(ChunkId, BlobLocation)}, without allocating its
   * plaintext: the result is a view of {@code buf}'s array (grown as needed and kept from call to
   * call), or of the stored bytes when the blob was stored uncompressed. The view is valid until the
   * next call with {@code buf}; a caller that keeps the bytes copies them.
   */
  public ByteBuffer readBlob(ChunkId id, BlobLocation loc, PlainBuffer buf) {
    byte[] stored = readStored(id, loc);
    try {
      int n = sealerOf(loc.block()).openInPlace(loc.type(), id.bytes(), loc.offset(), stored, 0, loc.storedLength());
      Compressor.checkRawLength(stored, 0, n, loc.rawLength());
      byte[] plain;
      int off;
      if (stored[0] == (byte) Codec.NONE.id()) {
        plain = stored; // stored uncompressed: the body is the plaintext
        off = 1;
      } else {
        plain = buf.ensure(loc.rawLength());
        off = 0;
        Compressor.decodeInto(stored, 0, n, loc.rawLength(), plain);
      }
      checkId(id, loc, plain, off, loc.rawLength());
      return ByteBuffer.wrap(plain, off, loc.rawLength());
    } catch (CorruptDataException e) {
      throw damaged(id, loc, e);
    }
  }

  /**
   * A reader's plaintext buffer for {@link #readBlob(ChunkId, BlobLocation, PlainBuffer)}: one per
   * thread, reused from blob to blob. Not thread-safe.
   */
  public static final class PlainBuffer {
    /** A larger array is not kept after the blob that needed it (a rare huge blob). */
    static final int MAX_KEPT = 16 << 20;
    private byte[] array = new byte[0];

    byte[] ensure(int n) {
      if (array.length >= n) {
        return array;
      }
      byte[] a = new byte[Math.max(n, Math.min(MAX_KEPT, array.length * 2))];
      if (a.length <= MAX_KEPT) {
        array = a;
      }
      return a;
    }
  }

  private byte[] readStored(ChunkId id, BlobLocation loc) {
    try {
      return store.get(loc.block(), loc.offset(), loc.storedLength());
    } catch (NoSuchObjectException e) {
      throw new CorruptDataException("blob " + id + ": block " + loc.block() + " (job " + jobOf(loc.block())
          + ") is missing");
    } catch (RepoException e) {
      throw new CorruptDataException("blob " + id + " in block " + loc.block() + " (job " + jobOf(loc.block())
          + ") cannot be read: " + e.getMessage());
    }
  }

  /** Opens a blob whose stored bytes start at {@code off} of {@code buf}. */
  public byte[] openBlob(ChunkId id, BlobLocation loc, byte[] buf, int off) {
    try {
      byte[] body = sealerOf(loc.block()).open(loc.type(), id.bytes(), loc.offset(), buf, off, loc.storedLength());
      return decodeBody(id, loc, body, body.length);
    } catch (CorruptDataException e) {
      throw damaged(id, loc, e);
    }
  }

  /** Decompresses the body {@code body[0, len)} of a blob and (for data) checks it against its id. */
  private byte[] decodeBody(ChunkId id, BlobLocation loc, byte[] body, int len) {
    byte[] plain = Compressor.decode(body, 0, len, loc.rawLength());
    checkId(id, loc, plain, 0, plain.length);
    return plain;
  }

  private void checkId(ChunkId id, BlobLocation loc, byte[] plain, int off, int len) {
    if (loc.type() == ObjectTypes.DATA && !Arrays.equals(mk.id(plain, off, len), id.bytes())) {
      throw new CorruptDataException("content does not match its id");
    }
  }

  private static CorruptDataException damaged(ChunkId id, BlobLocation loc, CorruptDataException e) {
    return new CorruptDataException("blob " + id + " in block " + loc.block() + " (job " + jobOf(loc.block())
        + ") is damaged: " + e.getMessage());
  }

  public static String jobOf(String blockPath) {
    String[] parts = blockPath.split("/");
    return parts.length >= 3 ? parts[1] : "?";
  }


  @Override
  public void close() {
    store.close();
  }
}
