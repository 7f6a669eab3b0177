#!/usr/bin/env python3
"""A strict loopback stand-in for an Azure OpenAI resource's image API, for
imagegen's end-to-end tests.

Usage: fake_azure.py [API_KEY] [AD_TOKEN]

Same life cycle and hooks as fake_openai.py: prints "PORT <n>", serves on
127.0.0.1 until stdin closes or SIGTERM; GET /__log, POST /__reset.

Like Azure it serves POST /openai/deployments/{deployment}/images/generations
?api-version=V (and the v1 API, POST /openai/v1/images/generations with the
deployment as the body's model), and beside each the images edits endpoint
(`…/images/edits`: a multipart/form-data form parsed strictly as fake_openai.py
does, files logged as base64 under "form"), and checks:
- the api-version against the versions below (others: 400 "API version not supported");
- the `api-key` header, or `Authorization: Bearer AD_TOKEN` (else 401 in Azure's words);
- the deployment (unknown: 404 DeploymentNotFound); its name must arrive
  percent-encoded (nothing but unreserved characters and %XX in the segment);
- streaming (gpt-image-1 with "stream": true, "partial_images" 0-3): the event stream
  of fake_openai, cut the same way;
- the body: JSON with a string prompt, only the fields the deployment's model
  takes, and no `model` other than that model's own name (newer Azure image
  models refuse a deployment name there).
dall-e-3 deployments answer with revised_prompt, content_filter_results and
prompt_filter_results on every image. Magic prompts: [[filtered]] (the
content-filter refusal Azure sends for dall-e-3), [[429-once]] (429 with
retry-after-ms the first time a prompt is seen, then success).
"""

import base64
import json
import os
import re
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_openai  # noqa: E402  (shared HTTP plumbing)
from fake_openai import dimensions  # noqa: E402
from fakes_common import form_fields, form_log, parse_form, png, serve  # noqa: E402

API_KEY = sys.argv[1] if len(sys.argv) > 1 else "test-azure-key"
AD_TOKEN = sys.argv[2] if len(sys.argv) > 2 else "test-entra-token"

API_VERSIONS = {"2024-02-01", "2024-10-21", "2025-04-01-preview", "preview", "latest"}
GPT_IMAGE_VERSIONS = {"2025-04-01-preview", "preview", "latest"}
DEPLOYMENTS = {"my-dalle3": "dall-e-3", "dall-e-3": "dall-e-3", "team images/ü": "dall-e-3",
               "gpt-image-1": "gpt-image-1"}
FIELDS = {
    "dall-e-3": {"model", "prompt", "n", "size", "quality", "style", "response_format", "user"},
    "gpt-image-1": {"model", "prompt", "n", "size", "quality", "background", "moderation",
                    "output_compression", "output_format", "user", "stream", "partial_images"},
}
SAFE = {name: {"filtered": False, "severity": "safe"} for name in ("hate", "self_harm", "sexual", "violence")}
SEGMENT = re.compile(r"^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})+$")

lock = threading.Lock()
log = []
files = {}
seen_429 = set()
serial = 0


class Reject(Exception):
    def __init__(self, status, code, message, headers=(), **extra):
        super().__init__(message)
        self.status = status
        self.headers = list(headers)
        self.body = {"error": {"code": code, "message": message, **extra}}


def next_serial():
    global serial
    with lock:
        serial += 1
        return serial


def route(path, query, headers):
    """(deployment, base model, api version) for a request, or Reject like Azure."""
    version = (parse_qs(query).get("api-version") or [None])[0]
    v1 = path in ("/openai/v1/images/generations", "/openai/v1/images/edits")
    match = re.fullmatch(r"/openai/deployments/([^/]+)/images/(?:generations|edits)", path)
    if not v1 and not match:
        raise Reject(404, "404", "Resource not found")
    if version is None and not v1:
        raise Reject(404, "404", "Resource not found")
    if version is not None and version not in API_VERSIONS:
        raise Reject(400, "BadRequest", "API version not supported")
    key, bearer = headers.get("api-key"), headers.get("Authorization", "")
    if key is None and not bearer:
        raise Reject(401, "401", "Access denied due to missing subscription key. Make sure to include "
                                 "subscription key when making requests to an API.")
    if key is not None and key != API_KEY:
        raise Reject(401, "401", "Access denied due to invalid subscription key or wrong API endpoint. "
                                 "Make sure to provide a valid key for an active subscription and use a "
                                 "correct regional API endpoint for your resource.")
    if key is None and bearer != f"Bearer {AD_TOKEN}":
        raise Reject(401, "PermissionDenied", "Unauthorized. Access token is missing, invalid, audience "
                     "is incorrect (https://cognitiveservices.azure.com), or have expired.")
    if v1:
        return None, None, version
    raw = match.group(1)
    if not SEGMENT.match(raw):
        raise Reject(400, "BadRequest", f"Invalid characters in the deployment segment: {raw!r}")
    deployment = unquote(raw)
    if deployment not in DEPLOYMENTS:
        raise Reject(404, "DeploymentNotFound", "The API deployment for this resource does not exist. "
                     "If you created the deployment within the last 5 minutes, please wait a moment "
                     "and try again.")
    return deployment, DEPLOYMENTS[deployment], version


def validate(body, deployment, model, version):
    if not isinstance(body, dict):
        raise Reject(400, "BadRequest", "The request body is not a JSON object.")
    if deployment is None:  # v1 API: the body names the deployment
        deployment = body.get("model")
        if deployment not in DEPLOYMENTS:
            raise Reject(404, "DeploymentNotFound", "The API deployment for this resource does not exist.")
        model = DEPLOYMENTS[deployment]
    elif "model" in body and body["model"] != model:
        raise Reject(400, "invalid_value", f"Unknown model: {body['model']}", type="invalid_request_error",
                     param="model")
    if model == "gpt-image-1" and version not in GPT_IMAGE_VERSIONS:
        raise Reject(400, "BadRequest", f"The api-version '{version}' does not support gpt-image-1.")
    if not isinstance(body.get("prompt"), str):
        raise Reject(400, "invalid_request_error", "'prompt' is a required property")
    for key in body:
        if key not in FIELDS[model]:
            raise Reject(400, "unknown_parameter", f"Unknown parameter: '{key}'.")
    if "stream" in body and not isinstance(body["stream"], bool):
        raise Reject(400, "invalid_type", "Invalid type for 'stream': expected a boolean.")
    if "partial_images" in body and (body.get("stream") is not True or body["partial_images"] not in range(4)):
        raise Reject(400, "invalid_value", "'partial_images' takes 0 to 3, with 'stream': true.")
    n = body.get("n", 1)
    if body.get("stream") is True and n != 1:
        raise Reject(400, "invalid_value", "Streaming supports n=1 only.")
    if model == "dall-e-3" and n != 1:
        raise Reject(400, "invalid_request_error", "You must provide n=1 for this model.")
    return model, n


def generate(body, deployment, model, version, port):
    model, n = validate(body, deployment, model, version)
    prompt = body["prompt"]
    if "[[filtered]]" in prompt:
        results = dict(SAFE, violence={"filtered": True, "severity": "medium"})
        raise Reject(400, "content_policy_violation",
                     "Your request was rejected as a result of our safety system. Your prompt may "
                     "contain text that is not allowed by our safety system.",
                     type="invalid_request_error",
                     inner_error={"code": "ResponsibleAIPolicyViolation", "content_filter_results": results})
    if "[[429-once]]" in prompt:
        with lock:
            first = prompt not in seen_429
            seen_429.add(prompt)
        if first:
            raise Reject(429, "429", "Requests to the Images_Generations Operation have exceeded call rate "
                         "limit. Please retry after 1 second.", headers=[("retry-after-ms", "10"),
                                                                           ("retry-after", "1")])
    width, height = dimensions(body.get("size"))
    fmt = "b64_json" if model == "gpt-image-1" else body.get("response_format", "url")
    data, serials = [], []
    for _ in range(n):
        number = next_serial()
        serials.append(number)
        image = png(width, height, number)
        if fmt == "b64_json":
            item = {"b64_json": base64.b64encode(image).decode()}
        else:
            with lock:
                files[f"img-{number}"] = image
            item = {"url": f"http://127.0.0.1:{port}/files/img-{number}.png"}
        if model == "dall-e-3":
            item = {"content_filter_results": SAFE, "prompt_filter_results": SAFE,
                    "revised_prompt": "A detailed rendering of " + prompt, **item}
        data.append(item)
    answer = {"created": int(time.time()), "data": data}
    facts = {"serials": serials, "created": answer["created"]}
    if body.get("stream") is True:  # the same events as OpenAI's (fake_openai.stream_events)
        facts["stream"] = fake_openai.stream_events(body, answer, width, height, edit=False)
    return json.dumps(answer).encode(), facts


class Handler(fake_openai.Handler):
    """fake_openai's socket set-up and response writing; Azure's routes and this file's log."""

    request_log = log
    log_lock = lock

    def do_GET(self):
        path = self.path.partition("?")[0]
        if path == "/__log":
            return self.send_log()
        entry = self.record(b"")
        with lock:
            image = files.get(path.rsplit("/", 1)[-1].removesuffix(".png")) if path.startswith("/files/") else None
        entry["status"] = 200 if image else 404
        if image is None:
            return self.send_json(404, {"error": {"code": "404", "message": "Resource not found"}})
        self.send(200, "image/png", image)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/__reset":
            return self.clear_log()
        entry = self.record(body)
        path, _, query = self.path.partition("?")
        try:
            deployment, model, version = route(path, query, self.headers)
            if path.endswith("/images/edits"):
                try:
                    parts = parse_form(self.headers.get("Content-Type", ""), body)
                    request = form_fields(parts)
                except ValueError as problem:
                    raise Reject(400, "BadRequest", f"Could not parse multipart form: {problem}")
                if not any(part["name"] in ("image", "image[]") and part["filename"] for part in parts):
                    raise Reject(400, "BadRequest", "'image' is a required property")
                payload, facts = generate(request, deployment, model, version, self.server.server_address[1])
                entry.update(facts, status=200, form=form_log(parts))
                return self.send(200, "application/json", payload)
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                raise Reject(415, "UnsupportedMediaType", "Content-Type must be application/json.")
            try:
                request = json.loads(body)
            except ValueError:
                raise Reject(400, "BadRequest", "The request body is not valid JSON.")
            payload, facts = generate(request, deployment, model, version, self.server.server_address[1])
            stream = facts.pop("stream", None)
            entry.update(facts, status=200)
            if stream is not None:
                entry["stream"] = {key: stream[key] for key in ("ending", "partials", "cuts")}
                return self.send_stream(base64.b64decode(stream["payload"]), stream["cuts"], stream["ending"],
                                        stream["pause"])
            self.send(200, "application/json", payload)
        except Reject as rejection:
            self.refuse(entry, rejection)


def main():
    serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))


if __name__ == "__main__":
    main()
