"""Read files signed by `credits` with c2pa-python, an independent binding
(c2pa-rs 0.91.x through its C API), and check its verdict.

    python interop.py [--merkle] TRUST_PEM FILE…

A FILE ending in .c2pa is a sidecar: it is read against the media file of
the same name without the suffix. Every file must be Valid without trust
anchors and Trusted with TRUST_PEM as the only anchor (for claim signers and,
as CAWG anchor, for identity credentials), and with that anchor:
- the operator's CAWG identity validates (`cawg.identity.well-formed` and
  `cawg.x509.credential.trusted` at the `cawg.identity` assertion);
- no `assertion.bmffHash.additionalExclusionsPresent` is reported (but
  see `--merkle`);
- with `--merkle`, each MP4 or MOV binds its media data by Merkle trees
  (the BMFF hash's `merkle`, fixed 1 MiB leaves; a clip of 16 MiB of media
  data or more), so that readers verify it in bounded memory; the `/mdat`
  exclusion that needs is the only one beyond the required, and c2pa-rs
  0.91 reports it as `additionalExclusionsPresent` (informational);
- C2PA 2.2 conformance of what we sign: the first actions assertion is a
  created assertion opening with the inception action (`c2pa.created` or
  `c2pa.opened`) and says `allActionsIncluded: true`, and
  `claim_generator_info` carries `specVersion`.
Exit 0 when all pass.

    python interop.py --tampered TRUST_PEM FILE…

Each FILE (a signed clip whose media data is bound by Merkle trees) is
copied with one byte changed in the middle of its `mdat`; the copy must
read as Invalid with `assertion.bmffHash.mismatch`.
"""
import json
import pathlib
import sys

import c2pa

MIME = {
    ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp",
    ".gif": "image/gif", ".tif": "image/tiff", ".avif": "image/avif",
    ".mp4": "video/mp4", ".mov": "video/quicktime", ".mkv": "video/x-matroska",
    ".webm": "video/webm", ".flac": "audio/flac", ".opus": "audio/ogg",
    ".wav": "audio/wav", ".mp3": "audio/mpeg",
}


def context(trust_pem):
    settings = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    if trust_pem is not None:
        # c2pa-rs 0.91 keeps one list per purpose: claim signers
        # ("manifest") and CAWG identity credentials ("cawg").
        settings["trust"] = {"anchors": [
            {"trust_anchors": trust_pem, "trust_kind": "manifest"},
            {"trust_anchors": trust_pem, "trust_kind": "cawg"},
        ]}
    return c2pa.Context(settings=c2pa.Settings.from_dict(settings))


def state(path, ctx):
    if path.suffix == ".c2pa":
        media = path.with_suffix("")
        with open(media, "rb") as stream:
            reader = c2pa.Reader(MIME[media.suffix], stream,
                                 manifest_data=path.read_bytes(), context=ctx)
            return reader.get_validation_state(), reader.json()
    reader = c2pa.Reader(str(path), context=ctx)
    return reader.get_validation_state(), reader.json()


# Formats the SDK's own BMFF writer signs (HEIF items: `credits` does not
# splice them), whose hash also excludes `free` and `skip`: the
# informational code is expected there (docs/attacks.md, "BMFF exclusions").
SDK_WRITER = {".avif"}


def conformance(store, path):
    """What is wrong with the active manifest, in words (empty when nothing)."""
    problems = []
    manifest = store["manifests"][store["active_manifest"]]
    results = store.get("validation_results", {}).get("activeManifest", {})
    at_identity = lambda k: {c["code"] for c in results.get(k, [])
                             if c.get("url", "").endswith("/cawg.identity")}
    for want in ("cawg.identity.well-formed", "cawg.x509.credential.trusted"):
        if want not in at_identity("success"):
            problems.append(f"no {want}")
    informational = {c["code"] for c in results.get("informational", [])}
    bmff = [a for a in manifest["assertions"] if a["label"].startswith("c2pa.hash.bmff")]
    merkle = bool(bmff) and "merkle" in bmff[0]["data"]
    # Merkle trees need the `/mdat` exclusion, which c2pa-rs 0.91 remarks on.
    if ("assertion.bmffHash.additionalExclusionsPresent" in informational
            and path.suffix not in SDK_WRITER and not merkle):
        problems.append("additionalExclusionsPresent")
    actions = [a for a in manifest["assertions"] if a["label"].startswith("c2pa.actions")]
    if not actions:
        problems.append("no actions assertion")
    else:
        first = actions[0]
        steps = first["data"].get("actions", [])
        if not first.get("created"):
            problems.append("actions not a created assertion")
        if not steps or steps[0].get("action") not in ("c2pa.created", "c2pa.opened"):
            problems.append("actions do not open with the inception action")
        if first["data"].get("allActionsIncluded") is not True:
            problems.append("no allActionsIncluded")
    if not all("specVersion" in g for g in manifest.get("claim_generator_info", [{}])):
        problems.append("no specVersion")
    if MERKLE and path.suffix in (".mp4", ".mov") and bmff:
        trees = bmff[0]["data"].get("merkle") or []
        if not trees or not all(t.get("fixedBlockSize") == 1 << 20 for t in trees):
            problems.append("media data not bound by 1 MiB Merkle leaves")
        excluded = [e["xpath"] for e in bmff[0]["data"]["exclusions"]]
        if sorted(excluded) != ["/ftyp", "/mdat", "/mfra", "/uuid"]:
            problems.append(f"exclusions {excluded}")
    return problems


def mdat(data):
    """(offset, size) of the first top-level `mdat` box."""
    at = 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at:at + 4], "big")
        if size == 1:
            size = int.from_bytes(data[at + 8:at + 16], "big")
        if data[at + 4:at + 8] == b"mdat":
            return at, size
        if size < 8:
            break
        at += size
    raise ValueError("no top-level mdat")


def tampered(trust_pem, names):
    """A byte changed mid-`mdat` in each file: Invalid, BMFF hash mismatch."""
    failed = 0
    for name in names:
        signed = pathlib.Path(name)
        path = signed.with_name("tampered-" + signed.name)
        try:
            data = bytearray(signed.read_bytes())
            at, size = mdat(data)
            if size <= 16 << 20:
                raise ValueError(f"mdat of {size} bytes: no Merkle trees")
            data[at + 16 + size // 2] ^= 0x55  # in a middle leaf of many
            path.write_bytes(data)
            anchored, manifest_json = state(path, context(trust_pem))
            store = json.loads(manifest_json)
            results = store.get("validation_results", {}).get("activeManifest", {})
            codes = {c["code"] for c in results.get("failure", [])}
        except Exception as e:  # a reader error is not the verdict we want
            anchored, codes = f"error: {e}", set()
        ok = anchored == "Invalid" and "assertion.bmffHash.mismatch" in codes
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {path.name:<14} tampered: {anchored} "
              f"{', '.join(sorted(codes)) or 'no failure codes'}")
    sys.exit(1 if failed else 0)


MERKLE = False


def disclosure(specs):
    """Each PATH=OURS=EXPECTED: the c2pa.ai-disclosure assertion as
    c2pa-python reads it must say EXPECTED, which `credits verify` (OURS)
    says too."""
    failed = 0
    for spec in specs:
        name, ours, expected = spec.split("=")
        _, manifest_json = state(pathlib.Path(name), context(None))
        store = json.loads(manifest_json)
        manifest = store["manifests"][store["active_manifest"]]
        found = [a for a in manifest["assertions"] if a["label"] == "c2pa.ai-disclosure"]
        level = found[0]["data"].get("contentProfile", {}).get("humanOversightLevel") if found else None
        source = found[0]["data"].get("digitalSourceType", "") if found else ""
        ok = level == expected == ours and source.endswith("trainedAlgorithmicMedia")
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name:<28} c2pa.ai-disclosure humanOversightLevel: "
              f"c2pa-python {level}, credits verify {ours}, expected {expected} ({source})")
    print(f"{len(specs) - failed} of {len(specs)} AI disclosures read alike by c2pa-python")
    sys.exit(1 if failed else 0)


def main():
    global MERKLE
    if sys.argv[1] == "--disclosure":
        disclosure(sys.argv[2:])
    if sys.argv[1] == "--tampered":
        tampered(pathlib.Path(sys.argv[2]).read_text(), sys.argv[3:])
    if sys.argv[1] == "--merkle":
        MERKLE = True
        del sys.argv[1]
    trust_pem = pathlib.Path(sys.argv[1]).read_text()
    failed = 0
    print(f"c2pa-python {c2pa.version('c2pa-python')} (c2pa-rs {c2pa.sdk_version()})")
    for name in sys.argv[2:]:
        path = pathlib.Path(name)
        try:
            plain, _ = state(path, context(None))
            anchored, manifest_json = state(path, context(trust_pem))
            problems = conformance(json.loads(manifest_json), path)
        except Exception as e:  # a reader error is a failure, reported
            plain, anchored, problems = "error", f"error: {e}", ["unreadable"]
        ok = plain in ("Valid", "Trusted") and anchored == "Trusted" and not problems
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {path.name:<14} no anchors: {plain:<8} "
              f"our CA: {anchored:<8} identity, actions, specVersion: "
              f"{'; '.join(problems) or 'conformant'}")
    print(f"{len(sys.argv) - 2 - failed} of {len(sys.argv) - 2} read as Valid/Trusted by c2pa-python")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
