package au.com.backup247.agent.repo.index;

import java.util.function.Consumer;

/**
 * A compact set of 32-byte chunk ids for deduplication: open addressing over a {@code long[]}
 * (four longs per id, no object per entry), about 50–100 bytes per id instead of ~200 for a
 * {@code HashSet<ChunkId>}. Ids are HMAC or SHA-256 outputs, so their first bytes are a good hash.
 * Thread-safe (synchronized: lookups are tiny next to hashing a chunk).
 */
public final class ChunkSet {
  private long[] table;
  private int size;
  private boolean hasZero;

  public ChunkSet() {
    this(1024);
  }

  public ChunkSet(int expected) {
    int cap = 16;
    while (cap * 0.6 < expected) {
      cap <<= 1;
    }
    table = new long[cap * 4];
  }

  private static long word(byte[] b, int i) {
    long v = 0;
    for (int k = 0; k < 8; k++) {
      v = v << 8 | (b[i + k] & 0xFF);
    }
    return v;
  }

  /** Adds the id; true when it was not there. */
  public synchronized boolean add(ChunkId id) {
    byte[] b = id.bytes();
    long w0 = word(b, 0);
    long w1 = word(b, 8);
    long w2 = word(b, 16);
    long w3 = word(b, 24);
    if ((w0 | w1 | w2 | w3) == 0) {
      boolean was = hasZero;
      hasZero = true;
      if (!was) {
        size++;
      }
      return !was;
    }
    if ((size + 1) > (table.length / 4) * 0.6) {
      grow();
    }
    return insert(table, w0, w1, w2, w3);
  }

  private boolean insert(long[] t, long w0, long w1, long w2, long w3) {
    int mask = t.length / 4 - 1;
    int i = (int) (w0 ^ (w0 >>> 32)) & mask;
    while (true) {
      int p = i * 4;
      if ((t[p] | t[p + 1] | t[p + 2] | t[p + 3]) == 0) {
        t[p] = w0;
        t[p + 1] = w1;
        t[p + 2] = w2;
        t[p + 3] = w3;
        if (t == table) {
          size++;
        }
        return true;
      }
      if (t[p] == w0 && t[p + 1] == w1 && t[p + 2] == w2 && t[p + 3] == w3) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  private void grow() {
    long[] old = table;
    long[] t = new long[old.length * 2];
    for (int p = 0; p < old.length; p += 4) {
      if ((old[p] | old[p + 1] | old[p + 2] | old[p + 3]) != 0) {
        insert(t, old[p], old[p + 1], old[p + 2], old[p + 3]);
      }
    }
    table = t;
  }

  public synchronized boolean contains(ChunkId id) {
    byte[] b = id.bytes();
    long w0 = word(b, 0);
    long w1 = word(b, 8);
    long w2 = word(b, 16);
    long w3 = word(b, 24);
    if ((w0 | w1 | w2 | w3) == 0) {
      return hasZero;
    }
    int mask = table.length / 4 - 1;
    int i = (int) (w0 ^ (w0 >>> 32)) & mask;
    while (true) {
      int p = i * 4;
      long[] t = table;
      if ((t[p] | t[p + 1] | t[p + 2] | t[p + 3]) == 0) {
        return false;
      }
      if (t[p] == w0 && t[p + 1] == w1 && t[p + 2] == w2 && t[p + 3] == w3) {
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  public synchronized int size() {
    return size;
  }

  /** Visits every id (in no particular order). */
  public synchronized void forEach(Consumer<ChunkId> action) {
    if (hasZero) {
      action.accept(new ChunkId(new byte[ChunkId.SIZE]));
    }
    for (int p = 0; p < table.length; p += 4) {
      if ((table[p] | table[p + 1] | table[p + 2] | table[p + 3]) != 0) {
        byte[] b = new byte[ChunkId.SIZE];
        for (int k = 0; k < 4; k++) {
          long v = table[p + k];
          for (int j = 7; j >= 0; j--) {
            b[k * 8 + j] = (byte) v;
            v >>>= 8;
          }
        }
        action.accept(new ChunkId(b));
      }
    }
  }

  /** The ids that are in both sets. */
  public ChunkSet intersect(ChunkSet other) {
    ChunkSet out = new ChunkSet(Math.min(size(), other.size()));
    forEach(id -> {
      if (other.contains(id)) {
        out.add(id);
      }
    });
    return out;
  }
}
