#!/usr/bin/env python3
"""A strict loopback stand-in for OpenRouter's chat completions image
generation, for imagegen's end-to-end tests.

Usage: fake_openrouter.py [API_KEY]

Prints "PORT <n>", serves on 127.0.0.1 until stdin closes or SIGTERM;
GET /__log, POST /__reset as the other fakes.

As OpenRouter documents (openrouter.ai/docs/features/multimodal/image-generation):
- POST /api/v1/chat/completions with `Authorization: Bearer KEY` (else 401),
  a JSON body with a VENDOR/MODEL `model`, `messages` (one user message with
  string content), `modalities` that include "image" (else the model answers
  text only, as OpenRouter does), an optional `image_config` whose
  `aspect_ratio` is one of the listed ratios (else 400), and no field
  OpenRouter would not pass on.
- The answer: choices[0].message.images[] of {"type": "image_url",
  "image_url": {"url": "data:image/png;base64,…"}} and usage with `cost` 0.0387.
- GET /api/v1/models?output_modalities=image: an image model and a chat model
  that the query should have filtered (a proxy may not).
Magic prompt: [[text-only]] (the model answers with words and no image).
"""

import base64
import json
import os
import sys
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_openai  # noqa: E402  (shared HTTP plumbing)
from fakes_common import png, serve  # noqa: E402

API_KEY = sys.argv[1] if len(sys.argv) > 1 else "test-openrouter-key"
RATIOS = {"1:1": (1024, 1024), "2:3": (832, 1248), "3:2": (1248, 832), "3:4": (864, 1184),
          "4:3": (1184, 864), "4:5": (896, 1152), "5:4": (1152, 896), "9:16": (768, 1344),
          "16:9": (1344, 768), "21:9": (1536, 672)}
FIELDS = {"model", "messages", "modalities", "image_config", "seed", "user", "max_tokens", "temperature"}

lock = threading.Lock()
log = []
serial = 0


class Reject(Exception):
    def __init__(self, status, message, code=None):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"message": message, "code": code or status}}


def complete(body):
    global serial
    if not isinstance(body, dict):
        raise Reject(400, "Input required: body must be an object")
    for key in body:
        if key not in FIELDS:
            raise Reject(400, f"Unrecognized key: {key}")
    model = body.get("model")
    if not isinstance(model, str) or model.count("/") < 1:
        raise Reject(400, f"{model} is not a valid model ID")
    messages = body.get("messages")
    if (not isinstance(messages, list) or len(messages) != 1 or messages[0].get("role") != "user"
            or not isinstance(messages[0].get("content"), str)):
        raise Reject(400, "messages must be one user message with text content")
    modalities = body.get("modalities", ["text"])
    if not isinstance(modalities, list) or not set(modalities) <= {"image", "text"}:
        raise Reject(400, "modalities must be a list of 'image' and 'text'")
    config = body.get("image_config", {})
    ratio = config.get("aspect_ratio", "1:1") if isinstance(config, dict) else None
    if ratio not in RATIOS:
        raise Reject(400, f"image_config.aspect_ratio must be one of {sorted(RATIOS)}")
    prompt = messages[0]["content"]
    message = {"role": "assistant", "content": ""}
    serials = []
    if "image" in modalities and "[[text-only]]" not in prompt:
        with lock:
            serial += 1
            serials.append(serial)
        width, height = RATIOS[ratio]
        data = base64.b64encode(png(width // 8, height // 8, serial)).decode()
        message["images"] = [{"type": "image_url", "image_url": {"url": f"data:image/png;base64,{data}"}}]
    else:
        message["content"] = "I can only describe it: a fox in the snow."
    answer = {"id": "gen-1", "object": "chat.completion", "created": 1764000000, "model": model,
              "choices": [{"index": 0, "finish_reason": "stop", "message": message}],
              "usage": {"prompt_tokens": 8, "completion_tokens": 1290, "total_tokens": 1298, "cost": 0.0387}}
    return answer, serials


class Handler(fake_openai.Handler):
    request_log = log
    log_lock = lock

    def check_key(self):
        if self.headers.get("Authorization") != f"Bearer {API_KEY}":
            raise Reject(401, "No auth credentials found")

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/__log":
            return self.send_log()
        entry = self.record(b"")
        try:
            if path != "/api/v1/models":
                raise Reject(404, "Not Found")
            self.check_key()
            if parse_qs(query).get("output_modalities") != ["image"]:
                raise Reject(400, "expected output_modalities=image")
            entry["status"] = 200
            self.send_json(200, {"data": [
                {"id": "google/gemini-2.5-flash-image",
                 "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["image", "text"]}},
                {"id": "openai/gpt-4o", "architecture": {"output_modalities": ["text"]}},
            ]})
        except Reject as rejection:
            self.refuse(entry, rejection)

    def do_POST(self):
        body = self.read_body()
        if self.path == "/__reset":
            return self.clear_log()
        entry = self.record(body)
        try:
            if self.path != "/api/v1/chat/completions":
                raise Reject(404, "Not Found")
            self.check_key()
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                raise Reject(400, "Content-Type must be application/json")
            try:
                request = json.loads(body)
            except ValueError:
                raise Reject(400, "Invalid JSON")
            answer, serials = complete(request)
            entry.update(status=200, serials=serials)
            self.send_json(200, answer)
        except Reject as rejection:
            self.refuse(entry, rejection)


def main():
    serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))


if __name__ == "__main__":
    main()
