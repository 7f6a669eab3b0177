#!/usr/bin/env python3
"""Writes the expected terminal preview (half-block drawing) of fixture PNGs.

Each golden file holds the exact bytes imagegen must write on standard error
for one fixture drawn at a given terminal size; HalfBlocksTests compares the
Swift renderer's output with them byte for byte. Nothing here comes from the
Swift code: the pixels are Pillow's decoding of the fixture (converted to
RGBA), and the scaling and escape sequences follow the rules below, written
out again in Python.

Rules (the contract of --preview's half-block drawing):
  * Size: never enlarged; width w = min(W, columns); height
    h = max(1, (H*w + W//2) // W); when rows is given and h > 2*rows, then
    h = 2*rows and w = max(1, min(W, (W*h + H//2) // H)).
  * Box filter: target pixel (tx, ty) averages source columns
    tx*W//w .. (tx+1)*W//w - 1 and rows ty*H//h .. (ty+1)*H//h - 1, each
    pixel composited on black (channel * alpha / 255); the mean is rounded
    half up: (2*sum + d) // (2*d) with d = 255 * pixel count.
  * Cells: one text line per two pixel rows. Each cell is
    ESC[38;2;R;G;B;48;2;R;G;Bm followed by U+2580 (upper half block): the
    top pixel as foreground, the bottom one as background; a last line
    without a bottom row uses ;49 (default background). The sequence is left
    out when it equals the previous cell's on the same line. Every line ends
    with ESC[0m and a newline.

cases.json lists every golden file with its fixture and terminal size.
Run: /usr/bin/python3 Tests/Fixtures/preview/make_golden.py
(make_fixtures.py runs it after regenerating the fixtures).
"""
import json
import os

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)

# (fixture, columns, rows or None)
CASES = [
    ("rgb.png", 80, None),            # small: drawn at its own size, odd height
    ("rgba.png", 80, None),           # partial alpha composited on black
    ("rgba.png", 4, None),            # 6x9 -> 4x6
    ("gray-alpha.png", 2, None),
    ("palette.png", 5, None),         # 2-bit palette, 13x4 -> 5x2
    ("palette-trns.png", 9, None),
    ("rgb-trns.png", 80, None),       # colour-key transparency -> black
    ("gray1.png", 11, None),
    ("rgb16.png", 3, None),           # 16-bit, 5x6 -> 3x4
    ("interlaced.png", 8, None),      # Adam7, 17x11 -> 8x5
    ("interlaced.png", 80, 2),        # limited by the rows: 6x4
]


def target_size(width, height, columns, rows):
    w = min(width, max(columns, 1))
    h = max(1, (height * w + width // 2) // width)
    if rows is not None and h > 2 * max(rows, 1):
        h = 2 * max(rows, 1)
        w = max(1, min(width, (width * h + height // 2) // height))
    return w, h


def downscale(image, w, h):
    W, H = image.size
    px = image.load()
    out = []
    for ty in range(h):
        y0, y1 = ty * H // h, (ty + 1) * H // h
        row = []
        for tx in range(w):
            x0, x1 = tx * W // w, (tx + 1) * W // w
            sums = [0, 0, 0]
            for y in range(y0, y1):
                for x in range(x0, x1):
                    r, g, b, a = px[x, y]
                    sums[0] += r * a
                    sums[1] += g * a
                    sums[2] += b * a
            d = 255 * (x1 - x0) * (y1 - y0)
            row.append(tuple((2 * s + d) // (2 * d) for s in sums))
        out.append(row)
    return out


def render(image, columns, rows):
    w, h = target_size(image.width, image.height, columns, rows)
    colours = downscale(image, w, h)
    text = ""
    for top in range(0, h, 2):
        previous = None
        for x in range(w):
            upper = "38;2;%d;%d;%d" % colours[top][x]
            lower = "48;2;%d;%d;%d" % colours[top + 1][x] if top + 1 < h else "49"
            sequence = "\x1b[%s;%sm" % (upper, lower)
            if sequence != previous:
                text += sequence
            previous = sequence
            text += "\u2580"
        text += "\x1b[0m\n"
    return text


def main():
    manifest = []
    for name, columns, rows in CASES:
        image = Image.open(os.path.join(FIXTURES, name))
        image.load()
        rgba = image.convert("RGBA")
        golden = "%s-%dx%s.txt" % (name[:-4], columns, rows if rows is not None else "any")
        with open(os.path.join(HERE, golden), "wb") as f:
            f.write(render(rgba, columns, rows).encode("utf-8"))
        manifest.append({"golden": golden, "fixture": name, "columns": columns, "rows": rows})
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print("\n".join(case["golden"] for case in manifest))


if __name__ == "__main__":
    main()
