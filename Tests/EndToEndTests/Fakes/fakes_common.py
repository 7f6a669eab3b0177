"""What the loopback fakes share: their images and their life cycle (see fake_openai.py)."""

import os
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
