#!/usr/bin/env python3
"""Writes the test service account beside this script: google_service_account.json (a
service-account key file as Google issues them, with a throwaway 2048-bit RSA key) and
google_service_account.pub.pem (its public key, which fake_google.py verifies JWTs with).
The key signs nothing but loopback test tokens. Run again to replace both."""

import json
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

HERE = os.path.dirname(os.path.abspath(__file__))
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
account = {
    "type": "service_account",
    "project_id": "imagegen-test-project",
    "private_key_id": "0123456789abcdef0123456789abcdef01234567",
    "private_key": private_pem,
    "client_email": "painter@imagegen-test-project.iam.gserviceaccount.com",
    "client_id": "100000000000000000001",
    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
    # The tests point this at the fake's token endpoint in their own copy.
    "token_uri": "https://oauth2.googleapis.com/token",
}
with open(os.path.join(HERE, "google_service_account.json"), "w") as f:
    json.dump(account, f, indent=2)
    f.write("\n")
with open(os.path.join(HERE, "google_service_account.pub.pem"), "w") as f:
    f.write(public_pem)
