"""What the loopback fakes share: their images and their life cycle (see fake_openai.py)."""

import base64
import os
import re
import signal
import struct
import sys
import threading
import zlib

# Whatever mask the parent spawned us with, SIGTERM must reach the handler serve() installs:
# a fake that cannot be stopped holds its test (and every test waiting behind it).
signal.pthread_sigmask(signal.SIG_SETMASK, [])


def png(width, height, number, blue=0x80):
    """A solid-colour RGB PNG whose red and green bytes are `number`; each row is built
    once and the whole compressed fast."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\x00" + bytes((number & 0xFF, (number >> 8) & 0xFF, blue)) * width
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(row * height, 1)) + chunk(b"IEND", b""))


def serve(server, control=None):
    """Prints "PORT <n>" (with " CONTROL <m>" when a plain-HTTP `control` server is given)
    and serves until stdin closes or SIGTERM, so a fake never outlives its test process."""
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))

    def exit_when_stdin_closes():
        while sys.stdin.buffer.read(4096):
            pass
        os._exit(0)

    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    server.daemon_threads = True
    announcement = f"PORT {server.server_address[1]}"
    if control is not None:
        control.daemon_threads = True
        threading.Thread(target=control.serve_forever, daemon=True).start()
        announcement += f" CONTROL {control.server_address[1]}"
    print(announcement, flush=True)
    server.serve_forever()


IMAGE_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff", "image/webp": b"RIFF"}


def parse_form(content_type, body):
    """A multipart/form-data body parsed strictly, as a list of dicts (name, filename,
    type, data), or ValueError saying what is wrong: the boundary, each part's headers,
    file names without directories, and content types that match the file's bytes."""
    kind, _, parameters = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        raise ValueError(f"expected multipart/form-data, got Content-Type {content_type!r}")
    match = re.fullmatch(r'\s*boundary=("?)([0-9A-Za-z\'()+_,./:=?-]{1,70})\1\s*', parameters)
    if not match:
        raise ValueError(f"no valid boundary in Content-Type {content_type!r}")
    delimiter = b"--" + match.group(2).encode()
    if not body.startswith(delimiter + b"\r\n"):
        raise ValueError("the body does not start with the boundary")
    if not body.endswith(b"\r\n" + delimiter + b"--\r\n"):
        raise ValueError("the body does not end with the closing boundary")
    inner = body[len(delimiter) + 2: -(len(delimiter) + 6)]
    parts = []
    for chunk in inner.split(b"\r\n" + delimiter + b"\r\n"):
        head, separator, data = chunk.partition(b"\r\n\r\n")
        if not separator:
            raise ValueError("a part has no blank line after its headers")
        headers = {}
        for line in head.decode("utf-8").split("\r\n"):
            name, colon, value = line.partition(":")
            if not colon or name.lower() in headers:
                raise ValueError(f"bad or repeated part header {line!r}")
            headers[name.lower()] = value.strip()
        disposition = headers.pop("content-disposition", "")
        fields = re.fullmatch(r'form-data; name="([^"/\\]+)"(?:; filename="([^"]*)")?', disposition)
        if not fields:
            raise ValueError(f"bad Content-Disposition {disposition!r}")
        name, filename = fields.group(1), fields.group(2)
        part_type = headers.pop("content-type", None)
        if headers:
            raise ValueError(f"unexpected part headers {sorted(headers)}")
        if filename is not None:
            if not filename or "/" in filename or "\\" in filename:
                raise ValueError(f"file name {filename!r} is empty or names a directory")
            magic = IMAGE_TYPES.get(part_type)
            if magic is None or not data.startswith(magic):
                raise ValueError(f"part {name!r} ({filename}) says {part_type} but its bytes do not")
        elif part_type is not None:
            raise ValueError(f"text part {name!r} has a Content-Type")
        parts.append({"name": name, "filename": filename, "type": part_type, "data": data})
    return parts


def form_fields(parts, integers=("n", "output_compression", "partial_images")):
    """The text parts as the JSON body a generation would have sent."""
    fields = {}
    for part in parts:
        if part["filename"] is not None:
            continue
        if part["name"] in fields:
            raise ValueError(f"text part {part['name']!r} is repeated")
        text = part["data"].decode("utf-8")
        fields[part["name"]] = int(text) if part["name"] in integers and text.isdigit() else text
    return fields


def form_log(parts):
    """What the test checks of the files: names, types and the exact bytes (base64)."""
    return [{"name": p["name"], "filename": p["filename"], "type": p["type"],
             "data": base64.b64encode(p["data"]).decode() if p["filename"] is not None else p["data"].decode()}
            for p in parts]
