#!/usr/bin/env python3
"""A strict loopback stand-in for OpenAI's image API, for imagegen's end-to-end tests.

Usage: fake_openai.py [API_KEY] [ORGANIZATION]

Listens on 127.0.0.1 (a free port), prints "PORT <n>", serves until stdin closes
or SIGTERM, so it never outlives the test process that started it.

Like the real API it checks the key, the content type, and for the known models
every field name, type and value; any other model name acts as a lenient
OpenAI-compatible server. Images are real PNGs of the requested size whose
solid colour encodes a serial number (red = low byte, green = high byte), so
tests can tell which answer ended up in which file.

POST {base}/images/variations takes one square PNG `image` and only model, n,
size, response_format and user, strictly. POST {base}/images/edits takes a multipart/form-data form, parsed strictly
(boundary, part headers, file names without directories, content types that match
the bytes): `image` (or `image[]` once per image), an optional PNG `mask`, and the
generation fields as text parts; the log entry's "form" holds each part, files as
base64, so a test can compare them byte for byte with what it sent.

GET {base}/models lists models as OpenAI does (`{"object": "list", "data": [...]}`),
image and other models alike, one of them with a `shutdown_date`; it checks the key
and organization like generations do.

Test hooks: GET /__log (requests so far, with the serials each answer carried),
GET /__stats ({"max_in_flight": the most generation requests received and not
yet answered at one moment}), POST /__reset. Magic prompts: [[500]] [[429]]
[[flaky]] (503 the first time a prompt is seen, then success) [[policy]]
[[notjson]] [[badb64]] [[notimage]] [[truncated]] [[sleep-ms=N]] (answer N ms
late, so concurrent requests overlap). Every 429/5xx answer carries
retry-after-ms: 10 so retries are quick.

Failure-handling hooks: [[500-once]] [[retry-after-1]] (429 with only `Retry-After: 1`
the first time a prompt is seen, then success) [[503-always]] [[slow]] (answers
after 30 s) [[short-body]] (declares more bytes than it sends, then hangs up)
[[echo-key]] (a 400 whose message quotes the Authorization header received)
[[trickle]] (image URLs whose download sends 4 bytes every 100 ms).

Streaming (gpt-image-1 with "stream": true and "partial_images" 0-3, in the JSON
body or as form fields of an edit): the answer is text/event-stream, chunked, cut
into pieces at random (seeded by the prompt) and on purpose inside a `data:`
line, inside the base64 and inside a UTF-8 sequence of a keep-alive comment,
sent 2 ms apart: `image_generation.partial_image` events (`image_edit.` for
edits) with `b64_json` and `partial_image_index`, then
`image_generation.completed` with the final `b64_json`, `usage` and
`created_at`. The final image is the PNG the same request without streaming
gets. Hooks: [[fixed]] (serial 4242 and created 1700000000 whatever the order, so
two runs can be compared byte for byte), [[crlf]] (CRLF line ends),
[[stream-error]] (one partial, then an `error` event), [[stream-cut]] (the
partials, then the connection closes without the final event or the last
chunk), [[stream-cut-once]] (so the first time a prompt is seen),
[[stream-no-final]] (the partials, then a clean end of stream), [[stream-endless]] (keep-alive
comments of 8 KB without end, until the client hangs up), [[stream-slow]] (one
event at a time, 1.5 s apart, for watching a preview form).

Hostile-server hooks: [[endless]] (image URLs whose download is a chunked body
that never ends), [[endless-answer]] (the generation answer itself is one),
[[huge-length]] (image URLs whose download declares a Content-Length of 1 TiB
and then streams without end), [[redirect-http]] (image URLs that redirect to
the same file over plain http, with a ?sig= query), [[redirect-same]] (image
URLs that redirect to the same file on the same scheme and port),
[[escape-header]] (a generation answer whose Content-Type ends in terminal
escape sequences).
With FAKE_TLS_CERT and FAKE_TLS_KEY set it speaks HTTPS, and serves the test
hooks also over plain HTTP on a second port: the first line is then
"PORT <https port> CONTROL <http port>".
"""

import base64
import json
import os
import random
import re
import struct
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fakes_common import form_fields, form_log, parse_form, png, serve

API_KEY = sys.argv[1] if len(sys.argv) > 1 else "sk-test-key"
ORGANIZATION = sys.argv[2] if len(sys.argv) > 2 else None

RESPONSE_FORMATS = ["url", "b64_json"]
MODELS = {
    "dall-e-2": {
        "fields": {"model", "prompt", "n", "size", "response_format", "user"},
        "n_max": 10,
        "choices": {"size": ["256x256", "512x512", "1024x1024"], "response_format": RESPONSE_FORMATS},
    },
    "dall-e-3": {
        "fields": {"model", "prompt", "n", "size", "quality", "style", "response_format", "user"},
        "n_max": 1,
        "choices": {
            "size": ["1024x1024", "1792x1024", "1024x1792"],
            "quality": ["standard", "hd"],
            "style": ["vivid", "natural"],
            "response_format": RESPONSE_FORMATS,
        },
    },
    "gpt-image-1": {
        "fields": {"model", "prompt", "n", "size", "quality", "background", "moderation",
                   "output_compression", "output_format", "user", "stream", "partial_images"},
        "n_max": 10,
        "choices": {
            "size": ["1024x1024", "1536x1024", "1024x1536", "auto"],
            "quality": ["low", "medium", "high", "auto"],
            "background": ["transparent", "opaque", "auto"],
            "moderation": ["low", "auto"],
            "output_format": ["png", "jpeg", "webp"],
        },
    },
}

# What GET /models answers: image models (one deprecated, one the catalogue does not
# know) and a chat model, as OpenAI's list mixes them.
MODEL_LIST = [
    {"id": "gpt-image-2", "object": "model", "created": 1776729600, "owned_by": "system"},
    {"id": "gpt-image-1.5", "object": "model", "created": 1765843200, "owned_by": "system",
     "shutdown_date": "2026-12-01"},
    {"id": "gpt-image-9-preview", "object": "model", "created": 1790000000, "owned_by": "system"},
    {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
]

lock = threading.Lock()
log = []
files = {}  # id -> PNG bytes, served under /files/<id>.png
flaky_seen = set()  # prompts that already got their one [[flaky]] failure
once_seen = set()  # (hook, prompt) pairs that already had their one failure
serial = 0
in_flight = 0
max_in_flight = 0


class Reject(Exception):
    """An HTTP error answer in OpenAI's error shape."""

    def __init__(self, status, message, type_="invalid_request_error", param=None, code=None):
        super().__init__(message)
        self.status = status
        self.headers = [("retry-after-ms", "10")] if status == 429 or status >= 500 else []
        self.body = {"error": {"message": message, "type": type_, "param": param, "code": code}}


def next_serial():
    global serial
    with lock:
        serial += 1
        return serial


def first_failure(hook, prompt):
    with lock:
        seen = (hook, prompt) in once_seen
        once_seen.add((hook, prompt))
    return not seen


def type_name(value):
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "an array", dict: "an object", type(None): "null"}[type(value)]


def expect_type(body, key, kind, name):
    value = body[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise Reject(400, f"Invalid type for '{key}': expected {name}, but got "
                          f"{type_name(value)} instead.", param=key, code="invalid_type")


def validate(body):
    """Returns (n, size, response_format) or raises Reject like the real API."""
    for key in ("model", "prompt"):
        if key not in body:
            raise Reject(400, f"Missing required parameter: '{key}'.", param=key,
                         code="missing_required_parameter")
        expect_type(body, key, str, "a string")
    model = body["model"]
    spec = MODELS.get(model)
    if spec is None:  # an OpenAI-compatible server: anything goes
        n = body.get("n") if isinstance(body.get("n"), int) else 1
        return n, body.get("size"), body.get("response_format", "url")
    for key in body:
        if key not in spec["fields"]:
            raise Reject(400, f"Unknown parameter: '{key}'.", param=key, code="unknown_parameter")
    for key in ("size", "quality", "style", "response_format", "user", "background",
                "moderation", "output_format"):
        if key in body:
            expect_type(body, key, str, "a string")
    for key, allowed in spec["choices"].items():
        if key in body and body[key] not in allowed:
            raise Reject(400, f"Invalid value: '{body[key]}'. Supported values are: "
                              + ", ".join(f"'{a}'" for a in allowed) + ".",
                         param=key, code="invalid_value")
    n = 1
    if "n" in body:
        expect_type(body, "n", int, "an integer")
        n = body["n"]
        if model == "dall-e-3" and n != 1:
            raise Reject(400, "You must provide n=1 for this model.", param="n")
        if n < 1:
            raise Reject(400, f"Invalid 'n': integer below minimum value. Expected a value >= 1, "
                              f"but got {n} instead.", param="n", code="integer_below_min_value")
        if n > spec["n_max"]:
            raise Reject(400, f"Invalid 'n': integer above maximum value. Expected a value <= "
                              f"{spec['n_max']}, but got {n} instead.", param="n",
                         code="integer_above_max_value")
    if "stream" in body and not isinstance(body["stream"], bool):
        raise Reject(400, f"Invalid type for 'stream': expected a boolean, but got "
                          f"{type_name(body['stream'])} instead.", param="stream", code="invalid_type")
    if "partial_images" in body:
        expect_type(body, "partial_images", int, "an integer")
        if not 0 <= body["partial_images"] <= 3:
            raise Reject(400, "Invalid 'partial_images': must be between 0 and 3.",
                         param="partial_images", code="invalid_value")
        if body.get("stream") is not True:
            raise Reject(400, "'partial_images' is only supported when 'stream' is true.",
                         param="partial_images", code="invalid_value")
    if body.get("stream") is True and n != 1:
        raise Reject(400, "Streaming supports n=1 only.", param="n", code="invalid_value")
    if "output_compression" in body:
        expect_type(body, "output_compression", int, "an integer")
        if not 0 <= body["output_compression"] <= 100:
            raise Reject(400, "Invalid 'output_compression': must be between 0 and 100.",
                         param="output_compression", code="invalid_value")
    fmt = "b64_json" if model == "gpt-image-1" else body.get("response_format", "url")
    return n, body.get("size"), fmt


def dimensions(size):
    try:
        width, height = (int(part) for part in size.split("x"))
        if 0 < width <= 4096 and 0 < height <= 4096:
            return width, height
    except (AttributeError, ValueError):
        pass
    return 1024, 1024  # no size, "auto", or something a lenient server would ignore


def generate(body, port, edit=False):
    """The answer to a valid request: (status, content type, payload, facts for the log)."""
    n, size, fmt = validate(body)
    prompt = body["prompt"]
    sleep = re.search(r"\[\[sleep-ms=(\d+)\]\]", prompt)
    if sleep:
        time.sleep(int(sleep.group(1)) / 1000)
    if "[[500]]" in prompt:
        raise Reject(500, "The server had an error while processing your request. Sorry about that!",
                     type_="server_error")
    if "[[429]]" in prompt:
        raise Reject(429, "Rate limit reached for images per minute. Please try again later.",
                     type_="requests", code="rate_limit_exceeded")
    if "[[flaky]]" in prompt:
        with lock:
            first_time = prompt not in flaky_seen
            flaky_seen.add(prompt)
        if first_time:
            raise Reject(503, "The engine is currently overloaded, please try again later.",
                         type_="server_error")
    if "[[500-once]]" in prompt and first_failure("[[500-once]]", prompt):
        raise Reject(500, "The server had an error while processing your request. Sorry about that!",
                     type_="server_error")
    if "[[retry-after-1]]" in prompt and first_failure("[[retry-after-1]]", prompt):
        rejection = Reject(429, "Rate limit reached for images per minute. Please try again in 1s.",
                           type_="requests", code="rate_limit_exceeded")
        rejection.headers = [("Retry-After", "1")]  # and no retry-after-ms
        raise rejection
    if "[[503-always]]" in prompt:
        raise Reject(503, "The engine is currently overloaded, please try again later.",
                     type_="server_error")
    if "[[slow]]" in prompt:
        time.sleep(30)  # far beyond any test's --timeout; the fake dies with the test anyway
    if "[[policy]]" in prompt:
        raise Reject(400, "Your request was rejected as a result of our safety system.",
                     code="content_policy_violation")
    if "[[notjson]]" in prompt:
        return 200, "text/html", b"<html>oops</html>", {}
    width, height = dimensions(size)
    data, serials = [], []
    for _ in range(n):
        number = 4242 if "[[fixed]]" in prompt else next_serial()
        serials.append(number)
        image = png(width, height, number)
        if "[[notimage]]" in prompt:
            image = b"this is plain text, not an image\n" * 4
        elif "[[truncated]]" in prompt:
            image = image[: len(image) // 2]
        if fmt == "b64_json":
            encoded = base64.b64encode(image).decode()
            item = {"b64_json": "@@not*base64!!" if "[[badb64]]" in prompt else encoded}
        else:
            with lock:
                files[f"img-{number}"] = image
            hooks = ["trickle", "endless", "huge-length", "redirect-http", "redirect-same"]
            query = next((f"?{hook}" for hook in hooks if f"[[{hook}]]" in prompt), "")
            item = {"url": f"{SCHEME}://127.0.0.1:{port}/files/img-{number}.png{query}"}
        if body["model"] == "dall-e-3":
            item["revised_prompt"] = "A detailed rendering of " + prompt
        data.append(item)
    answer = {"created": 1700000000 if "[[fixed]]" in prompt else int(time.time()), "data": data}
    if body["model"] == "gpt-image-1":
        words = len(prompt.split())
        answer["usage"] = {"input_tokens": words, "output_tokens": 4160 * n,
                           "total_tokens": words + 4160 * n,
                           "input_tokens_details": {"text_tokens": words, "image_tokens": 0}}
    facts = {"serials": serials, "created": answer["created"]}
    if body.get("stream") is True:
        facts["stream"] = stream_events(body, answer, width, height, edit)
        return 200, "text/event-stream", b"", facts
    if "[[short-body]]" in prompt:
        facts["short_body"] = True
    if "[[endless-answer]]" in prompt:
        facts["endless"] = True
    content_type = "application/json"
    if "[[escape-header]]" in prompt:
        # Clears the screen, sets the window title, paints red: all a terminal would obey.
        content_type += "; x=\x1b[2J\x1b]0;pwned\x07\x1b[31mred"
    return 200, content_type, json.dumps(answer).encode(), facts


def stream_events(body, answer, width, height, edit):
    """The events of a streamed answer, as (bytes, where to cut them, how it ends)."""
    prompt = body["prompt"]
    prefix = "image_edit" if edit else "image_generation"
    newline = "\r\n" if "[[crlf]]" in prompt else "\n"
    created = answer["created"]
    blocks = [": keep-alive \u2713 \u00fcnic\u00f6de"]

    def event(name, value):
        blocks.append(f"event: {name}{newline}data: {json.dumps(value)}")

    partials = body.get("partial_images", 0)
    if "[[stream-error]]" in prompt:
        partials = min(partials, 1)
    for index in range(partials):
        image = png(width, height, 60000 + index, blue=0x20)
        event(f"{prefix}.partial_image", {
            "type": f"{prefix}.partial_image", "b64_json": base64.b64encode(image).decode(),
            "created_at": created, "size": body.get("size", "auto"), "quality": "high",
            "background": "opaque", "output_format": "png", "partial_image_index": index})
        blocks.append(": keep-alive")
    ending = "clean"
    if "[[stream-error]]" in prompt:
        event("error", {"type": "error", "error": {
            "type": "image_generation_user_error", "code": "moderation_blocked",
            "message": "Your request was rejected by the safety system.", "param": None}})
    elif "[[stream-no-final]]" in prompt:
        pass
    elif "[[stream-endless]]" in prompt:
        ending = "endless"
    elif "[[stream-cut]]" in prompt or ("[[stream-cut-once]]" in prompt
                                        and first_failure("[[stream-cut-once]]", prompt)):
        ending = "cut"
    else:
        final = {"type": f"{prefix}.completed", "b64_json": answer["data"][0]["b64_json"],
                 "created_at": created, "size": body.get("size", "auto"), "quality": "high",
                 "background": "opaque", "output_format": "png"}
        if "usage" in answer:
            final["usage"] = answer["usage"]
        event(f"{prefix}.completed", final)
    text = (newline + newline).join(blocks) + newline + newline
    payload = text.encode()
    # Cuts on purpose where a careless parser breaks, and more at random.
    cuts = {payload.index(b"data:") + 3, payload.index("\u2713".encode()) + 1}
    if b'"b64_json": "' in payload:
        cuts.add(payload.index(b'"b64_json": "') + 13 + 101)
    rng = random.Random(prompt)
    cuts |= {rng.randrange(1, len(payload)) for _ in range(12)}
    pause = 0.002
    if "[[stream-slow]]" in prompt:
        separator = (newline + newline).encode()
        cuts = {i + len(separator) for i in range(len(payload)) if payload.startswith(separator, i)}
        pause = 1.5
    return {"payload": base64.b64encode(payload).decode(), "cuts": sorted(cuts), "ending": ending,
            "partials": partials, "pause": pause}


def newline_bytes(payload):
    return b"\r\n" if b"\r\n" in payload else b"\n"


def edit(content_type, body, port):
    """An images edits form checked like the real API, answered like a generation."""
    try:
        parts = parse_form(content_type, body)
        request = form_fields(parts)
    except ValueError as problem:
        raise Reject(400, f"Could not parse multipart form: {problem}")
    files = [part for part in parts if part["filename"] is not None]
    names = [part["name"] for part in files]
    images = [name for name in names if name in ("image", "image[]")]
    if not images:
        raise Reject(400, "Missing required parameter: 'image'.", param="image", code="missing_required_parameter")
    if len(set(images)) > 1 or images.count("image") > 1:
        raise Reject(400, "Send one 'image' or several 'image[]', not both.", param="image")
    if set(names) - {"image", "image[]", "mask"} or names.count("mask") > 1:
        raise Reject(400, f"Unexpected file parts: {names}.")
    mask = next((part for part in files if part["name"] == "mask"), None)
    if mask is not None and mask["type"] != "image/png":
        raise Reject(400, "Invalid mask: must be a PNG image.", param="mask")
    if "stream" in request:
        if request["stream"] not in ("true", "false"):
            raise Reject(400, "Invalid value for 'stream': expected a boolean.", param="stream")
        request["stream"] = request["stream"] == "true"
    status, content_type, payload, facts = generate(request, port, edit=True)
    facts["form"] = form_log(parts)
    return status, content_type, payload, facts


VARIATION_FIELDS = {"model", "n", "size", "response_format", "user"}


def variation(content_type, body, port):
    """An images variations form as OpenAI documents it: exactly one PNG
    `image` (square, under 4 MB), no prompt or mask, and only model, n, size,
    response_format and user as text parts."""
    try:
        parts = parse_form(content_type, body)
        request = form_fields(parts)
    except ValueError as problem:
        raise Reject(400, f"Could not parse multipart form: {problem}")
    files = [part for part in parts if part["filename"] is not None]
    if [part["name"] for part in files] != ["image"]:
        raise Reject(400, "Send exactly one file part, 'image'.", param="image")
    image = files[0]
    if image["type"] != "image/png" or len(image["data"]) >= 4 << 20:
        raise Reject(400, "Invalid image: must be a PNG smaller than 4 MB.", param="image")
    width, height = struct.unpack(">II", image["data"][16:24])
    if width != height:
        raise Reject(400, "Invalid image: must be square.", param="image")
    for key in request:
        if key not in VARIATION_FIELDS:
            raise Reject(400, f"Unknown parameter: '{key}'.", param=key, code="unknown_parameter")
    if "n" in request and not isinstance(request["n"], int):
        raise Reject(400, "Invalid type for 'n': expected an integer.", param="n", code="invalid_type")
    status, content_type, payload, facts = generate(dict(request, prompt="variation"), port)
    facts["form"] = form_log(parts)
    return status, content_type, payload, facts


SCHEME = "https" if os.environ.get("FAKE_TLS_CERT") else "http"
PLAIN_PORT = None  # where plain http is served: the CONTROL port behind TLS, else the port


def masked(key):
    return key[:5] + "***" + key[-2:] if len(key) > 8 else "***"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep the test output clean
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's
        # algorithm meets the client's delayed ACK on a reused connection and
        # every second request on it stalls for 40 ms, as real servers avoid.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, status, content_type, payload, extra_headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    # The log GET /__log serves and POST /__reset empties: a fake built on this
    # handler gives its own (with the lock that guards it).
    request_log = log
    log_lock = lock

    def send_json(self, status, value, extra_headers=()):
        self.send(status, "application/json", json.dumps(value).encode(), extra_headers)

    def entry(self, body):
        """This request as logged: header names lower-cased, repeated headers joined."""
        path, _, query = self.path.partition("?")
        headers = {}
        for name, value in self.headers.items():
            name = name.lower()
            headers[name] = headers[name] + ", " + value if name in headers else value
        return {"method": self.command, "path": path, "query": query, "headers": headers,
                "body": body.decode("utf-8", "replace"), "received": time.monotonic()}

    def record(self, body):
        entry = self.entry(body)
        with self.log_lock:
            self.request_log.append(entry)
        return entry

    def send_log(self):
        with self.log_lock:
            self.send_json(200, self.request_log)

    def clear_log(self):
        with self.log_lock:
            self.request_log.clear()
        self.send_json(200, {"ok": True})

    def refuse(self, entry, rejection):
        """Logs and sends a rejection: any exception with a `status`, a JSON `body` and
        perhaps `headers`."""
        entry["status"] = rejection.status
        self.send_json(rejection.status, rejection.body, getattr(rejection, "headers", ()))

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        path = self.path.partition("?")[0]
        if path == "/__log":
            return self.send_log()
        if path == "/__stats":
            with lock:
                return self.send_json(200, {"max_in_flight": max_in_flight})
        entry = self.record(b"")
        if path.endswith("/models"):
            return self.list_models(entry)
        name = path.rsplit("/", 1)[-1].removesuffix(".png")
        with lock:
            image = files.get(name) if path.startswith("/files/") else None
        entry["status"] = 200 if image else 404
        if image is None:
            return self.send_json(404, Reject(404, f"No such file: {path}").body)
        query = self.path.partition("?")[2]
        if query == "redirect-http":
            entry["status"] = 302
            return self.redirect(f"http://127.0.0.1:{PLAIN_PORT}{path}?sig=fake-signature-7f3a")
        if query == "redirect-same":
            entry["status"] = 302
            return self.redirect(f"{SCHEME}://127.0.0.1:{self.server.server_address[1]}{path}")
        if query == "endless":
            return self.endless(image)
        if query == "huge-length":
            return self.endless(image, length=1 << 40)
        if "trickle" in query:
            return self.trickle(image)
        self.send(200, "image/png", image)

    def list_models(self, entry):
        """GET /models: the key and organization checked as for a generation."""
        try:
            self.check_credentials()
        except Reject as rejection:
            entry["status"] = rejection.status
            return self.send(rejection.status, "application/json", json.dumps(rejection.body).encode())
        entry["status"] = 200
        self.send_json(200, {"object": "list", "data": MODEL_LIST})

    def check_credentials(self):
        key = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if key != API_KEY:
            raise Reject(401, f"Incorrect API key provided: {masked(key)}. You can find your API "
                              "key at https://platform.openai.com/account/api-keys.",
                         code="invalid_api_key")
        if ORGANIZATION and self.headers.get("OpenAI-Organization") != ORGANIZATION:
            raise Reject(401, "OpenAI-Organization header should match organization for API key",
                         code="mismatched_organization")

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def endless(self, start, content_type="image/png", length=None):
        """`start`, then zeros without end, about 3 MB/s (fast enough to pass a small
        --max-filesize at once, slow enough that a client without a limit, running until its
        test gives up, grows to tens of MB, not gigabytes), chunked unless `length` is
        declared. Ends when the client goes away."""
        self.close_connection = True
        try:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            if length is None:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(length))
            self.end_headers()
            block = start
            while True:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if length is None else block)
                self.wfile.flush()
                block = bytes(16384)
                time.sleep(0.005)
        except OSError:
            pass

    def trickle(self, image):
        """A download that takes minutes: 4 bytes every 100 ms, until the client goes away."""
        self.close_connection = True
        try:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(image)))
            self.end_headers()
            for start in range(0, len(image), 4):
                self.wfile.write(image[start:start + 4])
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    def do_POST(self):
        global in_flight, max_in_flight
        body = self.read_body()
        if self.path == "/__reset":
            with lock:
                log.clear()
                max_in_flight = 0
            return self.send_json(200, {"ok": True})
        entry = self.record(body)
        with lock:
            in_flight += 1
            max_in_flight = max(max_in_flight, in_flight)
        try:
            status, content_type, payload, facts = self.answer(body)
            headers = []
        except Reject as rejection:
            status, content_type, headers = rejection.status, "application/json", rejection.headers
            payload, facts = json.dumps(rejection.body).encode(), {}
        # Every answer names its request, as OpenAI's x-request-id does.
        request_id = "req_" + uuid.uuid4().hex
        headers = list(headers) + [("x-request-id", request_id)]
        # Recorded before answering: once the client has its answer, the log is
        # complete, and the request no longer counts as in flight (so a client
        # that sends its next request on a new connection is never counted twice).
        with lock:
            in_flight -= 1
        entry.update(facts, status=status, request_id=request_id)
        if facts.get("short_body"):
            return self.send_short(status, content_type, payload)
        if facts.get("endless"):
            return self.endless(b'{"created": 1, "data": [', content_type=content_type)
        if "stream" in facts:
            stream = facts["stream"]
            entry["stream"] = {key: stream[key] for key in ("ending", "partials", "cuts")}
            return self.send_stream(base64.b64decode(stream["payload"]), stream["cuts"], stream["ending"],
                                    stream["pause"])
        self.send(status, content_type, payload, headers)

    def send_short(self, status, content_type, payload):
        """Promises the whole payload, sends half of it, and hangs up."""
        self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload[: len(payload) // 2])
        self.wfile.flush()

    def send_stream(self, payload, cuts, ending, pause):
        """An event stream in chunks cut at `cuts`, a little apart, so the
        client reads them as separate pieces; "cut" hangs up before the end."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        if ending in ("cut", "endless"):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.flush()
        try:
            start = 0
            for end in cuts + [len(payload)]:
                if end <= start:
                    continue
                piece = payload[start:end]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
                start = end
                time.sleep(pause)
            while ending == "endless":
                comment = b": " + b"x" * 8190 + newline_bytes(payload)
                self.wfile.write(b"%x\r\n%s\r\n" % (len(comment), comment))
                self.wfile.flush()
                time.sleep(0.001)
            if ending != "cut":
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
        except OSError:
            pass

    def answer(self, body):
        if self.path.partition("?")[0].endswith("/images/variations"):
            self.check_credentials()
            return variation(self.headers.get("Content-Type", ""), body, self.server.server_address[1])
        if self.path.partition("?")[0].endswith("/images/edits"):
            self.check_credentials()
            return edit(self.headers.get("Content-Type", ""), body, self.server.server_address[1])
        if not self.path.partition("?")[0].endswith("/images/generations"):
            raise Reject(404, f"Invalid URL (POST {self.path})")
        key = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if "[[echo-key]]" in body.decode("utf-8", "replace"):
            # Some providers quote the credential back, right or wrong; imagegen must not print it.
            raise Reject(400, "Invalid request made with credentials "
                              f"'{self.headers.get('Authorization', '')}' (api key {key}).")
        self.check_credentials()
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            raise Reject(400, "Invalid Content-Type header, expected application/json.")
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        if not isinstance(request, dict):
            raise Reject(400, "We could not parse the JSON body of your request. The OpenAI API "
                              "expects a JSON payload.")
        return generate(request, self.server.server_address[1])


class Server(ThreadingHTTPServer):
    # socketserver's default listen backlog of 5 drops the SYNs of a client
    # opening 8 connections at once; the kernel retries them a second later.
    request_queue_size = 128


def main():
    global PLAIN_PORT
    server = Server(("127.0.0.1", 0), Handler)
    control = None
    PLAIN_PORT = server.server_address[1]
    certificate, key = os.environ.get("FAKE_TLS_CERT"), os.environ.get("FAKE_TLS_KEY")
    if certificate and key:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        control = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        PLAIN_PORT = control.server_address[1]
    serve(server, control)


if __name__ == "__main__":
    main()
