#!/usr/bin/env python3
"""Builds the second benchmark corpus: the kinds of data the standard corpus (/usr/share + a JDK) lacks.

    python3 bench/make-corpus2.py DIR [--libs DIR]

then ``../shared/bench/vs-restic.sh --corpus DIR``. The same DIR contents come out on every run
(fixed seeds), so results of different runs compare. About 1.3 GB, 22k files:

- ``libs/``: a copy of the system's shared libraries (``/usr/lib/x86_64-linux-gnu`` or ``--libs``),
  binary files of all sizes that compress moderately;
- ``disk.img`` (256 MiB): a disk image with repeated regions: one 1 MiB random region written 64 times
  at different offsets (some shifted by a few bytes, so content-defined chunking must find them),
  64 MiB of zeros in runs, and unique random data between;
- ``notes/``: 20,000 small text files (100 B to 6 KiB) in 200 folders, many sharing lines;
- ``odd/``: names with spaces, quotes, a leading dash, non-ASCII letters, emoji and 255-byte names.
"""
import os
import random
import shutil
import sys

MIB = 1 << 20


def rand_bytes(rng, n):
    return rng.getrandbits(8 * n).to_bytes(n, "little") if n else b""


def disk_image(path):
    rng = random.Random(2394)
    region = rand_bytes(rng, MIB)
    with open(path, "wb") as f:
        for i in range(64):
            shift = rng.randrange(0, 4096) if i % 4 == 3 else 0
            f.write(rand_bytes(rng, shift))          # shifts the next copy off any fixed boundary
            f.write(region)
            if i % 2 == 0:
                f.write(bytes(MIB))                   # a zeroed run
            else:
                f.write(rand_bytes(rng, MIB // 2))    # unique data
        size = f.tell()
        f.write(bytes(256 * MIB - size if size < 256 * MIB else 0))


WORDS = ("backup restore version block chunk index destination schedule retention report encryption "
         "key archive folder file network server client agent storage snapshot integrity verify "
         "the a of to and in is for on with as by at from").split()


def notes(root):
    rng = random.Random(247)
    shared = [" ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 14))) for _ in range(400)]
    for d in range(200):
        folder = os.path.join(root, "notes", f"{d // 20:02d}", f"project-{d:03d}")
        os.makedirs(folder, exist_ok=True)
        for k in range(100):
            target = rng.randrange(100, 6 * 1024)
            lines = []
            size = 0
            while size < target:
                line = rng.choice(shared) if rng.random() < 0.6 else " ".join(
                    rng.choice(WORDS) for _ in range(rng.randrange(3, 12)))
                lines.append(line)
                size += len(line) + 1
            with open(os.path.join(folder, f"note-{k:03d}.txt"), "w") as f:
                f.write("\n".join(lines) + "\n")


def odd(root):
    folder = os.path.join(root, "odd")
    os.makedirs(folder, exist_ok=True)
    names = ["with space.txt", "quote's \"double\".txt", "-leading-dash", "Ünïcödé naïve café.txt",
             "日本語のファイル.txt", "emoji 😀 file.txt", "tab\tinside", "semi;colon&amp.txt",
             "x" * 251 + ".txt", "é" * 127, ".hidden", "trailing space "]
    for i, n in enumerate(names):
        with open(os.path.join(folder, n), "w") as f:
            f.write(f"odd name {i}\n" * (i + 1))
    os.symlink("with space.txt", os.path.join(folder, "link to spaced"))


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    target = args[0]
    libs = args[args.index("--libs") + 1] if "--libs" in args else "/usr/lib/x86_64-linux-gnu"
    if os.path.exists(target):
        sys.exit(f"{target} exists: remove it first")
    tmp = target + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    shutil.copytree(libs, os.path.join(tmp, "libs"), symlinks=True, ignore_dangling_symlinks=True)
    disk_image(os.path.join(tmp, "disk.img"))
    notes(tmp)
    odd(tmp)
    os.rename(tmp, target)


if __name__ == "__main__":
    main()
