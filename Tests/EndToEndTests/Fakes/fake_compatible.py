#!/usr/bin/env python3
"""Strict loopback stand-ins for the OpenAI-compatible image APIs imagegen
reaches by preset, for its end-to-end tests.

Usage: fake_compatible.py FLAVOUR [API_KEY]

FLAVOUR is recraft, nscale or xinference. Prints "PORT <n>", serves on
127.0.0.1 until stdin closes or SIGTERM; GET /__log, POST /__reset.

Each serves POST /v1/images/generations with a JSON body holding a string
`model` and `prompt` and only the fields its documentation lists:
- recraft (recraft.ai/docs): Bearer KEY; n, size, style, substyle, style_id,
  response_format, controls; `style` one of its styles; answers `url` (served
  at /files/…) unless b64_json is asked for, each with an `image_id`.
- nscale (docs.nscale.com): Bearer KEY; n, size; answers b64_json.
- xinference (inference.readthedocs.io): a Bearer KEY only when started with
  one (started with the key "none", no Authorization header may arrive); n,
  size, response_format, kwargs; answers b64_json when asked, else (as the
  real one does) a url that is a file path on the server.
"""

import base64
import json
import os
import sys
import threading
import time
import uuid
from http.server import ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_openai  # noqa: E402  (shared HTTP plumbing)
from fake_openai import dimensions  # noqa: E402
from fakes_common import png, serve  # noqa: E402

FLAVOUR = sys.argv[1]
API_KEY = sys.argv[2] if len(sys.argv) > 2 else "test-compatible-key"
FIELDS = {
    "recraft": {"n", "size", "style", "substyle", "style_id", "response_format", "controls"},
    "nscale": {"n", "size"},
    "xinference": {"n", "size", "response_format", "kwargs"},
}[FLAVOUR]
# GET /v1/models, OpenAI-shaped; Xinference also says each running model's type.
MODELS = {
    "nscale": [
        {"id": "black-forest-labs/FLUX.1-schnell", "object": "model", "created": 1, "owned_by": "nscale"},
        {"id": "stabilityai/stable-diffusion-xl-base-1.0", "object": "model", "created": 1, "owned_by": "nscale"},
    ],
    "xinference": [
        {"id": "sd3-medium", "object": "model", "created": 0, "owned_by": "xinference", "model_type": "image"},
        {"id": "qwen2.5-instruct", "object": "model", "created": 0, "owned_by": "xinference", "model_type": "LLM"},
    ],
}
RECRAFT_STYLES = {"any", "realistic_image", "digital_illustration", "vector_illustration", "icon"}

lock = threading.Lock()
log = []
files = {}
serial = 0


class Reject(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"message": message, "code": "invalid_request"}}


def generate(body, port):
    global serial
    if not isinstance(body, dict) or not isinstance(body.get("model"), str) or not isinstance(body.get("prompt"), str):
        raise Reject(400, "model and prompt are required strings")
    for key in body:
        if key not in FIELDS | {"model", "prompt"}:
            raise Reject(400, f"unknown field: {key}")
    if FLAVOUR == "recraft" and body.get("style", "any") not in RECRAFT_STYLES:
        raise Reject(400, f"unknown style {body.get('style')}")
    n = body.get("n", 1)
    if not isinstance(n, int) or not 1 <= n <= 6:
        raise Reject(400, "n must be from 1 to 6")
    width, height = dimensions(body.get("size", "512x512"))
    fmt = body.get("response_format", "b64_json" if FLAVOUR == "nscale" else "url")
    data, serials = [], []
    for _ in range(n):
        with lock:
            serial += 1
            number = serial
        serials.append(number)
        image = png(width // 4, height // 4, number)
        if fmt == "url" and FLAVOUR == "xinference":
            # Xinference's url is a file on the server, of no use to a client elsewhere.
            item = {"url": f"/home/admin/.xinference/image/{uuid.uuid4().hex}.jpg", "b64_json": None}
        elif fmt == "url":
            with lock:
                files[f"img-{number}"] = image
            item = {"url": f"http://127.0.0.1:{port}/files/img-{number}.png"}
        else:
            item = {"b64_json": base64.b64encode(image).decode()}
        if FLAVOUR == "recraft":
            item["image_id"] = str(uuid.uuid4())
        data.append(item)
    answer = {"created": int(time.time()), "data": data}
    if FLAVOUR == "recraft":
        answer["credits"] = 40 * n
    return answer, serials


class Handler(fake_openai.Handler):
    request_log = log
    log_lock = lock

    def check_key(self):
        header = self.headers.get("Authorization")
        if API_KEY == "none":
            if header is not None:
                raise Reject(400, "this server takes no credentials")
            return
        if header != f"Bearer {API_KEY}":
            raise Reject(401, "Invalid API key")

    def do_GET(self):
        path = self.path.partition("?")[0]
        if path == "/__log":
            return self.send_log()
        entry = self.record(b"")
        if path == "/v1/models" and FLAVOUR in MODELS:
            try:
                self.check_key()
            except Reject as refused:
                return self.refuse(entry, refused)
            entry["status"] = 200
            return self.send_json(200, {"object": "list", "data": MODELS[FLAVOUR]})
        with lock:
            image = files.get(path.rsplit("/", 1)[-1].removesuffix(".png")) if path.startswith("/files/") else None
        entry["status"] = 200 if image else 404
        if image is None:
            return self.send_json(404, {"error": {"message": "not found"}})
        self.send(200, "image/png", image)

    def do_POST(self):
        body = self.read_body()
        if self.path == "/__reset":
            return self.clear_log()
        entry = self.record(body)
        try:
            if self.path != "/v1/images/generations":
                raise Reject(404, "Not Found")
            self.check_key()
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                raise Reject(415, "Content-Type must be application/json")
            try:
                request = json.loads(body)
            except ValueError:
                raise Reject(400, "Invalid JSON")
            answer, serials = generate(request, self.server.server_address[1])
            entry.update(status=200, serials=serials)
            self.send_json(200, answer)
        except Reject as rejection:
            self.refuse(entry, rejection)


def main():
    serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))


if __name__ == "__main__":
    main()
