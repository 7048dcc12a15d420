#!/usr/bin/python3
"""The httpd benchmark: mod_briefing served by a real httpd, next to static
files, an identity-copy filter and mod_substitute (see README.md).

    httpd_bench.py --build DIR --out DIR [--quick]

DIR (build) holds what the Makefile built: mod_bench_identity.so, the
pages (pages/) and the 100,000-entry glossary.  Writes to --out:
httpd.txt (the report, also printed), results.csv (one row per run),
ratios.csv (medians per page and configuration) and ratios.png.

The server (bench_server.py) is pinned to one CPU and wrk to the other.
A round runs every page x configuration once, in a rotated order; each
run is wrk for DURATION seconds, then waiting until the server is idle
again (requests that wrk left in flight are finished by the server and
counted).  A run measures the requests the server finished (mod_status)
and the CPU time that all httpd processes used (/proc/PID/stat utime +
stime), hence req/s and server CPU per request.  Before the rounds, a
memory phase serves N annotated pages and watches the worker's RSS."""
import argparse
import csv
import os
import re
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_server import CONFIGS, Server  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = [("seed.html", "seed"), ("200k.html", "200 KB"), ("5m.html", "5 MB")]
SLOW_REQUEST_S = 0.5        # runs of slower requests use one connection
CONNECTIONS = 8
wrk_proc = None             # the running wrk, stopped on the way out


def say(out, text=""):
    print(text, flush=True)
    out.append(text)


def run_wrk(port, path, conns, seconds, cpu):
    global wrk_proc
    cmd = ["wrk", "-t1", "-c%d" % conns, "-d%ds" % seconds, "--timeout", "300s",
           "http://127.0.0.1:%d%s" % (port, path)]
    if cpu is not None:
        cmd = ["taskset", "-c", str(cpu)] + cmd
    wrk_proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    text = wrk_proc.communicate()[0]
    rc, wrk_proc = wrk_proc.returncode, None
    if rc != 0:
        raise RuntimeError("wrk failed: " + text)
    rps = re.search(r"Requests/sec:\s*([\d.]+)", text)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if bad:
        raise RuntimeError("wrk got %s error responses from %s" % (bad.group(1), path))
    return float(rps.group(1)) if rps else 0.0


def wait_idle(server):
    """Waits until no request but the status request is being served;
    returns (requests finished, status requests made)."""
    polls, deadline = 0, time.time() + 900
    while True:
        total, busy = server.status()
        polls += 1
        if busy <= 1:
            return total, polls
        if time.time() > deadline:
            raise RuntimeError("the server stays busy")
        time.sleep(0.02)


def measure(server, path, conns, seconds, client_cpu):
    before, _ = server.status()          # the server counts this one once it is done
    cpu0, t0 = server.cpu_seconds(), time.monotonic()
    wrk_rps = run_wrk(server.port, path, conns, seconds, client_cpu)
    total, polls = wait_idle(server)
    wall, cpu = time.monotonic() - t0, server.cpu_seconds() - cpu0
    n = total - before - polls
    if n <= 0:
        raise RuntimeError("no request finished for " + path)
    return {"requests": n, "wall_s": wall, "server_cpu_s": cpu, "req_per_s": n / wall,
            "wrk_req_per_s": wrk_rps, "cpu_us_per_req": cpu / n * 1e6,
            "server_cpu_util": cpu / wall}


def memory_phase(server, target, seconds, client_cpu, out):
    """Annotated seed pages, alternately with the demo and the 100k
    glossary, until the server finished `target` of them; the worker's
    memory after each wrk run.  Returns the samples (requests, RSS kB,
    private kB) at 10 % of the requests (after warming up) and at the end."""
    samples, done, k = [(0,) + server.worker_memory_kb()], 0, 0
    while done < target:
        prefix = ("briefing", "briefing-100k")[k % 2]
        done += measure(server, "/%s/seed.html" % prefix, CONNECTIONS, seconds,
                        client_cpu)["requests"]
        samples.append((done,) + server.worker_memory_kb())
        k += 1
    say(out, "worker memory over %d annotated requests (seed page, demo and 100k glossary "
        "alternately), requests: RSS MB / private MB:" % done)
    for i in range(0, len(samples), 8):
        say(out, "  " + ", ".join("%d: %.1f / %.1f" % (n, rss / 1024, own / 1024)
                                  for n, rss, own in samples[i:i + 8]))
    say(out, "  (RSS includes the pages shared with the parent, which loaded the glossaries; "
        "private: the worker's own)\n")
    return next(s for s in samples if s[0] >= target / 10), samples[-1]


def spread(values, fmt):
    return "%s (%s–%s)" % (fmt % statistics.median(values), fmt % min(values), fmt % max(values))


def summarize(runs):
    """{(page, config): {column: [value per round]}} with the per-round ratios."""
    by = {}
    for r in runs:
        by.setdefault((r["page"], r["config"]), []).append(r)
    for r in runs:
        same = {c: by[(r["page"], c)][r["round"]] for c in ("static", "identity")}
        r["x_static"] = r["cpu_us_per_req"] / same["static"]["cpu_us_per_req"]
        r["x_identity"] = r["cpu_us_per_req"] / same["identity"]["cpu_us_per_req"]
    return {key: {col: [r[col] for r in rs] for col in rs[0]} for key, rs in by.items()}


def per_round_ratio(summary, page, num, den):
    return [a / b for a, b in zip(summary[(page, num)]["cpu_us_per_req"],
                                  summary[(page, den)]["cpu_us_per_req"])]


def target_line(out, what, values, op, limit):
    m = statistics.median(values)
    ok = m <= limit if op == "<=" else m >= limit
    say(out, "  %-46s %8.2f x (%.2f–%.2f)  target %s %g x  %s"
        % (what, m, min(values), max(values), op, limit, "MET" if ok else "NOT MET"))


def write_outputs(outdir, runs, summary, sizes):
    cols = ["round", "page", "page_bytes", "config", "connections", "duration_s", "requests",
            "wall_s", "req_per_s", "wrk_req_per_s", "server_cpu_s", "cpu_us_per_req",
            "server_cpu_util", "x_static", "x_identity"]
    with open(os.path.join(outdir, "results.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(runs)
    with open(os.path.join(outdir, "ratios.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["page", "page_bytes", "config", "cpu_us_per_req_median", "req_per_s_median",
                    "x_static_median", "x_static_min", "x_static_max", "x_identity_median",
                    "x_identity_min", "x_identity_max"])
        for page, label in PAGES:
            for c in CONFIGS:
                s = summary[(page, c)]
                w.writerow([label, sizes[page], c, "%.1f" % statistics.median(s["cpu_us_per_req"]),
                            "%.1f" % statistics.median(s["req_per_s"])] +
                           ["%.4f" % f(s[col]) for col in ("x_static", "x_identity")
                            for f in (statistics.median, min, max)])
    # For gnuplot: block 0 = x static, block 1 = x identity; a row per page,
    # for each configuration median, min, max.
    dat = os.path.join(outdir, "ratios.dat")
    with open(dat, "w") as f:
        for col in ("x_static", "x_identity"):
            for page, label in PAGES:
                vals = []
                for c in CONFIGS:
                    v = summary[(page, c)][col]
                    vals += [statistics.median(v), min(v), max(v)]
                f.write('"%s (%s B)" %s\n' % (label, format(sizes[page], ","),
                                               " ".join("%.4f" % v for v in vals)))
            f.write("\n\n")
    png = os.path.join(outdir, "ratios.png")
    r = subprocess.run(["gnuplot", "-e", "datafile='%s'; output='%s'; names='%s'"
                        % (dat, png, " ".join(CONFIGS)),
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "plot.gp")],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print("gnuplot failed: " + r.stderr, file=sys.stderr)


def cpus():
    """(server CPU, client CPU), or Nones when there is only one."""
    mine = sorted(os.sched_getaffinity(0))
    return (mine[-1], mine[0]) if len(mine) >= 2 else (None, None)


def warm_up(server):
    """One request per page and configuration: checks what comes back
    (links from mod_briefing and mod_substitute, none from the others) and
    picks the connections for the runs."""
    conns = {}
    for page, _ in PAGES:
        for c in CONFIGS:
            t0 = time.monotonic()
            code, body = server.get("/%s/%s" % (c, page))
            took = time.monotonic() - t0
            if code != 200 or (c not in ("static", "identity")) != (b'class="briefing' in body):
                raise RuntimeError("/%s/%s: status %d, unexpected body" % (c, page, code))
            conns[(page, c)] = 1 if took > SLOW_REQUEST_S else CONNECTIONS
    return conns


def rounds_of_runs(server, rounds, seconds, conns, sizes, client_cpu, started):
    runs = []
    for r in range(rounds):
        order = CONFIGS[r % len(CONFIGS):] + CONFIGS[:r % len(CONFIGS)]
        for page, _ in PAGES:
            for c in order:
                m = measure(server, "/%s/%s" % (c, page), conns[(page, c)], seconds, client_cpu)
                m.update(round=r, page=page, page_bytes=sizes[page], config=c,
                         connections=conns[(page, c)], duration_s=seconds)
                runs.append(m)
        print("  round %d/%d done, %.0f s" % (r + 1, rounds, time.monotonic() - started),
              flush=True)
    return runs


def report(out, summary, conns, sizes, memory, quick):
    say(out, "%-7s %-16s %5s  %-26s %-30s %-26s %s" % (
        "page", "config", "conns", "req/s", "server CPU µs/req", "x static", "x identity"))
    for page, label in PAGES:
        for c in CONFIGS:
            s = summary[(page, c)]
            say(out, "%-7s %-16s %5d  %-26s %-30s %-26s %s" % (
                label, c, conns[(page, c)], spread(s["req_per_s"], "%.1f"),
                spread(s["cpu_us_per_req"], "%.1f"), spread(s["x_static"], "%.2f"),
                spread(s["x_identity"], "%.2f")))
        say(out)

    say(out, "where mod_briefing's CPU goes: server CPU per request above the identity copy of "
        "the same page (medians)")
    med = {k: statistics.median(v["cpu_us_per_req"]) for k, v in summary.items()}
    for g in ("briefing", "briefing-100k"):
        extra = {p: med[(p, g)] - med[(p, "identity")] for p, _ in PAGES}
        slope = (extra["5m.html"] - extra["200k.html"]) / (sizes["5m.html"] - sizes["200k.html"])
        say(out, "  %-14s %s;  per byte (200 KB -> 5 MB) %.2f ns, so per request about %.0f µs "
            "whatever the size" % (g, ", ".join("%s %.0f µs" % (label, extra[p])
                                                for p, label in PAGES),
                                   slope * 1e3, extra["seed.html"] - slope * sizes["seed.html"]))

    say(out, "\ntargets (served; median over rounds of the per-round ratio, min–max):")
    for g in ("briefing", "briefing-100k"):
        target_line(out, "seed page: %s CPU / identity copy's" % g,
                    summary[("seed.html", g)]["x_identity"], "<=", 1.25)
    for g in ("briefing", "briefing-100k"):
        target_line(out, "200 KB: substitute-10 CPU / %s's" % g,
                    per_round_ratio(summary, "200k.html", "substitute-10", g), ">=", 15)
        target_line(out, "200 KB: substitute-1000 CPU / %s's" % g,
                    per_round_ratio(summary, "200k.html", "substitute-1000", g), ">=", 400)
    base, final = memory
    growth = final[1] - base[1]
    say(out, "  worker RSS from request %d to %d: %+.0f kB (%.1f B/request)  target flat "
        "(< 1024 kB)  %s%s" % (base[0], final[0], growth,
                                growth * 1024 / max(1, final[0] - base[0]),
                                "MET" if growth < 1024 else "NOT MET",
                                " (quick: %d requests, not 100,000)" % final[0] if quick else ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    rounds, seconds, mem_requests = (2, 1, 10_000) if args.quick else (5, 3, 100_000)
    os.makedirs(args.out, exist_ok=True)
    server_cpu, client_cpu = cpus()
    if client_cpu is not None:
        os.sched_setaffinity(0, {client_cpu})   # this script stays off the server's CPU
    sizes = {p: os.path.getsize(os.path.join(build, "pages", p)) for p, _ in PAGES}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))    # so that `finally` runs
    out, server, started = [], None, time.monotonic()
    try:
        server = Server(REPO, os.path.join(REPO, "build", "mod_briefing.so"),
                        os.path.join(build, "mod_bench_identity.so"),
                        os.path.join(build, "pages"), os.path.join(build, "glossary-100k.xml"),
                        server_cpu if server_cpu is not None else 0)
        server.start()
        say(out, "httpd_bench: event MPM, 1 child x 25 threads, %s; wrk -t1, %d connections "
            "(1 for requests slower than %.1f s), %d s per run, %d rounds%s"
            % ("server on CPU %d, wrk on CPU %d" % (server_cpu, client_cpu)
               if server_cpu is not None else "NOT pinned (one CPU)", CONNECTIONS,
               SLOW_REQUEST_S, seconds, rounds, " (quick)" if args.quick else ""))
        say(out, "  pages: " + ", ".join("%s = %s bytes" % (label, format(sizes[p], ","))
                                         for p, label in PAGES))
        say(out, "  CPU = utime+stime of all httpd processes per finished request; x static, "
            "x identity: that CPU / the same page's static or identity-copy CPU in the same "
            "round;\n  median (min–max) over the rounds\n")
        conns = warm_up(server)
        memory = memory_phase(server, mem_requests, 1 if args.quick else 2, client_cpu, out)
        runs = rounds_of_runs(server, rounds, seconds, conns, sizes, client_cpu, started)
    finally:
        if wrk_proc:
            wrk_proc.kill()
            wrk_proc.wait()
        if server:
            server.cleanup()
    summary = summarize(runs)
    say(out)
    report(out, summary, conns, sizes, memory, args.quick)
    say(out, "\nhttpd_bench took %.0f s" % (time.monotonic() - started))
    write_outputs(args.out, runs, summary, sizes)
    with open(os.path.join(args.out, "httpd.txt"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
