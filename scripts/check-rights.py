#!/usr/bin/env python3
"""Read a `credits certify` rights certificate with generic tools from PyPI:
securesystemslib's DSSE Envelope verifies the signature with the end-entity
key of the chain the signature carries (cryptography's X.509 reader), and
the payload is checked to be an in-toto Statement v1 whose subjects carry
SHA-256 digests. Prints the predicate's verdict and subject count; exits 1
on any failure. Run by the tests with the python of scripts/otio-venv.sh.
Usage: check-rights.py CERT.intoto.json
"""
import base64
import copy
import json
import sys

from cryptography import x509
from securesystemslib.dsse import Envelope
from securesystemslib.signer import SSlibKey


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    envelope = Envelope.from_dict(copy.deepcopy(data))  # from_dict consumes its input
    if envelope.payload_type != "application/vnd.in-toto+json":
        sys.exit(f"payloadType {envelope.payload_type}")
    sig = data["signatures"][0]
    leaf = base64.b64decode(sig["extension"]["ext"]["certificates"][0])
    cert = x509.load_der_x509_certificate(leaf)
    key = SSlibKey.from_crypto(cert.public_key(), keyid=sig["keyid"])
    envelope.verify([key], 1)  # raises VerificationError when it does not hold
    statement = json.loads(envelope.payload)
    if statement["_type"] != "https://in-toto.io/Statement/v1":
        sys.exit(f"_type {statement['_type']}")
    for subject in statement["subject"]:
        digest = subject["digest"]["sha256"]
        if len(digest) != 64 or int(digest, 16) < 0:
            sys.exit(f"subject {subject['name']}: bad sha256")
    print(f"{statement['predicate']['verdict']} {len(statement['subject'])} {statement['predicateType']}")


if __name__ == "__main__":
    main()
