#!/usr/bin/env python3
"""Architecture check, run by scripts/test.sh (issue 11).

Reads `use crate::…`, `crate::…` paths and `super::…` paths in src/ and
fails (exit 1) when:
  - the top-level library modules import each other in a cycle;
  - a library module imports the binary's `cli` or `commands`;
  - inside one directory module (src/audit/, src/stamp/, …) the submodules
    and their parent `mod.rs` import each other in a cycle;
  - a source file (src/, tests/, examples/, fuzz/) is longer than
    MAX_FILE_LINES, or a library or binary function longer than MAX_FN_LINES
    (files ~500 lines, functions that read as steps: docs/design.md).
Prints the module graph it checked, so a reviewer sees the layers.
"""
import pathlib
import re
import sys

MAX_FILE_LINES = 500
MAX_FN_LINES = 60
ROOT = pathlib.Path(__file__).resolve().parent.parent / "src"
BINARY = {"main", "cli", "commands"}

CRATE_PATH = re.compile(r"\bcrate::([a-z_][a-z0-9_]*)(?:::([a-z_][a-z0-9_]*))?")
USE_GROUP = re.compile(r"\buse\s+crate::\{([^;]*)\};", re.S)
SUPER_PATH = re.compile(r"\bsuper::([a-z_][a-z0-9_]*)")
FN_START = re.compile(r"^\s*(pub(\([a-z]+\))?\s+)?(const\s+)?(unsafe\s+)?fn\s+([a-z_][a-z0-9_]*)")


def module_of(path):
    """(top-level module, submodule or None) of a source file."""
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "mod":
        parts.pop()
    if parts == ["lib"]:
        return ("lib", None)
    return (parts[0], parts[1] if len(parts) > 1 else None)


def code_of(text):
    """The text without comments and string contents (roughly)."""
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def super_names(code):
    """First names after `super::`, also inside `use super::{…}` groups."""
    names = set(SUPER_PATH.findall(code))
    for group in re.findall(r"\bsuper::\{([^;]*)\}", code, re.S):
        names.update(re.findall(r"(?:^|[,{\s])([A-Za-z_][A-Za-z0-9_]*)", group))
    return names - {"self"}


def find_cycles(graph):
    """Every strongly connected component with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def long_functions(lines):
    """(name, first line, length) of functions longer than MAX_FN_LINES."""
    out = []
    i = 0
    while i < len(lines):
        m = FN_START.match(lines[i])
        if not m:
            i += 1
            continue
        depth, started, j = 0, False, i
        while j < len(lines):
            code = code_of(lines[j])
            code = re.sub(r"'(?:\\.|[^'\\])'", "''", code)
            depth += code.count("{") - code.count("}")
            started = started or "{" in code
            if (started and depth <= 0) or (not started and code.rstrip().endswith(";")):
                break
            j += 1
        if started and j - i + 1 > MAX_FN_LINES:
            out.append((m.group(5), i + 1, j - i + 1))
        i = j + 1 if started else i + 1
    return out


def main():
    top = {}      # top-level module -> set of top-level modules it uses
    inner = {}    # directory module -> {submodule -> set of siblings it uses}
    problems = []
    for path in sorted(ROOT.rglob("*.rs")):
        text = path.read_text()
        lines = text.splitlines()
        rel = path.relative_to(ROOT)
        if len(lines) > MAX_FILE_LINES:
            problems.append(f"{rel}: {len(lines)} lines (limit {MAX_FILE_LINES})")
        for name, line, length in long_functions(lines):
            problems.append(f"{rel}:{line}: fn {name} is {length} lines (limit {MAX_FN_LINES})")
        mod, sub = module_of(path)
        code = code_of(text)
        used = set()
        for group in USE_GROUP.findall(code):
            used.update(re.findall(r"(?:^|[,{\s])([a-z_][a-z0-9_]*)", group))
        pairs = CRATE_PATH.findall(code)
        used.update(first for first, _ in pairs)
        top.setdefault(mod, set()).update(u for u in used if u != mod)
        if mod in BINARY:
            continue
        for u in used & BINARY:
            problems.append(f"{rel}: library module `{mod}` imports the binary's `{u}`")
        if sub is not None or path.name == "mod.rs":
            children = {c.stem for c in (ROOT / mod).glob("*.rs")} | {
                c.parent.name for c in (ROOT / mod).glob("*/mod.rs")}
            children.discard("mod")
            node = sub or "mod"
            deps = inner.setdefault(mod, {}).setdefault(node, set())
            deps.update(second for first, second in pairs if first == mod and second in children)
            # In a nested file (generator/comfyui/graph.rs) `super::` is its
            # own directory module's, not this one's.
            nested = len(rel.parts) > 3 or (len(rel.parts) == 3 and path.name != "mod.rs")
            if sub is not None and not nested:
                for s in super_names(code):
                    deps.add(s if s in children else "mod")
            else:
                deps.update(s for s in re.findall(r"\b([a-z_][a-z0-9_]*)::", code) if s in children)
            deps.discard(node)
    for other in ("tests", "examples", "fuzz/fuzz_targets"):
        for path in sorted((ROOT.parent / other).rglob("*.rs")):
            n = len(path.read_text().splitlines())
            if n > MAX_FILE_LINES:
                problems.append(f"{path.relative_to(ROOT.parent)}: {n} lines (limit {MAX_FILE_LINES})")
    library = {m: {d for d in deps if d in top and d not in ("lib",)} for m, deps in top.items()
               if m not in BINARY and m != "lib"}
    for cycle in find_cycles(library):
        problems.append("module cycle: " + " <-> ".join(cycle))
    for mod, graph in sorted(inner.items()):
        graph = {k: {d for d in v if d in graph} for k, v in graph.items()}
        for cycle in find_cycles(graph):
            problems.append(f"cycle inside {mod}/: " + " <-> ".join(cycle))
    for m in sorted(library):
        print(f"  {m:<12} -> {', '.join(sorted(library[m])) or '(nothing)'}")
    if problems:
        print("\n".join(["layers: FAILED"] + ["  " + p for p in problems]))
        return 1
    print(f"layers: ok ({len(library)} modules, no cycle; files <= {MAX_FILE_LINES} lines, "
          f"functions <= {MAX_FN_LINES} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
