#!/usr/bin/env python3
"""A throwaway RFC 3161 Time-Stamp Authority on 127.0.0.1, for trying
`credits stamp --tsa` without a TSA of your own (and for the README's
examples). It is OpenSSL's `openssl ts -reply` behind a small HTTP handler:
in DIR it makes (once) a test root CA (`root.pem`, what `--tsa-trust`
takes) and a TSA certificate with the critical timeStamping EKU. Never a
production TSA: its keys sit unprotected in DIR.

Usage: scripts/local-tsa.py --dir DIR [--port 3161] [--name NAME]
(--port 0 picks a free port; the first line on stderr gives the URL.)
"""
import argparse
import http.server
import pathlib
import subprocess
import sys
import tempfile

CONFIG = """[ tsa ]
default_tsa = tsa1
[ tsa1 ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/root.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def openssl(d, *args):
    subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)


def make_pki(d, name):
    """Root CA and TSA certificate in `d`, unless already there."""
    if (d / "ts.cnf").exists():
        return
    d.mkdir(parents=True, exist_ok=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    openssl(d, "req", "-x509", *ec, "-keyout", "ca.key", "-out", "root.pem", "-days", "3650",
            "-subj", f"/O={name}/CN={name} Root",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl(d, "req", *ec, "-keyout", "tsa.key", "-out", "tsa.csr",
            "-subj", f"/O={name}/CN={name} TSA")
    (d / "tsa.ext").write_text("basicConstraints=critical,CA:FALSE\n"
                               "keyUsage=critical,digitalSignature\n"
                               "extendedKeyUsage=critical,timeStamping\n")
    openssl(d, "x509", "-req", "-in", "tsa.csr", "-CA", "root.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "tsa.pem", "-days", "3650", "-extfile", "tsa.ext")
    (d / "serial").write_text("01\n")
    (d / "ts.cnf").write_text(CONFIG.format(dir=d))


def handler(d):
    class Tsa(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = min(int(self.headers.get("Content-Length", 0)), 1 << 20)
            query = self.rfile.read(length)
            with tempfile.TemporaryDirectory(dir=d) as tmp:
                q, r = pathlib.Path(tmp, "q.tsq"), pathlib.Path(tmp, "r.tsr")
                q.write_bytes(query)
                done = subprocess.run(["openssl", "ts", "-reply", "-config", str(d / "ts.cnf"),
                                       "-queryfile", str(q), "-chain", str(d / "root.pem"),
                                       "-out", str(r)], capture_output=True)
                if done.returncode != 0 or not r.exists():
                    self.send_error(400, "not a timestamp query")
                    return
                reply = r.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    return Tsa


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", required=True, type=pathlib.Path)
    p.add_argument("--port", type=int, default=3161)
    p.add_argument("--name", default="Local Test", help="the TSA's O= and CN prefix")
    a = p.parse_args()
    d = a.dir.resolve()
    make_pki(d, a.name)
    server = http.server.HTTPServer(("127.0.0.1", a.port), handler(d))
    print(f"local TSA at http://127.0.0.1:{server.server_port}/ (roots: {d / 'root.pem'})",
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
