#!/usr/bin/env python3
"""A strict loopback stand-in for Google AI Studio (the Gemini API), Vertex AI, Google's
OAuth token endpoint and the metadata server, for imagegen's end-to-end tests.

Usage: fake_google.py API_KEY --public-key PEM --key-id KID --email EMAIL
           [--expires-in SECONDS] [--client-id ID --client-secret S --refresh-token R]

  POST /v1beta/models/MODEL:generateContent   needs x-goog-api-key: API_KEY (never ?key=)
  POST /v1beta/models/MODEL:predict           likewise (Imagen)
  GET  /v1beta/models                         the model list
  GET  /v1beta1/publishers/google/models      Vertex AI's list, with a bearer token as below
  POST /v1/projects/P/locations/L/publishers/google/models/MODEL:generateContent|:predict
                                              needs Authorization: Bearer <a token this fake issued,
                                              unexpired>
  POST /token                                 grant_type jwt-bearer: the assertion's RS256 signature
                                              is verified with PEM, its header's kid and its claims
                                              (iss EMAIL, scope cloud-platform, aud = this URL,
                                              exp - iat = 3600, iat near now); grant_type
                                              refresh_token: client id, secret and refresh token
  GET  /computeMetadata/v1/instance/service-accounts/default/token   needs Metadata-Flavor: Google

Prompts steer the answers: "text only" answers with words and no image, "blocked" with a
prompt block, "unsafe" with finishReason IMAGE_SAFETY, "wrong mime" with a text/html part,
"filtered" with Imagen's raiFilteredReason; "slow" waits 0.5 s. GET /__log lists every
request (method, path, headers, body, status, token). Prints "PORT <n>".
"""

import argparse
import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from fakes_common import png, serve

parser = argparse.ArgumentParser()
parser.add_argument("api_key")
parser.add_argument("--public-key", required=True)
parser.add_argument("--key-id", required=True)
parser.add_argument("--email", required=True)
parser.add_argument("--expires-in", type=int, default=3599)
parser.add_argument("--client-id", default="client-id.apps.googleusercontent.com")
parser.add_argument("--client-secret", default="d-FL95Q19q7MQmFpd7hHD0Ty")
parser.add_argument("--refresh-token", default="1//0refresh-token-for-tests")
CONFIG = parser.parse_args()
with open(CONFIG.public_key, "rb") as f:
    PUBLIC_KEY = serialization.load_pem_public_key(f.read())

SCOPE = "https://www.googleapis.com/auth/cloud-platform"
GEMINI_RATIOS = {"1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9",
                 "1:4", "4:1", "1:8", "8:1"}
IMAGEN_RATIOS = {"1:1", "3:4", "4:3", "9:16", "16:9"}
SIDES = {"1:1": (64, 64), "16:9": (112, 63), "9:16": (63, 112), "3:2": (96, 64), "2:3": (64, 96),
         "4:3": (96, 72), "3:4": (72, 96), "21:9": (126, 54)}
LOG = []
TOKENS = {}  # token -> expiry (Unix seconds)
LOCK = threading.Lock()
SERIAL = [0]


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def image_b64(ratio, number):
    width, height = SIDES.get(ratio or "1:1", (64, 64))
    return base64.b64encode(png(width, height, number)).decode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.entry["status"] = status
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, message, state="INVALID_ARGUMENT"):
        self.answer(status, {"error": {"code": status, "message": message, "status": state}})

    def handle_request(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        self.entry = {"method": self.command, "path": url.path, "query": url.query,
                      "headers": {k.lower(): v for k, v in self.headers.items()},
                      "body": body.decode("utf-8", "replace")}
        if url.path == "/__log":
            data = json.dumps(LOG).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        with LOCK:
            LOG.append(self.entry)
        if "key=" in url.query:
            return self.error(400, "the API key must not be in the URL")
        path = url.path
        if path == "/token" and self.command == "POST":
            return self.token(body)
        if path == "/computeMetadata/v1/instance/service-accounts/default/token" and self.command == "GET":
            if self.headers.get("Metadata-Flavor") != "Google":
                return self.error(403, "Missing Metadata-Flavor:Google header")
            return self.answer(200, self.issue())
        if path.startswith("/v1beta/"):
            if self.headers.get("x-goog-api-key") != CONFIG.api_key:
                return self.error(400, "API key not valid. Please pass a valid API key.", "INVALID_ARGUMENT")
            if path == "/v1beta/models" and self.command == "GET":
                return self.answer(200, {"models": [
                    {"name": "models/gemini-3.1-flash-image", "supportedGenerationMethods": ["generateContent"]},
                    {"name": "models/gemini-2.5-flash", "supportedGenerationMethods": ["generateContent"]},
                    {"name": "models/imagen-4.0-generate-001", "supportedGenerationMethods": ["predict"]},
                ]})
            return self.generate(path[len("/v1beta/models/"):], body)
        if path.startswith("/v1/projects/") or path.startswith("/v1beta1/"):
            auth = self.headers.get("Authorization", "")
            token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
            with LOCK:
                expiry = TOKENS.get(token)
            if expiry is None or expiry < time.time():
                return self.error(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED")
            self.entry["token"] = token
            if path == "/v1beta1/publishers/google/models" and self.command == "GET":
                return self.answer(200, {"publisherModels": [
                    {"name": "publishers/google/models/gemini-3-pro-image", "launchStage": "GA"},
                    {"name": "publishers/google/models/gemini-2.5-pro", "launchStage": "GA"},
                    {"name": "publishers/google/models/imagen-4.0-fast-generate-001", "launchStage": "GA"}]})
            parts = path.split("/")
            # /v1/projects/P/locations/L/publishers/google/models/MODEL:method
            if len(parts) != 10 or parts[4] != "locations" or parts[6:9] != ["publishers", "google", "models"]:
                return self.error(404, f"no such resource {path}", "NOT_FOUND")
            self.entry["project"], self.entry["location"] = parts[3], parts[5]
            return self.generate(parts[9], body)
        self.error(404, f"no route {self.command} {path}", "NOT_FOUND")

    def issue(self):
        with LOCK:
            SERIAL[0] += 1
            token = f"ya29.fake-access-token-{SERIAL[0]}"
            TOKENS[token] = time.time() + CONFIG.expires_in
        self.entry["issued"] = token
        return {"access_token": token, "expires_in": CONFIG.expires_in, "token_type": "Bearer"}

    def token(self, body):
        if self.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
            return self.answer(400, {"error": "invalid_request", "error_description": "not a form"})
        form = {k: v[0] for k, v in parse_qs(body.decode(), strict_parsing=True).items()}
        grant = form.get("grant_type")
        if grant == "refresh_token":
            if (form.get("client_id"), form.get("client_secret"), form.get("refresh_token")) != (
                    CONFIG.client_id, CONFIG.client_secret, CONFIG.refresh_token):
                return self.answer(400, {"error": "invalid_grant", "error_description": "Bad Request"})
            return self.answer(200, self.issue())
        if grant != "urn:ietf:params:oauth:grant-type:jwt-bearer" or set(form) != {"grant_type", "assertion"}:
            return self.answer(400, {"error": "unsupported_grant_type", "error_description": f"grant {grant}"})
        problem = self.check_assertion(form["assertion"])
        if problem:
            self.entry["problem"] = problem
            return self.answer(400, {"error": "invalid_grant", "error_description": problem})
        return self.answer(200, self.issue())

    def check_assertion(self, assertion):
        pieces = assertion.split(".")
        if len(pieces) != 3:
            return "not a JWT"
        try:
            header = json.loads(b64url_decode(pieces[0]))
            claims = json.loads(b64url_decode(pieces[1]))
            signature = b64url_decode(pieces[2])
        except ValueError:
            return "undecodable JWT"
        try:
            PUBLIC_KEY.verify(signature, (pieces[0] + "." + pieces[1]).encode(), padding.PKCS1v15(),
                              hashes.SHA256())
        except InvalidSignature:
            return "Invalid JWT Signature."
        if header != {"alg": "RS256", "typ": "JWT", "kid": CONFIG.key_id}:
            return f"bad header {header}"
        audience = f"http://{self.headers.get('Host')}/token"
        if set(claims) != {"iss", "scope", "aud", "iat", "exp"}:
            return f"claims {sorted(claims)}"
        if claims["iss"] != CONFIG.email or claims["scope"] != SCOPE or claims["aud"] != audience:
            return f"bad iss, scope or aud: {claims}"
        if claims["exp"] - claims["iat"] != 3600 or abs(claims["iat"] - time.time()) > 300:
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe."
        self.entry["claims"] = claims
        return None

    def generate(self, target, body):
        model, _, method = target.partition(":")
        try:
            request = json.loads(body)
        except ValueError:
            return self.error(400, "Invalid JSON payload received.")
        if method == "generateContent":
            return self.generate_content(model, request)
        if method == "predict":
            return self.predict(model, request)
        return self.error(404, f"method {method} not found", "NOT_FOUND")

    def generate_content(self, model, request):
        if set(request) != {"contents", "generationConfig"}:
            return self.error(400, f"Unknown name in payload: {sorted(request)}")
        contents = request["contents"]
        if (not isinstance(contents, list) or len(contents) != 1 or contents[0].get("role") != "user"
                or set(contents[0]) != {"role", "parts"} or len(contents[0]["parts"]) != 1
                or not isinstance(contents[0]["parts"][0].get("text"), str)):
            return self.error(400, "contents must be one user turn with one text part")
        prompt = contents[0]["parts"][0]["text"]
        config = request["generationConfig"]
        allowed = {"responseModalities", "candidateCount", "imageConfig", "seed", "temperature"}
        if not set(config) <= allowed:
            return self.error(400, f"Unknown name in generationConfig: {sorted(set(config) - allowed)}")
        if "IMAGE" not in config.get("responseModalities", []):
            return self.error(400, "responseModalities must include IMAGE")
        count = config.get("candidateCount", 1)
        if not isinstance(count, int) or not 1 <= count <= 8:
            return self.error(400, "candidateCount must be from 1 to 8")
        image_config = config.get("imageConfig", {})
        if not set(image_config) <= {"aspectRatio", "imageSize"}:
            return self.error(400, f"Unknown name in imageConfig: {sorted(image_config)}")
        ratio = image_config.get("aspectRatio")
        if ratio is not None and ratio not in GEMINI_RATIOS:
            return self.error(400, f"aspect ratio {ratio} is not supported")
        if image_config.get("imageSize") not in (None, "1K", "2K", "4K"):
            return self.error(400, "imageSize must be 1K, 2K or 4K")
        if "slow" in prompt:
            time.sleep(0.5)
        usage = {"promptTokenCount": 7, "candidatesTokenCount": 1290 * count, "totalTokenCount": 7 + 1290 * count}
        if "blocked" in prompt:
            return self.answer(200, {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}, "usageMetadata": usage})
        if "text only" in prompt:
            return self.answer(200, {"candidates": [{"content": {"role": "model", "parts": [
                {"text": "I can only describe it:\u001b[31m a quiet harbour at dawn."}]}, "finishReason": "STOP"}],
                "usageMetadata": usage})
        if "unsafe" in prompt:
            return self.answer(200, {"candidates": [{"finishReason": "IMAGE_SAFETY",
                                                      "content": {"role": "model", "parts": []}}]})
        if "wrong mime" in prompt:
            return self.answer(200, {"candidates": [{"content": {"role": "model", "parts": [
                {"inlineData": {"mimeType": "text/html", "data": base64.b64encode(b"<b>hi</b>").decode()}}]},
                "finishReason": "STOP"}]})
        candidates = []
        for number in range(count):
            candidates.append({"content": {"role": "model", "parts": [
                {"text": "Here is your image."},
                {"inlineData": {"mimeType": "image/png", "data": image_b64(ratio, number + 1)}}]},
                "finishReason": "STOP", "index": number})
        self.answer(200, {"candidates": candidates, "usageMetadata": usage, "modelVersion": model})

    def predict(self, model, request):
        if not set(request) <= {"instances", "parameters"}:
            return self.error(400, f"Unknown name in payload: {sorted(request)}")
        instances = request.get("instances")
        if (not isinstance(instances, list) or len(instances) != 1 or set(instances[0]) != {"prompt"}
                or not isinstance(instances[0]["prompt"], str)):
            return self.error(400, "instances must be one object with a prompt")
        parameters = request.get("parameters", {})
        allowed = {"sampleCount", "aspectRatio", "sampleImageSize", "personGeneration"}
        if not set(parameters) <= allowed:
            return self.error(400, f"Unknown name in parameters: {sorted(set(parameters) - allowed)}")
        count = parameters.get("sampleCount", 4)
        if not isinstance(count, int) or not 1 <= count <= 4:
            return self.error(400, "sampleCount must be from 1 to 4")
        ratio = parameters.get("aspectRatio")
        if ratio is not None and ratio not in IMAGEN_RATIOS:
            return self.error(400, f"aspect ratio {ratio} is not supported")
        if "filtered" in instances[0]["prompt"]:
            return self.answer(200, {"predictions": [{"raiFilteredReason": "Your prompt was blocked."}]})
        self.answer(200, {"predictions": [
            {"mimeType": "image/png", "bytesBase64Encoded": image_b64(ratio, number + 1)} for number in range(count)]})

    do_GET = handle_request
    do_POST = handle_request


serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
