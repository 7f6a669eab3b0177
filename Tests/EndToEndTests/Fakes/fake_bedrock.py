#!/usr/bin/env python3
"""A strict loopback stand-in for the Bedrock runtime's InvokeModel, for
imagegen's end-to-end tests.

Usage: fake_bedrock.py ACCESS_KEY_ID SECRET_ACCESS_KEY [--token T] [--region R] [--bearer B]
                       [--issuer URL]

Listens on 127.0.0.1 (a free port), prints "PORT <n>", serves until stdin
closes or SIGTERM, so it never outlives the test process that started it.

Like AWS it verifies every request's Signature Version 4 from the bytes on the
wire, with its own hashlib/hmac implementation (no botocore): the credential
scope (key id, date, region, service "bedrock"), the signed headers (host and
x-amz-date at least, x-amz-security-token when a token is configured), the
clock skew (5 minutes), and the signature over the canonical request (path
encoded once more, payload hash of the exact body). Failures answer 403 with
AWS's error types and messages. With --bearer it also accepts
`Authorization: Bearer B` (Bedrock API keys). With --issuer (a moto server's
URL) it also accepts the temporary credentials that STS issued: their secret
and session token are looked up in moto's state (/moto-api/data.json), as AWS
itself knows what its STS handed out.

Then it checks the path (/model/{id}/invoke with a known image model id),
Content-Type and Accept, and the body of each model family field by field, and
answers in that family's shape with real PNGs of the requested size, each
painted in a colour that encodes a serial number (red = low byte, green = high).

It also serves the control plane's ListFoundationModels (GET
/foundation-models?byOutputModality=IMAGE), signature verified exactly as for
InvokeModel: image models, one of them Legacy with an end-of-life date, one
the catalogue does not know.

The Stability AI Image Services (inpaint, outpaint, erase…) are checked
against their documented keys: required ones present, nothing else, typed
as documented, images strict base64 of a png, jpeg or webp.

Test hooks: GET /__log, POST /__reset. Magic prompts: [[validation]] [[denied]]
[[notfound]] [[throttle]] [[notready]] [[timeout]] [[unavailable]] [[internal]]
[[flaky]] (503 the first time a prompt is seen) [[slowflaky]] (the same, answered
after 1.1 s) [[filtered]].
"""

import argparse
import base64
import calendar
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote

from fakes_common import png, serve

parser = argparse.ArgumentParser()
parser.add_argument("access_key_id")
parser.add_argument("secret_access_key")
parser.add_argument("--token")
parser.add_argument("--region", default="us-east-1")
parser.add_argument("--bearer")
parser.add_argument("--issuer")
CONFIG = parser.parse_args()


def issued_credentials(key_id):
    """(secret, session token) STS issued for key_id, or None."""
    if not CONFIG.issuer:
        return None
    import urllib.request
    with urllib.request.urlopen(CONFIG.issuer.rstrip("/") + "/moto-api/data.json", timeout=5) as answer:
        state = json.load(answer)
    for role in state.get("sts", {}).get("AssumedRole", []):
        if role.get("access_key_id") == key_id:
            return role["secret_access_key"], role["session_token"]
    return None

SDXL_SIZES = {(1024, 1024), (1152, 896), (1216, 832), (1344, 768), (1536, 640),
              (640, 1536), (768, 1344), (832, 1216), (896, 1152)}
ASPECT_RATIOS = {"16:9": (1344, 768), "1:1": (1024, 1024), "21:9": (1536, 640), "2:3": (832, 1216),
                 "3:2": (1216, 832), "4:5": (896, 1152), "5:4": (1152, 896), "9:16": (768, 1344),
                 "9:21": (640, 1536)}
MODELS = {
    "stability.stable-diffusion-xl-v1": "sdxl", "stability.stable-diffusion-xl-v1:0": "sdxl",
    "stability.sd3-large-v1:0": "sd3", "stability.sd3-5-large-v1:0": "sd3",
    "stability.stable-image-core-v1:1": "sd3", "stability.stable-image-ultra-v1:1": "sd3",
    "amazon.titan-image-generator-v1": "amazon", "amazon.titan-image-generator-v2:0": "amazon",
    "amazon.nova-canvas-v1:0": "amazon",
}
# Stability AI Image Services, as AWS's "Stability AI Image Services" page
# lists their bodies: (required keys, optional keys). Anything else is refused.
STYLE_PRESETS = {"3d-model", "analog-film", "anime", "cinematic", "comic-book", "digital-art", "enhance",
                 "fantasy-art", "isometric", "line-art", "low-poly", "modeling-compound", "neon-punk", "origami",
                 "photographic", "pixel-art", "tile-texture"}
SEEDED = {"seed", "output_format"}
SERVICES = {
    "stability.stable-image-inpaint-v1:0":
        ({"image", "prompt"}, SEEDED | {"mask", "negative_prompt", "style_preset", "grow_mask"}),
    "stability.stable-outpaint-v1:0":
        ({"image"}, SEEDED | {"prompt", "style_preset", "creativity", "left", "right", "up", "down"}),
    "stability.stable-image-search-recolor-v1:0":
        ({"image", "prompt", "select_prompt"}, SEEDED | {"negative_prompt", "style_preset", "grow_mask"}),
    "stability.stable-image-search-replace-v1:0":
        ({"image", "prompt", "search_prompt"}, SEEDED | {"negative_prompt", "style_preset", "grow_mask"}),
    "stability.stable-image-erase-object-v1:0": ({"image"}, SEEDED | {"mask", "grow_mask"}),
    "stability.stable-image-remove-background-v1:0": ({"image"}, {"output_format"}),
    "stability.stable-conservative-upscale-v1:0":
        ({"image", "prompt"}, SEEDED | {"creativity", "negative_prompt"}),
    "stability.stable-creative-upscale-v1:0":
        ({"image", "prompt"}, SEEDED | {"creativity", "negative_prompt", "style_preset"}),
    "stability.stable-fast-upscale-v1:0": ({"image"}, {"output_format"}),
    "stability.stable-image-control-sketch-v1:0":
        ({"image", "prompt"}, SEEDED | {"control_strength", "negative_prompt", "style_preset"}),
    "stability.stable-image-control-structure-v1:0":
        ({"image", "prompt"}, SEEDED | {"control_strength", "negative_prompt", "style_preset"}),
    "stability.stable-image-style-guide-v1:0":
        ({"image", "prompt"}, SEEDED | {"aspect_ratio", "negative_prompt", "fidelity", "style_preset"}),
    "stability.stable-style-transfer-v1:0":
        ({"init_image", "style_image"},
         SEEDED | {"prompt", "negative_prompt", "composition_fidelity", "style_strength", "change_strength"}),
}
MODELS.update({model: "services" for model in SERVICES})
ERROR_NAMESPACE = ":http://internal.amazon.com/coral/com.amazon.bedrock/"


def summary(model_id, name, provider, modalities, status, end_of_life=None):
    """One FoundationModelSummary as ListFoundationModels answers it."""
    lifecycle = {"status": status}
    if end_of_life:
        lifecycle["endOfLifeTime"] = end_of_life
    return {"modelArn": f"arn:aws:bedrock:{CONFIG.region}::foundation-model/{model_id}", "modelId": model_id,
            "modelName": name, "providerName": provider, "inputModalities": ["TEXT", "IMAGE"],
            "outputModalities": modalities, "responseStreamingSupported": False,
            "customizationsSupported": [], "inferenceTypesSupported": ["ON_DEMAND"], "modelLifecycle": lifecycle}


FOUNDATION_MODELS = [
    summary("amazon.titan-image-generator-v2:0", "Titan Image Generator G1 v2", "Amazon", ["IMAGE"], "ACTIVE"),
    summary("amazon.nova-canvas-v1:0", "Nova Canvas", "Amazon", ["IMAGE"], "LEGACY", "2027-03-31T00:00:00Z"),
    summary("stability.sd3-5-large-v1:0", "Stable Diffusion 3.5 Large", "Stability AI", ["IMAGE"], "ACTIVE"),
    summary("stability.stable-image-ultra-v2:0", "Stable Image Ultra 2", "Stability AI", ["IMAGE"], "ACTIVE"),
    summary("amazon.nova-pro-v1:0", "Nova Pro", "Amazon", ["TEXT"], "ACTIVE"),
]

lock = threading.Lock()
log = []
flaky_seen = set()
serial = 0


class Reject(Exception):
    """An AWS error answer: x-amzn-ErrorType header and {"message": …} body."""

    def __init__(self, status, type_, message):
        super().__init__(message)
        self.status, self.type, self.message = status, type_, message


def validation(message):
    return Reject(400, "ValidationException", message)


def image(width, height):
    global serial
    with lock:
        serial += 1
        number = serial
    return number, base64.b64encode(png(width, height, number, blue=0x40)).decode()


# --- Signature Version 4, as AWS checks it -------------------------------------------

def hmac_sha256(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def canonical_path(raw_path):
    segments = []
    for segment in raw_path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
        else:
            segments.append(segment)
    path = "/" + "/".join(segments)
    if raw_path.endswith("/") and segments:
        path += "/"
    return quote(path, safe="/~")


def canonical_query(query):
    if not query:
        return ""
    pairs = sorted(tuple(pair.partition("=")[::2]) for pair in query.split("&"))
    return "&".join(f"{key}={value}" for key, value in pairs)


def verify_signature(method, raw_path, query, headers, body):
    """headers: list of (lower-case name, value) as received. Raises Reject like AWS."""
    def header(name):
        values = [value for key, value in headers if key == name]
        return ",".join(" ".join(value.split()) for value in values) if values else None

    authorization = header("authorization")
    if not authorization:
        raise Reject(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
    if authorization.startswith("Bearer "):
        if CONFIG.bearer and authorization[7:] == CONFIG.bearer:
            return "bearer"
        raise Reject(403, "UnrecognizedClientException", "Invalid API Key format: Must start with pre-defined prefix")
    scheme, _, rest = authorization.partition(" ")
    fields = {}
    for part in rest.split(","):
        key, _, value = part.strip().partition("=")
        fields[key] = value
    if scheme != "AWS4-HMAC-SHA256" or not {"Credential", "SignedHeaders", "Signature"} <= fields.keys():
        raise Reject(403, "IncompleteSignatureException",
                     f"Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'. "
                     f"Authorization={scheme}")
    scope = fields["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise Reject(403, "IncompleteSignatureException", "Credential is malformed")
    key_id, day, region, service, _ = scope
    secret, expected_token = CONFIG.secret_access_key, CONFIG.token
    if key_id != CONFIG.access_key_id:
        issued = issued_credentials(key_id)
        if issued is None:
            raise Reject(403, "UnrecognizedClientException", "The security token included in the request is invalid.")
        secret, expected_token = issued
    token = header("x-amz-security-token")
    if expected_token is not None and token != expected_token:
        raise Reject(403, "UnrecognizedClientException", "The security token included in the request is invalid.")
    if expected_token is None and token is not None:
        raise Reject(403, "UnrecognizedClientException", "The security token included in the request is invalid.")
    if region != CONFIG.region:
        raise Reject(403, "InvalidSignatureException",
                     f"Credential should be scoped to a valid region, not '{region}'. ")
    if service != "bedrock":
        raise Reject(403, "InvalidSignatureException",
                     f"Credential should be scoped to correct service: 'bedrock'. ")
    amz_date = header("x-amz-date") or ""
    try:
        signed_at = calendar.timegm(time.strptime(amz_date, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        raise Reject(403, "IncompleteSignatureException", "Authorization header requires existence of "
                                                          "either a 'X-Amz-Date' or a 'Date' header.")
    if day != amz_date[:8]:
        raise Reject(403, "InvalidSignatureException", f"Date in Credential scope does not match YYYYMMDD "
                                                       f"from ISO-8601 version of date from HTTP: '{day}' != "
                                                       f"'{amz_date[:8]}'")
    if abs(time.time() - signed_at) > 300:
        raise Reject(403, "InvalidSignatureException", f"Signature expired: {amz_date} is now earlier than "
                                                       f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime(time.time() - 300))}")
    signed = fields["SignedHeaders"].split(";")
    required = {"host", "x-amz-date"} | ({"x-amz-security-token"} if token is not None else set())
    if not required <= set(signed) or signed != sorted(signed):
        raise Reject(403, "InvalidSignatureException", "The request signature we calculated does not match the "
                                                       "signature you provided. Check your AWS Secret Access Key "
                                                       "and signing method.")
    canonical_headers = "".join(f"{name}:{header(name) or ''}\n" for name in signed)
    canonical_request = "\n".join([method, canonical_path(raw_path), canonical_query(query), canonical_headers,
                                   ";".join(signed), hashlib.sha256(body).hexdigest()])
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, f"{day}/{region}/{service}/aws4_request",
                                hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
    key = ("AWS4" + secret).encode("utf-8")
    for part in (day, region, service, "aws4_request"):
        key = hmac_sha256(key, part)
    expected = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise Reject(403, "InvalidSignatureException",
                     "The request signature we calculated does not match the signature you provided. Check your "
                     "AWS Secret Access Key and signing method. Consult the service documentation for details.")
    return "sigv4"


# --- Model families ---------------------------------------------------------------------

def expect_keys(body, allowed, where="body"):
    for key in body:
        if key not in allowed:
            raise validation(f"Malformed input request: #: extraneous key [{key}] is not permitted")


def expect_int(body, key, low, high):
    value = body[key]
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise validation(f"Malformed input request: #/{key}: expected an integer in [{low}, {high}], got {value!r}")
    return value


def magic(prompt, family):
    """Error answers asked for by the prompt, in the shapes Bedrock uses."""
    if "[[validation]]" in prompt:
        raise validation("Malformed input request: please reformat your input and try again.")
    if "[[denied]]" in prompt:
        raise Reject(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.")
    if "[[notfound]]" in prompt:
        raise Reject(404, "ResourceNotFoundException", "Could not resolve the foundation model from the provided "
                                                       "model identifier.")
    if "[[throttle]]" in prompt:
        raise Reject(429, "ThrottlingException", "Too many requests, please wait before trying again.")
    if "[[notready]]" in prompt:
        raise Reject(429, "ModelNotReadyException", "Model is not ready for inference. Wait and try your request again.")
    if "[[timeout]]" in prompt:
        raise Reject(408, "ModelTimeoutException", "Model has timed out in processing the request.")
    if "[[unavailable]]" in prompt:
        raise Reject(503, "ServiceUnavailableException", "Bedrock is unable to process your request.")
    if "[[internal]]" in prompt:
        raise Reject(500, "InternalServerException", "The server encountered an error processing your request.")
    if "[[flaky]]" in prompt or "[[slowflaky]]" in prompt:
        with lock:
            first_time = prompt not in flaky_seen
            flaky_seen.add(prompt)
        if first_time:
            if "[[slowflaky]]" in prompt:
                time.sleep(1.1)  # so a retry signed afresh carries a later X-Amz-Date
            raise Reject(503, "ServiceUnavailableException", "Bedrock is unable to process your request.")
    if "[[filtered]]" in prompt and family == "amazon":
        raise validation("This request has been blocked by our content filters.")


def sdxl(body):
    expect_keys(body, {"text_prompts", "height", "width", "cfg_scale", "clip_guidance_preset", "sampler",
                       "samples", "seed", "steps", "style_preset", "extras"})
    prompts = body.get("text_prompts")
    if not isinstance(prompts, list) or not prompts or not all(
            isinstance(p, dict) and isinstance(p.get("text"), str) and set(p) <= {"text", "weight"} for p in prompts):
        raise validation("Malformed input request: #/text_prompts: expected a non-empty array of {text, weight}")
    if ("height" in body) != ("width" in body):
        raise validation("height and width must be given together")
    width, height = body.get("width", 1024), body.get("height", 1024)
    if (width, height) not in SDXL_SIZES:
        raise validation("The provided height and width are invalid: allowed dimensions are 1024x1024, 1152x896, "
                         "1216x832, 1344x768, 1536x640, 640x1536, 768x1344, 832x1216, 896x1152")
    if "samples" in body and body["samples"] != 1:
        raise validation("samples must be 1")
    for key, low, high in (("cfg_scale", 0, 35), ("steps", 10, 150), ("seed", 0, 4294967295)):
        if key in body:
            expect_int(body, key, low, high)
    prompt = prompts[0]["text"]
    magic(prompt, "sdxl")
    number, data = image(width, height)
    reason = "CONTENT_FILTERED" if "[[filtered]]" in prompt else "SUCCESS"
    return {"result": "success", "artifacts": [{"seed": 1000 + number, "base64": data, "finishReason": reason}]}, [number]


def sd3(body):
    expect_keys(body, {"prompt", "aspect_ratio", "mode", "output_format", "seed", "negative_prompt"})
    if not isinstance(body.get("prompt"), str):
        raise validation("Malformed input request: #: required key [prompt] not found")
    ratio = body.get("aspect_ratio", "1:1")
    if ratio not in ASPECT_RATIOS:
        raise validation(f"Malformed input request: #/aspect_ratio: {ratio} is not a valid enum value")
    if body.get("mode", "text-to-image") != "text-to-image":
        raise validation("Malformed input request: #/mode: only text-to-image is supported")
    if body.get("output_format", "png") not in ("png", "jpeg"):
        raise validation("Malformed input request: #/output_format: not a valid enum value")
    magic(body["prompt"], "sd3")
    if "[[filtered]]" in body["prompt"]:
        return {"seeds": [7], "finish_reasons": ["Filter reason: prompt"], "images": []}, []
    number, data = image(*ASPECT_RATIOS[ratio])
    return {"seeds": [2000 + number], "finish_reasons": [None], "images": [data]}, [number]


def amazon(body):
    expect_keys(body, {"taskType", "textToImageParams", "imageGenerationConfig"})
    if body.get("taskType") != "TEXT_IMAGE":
        raise validation("Malformed input request: #/taskType: TEXT_IMAGE expected")
    text = body.get("textToImageParams")
    if not isinstance(text, dict) or not isinstance(text.get("text"), str):
        raise validation("Malformed input request: #/textToImageParams: required key [text] not found")
    expect_keys(text, {"text", "negativeText", "style"})
    config = body.get("imageGenerationConfig", {})
    expect_keys(config, {"numberOfImages", "height", "width", "quality", "cfgScale", "seed"})
    count = expect_int(config, "numberOfImages", 1, 5) if "numberOfImages" in config else 1
    width = expect_int(config, "width", 320, 4096) if "width" in config else 1024
    height = expect_int(config, "height", 320, 4096) if "height" in config else 1024
    if config.get("quality", "standard") not in ("standard", "premium"):
        raise validation("Malformed input request: #/imageGenerationConfig/quality: not a valid enum value")
    magic(text["text"], "amazon")
    numbers, images = [], []
    for _ in range(count):
        number, data = image(width, height)
        numbers.append(number)
        images.append(data)
    return {"images": images, "error": None}, numbers


def decoded_image(body, key):
    """The bytes of a base64 field, decoded strictly, which must be an image."""
    value = body[key]
    if not isinstance(value, str):
        raise validation(f"Malformed input request: #/{key}: expected type: String")
    try:
        data = base64.b64decode(value, validate=True)
    except ValueError:
        raise validation(f"Malformed input request: #/{key}: not valid base64")
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")
            or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")):
        raise validation(f"Malformed input request: #/{key}: not a png, jpeg or webp image")
    return data


def services(model, body):
    required, optional = SERVICES[model]
    expect_keys(body, required | optional)
    for key in sorted(required):
        if key not in body:
            raise validation(f"Malformed input request: #: required key [{key}] not found")
    for key in ("image", "mask", "init_image", "style_image"):
        if key in body:
            decoded_image(body, key)
    if "aspect_ratio" in body and body["aspect_ratio"] not in ASPECT_RATIOS:
        raise validation("Malformed input request: #/aspect_ratio: not a valid enum value")
    for key in ("prompt", "negative_prompt", "search_prompt", "select_prompt"):
        if key in body and not isinstance(body[key], str):
            raise validation(f"Malformed input request: #/{key}: expected type: String")
    if "style_preset" in body and body["style_preset"] not in STYLE_PRESETS:
        raise validation("Malformed input request: #/style_preset: not a valid enum value")
    if body.get("output_format", "png") not in ("png", "jpeg", "webp"):
        raise validation("Malformed input request: #/output_format: not a valid enum value")
    for key, low, high in (("grow_mask", 0, 20), ("seed", 0, 4294967294), ("left", 0, 2000),
                           ("right", 0, 2000), ("up", 0, 2000), ("down", 0, 2000)):
        if key in body:
            expect_int(body, key, low, high)
    for key in ("creativity", "control_strength", "fidelity", "composition_fidelity", "style_strength",
                "change_strength"):
        if key in body and (not isinstance(body[key], (int, float)) or isinstance(body[key], bool)):
            raise validation(f"Malformed input request: #/{key}: expected type: Number")
    if "outpaint" in model and not any(body.get(side) for side in ("left", "right", "up", "down")):
        raise validation("At least one outpaint direction must be supplied with a non-zero value")
    prompt = body.get("prompt", "")
    magic(prompt, "services")
    if "[[filtered]]" in prompt:
        return {"seeds": [7], "finish_reasons": ["Filter reason: input image"], "images": []}, []
    number, data = image(96, 64)
    return {"seeds": [3000 + number], "finish_reasons": [None], "images": [data]}, [number]


FAMILIES = {"sdxl": sdxl, "sd3": sd3, "amazon": amazon}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, payload, extra_headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000")
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        if self.path == "/__log":
            with lock:
                payload = json.dumps(log).encode()
            return self.send(200, payload)
        raw_path, _, query = self.path.partition("?")
        headers = [(name.lower(), value) for name, value in self.headers.items()]
        merged = {}
        for name, value in headers:
            merged[name] = merged[name] + ", " + value if name in merged else value
        entry = {"method": self.command, "path": raw_path, "query": query, "headers": merged, "body": ""}
        with lock:
            log.append(entry)
        try:
            entry["auth"] = verify_signature(self.command, raw_path, query, headers, b"")
            answer = self.list_foundation_models(raw_path, query)
            entry.update(status=200)
            self.send(200, json.dumps(answer).encode())
        except Reject as rejection:
            entry.update(status=rejection.status, error_type=rejection.type)
            self.send(rejection.status, json.dumps({"message": rejection.message}).encode(),
                      [("x-amzn-ErrorType", rejection.type + ERROR_NAMESPACE)])

    def list_foundation_models(self, raw_path, query):
        if raw_path != "/foundation-models":
            raise Reject(404, "UnknownOperationException", f"Unknown operation for path {raw_path}")
        filters = dict(pair.partition("=")[::2] for pair in query.split("&") if pair)
        for key in filters:
            if key not in ("byProvider", "byCustomizationType", "byOutputModality", "byInferenceType"):
                raise validation(f"Unknown query parameter {key}")
        modality = filters.get("byOutputModality")
        if modality not in (None, "TEXT", "IMAGE", "EMBEDDING"):
            raise validation(f"1 validation error detected: Value '{modality}' at 'byOutputModality' failed to "
                             "satisfy constraint: Member must satisfy enum value set: [TEXT, IMAGE, EMBEDDING]")
        models = [m for m in FOUNDATION_MODELS if modality is None or modality in m["outputModalities"]]
        return {"modelSummaries": models}

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/__reset":
            with lock:
                log.clear()
            return self.send(200, b'{"ok":true}')
        raw_path, _, query = self.path.partition("?")
        headers = [(name.lower(), value) for name, value in self.headers.items()]
        merged = {}
        for name, value in headers:
            merged[name] = merged[name] + ", " + value if name in merged else value
        entry = {"method": self.command, "path": raw_path, "query": query, "headers": merged,
                 "body": body.decode("utf-8", "replace")}
        with lock:
            log.append(entry)
        try:
            entry["auth"] = verify_signature(self.command, raw_path, query, headers, body)
            answer, serials = self.invoke(raw_path, merged, body)
            entry.update(status=200, serials=serials)
            self.send(200, json.dumps(answer).encode())
        except Reject as rejection:
            entry.update(status=rejection.status, error_type=rejection.type)
            self.send(rejection.status, json.dumps({"message": rejection.message}).encode(),
                      [("x-amzn-ErrorType", rejection.type + ERROR_NAMESPACE)])

    def invoke(self, raw_path, headers, body):
        parts = raw_path.split("/")
        if len(parts) != 4 or parts[0] != "" or parts[1] != "model" or parts[3] != "invoke":
            raise Reject(404, "UnknownOperationException", f"Unknown operation for path {raw_path}")
        model = unquote(parts[2])
        family = MODELS.get(model)
        if family is None:
            raise validation(f"The provided model identifier is invalid: {model}")
        if headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise validation("Content-Type must be application/json")
        if headers.get("accept", "*/*") not in ("application/json", "*/*"):
            raise validation("Accept must be application/json")
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        if not isinstance(request, dict):
            raise validation("Malformed input request: the body is not a JSON object")
        if family == "services":
            return services(model, request)
        return FAMILIES[family](request)


def main():
    serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))


if __name__ == "__main__":
    main()
