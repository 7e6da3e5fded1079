#!/usr/bin/env python3
"""Run the README's examples as written (issue 11), in a throwaway directory.

Every ```sh block of README.md is run line by line (continuation lines
joined), in order, with the built `credits` first on PATH; the ```toml
blocks become the files they describe (kling.toml, film-policy.toml). The
inputs the examples name (out/shot_012.mp4, prompt.txt, refs/, paths/,
renders/, incoming/, film/, cuts/) are generated first (comfy-out/ is a copy of
fixtures/generators/, ComfyUI/input/ of the images its graphs load) with ffmpeg (the
cut by OpenTimelineIO). A ```toml block whose first line is `# NAME.toml`
becomes NAME.toml; any other becomes film-policy.toml.

An example passes when it exits 0, or 1 where `credits` checked something
and said no (verify of an unsigned file, an audit that rejects): what it
must never do is fail to run (exit 2: bad flags, missing files) or crash.
The timestamp example's TSA (127.0.0.1:3161) is scripts/local-tsa.py,
started here. `credits watch` runs until interrupted, so it gets SIGINT after a few
seconds and must then exit 0. The shared catalog the README names
(postgres://credits@catalog.studio.example/films) is a database `films` on the
throwaway PostgreSQL cluster of scripts/with-postgres.sh, which must be
running (CREDITS_TEST_PG; scripts/test.sh starts it): without it those
examples fail, they are never skipped. The two commands of "Two commands"
(demo and tests) are not run from here.

Usage: scripts/readme-examples.py PATH/TO/credits
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
SKIP = ("./scripts/demo.sh", "./scripts/test.sh")


def blocks(text, lang):
    return re.findall(r"```" + lang + r"\n(.*?)```", text, re.S)


def commands(block):
    """The block's commands: continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", block)
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


CATALOG = "postgres://credits@catalog.studio.example/films"


def shared_catalog():
    """The README's shared catalog: a fresh database on the test cluster."""
    server = os.environ.get("CREDITS_TEST_PG")
    if not server:
        sys.exit("readme examples: the shared-catalog examples need PostgreSQL; "
                 "run through scripts/with-postgres.sh (scripts/test.sh does)")
    subprocess.run(["psql", "-q", server, "-c", "DROP DATABASE IF EXISTS films"], check=True)
    subprocess.run(["psql", "-q", server, "-c", "CREATE DATABASE films"], check=True)
    return server.rsplit("/", 1)[0] + "/films"


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", *args], check=True)


def inputs(work):
    """The files the examples name, generated."""
    for d in ["out", "refs", "paths", "renders", "incoming", "film", "proxies", "signed"]:
        (work / d).mkdir()
    src = "testsrc2=size=640x360:rate=24,noise=alls=20:allf=t"
    ffmpeg("-f", "lavfi", "-i", src, "-t", "2", "-pix_fmt", "yuv420p", str(work / "out/shot_012.mp4"))
    ffmpeg("-i", str(work / "out/shot_012.mp4"), "-vf", "scale=320:-2", str(work / "incoming/clip.mp4"))
    shutil.copy(work / "incoming/clip.mp4", work / "incoming/shot.mp4")
    ffmpeg("-f", "lavfi", "-i", src, "-frames:v", "1", str(work / "refs/start.png"))
    for i in range(3):
        ffmpeg("-f", "lavfi", "-i", src, "-ss", str(i / 10), "-frames:v", "1",
               str(work / f"renders/frame_{i:03}.png"))
    shutil.copy(work / "refs/start.png", work / "film/plate.png")
    # A generator's own outputs (ComfyUI, A1111, …) for the example that
    # stamps them without --tool or --prompt.
    # ComfyUI/input/ is ComfyUI's input folder, for --controls-dir.
    shutil.copytree(REPO / "fixtures/generators", work / "comfy-out",
                    ignore=shutil.ignore_patterns("*.md", "*.json", "input"))
    shutil.copytree(REPO / "fixtures/generators/comfyui-graphs/input", work / "ComfyUI/input")
    (work / "paths/012.json").write_text('{"points": [[0, 0], [120, 40]]}\n')
    (work / "prompt.txt").write_text("a lighthouse at dusk, long lens\n")
    cut(work)


def cut(work):
    """cuts/reel1.otio and .edl over two clips, written by OpenTimelineIO
    (scripts/make-cut.py with the venv of scripts/otio-venv.sh)."""
    media = work / "cuts/media"
    media.mkdir(parents=True)
    src = "testsrc2=size=320x180:rate=24"
    for name in ("shot_a.mp4", "shot_b.mp4"):
        ffmpeg("-f", "lavfi", "-i", src, "-t", "3", "-pix_fmt", "yuv420p", str(media / name))
    spec = {"name": "reel 1", "rate": 24, "video": [
        {"clip": "shot_a.mp4", "url": "media/shot_a.mp4", "start": 0, "dur": 2},
        {"clip": "shot_b.mp4", "url": "media/shot_b.mp4", "start": 1, "dur": 1.5}]}
    (work / "cuts/spec.json").write_text(json.dumps(spec))
    python = subprocess.run(["bash", str(REPO / "scripts/otio-venv.sh")], check=True,
                            capture_output=True, text=True).stdout.strip()
    subprocess.run([python, str(REPO / "scripts/make-cut.py"), str(work / "cuts/spec.json"),
                    str(work / "cuts/reel1")], check=True)


def main():
    credits = pathlib.Path(sys.argv[1]).resolve()
    readme = (REPO / "README.md").read_text()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="credits-readme.") as tmp:
        work = pathlib.Path(tmp)
        inputs(work)
        for toml in blocks(readme, "toml"):
            named = re.match(r"# (\S+\.toml)\n", toml)
            name = named.group(1) if named else "film-policy.toml"
            (work / name).write_text(toml)
        bin_dir = work / ".bin"
        bin_dir.mkdir()
        (bin_dir / "credits").symlink_to(credits)
        env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
        # The throwaway TSA the README's timestamp example names.
        tsa = subprocess.Popen([sys.executable, str(REPO / "scripts/local-tsa.py"),
                                "--dir", str(work / "tsa"), "--port", "3161"],
                               stderr=subprocess.PIPE, text=True)
        tsa.stderr.readline()
        shared = shared_catalog()
        for block in blocks(readme, "sh"):
            for cmd in commands(block):
                if cmd.startswith(SKIP):
                    continue
                cmd = cmd.replace(CATALOG, shared)
                watch = cmd.startswith("credits watch")
                if watch:
                    # --foreground: one SIGINT to the watcher, as Ctrl-C
                    # gives. Without it timeout signals the child and then
                    # its whole process group: a second SIGINT, which ends
                    # the watcher at once (exit 130), as a second Ctrl-C does.
                    cmd = f"timeout --foreground --preserve-status -s INT 5 {cmd}"
                done = subprocess.run(["bash", "-c", cmd], cwd=work, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                allowed = (0,) if watch or not cmd.startswith("credits") else (0, 1)
                ok = done.returncode in allowed
                failures += not ok
                print(f"{'ok  ' if ok else 'FAIL'} exit {done.returncode}  {cmd}")
                if not ok:
                    print("     " + done.stderr.strip().replace("\n", "\n     "))
        tsa.terminate()
        tsa.wait()
    print(f"readme examples: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
