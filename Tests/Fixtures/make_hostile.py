#!/usr/bin/env python3
"""Writes the hostile PNGs the limit tests feed to imagegen into OUTDIR.

They are made at test time (the bomb is megabytes) by this script alone, with
nothing but the standard library, so the tests do not depend on our own PNG
code to build them. Each file is a structurally sound PNG (right CRCs, IHDR
first, IEND last) that is expensive only for a reader without limits:

  huge-tEXt.png, huge-zTXt.png, huge-iTXt.png
      a 1x1 image whose text chunk's length field says 0x7fffffff in a file
      of about 240 bytes: libpng allocates and clears the declared length
      before reading it.
  bomb.png
      30000x30000 RGB of zeros, about 2.6 MB: 2.7 GB to inflate.
  wide.png
      70000x1: wider than the side limit, few pixels.
  many-text.png
      100 small tEXt chunks.
  text-flood.png
      40 zTXt chunks of about 8 KB, each inflating to just under 8 MiB.
  big-text.png
      one zTXt chunk inflating to just under 8 MiB (a large but real XMP or
      prompt fits) and one inflating to just over it.
  text-then-rows.png
      seven zTXt chunks inflating to 8.38 MB each, then one row of 65535
      16-bit RGBA pixels: the text fills libpng's memory ceiling, and the
      row buffers no longer fit.

Run from anywhere:
    python3 Tests/Fixtures/make_hostile.py OUTDIR
"""
import os
import struct
import sys
import zlib

MIB = 1 << 20


def chunk(kind, data, declared=None):
    length = len(data) if declared is None else declared
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", length) + kind + data + struct.pack(">I", crc)


def png(width, height, idat, extra=b"", depth=8, colour=2):
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)  # 8-bit RGB unless told
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def one_pixel(extra):
    return png(1, 1, zlib.compress(b"\0" + b"\x10\x20\x30"), extra)


def zeros(width, height):
    """The zlib stream of `height` rows of filter 0 and zeros, without holding
    2.7 GB: a block of rows is compressed after a full flush (which resets
    the compressor), so every such block gives the same bytes and is
    repeated; the trailer's Adler-32 of n zero bytes is (n mod 65521) << 16 | 1."""
    row = bytes(1 + 3 * width)
    rows_per_block = 1000
    assert height % rows_per_block == 0 and height >= 3 * rows_per_block
    block = row * rows_per_block
    compressor = zlib.compressobj(9)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    middle = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = (compressor.compress(block) + compressor.flush())[:-4]  # its trailer covers 3 blocks only
    total = len(row) * height
    adler = (total % 65521) << 16 | 1
    return first + middle * (height // rows_per_block - 2) + last + struct.pack(">I", adler)


def ztxt(keyword, size, compressed={}):
    if size not in compressed:
        compressed[size] = zlib.compress(b"a" * size, 9)
    return chunk(b"zTXt", keyword + b"\0\0" + compressed[size])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_hostile.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {}

    text = b"imagegen metadata? no: this chunk claims two gigabytes and holds these bytes"
    bodies = {
        b"tEXt": b"Comment\0" + text,
        b"zTXt": b"Comment\0\0" + zlib.compress(text),
        b"iTXt": b"Comment\0\0\0\0\0" + text,
    }
    for kind, body in bodies.items():
        files[f"huge-{kind.decode()}.png"] = one_pixel(chunk(kind, body, declared=0x7FFFFFFF))

    files["bomb.png"] = png(30000, 30000, zeros(30000, 30000))
    files["wide.png"] = png(70000, 1, zlib.compress(bytes(1 + 3 * 70000), 9))
    files["many-text.png"] = one_pixel(b"".join(chunk(b"tEXt", b"k%d\0v%d" % (i, i)) for i in range(100)))
    files["text-flood.png"] = one_pixel(b"".join(ztxt(b"flood%d" % i, 8 * MIB - 1024) for i in range(40)))
    files["big-text.png"] = one_pixel(ztxt(b"fits", 8 * MIB - 1024) + ztxt(b"too-big", 8 * MIB + 1024))
    crowd = b"".join(ztxt(b"t%d" % i, 8_380_000) for i in range(7))
    row = bytes(1 + 8 * 65535)
    files["text-then-rows.png"] = png(65535, 1, zlib.compress(row, 9), crowd, depth=16, colour=6)

    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
