package au.com.backup247.agent.repo.pack;

import au.com.backup247.agent.repo.crypto.CipherSuite;
import au.com.backup247.agent.repo.crypto.MasterKey;
import au.com.backup247.agent.repo.crypto.ObjectSealer;
import au.com.backup247.agent.repo.crypto.ObjectTypes;
import au.com.backup247.agent.repo.error.CorruptDataException;
import au.com.backup247.agent.repo.index.BinaryReader;
import au.com.backup247.agent.repo.index.ChunkId;
import au.com.backup247.agent.repo.store.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads block files (FORMAT.md §4): the prologue's salt gives the block's keys; the trailer finds the header. */
public final class BlockReader {
  private BlockReader() {
  }

  /** The sealer of a block, from its 28-byte prologue. */
  public static ObjectSealer sealer(byte[] prologue, CipherSuite suite, MasterKey mk, String block) {
    if (prologue.length < BlockWriter.PROLOGUE || !Arrays.equals(prologue, 0, 8, BlockWriter.MAGIC, 0, 8)) {
      throw new CorruptDataException("block " + block + " does not start with the block magic");
    }
    if (prologue[8] != 1) {
      throw new CorruptDataException("block " + block + " has unknown format version " + prologue[8]);
    }
    if ((prologue[9] & 0xFF) != suite.id()) {
      throw new CorruptDataException("block " + block + " uses cipher " + (prologue[9] & 0xFF)
          + " but the repository uses " + suite.id());
    }
    return ObjectSealer.create(suite, mk, Arrays.copyOfRange(prologue, 12, 28));
  }

  /** Lists the blobs of the block at {@code path} by reading its prologue, trailer and header. */
  public static List<BlockEntry> readHeader(Store store, String path, long fileSize, CipherSuite suite, MasterKey mk) {
    if (fileSize < BlockWriter.PROLOGUE + BlockWriter.TRAILER) {
      throw new CorruptDataException("block " + path + " is truncated (" + fileSize + " bytes)");
    }
    ObjectSealer sealer = sealer(store.get(path, 0, BlockWriter.PROLOGUE), suite, mk, path);
    byte[] trailer = store.get(path, fileSize - BlockWriter.TRAILER, BlockWriter.TRAILER);
    if (!Arrays.equals(trailer, 4, 12, BlockWriter.END, 0, 8)) {
      throw new CorruptDataException("block " + path + " is truncated or damaged (no end marker)");
    }
    long hl = ((trailer[0] & 0xFFL) << 24) | ((trailer[1] & 0xFF) << 16) | ((trailer[2] & 0xFF) << 8) | (trailer[3] & 0xFF);
    long hstart = fileSize - BlockWriter.TRAILER - hl;
    if (hl <= 0 || hstart < BlockWriter.PROLOGUE) {
      throw new CorruptDataException("block " + path + " has a bad header length " + hl);
    }
    byte[] sealed = store.get(path, hstart, (int) hl);
    byte[] body;
    try {
      body = sealer.open(ObjectTypes.BLOCK_HEADER, BlockWriter.HEADER_ID, ObjectSealer.HEADER_NONCE, sealed, 0,
          sealed.length);
    } catch (CorruptDataException e) {
      throw new CorruptDataException("block " + path + ": header failed authentication");
    }
    BinaryReader r = new BinaryReader(body, 0, body.length, "header of block " + path);
    if (r.u8() != 0) {
      throw new CorruptDataException("header of block " + path + " has an unexpected codec");
    }
    int n = r.varintInt(1 << 24);
    List<BlockEntry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int type = r.u8();
      ChunkId id = new ChunkId(r.bytes(ChunkId.SIZE));
      long off = r.varint();
      int stored = r.varintInt(Integer.MAX_VALUE);
      int raw = r.varintInt(Integer.MAX_VALUE);
      if (off < BlockWriter.PROLOGUE || off + stored > hstart) {
        throw new CorruptDataException("header of block " + path + " lists blob " + id + " outside the block");
      }
      out.add(new BlockEntry(type, id, off, stored, raw));
    }
    r.expectEnd();
    return out;
  }
}
