#!/usr/bin/env python3
"""Writes vectors.json: AWS Signature Version 4 test vectors computed by
botocore's SigV4Auth (the signer the AWS CLI and LiteLLM use), which the Swift
signer must match byte for byte (SigV4SignerTests).

Run from anywhere:  python3 make_vectors.py   (needs botocore: pip install botocore)

Each vector gives the request as imagegen hands it to the signer (method, URL,
headers, body, credentials, region, service, Unix time) and botocore's canonical
request, string to sign, signature and Authorization header. The time is frozen
by replacing botocore's clock, so the output is the same on every run.
"""
import datetime
import json
import os
from unittest import mock

import botocore
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

# The key pair from AWS's own documentation examples; the token is made up.
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJGMEQCIG+example=="

JSON = [["Content-Type", "application/json"], ["Accept", "application/json"]]
SDXL_BODY = '{"text_prompts":[{"text":"a lighthouse"}],"height":1024,"width":1024}'

VECTORS = [
    dict(name="post-sdxl-encoded-colon",
         method="POST",
         url="https://bedrock-runtime.us-east-1.amazonaws.com/model/stability.stable-diffusion-xl-v1%3A0/invoke",
         headers=JSON, body=SDXL_BODY, region="us-east-1", token=None,
         time=(2026, 1, 2, 3, 4, 5)),
    dict(name="post-session-token-other-region",
         method="POST",
         url="https://bedrock-runtime.us-west-2.amazonaws.com/model/amazon.titan-image-generator-v2%3A0/invoke",
         headers=JSON,
         body='{"taskType":"TEXT_IMAGE","textToImageParams":{"text":"caf\u00e9 at night"},'
              '"imageGenerationConfig":{"numberOfImages":2}}',
         region="us-west-2", token=TOKEN, time=(2025, 12, 31, 23, 59, 59)),
    dict(name="post-raw-colon",
         method="POST",
         url="https://bedrock-runtime.eu-west-1.amazonaws.com/model/stability.sd3-large-v1:0/invoke",
         headers=JSON, body='{"prompt":"a fox"}', region="eu-west-1", token=None,
         time=(2026, 2, 28, 12, 0, 0)),
    dict(name="post-loopback-port-token",
         method="POST",
         url="http://127.0.0.1:8123/model/amazon.nova-canvas-v1%3A0/invoke",
         headers=JSON, body='{"taskType":"TEXT_IMAGE","textToImageParams":{"text":"a harbour"}}',
         region="ap-southeast-2", token=TOKEN, time=(2026, 3, 4, 5, 6, 7)),
    dict(name="post-empty-body",
         method="POST",
         url="https://bedrock-runtime.us-east-1.amazonaws.com/model/stability.stable-image-core-v1%3A1/invoke",
         headers=JSON, body="", region="us-east-1", token=None, time=(2026, 1, 2, 3, 4, 5)),
    dict(name="get-query-empty-body",
         method="GET",
         url="https://bedrock.eu-central-1.amazonaws.com/foundation-models?byProvider=stability&byOutputModality=IMAGE",
         headers=[["Accept", "application/json"]], body="", region="eu-central-1", token=None,
         time=(2026, 6, 15, 8, 30, 0)),
    dict(name="get-session-token-default-port",
         method="GET",
         url="https://bedrock-runtime.ca-central-1.amazonaws.com:443/",
         headers=[], body="", region="ca-central-1", token=TOKEN, time=(2026, 7, 1, 0, 0, 0)),
    dict(name="post-arn-model-spaces-in-header",
         method="POST",
         url="https://bedrock-runtime.us-east-1.amazonaws.com/model/"
             "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprovisioned-model%2Fabc123/invoke",
         headers=[["Content-Type", "application/json"], ["X-Custom", "  two   spaces\there  "]],
         body='{"prompt":"x"}', region="us-east-1", token=None, time=(2026, 1, 2, 3, 4, 5)),
]


def sign(vector):
    frozen = datetime.datetime(*vector["time"])
    request = AWSRequest(method=vector["method"], url=vector["url"],
                         headers=dict(vector["headers"]), data=vector["body"].encode("utf-8"))
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, vector["token"])
    signer = SigV4Auth(credentials, "bedrock", vector["region"])
    # add_auth computes the intermediate texts internally; record them as it does.
    seen = {}
    original_string_to_sign = signer.string_to_sign
    original_signature = signer.signature

    def record_string_to_sign(request, canonical_request):
        seen["canonical_request"] = canonical_request
        seen["string_to_sign"] = original_string_to_sign(request, canonical_request)
        return seen["string_to_sign"]

    def record_signature(string_to_sign, request):
        seen["signature"] = original_signature(string_to_sign, request)
        return seen["signature"]

    signer.string_to_sign = record_string_to_sign
    signer.signature = record_signature
    with mock.patch("botocore.auth.get_current_datetime", return_value=frozen):
        signer.add_auth(request)
    return {
        "name": vector["name"],
        "method": vector["method"],
        "url": vector["url"],
        "headers": vector["headers"],
        "body": vector["body"],
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "session_token": vector["token"],
        "region": vector["region"],
        "service": "bedrock",
        "time": int(frozen.replace(tzinfo=datetime.timezone.utc).timestamp()),
        "x_amz_date": request.headers["X-Amz-Date"],
        "canonical_request": seen["canonical_request"],
        "string_to_sign": seen["string_to_sign"],
        "signature": seen["signature"],
        "authorization": request.headers["Authorization"],
        "x_amz_security_token": request.headers.get("X-Amz-Security-Token"),
    }


def main():
    document = {
        "generator": f"make_vectors.py with botocore {botocore.__version__} SigV4Auth",
        "vectors": [sign(vector) for vector in VECTORS],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
    with open(path, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
    print(f"wrote {len(document['vectors'])} vectors to {path}")


if __name__ == "__main__":
    main()
