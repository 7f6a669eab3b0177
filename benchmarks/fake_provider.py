#!/usr/bin/env python3
"""A fast loopback OpenAI image endpoint for `make bench`.

Usage: fake_provider.py   (listens on 127.0.0.1, prints "PORT <n>", serves until killed)

Every answer is built once at start-up, so the fake spends its time on HTTP,
not on images: a request only parses its small JSON body, picks the prepared
answer for its "size" (and "n"), sleeps the latency and writes the bytes.

    POST /ms<L>/v1/images/generations   answers after L milliseconds
    POST /v1/images/generations         answers at once

Sizes (always b64_json, whatever response_format says):
    1024x1024  1024x1024 RGB noise stored uncompressed: a ~3 MiB PNG, like a real one
    1024x1792  a solid-colour PNG of a few KiB (engine benchmarks)
    256x256    a solid-colour PNG of a few hundred bytes (engine benchmarks)
    4096x4096  4096x4096 RGB noise stored uncompressed: a ~48 MiB PNG, ~64 MiB body
    anything else: the 256x256 answer

FAKE_PROVIDER_PNG=FILE serves FILE's bytes for 1024x1024 instead of the noise
image (benchmarks/cpu_per_image.sh: a PNG compressed like a real one).

GET /__stats: {"requests", "cpu_seconds" (this process's CPU time), "first",
"last" (wall clock of the first and last answer), "body_bytes": {size: bytes}}.
POST /__reset clears the counters.
"""

import base64
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def png(width, height, noise):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    if noise:
        # Random pixels stored (level 0): the file is as big as the image, and
        # nothing downstream can shrink it.
        row_bytes = 3 * width
        pixels = os.urandom(row_bytes * height)
        raw = b"".join(b"\x00" + pixels[y * row_bytes:(y + 1) * row_bytes] for y in range(height))
        idat = zlib.compress(raw, 0)
    else:
        idat = zlib.compress((b"\x00" + b"\x20\x80\xc0" * width) * height, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def answer(image, n):
    item = {"b64_json": base64.b64encode(image).decode(), "revised_prompt": "a benchmark image"}
    return json.dumps({"created": 1700000000, "data": [item] * n}).encode()


IMAGES = {
    "1024x1024": png(1024, 1024, noise=True),
    "1024x1792": png(1024, 1792, noise=False),
    "256x256": png(256, 256, noise=False),
    "4096x4096": png(4096, 4096, noise=True),
}
if os.environ.get("FAKE_PROVIDER_PNG"):
    with open(os.environ["FAKE_PROVIDER_PNG"], "rb") as given:
        IMAGES["1024x1024"] = given.read()
ANSWERS = {(size, 1): answer(image, 1) for size, image in IMAGES.items()}
LATENCY = re.compile(r"^/ms(\d+)(/.*)$")

lock = threading.Lock()
stats = {"requests": 0, "first": None, "last": None}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def reply(self, status, payload, content_type="application/json"):
        reason = "OK" if status == 200 else "Not Found"
        head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n").encode()
        if len(payload) < 1 << 20:
            self.wfile.write(head + payload)  # one segment for small answers
        else:
            self.wfile.write(head)
            self.wfile.write(payload)

    def do_GET(self):
        if self.path == "/__stats":
            with lock:
                value = dict(stats, cpu_seconds=time.process_time(),
                             body_bytes={size: len(ANSWERS[(size, 1)]) for size in IMAGES})
            return self.reply(200, json.dumps(value).encode())
        self.reply(404, b'{"error": {"message": "not found"}}')

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/__reset":
            with lock:
                stats.update(requests=0, first=None, last=None)
            return self.reply(200, b"{}")
        path, latency = self.path, 0
        match = LATENCY.match(path)
        if match:
            latency, path = int(match.group(1)), match.group(2)
        if not path.endswith("/images/generations"):
            return self.reply(404, b'{"error": {"message": "no such endpoint"}}')
        request = json.loads(body)
        size = request.get("size") if request.get("size") in IMAGES else "256x256"
        n = request.get("n", 1)
        key = (size, n)
        if key not in ANSWERS:
            with lock:
                ANSWERS[key] = answer(IMAGES[size], n)
        if latency:
            time.sleep(latency / 1000)
        self.reply(200, ANSWERS[key])
        now = time.time()
        with lock:
            stats["requests"] += 1
            stats["first"] = stats["first"] or now
            stats["last"] = now


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # 32+ connections opened at once must all be accepted

    def handle_error(self, request, client_address):
        # A client that hangs up mid-answer (a run ending, a benchmark killed)
        # is no error of the fake's: only real failures are printed.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
