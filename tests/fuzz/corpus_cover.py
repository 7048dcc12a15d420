#!/usr/bin/env python3
"""Picks a small corpus from a libFuzzer merge control file.

    corpus_cover.py CONTROL_FILE MAX OUT_DIR

The control file (written by `FUZZER -merge=1 -merge_control_file=CONTROL_FILE`)
names every input and the features each one reaches.  Greedy set cover:
the input that adds the most features not yet reached, then the next, the
smaller input on a tie, until every feature is reached or MAX inputs are
taken; those are copied into OUT_DIR (named by their SHA-1, as libFuzzer
names them).  Prints how many features the kept inputs reach.
"""
import hashlib
import os
import shutil
import sys


def main():
    control, limit, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(control, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().splitlines()
    count = int(lines[0])
    files = lines[2:2 + count]
    features = {}
    for line in lines[2 + count:]:
        if line.startswith("FT "):
            parts = line.split()
            features[int(parts[1])] = set(int(x) for x in parts[2:])
    candidates = {i: ft for i, ft in features.items() if ft and os.path.exists(files[i])}
    size = {i: os.path.getsize(files[i]) for i in candidates}
    everything = set().union(*candidates.values()) if candidates else set()
    reached, kept, seen = set(), [], set()
    while candidates and len(kept) < limit:
        best = max(candidates, key=lambda i: (len(candidates[i] - reached), -size[i]))
        gain = candidates.pop(best) - reached
        if not gain:
            break
        with open(files[best], "rb") as f:
            data = f.read()
        digest = hashlib.sha1(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        reached |= gain
        kept.append((digest, data))
    os.makedirs(out, exist_ok=True)
    for digest, data in kept:
        with open(os.path.join(out, digest), "wb") as f:
            f.write(data)
    print(f"{len(kept)} inputs reach {len(reached)} of {len(everything)} features")


if __name__ == "__main__":
    main()
