#!/usr/bin/env python3
"""Regenerates the image fixtures used by the Output* unit tests.

The images come from encoders that have nothing to do with imagegen (Pillow and
ImageMagick), so the tests check our detection and libpng validation against
files we did not write ourselves. Afterwards every file is measured again with
ImageMagick's `identify` (and `webpinfo` for WebP chunk kinds) and the script
stops if any answer differs from the table below; the same table is what the
Swift tests expect.

Needs Debian's python3-pil, imagemagick and webp:
    apt-get install -y python3-pil imagemagick webp
Also writes pixels.json (every PNG fixture decoded to RGBA by Pillow) and,
through preview/make_golden.py, the terminal preview's golden files.

Run from anywhere:
    /usr/bin/python3 Tests/Fixtures/make_fixtures.py
"""
import os
import random
import shutil
import struct
import subprocess
import sys
import zlib

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def tool(name):
    # Prefer the distribution's ImageMagick over anything earlier on PATH.
    for candidate in (f"/usr/bin/{name}", shutil.which(name)):
        if candidate and os.path.exists(candidate):
            return candidate
    sys.exit(f"make_fixtures: {name} not found; apt-get install imagemagick webp")


def path(name):
    return os.path.join(HERE, name)


def gradient(mode, width, height):
    image = Image.new("RGBA", (width, height))
    for y in range(height):
        for x in range(width):
            image.putpixel((x, y), (x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1),
                                    (x + y) * 20 % 256, 255 - (x * 7 % 200)))
    return image.convert(mode)


def noise(width, height, seed):
    rng = random.Random(seed)
    return Image.frombytes("RGB", (width, height), bytes(rng.randrange(256) for _ in range(width * height * 3)))


def png_chunks(data):
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        yield offset, length, kind
        offset += 12 + length


def corrupt_idat(data, damage_data):
    """Damages the first IDAT. With damage_data, bytes of the compressed
    stream are flipped and the CRC made right again, so only the inflater can
    notice; otherwise only the stored CRC is wrong (libpng inflates as it
    reads, so damaged data would be reported by zlib before the CRC)."""
    data = bytearray(data)
    for offset, length, kind in png_chunks(bytes(data)):
        if kind == b"IDAT":
            start = offset + 8
            if damage_data:
                for i in range(2, min(length, 12)):
                    data[start + i] ^= 0x5A
                crc = zlib.crc32(bytes(data[offset + 4:start + length])) & 0xFFFFFFFF
                data[start + length:start + length + 4] = struct.pack(">I", crc)
            else:
                data[start + length + 3] ^= 0x01
            return bytes(data)
    raise SystemExit("make_fixtures: no IDAT")


def main():
    convert = tool("convert")

    gradient("RGB", 7, 5).save(path("rgb.png"))
    gradient("RGBA", 6, 9).save(path("rgba.png"))
    gradient("L", 10, 3).save(path("gray.png"))
    gradient("LA", 3, 4).save(path("gray-alpha.png"))
    palette = gradient("RGB", 13, 4).quantize(colors=4)
    palette.save(path("palette.png"), bits=2)
    # Pillow cannot write 16-bit RGB or Adam7; ImageMagick can. -strip keeps
    # dates out so that reruns give the same bytes.
    subprocess.run([convert, "-size", "5x6", "gradient:red-blue", "-strip", "-depth", "16",
                    "PNG48:" + path("rgb16.png")], check=True)
    subprocess.run([convert, "-size", "17x11", "gradient:yellow-navy", "-strip", "-interlace", "PNG",
                    "PNG24:" + path("interlaced.png")], check=True)

    # Noise does not compress, so IDAT is long enough to cut in the middle.
    noise(40, 30, 7).save(path("big-noise.tmp.png"))
    with open(path("big-noise.tmp.png"), "rb") as f:
        whole = f.read()
    os.remove(path("big-noise.tmp.png"))
    with open(path("truncated.png"), "wb") as f:
        f.write(whole[: len(whole) // 2])
    with open(path("rgb.png"), "rb") as f:
        rgb = f.read()
    with open(path("corrupt-crc.png"), "wb") as f:
        f.write(corrupt_idat(rgb, damage_data=False))
    with open(path("corrupt-idat.png"), "wb") as f:
        f.write(corrupt_idat(whole, damage_data=True))

    # A comment holding a fake SOF0 (1x1) catches a reader that scans for
    # FF C0 instead of walking the segments.
    fake_sof = b"\xff\xc0\x00\x11\x08\x00\x01\x00\x01\x03"
    gradient("RGB", 320, 24).save(path("photo.jpg"), quality=60, comment=fake_sof)
    gradient("RGB", 21, 8).save(path("progressive.jpg"), quality=70, progressive=True)

    gradient("RGB", 301, 7).save(path("lossy.webp"), lossless=False, quality=50)
    gradient("RGB", 9, 14).save(path("lossless.webp"), lossless=True)
    gradient("RGBA", 12, 10).save(path("alpha.webp"), lossless=False, quality=50)

    gradient("RGB", 260, 3).convert("P", palette=Image.ADAPTIVE, colors=16).save(path("image.gif"))

    make_decoding_fixtures()
    check()
    write_pixels()
    # The terminal preview's expected escape sequences, from the pixels above.
    subprocess.run([sys.executable, os.path.join(HERE, "preview", "make_golden.py")], check=True)


def make_decoding_fixtures():
    """More PNG shapes for the RGBA decoder: transparency by tRNS
    (palette and colour key), 1-bit grey, and text chunks for --inspect."""
    palette = gradient("RGB", 9, 5).quantize(colors=8)
    # Entries 0-7 get alphas 0, 36, 72, ...: tRNS with partial transparency.
    palette.save(path("palette-trns.png"), transparency=bytes(i * 36 for i in range(8)))
    key = gradient("RGB", 5, 3)
    key.putpixel((1, 1), (10, 20, 30))
    key.putpixel((3, 2), (10, 20, 30))
    key.save(path("rgb-trns.png"), transparency=(10, 20, 30))
    gradient("L", 11, 3).point(lambda v: 255 if v > 100 else 0).convert("1").save(path("gray1.png"))

    # Text chunks as another tool writes them: a foreign key first, imagegen's
    # keys out of order, an iTXt with UTF-8, a zTXt with a newline and an escape.
    from PIL import PngImagePlugin
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "make_fixtures.py")
    info.add_text("model", "dall-e-3")
    info.add_text("prompt", "a kite over a harbour")
    info.add_itxt("revised_prompt", "un cerf-volant \u2708 au-dessus du port")
    info.add_text("provider", "openai")
    info.add_text("parameters", '{"size":"1024x1024","quality":"hd"}')
    info.add_text("created", "2026-11-25T10:11:12Z")
    info.add_text("imagegen", "0.0.0-fixture")
    info.add_text("Comment", "line one\nline two \x1b[31mred", zip=True)
    gradient("RGB", 4, 2).save(path("metadata.png"), pnginfo=info)


# The PNGs whose pixels the decoder test checks, as Pillow decodes them to RGBA
# (16-bit samples keep their high byte, tRNS becomes alpha, as libpng's
# strip_16 and expand do).
DECODED = ["rgb.png", "rgba.png", "gray.png", "gray-alpha.png", "palette.png", "rgb16.png", "interlaced.png",
           "palette-trns.png", "rgb-trns.png", "gray1.png", "metadata.png"]


def write_pixels():
    import json
    table = {}
    for name in DECODED:
        image = Image.open(path(name))
        image.load()
        rgba = image.convert("RGBA")
        table[name] = {"width": rgba.width, "height": rgba.height, "rgba": rgba.tobytes().hex()}
    with open(path("pixels.json"), "w") as f:
        json.dump(table, f, indent=1, sort_keys=True)
        f.write("\n")


# name: (identify's format, width, height, extra facts checked by identify / webpinfo)
EXPECTED = {
    "rgb.png": ("PNG", 7, 5, {"%[png:IHDR.bit-depth-orig]": "8", "%[png:IHDR.color-type-orig]": "2"}),
    "rgba.png": ("PNG", 6, 9, {"%[png:IHDR.bit-depth-orig]": "8", "%[png:IHDR.color-type-orig]": "6"}),
    "gray.png": ("PNG", 10, 3, {"%[png:IHDR.bit-depth-orig]": "8", "%[png:IHDR.color-type-orig]": "0"}),
    "gray-alpha.png": ("PNG", 3, 4, {"%[png:IHDR.bit-depth-orig]": "8", "%[png:IHDR.color-type-orig]": "4"}),
    "palette.png": ("PNG", 13, 4, {"%[png:IHDR.bit-depth-orig]": "2", "%[png:IHDR.color-type-orig]": "3"}),
    "rgb16.png": ("PNG", 5, 6, {"%[png:IHDR.bit-depth-orig]": "16", "%[png:IHDR.color-type-orig]": "2"}),
    "interlaced.png": ("PNG", 17, 11, {"%[png:IHDR.interlace_method]": "1 (Adam7 method)"}),
    "palette-trns.png": ("PNG", 9, 5, {"%[png:IHDR.color-type-orig]": "3"}),
    "rgb-trns.png": ("PNG", 5, 3, {"%[png:IHDR.color-type-orig]": "2"}),
    "gray1.png": ("PNG", 11, 3, {"%[png:IHDR.bit-depth-orig]": "1", "%[png:IHDR.color-type-orig]": "0"}),
    "metadata.png": ("PNG", 4, 2, {"%[png:IHDR.color-type-orig]": "2"}),
    "photo.jpg": ("JPEG", 320, 24, {}),
    "progressive.jpg": ("JPEG", 21, 8, {"%[jpeg:sampling-factor]": "2x2,1x1,1x1", "%[interlace]": "JPEG"}),
    "lossy.webp": ("WEBP", 301, 7, {"webpinfo": "VP8 "}),
    "lossless.webp": ("WEBP", 9, 14, {"webpinfo": "VP8L"}),
    "alpha.webp": ("WEBP", 12, 10, {"webpinfo": "VP8X"}),
    "image.gif": ("GIF", 260, 3, {}),
}
BROKEN = ["truncated.png", "corrupt-crc.png", "corrupt-idat.png"]


def check():
    identify = tool("identify")
    failures = []
    lines = []
    for name, (fmt, width, height, facts) in EXPECTED.items():
        size = os.path.getsize(path(name))
        if size > 20_000:
            failures.append(f"{name}: {size} bytes, keep fixtures under 20 KB")
        got = subprocess.run([identify, "-format", "%m %w %h\n", path(name) + "[0]"],
                             capture_output=True, text=True, check=True).stdout.split()
        if got != [fmt, str(width), str(height)]:
            failures.append(f"{name}: identify says {got}, table says {fmt} {width} {height}")
        for key, want in facts.items():
            if key == "webpinfo":
                out = subprocess.run([tool("webpinfo"), path(name)], capture_output=True, text=True).stdout
                chunks = [line for line in out.splitlines() if line.startswith("Chunk ")]
                if not chunks or not chunks[0].startswith(f"Chunk {want} "):
                    failures.append(f"{name}: first chunk is not {want!r}:\n{out}")
                continue
            value = subprocess.run([identify, "-format", key, path(name)],
                                   capture_output=True, text=True).stdout.strip()
            if value != want:
                failures.append(f"{name}: identify {key} = {value!r}, want {want!r}")
        lines.append(f"{name} {fmt.lower()} {width} {height} {size}")
    for name in BROKEN:
        result = subprocess.run([identify, "-regard-warnings", path(name)], capture_output=True, text=True)
        if result.returncode == 0:
            failures.append(f"{name}: identify accepted a broken PNG")
        lines.append(f"{name} broken - - {os.path.getsize(path(name))}")
    with open(path("EXPECTED.txt"), "w") as f:
        f.write("# name format width height bytes, as measured by ImageMagick identify\n")
        f.write("\n".join(lines) + "\n")
    if failures:
        sys.exit("make_fixtures: " + "\n".join(failures))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
