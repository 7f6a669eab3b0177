#!/usr/bin/env python3
"""A strict loopback stand-in for Black Forest Labs' FLUX API, for imagegen's
end-to-end tests.

Usage: fake_bfl.py [API_KEY]

Prints "PORT <n>" and serves on 127.0.0.1 until stdin closes or SIGTERM. A
second server on another port plays a foreign host: a polling URL there must
never receive the key. Both log into one list (GET /__log; POST /__reset),
each entry with "server": "main" or "foreign".

Like BFL (docs.bfl.ai) it serves:
- POST /v1/{model}: the key in `x-key` (else 403 {"detail": …}), a JSON object
  body with a string prompt and only the model's fields; width and height, where
  given, multiples of 32 from 256 to 1440 (else 422 with FastAPI's detail list).
  Answers {"id", "polling_url", "cost", "input_mp", "output_mp"}.
- GET /v1/get_result?id=ID: the key again (on the main server); answers
  {"id", "status", "result"} — Pending, then Ready with result.sample.
- GET /delivery/ID.png: the image (no key needed; one sent is logged).
Magic prompts: [[pending:N]] (N Pending answers first; default 1), [[failed]]
(Pending, then Error), [[moderated]] (Content Moderated with its reasons),
[[forever]] (always Pending), [[foreign]] (the polling URL is on the foreign
server, which answers like BFL without asking for a key), [[redirect]] (the
main server answers each poll with a 307 to the foreign server).
Polls closer than 0.4 s apart are answered 429, as a rate limit would.
"""

import json
import os
import re
import sys
import threading
import time
import uuid
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_openai  # noqa: E402  (shared HTTP plumbing)
from fakes_common import png, serve  # noqa: E402

API_KEY = sys.argv[1] if len(sys.argv) > 1 else "test-bfl-key"
COMMON = {"prompt", "seed", "output_format", "safety_tolerance", "prompt_upsampling", "webhook_url",
          "webhook_secret"}
SIZED = COMMON | {"width", "height", "steps", "guidance", "image_prompt", "interval"}
MODELS = {
    "flux-pro-1.1": SIZED, "flux-dev": SIZED, "flux-pro": SIZED,
    "flux-pro-1.1-ultra": COMMON | {"aspect_ratio", "raw", "image_prompt", "image_prompt_strength"},
    "flux-kontext-pro": COMMON | {"aspect_ratio", "input_image"},
    "flux-2-pro": COMMON | {"width", "height"} | {f"input_image{s}" for s in ["", "_2", "_3", "_4"]},
}

lock = threading.Lock()
log = []
tasks = {}
serial = 0
PORTS = {}


class Reject(Exception):
    def __init__(self, status, detail):
        super().__init__(str(detail))
        self.status = status
        self.body = {"detail": detail}


def field_error(location, message):
    return Reject(422, [{"loc": ["body", location], "msg": message, "type": "value_error"}])


def submit(model, body):
    if model not in MODELS:
        raise Reject(404, "Not Found")
    if not isinstance(body, dict):
        raise field_error("__root__", "Input should be a valid dictionary")
    if not isinstance(body.get("prompt"), str):
        raise field_error("prompt", "Field required")
    for key in body:
        if key not in MODELS[model]:
            raise field_error(key, "Extra inputs are not permitted")
    for side in ("width", "height"):
        value = body.get(side)
        if value is not None and (not isinstance(value, int) or value % 32 or not 256 <= value <= 1440):
            raise field_error(side, "Input should be a multiple of 32 from 256 to 1440")
    if body.get("output_format", "jpeg") not in ("jpeg", "png"):
        raise field_error("output_format", "Input should be 'jpeg' or 'png'")
    global serial
    prompt = body["prompt"]
    match = re.search(r"\[\[pending:(\d+)\]\]", prompt)
    with lock:
        serial += 1
        task = {"id": str(uuid.uuid4()), "serial": serial, "polls": 0, "last": None,
                "pending": int(match.group(1)) if match else 1, "prompt": prompt,
                "size": (body.get("width", 1024), body.get("height", 768))}
        tasks[task["id"]] = task
    where = "foreign" if "[[foreign]]" in prompt else "main"
    polling = f"http://127.0.0.1:{PORTS[where]}/v1/get_result?id={task['id']}"
    return {"id": task["id"], "polling_url": polling, "cost": 4.0, "input_mp": 0.0, "output_mp": 0.79}, task


def poll(task_id):
    with lock:
        task = tasks.get(task_id)
        if task is None:
            return {"id": task_id, "status": "Task not found", "result": None}, None
        now = time.monotonic()
        if task["last"] is not None and now - task["last"] < 0.4:
            raise Reject(429, "Too many requests: poll at most twice a second")
        task["last"] = now
        task["polls"] += 1
        polls = task["polls"]
    prompt = task["prompt"]
    if "[[forever]]" in prompt or polls <= task["pending"]:
        return {"id": task_id, "status": "Pending", "result": None, "progress": None}, task
    if "[[failed]]" in prompt:
        return {"id": task_id, "status": "Error", "result": None, "details": "Generation failed"}, task
    if "[[moderated]]" in prompt:
        return {"id": task_id, "status": "Content Moderated", "result": None,
                "details": {"Moderation Reasons": ["Derivative Works Filter"]}}, task
    sample = f"http://127.0.0.1:{PORTS['main']}/delivery/{task_id}.png?se=2026-11-29&sig=fake"
    return {"id": task_id, "status": "Ready",
            "result": {"sample": sample, "prompt": prompt, "seed": 42, "start_time": 1.0, "end_time": 2.0,
                       "duration": 1.0}}, task


class Handler(fake_openai.Handler):
    server_name = "main"

    request_log = log
    log_lock = lock

    def entry(self, body):
        return {**super().entry(body), "server": self.server_name}

    def check_key(self):
        key = self.headers.get("x-key")
        if key is None:
            raise Reject(403, "Not authenticated - x-key header missing")
        if key != API_KEY:
            raise Reject(403, "Not authenticated - Invalid Authentication")

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/__log":
            return self.send_log()
        entry = self.record(b"")
        try:
            if path == "/v1/get_result":
                if self.server_name == "main":
                    self.check_key()
                    task_id = (parse_qs(query).get("id") or [""])[0]
                    with lock:
                        task = tasks.get(task_id)
                    if task and "[[redirect]]" in task["prompt"]:
                        entry["status"] = 307
                        location = f"http://127.0.0.1:{PORTS['foreign']}/v1/get_result?{query}"
                        return self.send(307, "application/json", b"{}", [("Location", location)])
                answer, task = poll((parse_qs(query).get("id") or [""])[0])
                entry.update(status=200, task_status=answer["status"])
                return self.send_json(200, answer)
            match = re.fullmatch(r"/delivery/([0-9a-f-]+)\.png", path)
            with lock:
                task = tasks.get(match.group(1)) if match else None
            if task is None or self.server_name != "main":
                raise Reject(404, "Not Found")
            entry.update(status=200, serials=[task["serial"]])
            return self.send(200, "image/png", png(task["size"][0], task["size"][1], task["serial"]))
        except Reject as rejection:
            self.refuse(entry, rejection)

    def do_POST(self):
        body = self.read_body()
        if self.path == "/__reset":
            return self.clear_log()
        entry = self.record(body)
        try:
            match = re.fullmatch(r"/v1/([A-Za-z0-9.\-]+)", self.path)
            if not match or self.server_name != "main":
                raise Reject(404, "Not Found")
            self.check_key()
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                raise Reject(415, "Unsupported Media Type")
            try:
                request = json.loads(body)
            except ValueError:
                raise field_error("__root__", "JSON decode error")
            answer, task = submit(match.group(1), request)
            entry.update(status=200, serials=[task["serial"]])
            self.send_json(200, answer)
        except Reject as rejection:
            self.refuse(entry, rejection)


class ForeignHandler(Handler):
    server_name = "foreign"


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    foreign = ThreadingHTTPServer(("127.0.0.1", 0), ForeignHandler)
    PORTS["main"], PORTS["foreign"] = server.server_address[1], foreign.server_address[1]
    foreign.daemon_threads = True
    threading.Thread(target=foreign.serve_forever, daemon=True).start()
    serve(server)


if __name__ == "__main__":
    main()
