#!/usr/bin/env python3
"""Writes PNGs for the one-pass PNG check's tests into OUTDIR.

With nothing but the standard library (zlib, struct), so the files owe
nothing to imagegen's code, and made at test time rather than committed.

  valid-c<colour>-d<depth>-i<interlace>-<width>x<height>.png
      every colour type at every bit depth PNG allows, plain and Adam7, at
      sizes that leave some of Adam7's passes empty (1x1, 3x2) and others
      odd (17x11, 33x3). Each row's filter type is picked at random (any
      bytes unfilter to some pixels), the image data is split over IDAT
      chunks of random sizes (zero-length ones included), and ancillary
      chunks come before and after the image data. Palette images carry
      all 2^depth entries, so every index is in range.

  bad-<defect>.png
      a 13x7 image (8-bit RGB unless the defect is about palettes) with
      exactly one thing wrong: see defects().

  zeros-4096.png
      4096x4096 8-bit RGBA of zeros: 64 MiB of rows from a file of 65 kB,
      for the check's memory, which must not grow with the image.

Run from anywhere:
    python3 Tests/Fixtures/make_png_matrix.py OUTDIR
"""
import os
import random
import struct
import sys
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def chunk(kind, data, crc_delta=0):
    crc = (zlib.crc32(kind + data) ^ crc_delta) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def passes(width, height, interlace):
    """(columns, rows) of each pass that has any pixels."""
    if not interlace:
        return [(width, height)]
    result = []
    for x0, y0, dx, dy in ADAM7:
        columns = (width - x0 + dx - 1) // dx if width > x0 else 0
        rows = (height - y0 + dy - 1) // dy if height > y0 else 0
        if columns and rows:
            result.append((columns, rows))
    return result


def filtered_rows(rng, width, height, colour, depth, interlace, filters=range(5)):
    out = bytearray()
    for columns, rows in passes(width, height, interlace):
        row_bytes = (columns * CHANNELS[colour] * depth + 7) // 8
        for _ in range(rows):
            out.append(rng.choice(filters))
            out += rng.randbytes(row_bytes)
    return bytes(out)


def ihdr(width, height, depth, colour, interlace):
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace))


def split(rng, data):
    """The data as IDAT chunks of random sizes, a zero-length one among them."""
    pieces, at = [], 0
    while at < len(data):
        size = rng.randint(1, max(1, len(data) // 2))
        pieces.append(data[at:at + size])
        at += size
    pieces.insert(rng.randint(0, len(pieces)), b"")
    return b"".join(chunk(b"IDAT", piece) for piece in pieces)


def palette(depth):
    return chunk(b"PLTE", bytes((i * 37 + c * 91) % 256 for i in range(1 << depth) for c in range(3)))


def valid(rng, width, height, colour, depth, interlace):
    raw = filtered_rows(rng, width, height, colour, depth, interlace)
    before = chunk(b"tEXt", b"Comment\0made by make_png_matrix.py") + chunk(b"gAMA", struct.pack(">I", 45455))
    if colour == 3:
        before += palette(depth) + chunk(b"tRNS", bytes(range(0, 256, 17))[: 1 << depth])
    elif colour == 0:
        before += chunk(b"tRNS", struct.pack(">H", 1))
    elif colour == 2:
        before += chunk(b"tRNS", struct.pack(">HHH", 1, 2, 3))
    after = chunk(b"tIME", struct.pack(">HBBBBB", 2026, 11, 29, 12, 0, 0))
    return (SIGNATURE + ihdr(width, height, depth, colour, interlace) + before
            + split(rng, zlib.compress(raw, rng.choice((0, 1, 6, 9)))) + after + chunk(b"IEND", b""))


def defects(rng):
    """name -> bytes, each a 13x7 8-bit RGB image with one thing wrong."""
    w, h = 13, 7
    raw = filtered_rows(rng, w, h, 2, 8, 0)
    good_z = zlib.compress(raw)
    head = SIGNATURE + ihdr(w, h, 8, 2, 0)
    text = chunk(b"tEXt", b"Comment\0one defect")
    end = chunk(b"IEND", b"")
    row = 1 + 3 * w

    def image(idat=None, before=b"", after=b"", header=None, tail=end):
        return (header or head) + before + (idat if idat is not None else chunk(b"IDAT", good_z)) + after + tail

    bad_filter = bytearray(raw)
    bad_filter[3 * row] = 5
    wrong_adler = bytearray(good_z)
    wrong_adler[-1] ^= 0x01
    dictionary = zlib.compressobj(zdict=b"a preset dictionary")
    with_dictionary = dictionary.compress(raw) + dictionary.flush()
    iraw = filtered_rows(rng, w, h, 2, 8, 1)
    return {
        "crc-ihdr": SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0), 1)
        + chunk(b"IDAT", good_z) + end,
        "crc-idat": image(idat=chunk(b"IDAT", good_z, 0x80000000)),
        "crc-text": image(before=chunk(b"tEXt", b"Comment\0one defect", 0x10)),
        "crc-iend": image(tail=chunk(b"IEND", b"", 1)),
        "truncated-zlib": image(idat=chunk(b"IDAT", good_z[:-9])),
        "zlib-wrong-check": image(idat=chunk(b"IDAT", bytes(wrong_adler))),
        "zlib-preset-dictionary": image(idat=chunk(b"IDAT", with_dictionary)),
        "zlib-garbage": image(idat=chunk(b"IDAT", b"\x78\x9c" + bytes(rng.randrange(256) for _ in range(64)))),
        "too-few-rows": image(idat=chunk(b"IDAT", zlib.compress(raw[:-row]))),
        "one-byte-short": image(idat=chunk(b"IDAT", zlib.compress(raw[:-1]))),
        "too-many-rows": image(idat=chunk(b"IDAT", zlib.compress(raw + raw[:row]))),
        "one-byte-over": image(idat=chunk(b"IDAT", zlib.compress(raw + b"\0"))),
        "bytes-after-zlib-end": image(idat=chunk(b"IDAT", good_z + b"\0\0\0\0")),
        "filter-type-5": image(idat=chunk(b"IDAT", zlib.compress(bytes(bad_filter)))),
        "interlaced-rows-for-plain": image(header=SIGNATURE + ihdr(w, h, 8, 2, 1)),
        "plain-rows-for-interlaced": image(idat=chunk(b"IDAT", zlib.compress(iraw))),
        "idat-not-consecutive": image(idat=chunk(b"IDAT", good_z[:20]) + text + chunk(b"IDAT", good_z[20:])),
        "idat-after-stream-end": image(idat=chunk(b"IDAT", good_z) + text + chunk(b"IDAT", b"")),
        "missing-iend": image(tail=b""),
        "iend-cut": image(tail=end[:-2]),
        "data-after-iend": image(tail=end + b"\0" * 16),
        "no-idat": head + text + end,
        "no-ihdr": SIGNATURE + chunk(b"IDAT", good_z) + end,
        "second-ihdr": image(before=ihdr(w, h, 8, 2, 0)),
        "unknown-critical": image(before=chunk(b"QUUX", b"?")),
        "palette-without-plte": SIGNATURE + ihdr(w, h, 8, 3, 0)
        + chunk(b"IDAT", zlib.compress(filtered_rows(rng, w, h, 3, 8, 0))) + end,
        "plte-after-idat": SIGNATURE + ihdr(w, h, 8, 3, 0) + palette(8)
        + chunk(b"IDAT", zlib.compress(filtered_rows(rng, w, h, 3, 8, 0))) + palette(8) + end,
        "plte-bad-length": SIGNATURE + ihdr(w, h, 8, 3, 0) + chunk(b"PLTE", b"\0" * 10)
        + chunk(b"IDAT", zlib.compress(filtered_rows(rng, w, h, 3, 8, 0))) + end,
        "ihdr-bad-depth": image(header=SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 3, 2, 0, 0, 0))),
        "ihdr-bad-colour": image(header=SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 5, 0, 0, 0))),
        "ihdr-bad-interlace": image(header=SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 2))),
        "ihdr-zero-height": image(header=SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", w, 0, 8, 2, 0, 0, 0))),
        "ihdr-short": image(header=SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBB", w, h, 8, 2, 0, 0))),
        "idat-length-over-31-bits": head + struct.pack(">I", 0x80000000) + b"IDAT" + good_z + end,
        "chunk-name": image(before=chunk(b"te?t", b"x")),
        "signature": b"\x89PNG\r\n\x1a\x0a"[:7] + b"\0" + image()[8:],
    }


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_png_matrix.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261129)
    files = {}
    sizes = ((1, 1), (3, 2), (17, 11), (33, 3))
    for colour, depths in DEPTHS.items():
        for depth in depths:
            for interlace in (0, 1):
                for width, height in sizes:
                    name = f"valid-c{colour}-d{depth}-i{interlace}-{width}x{height}.png"
                    files[name] = valid(rng, width, height, colour, depth, interlace)
    for name, data in defects(rng).items():
        files[f"bad-{name}.png"] = data
    rows = bytes(1 + 4 * 4096) * 4096
    files["zeros-4096.png"] = SIGNATURE + ihdr(4096, 4096, 8, 6, 0) + chunk(b"IDAT", zlib.compress(rows, 9)) \
        + chunk(b"IEND", b"")
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
