"""The peer for signing benchmarks: c2pa-python (PyPI; c2pa-rs 0.91 through
its C API) signs every file in a directory, in one process, one after
another, with a created action and no thumbnail; with a TSA URL, each
signature gets an RFC 3161 timestamp from it (as `credits stamp --tsa`).

    python peer-sign.py KEY CHAIN IN_DIR OUT_DIR [TSA_URL]
"""
import json
import pathlib
import sys

import c2pa

MIME = {".png": "image/png", ".jpg": "image/jpeg", ".mp4": "video/mp4"}


def main():
    key, chain, src, out = sys.argv[1:5]
    tsa = sys.argv[5] if len(sys.argv) > 5 else None
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(
        "ed25519", pathlib.Path(chain).read_bytes(), pathlib.Path(key).read_bytes(), tsa))
    ctx = c2pa.Context(settings=c2pa.Settings.from_dict({
        "builder": {"thumbnail": {"enabled": False}},
        "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}))
    manifest = json.dumps({
        "claim_generator_info": [{"name": "peer-bench", "version": "1"}],
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [{
            "action": "c2pa.created",
            "digitalSourceType":
                "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"}]}}]})
    pathlib.Path(out).mkdir(parents=True, exist_ok=True)
    for path in sorted(pathlib.Path(src).iterdir()):
        with open(path, "rb") as source, open(pathlib.Path(out) / path.name, "wb") as dest:
            c2pa.Builder(manifest, context=ctx).sign(signer, MIME[path.suffix], source, dest)


if __name__ == "__main__":
    main()
