#!/usr/bin/python3
"""Callgrind instructions per byte of the engine on the 200 KB page.

    instructions.py ENGINE_PASS GLOSSARY PAGE [--also PAGE]... [--out FILE]

Runs engine_pass (bench/engine_pass.c) under valgrind --tool=callgrind
twice per page, counting only its annotate pass (--toggle-collect=
annotate_pass: what mod_briefing does per response, from annotate_config_new
to annotate_config_free) and then only its identity pass (the same 64 KiB
chunks memcpy'd into the same byte-counting sink).  Loading the glossary,
reading the page and process start-up are not counted.  The engine's figure
is annotate - identity; the target is judged on PAGE, the --also pages are
shown for comparison.  Instruction counts do not depend on the machine's
load, so they are the same from run to run (unlike the timings)."""
import argparse
import os
import re
import subprocess
import tempfile

TARGET = 5.0                 # instructions per byte, from the issue
SUBSTITUTE_10 = 68           # the figure for mod_substitute with 10 rules


def instructions(binary, glossary, page, function):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                        "--toggle-collect=" + function, binary, glossary, page],
                       check=True, capture_output=True)
        with open(out) as f:
            totals = re.search(r"^(?:summary|totals):\s*(\d+)", f.read(), re.M)
    return int(totals.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("engine_pass")
    ap.add_argument("glossary")
    ap.add_argument("page")
    ap.add_argument("--also", action="append", default=[])
    ap.add_argument("--out")
    a = ap.parse_args()
    lines = ["callgrind: instructions of one pass of engine_pass over each page, glossary %s"
             % os.path.basename(a.glossary),
             "  annotate: annotate_config_new, annotator_new, annotator_write per 64 KiB chunk,",
             "  annotator_finish, annotator_free, annotate_config_free (what mod_briefing does per",
             "  response); identity: the chunks memcpy'd into the same byte-counting sink",
             "",
             "%-16s %11s %13s %8s %13s %8s %9s" % ("page", "bytes", "annotate", "per B",
                                                  "identity", "per B", "engine/B")]
    for page in [a.page] + a.also:
        size = os.path.getsize(page)
        ann = instructions(a.engine_pass, a.glossary, page, "annotate_pass")
        ident = instructions(a.engine_pass, a.glossary, page, "identity_pass")
        net = (ann - ident) / size
        if page == a.page:
            target = net
        lines.append("%-16s %11s %13s %8.2f %13s %8.2f %9.2f" % (
            os.path.basename(page), format(size, ","), format(ann, ","), ann / size,
            format(ident, ","), ident / size, net))
    lines += ["(engine/B = (annotate - identity) / bytes)", "", "target (engine):",
              "  instructions per byte, %s  %7.2f   target <= %g (mod_substitute-10: %d)  %s"
              % (os.path.basename(a.page), target, TARGET, SUBSTITUTE_10,
                 "MET" if target <= TARGET else "NOT MET")]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
