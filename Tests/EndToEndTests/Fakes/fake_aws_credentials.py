#!/usr/bin/env python3
"""A strict loopback stand-in for the credential endpoints at the end of the
AWS chain, for imagegen's end-to-end tests: EC2 instance metadata (IMDSv2
only), the container credentials endpoint and the IAM Identity Center portal.

Usage: fake_aws_credentials.py ACCESS_KEY_ID SECRET_ACCESS_KEY SESSION_TOKEN
           --container-token T --sso-token S

Every link hands out the same temporary credentials, so fake_bedrock.py can
verify a request signed with them. Prints "PORT <n>"; serves until stdin closes.

  PUT /latest/api/token                    needs X-aws-ec2-metadata-token-ttl-seconds
  GET /latest/meta-data/iam/security-credentials/[ROLE]   needs the token
  GET /container/credentials               needs Authorization: T
  GET /federation/credentials?role_name=Painter&account_id=111122223333
                                           needs x-amz-sso_bearer_token: S
GET /__log lists the requests (method, path, headers).
"""

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from fakes_common import serve

parser = argparse.ArgumentParser()
parser.add_argument("access_key_id")
parser.add_argument("secret_access_key")
parser.add_argument("session_token")
parser.add_argument("--container-token", required=True)
parser.add_argument("--sso-token", required=True)
CONFIG = parser.parse_args()

IMDS_TOKEN = "imds-session-token-0123456789"
ROLE = "painter-instance-role"
LOG = []
LOCK = threading.Lock()


def expiry():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))


def credentials_json():
    return {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": CONFIG.access_key_id,
            "SecretAccessKey": CONFIG.secret_access_key, "Token": CONFIG.session_token,
            "Expiration": expiry()}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self):
        with LOCK:
            LOG.append({"method": self.command, "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()}})

    def do_PUT(self):
        self.record()
        if self.path != "/latest/api/token":
            return self.answer(404, {"message": "not found"})
        if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "").isdigit():
            return self.answer(400, "missing TTL", "text/plain")
        self.answer(200, IMDS_TOKEN, "text/plain")

    def do_GET(self):
        if self.path == "/__log":
            with LOCK:
                return self.answer(200, LOG)
        self.record()
        url = urlsplit(self.path)
        prefix = "/latest/meta-data/iam/security-credentials/"
        if url.path.startswith(prefix):
            if self.headers.get("X-aws-ec2-metadata-token") != IMDS_TOKEN:
                return self.answer(401, "", "text/plain")
            role = url.path[len(prefix):]
            if role == "":
                return self.answer(200, ROLE, "text/plain")
            if role == ROLE:
                return self.answer(200, credentials_json())
            return self.answer(404, "", "text/plain")
        if url.path == "/container/credentials":
            if self.headers.get("Authorization") != CONFIG.container_token:
                return self.answer(403, {"message": "bad authorization token"})
            return self.answer(200, credentials_json())
        if url.path == "/federation/credentials":
            query = parse_qs(url.query)
            if self.headers.get("x-amz-sso_bearer_token") != CONFIG.sso_token:
                return self.answer(401, {"message": "Session token not found or invalid"})
            if query.get("role_name") != ["Painter"] or query.get("account_id") != ["111122223333"]:
                return self.answer(403, {"message": "No access"})
            return self.answer(200, {"roleCredentials": {
                "accessKeyId": CONFIG.access_key_id, "secretAccessKey": CONFIG.secret_access_key,
                "sessionToken": CONFIG.session_token, "expiration": int((time.time() + 3600) * 1000)}})
        self.answer(404, {"message": "not found"})


serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
