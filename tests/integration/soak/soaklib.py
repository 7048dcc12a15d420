"""Helpers of the soak tests (tests/integration/soak/soak_*.py, run by
`make test-soak`): two glossary versions whose links tell which one made
them, broken versions, a writer that swaps them in with mv every 100 ms,
wrk driven by count.lua, worker RSS, and the error-log lines a soak allows."""
import itertools
import json
import os
import random
import re
import subprocess
import threading
import time

from httpd import proc_status, read
from test_reload import BROKEN_DUP, BROKEN_TRUNCATED, DEMO, WITH_MINSK, etag_suffix

HERE = os.path.dirname(os.path.abspath(__file__))
COUNT_LUA = os.path.join(HERE, "count.lua")

# Every summary ends with its version's mark, so every link's title says
# which glossary made it; B also has one more entry (Minsk), so a page has
# one more link under B.  A response is whole when all its marks are one.
MARK_A = b" (version A)"
MARK_B = b" (version B)"
GLOSSARY_A = DEMO.replace(b"</summary>", MARK_A + b"</summary>")
GLOSSARY_B = WITH_MINSK.replace(b"</summary>", MARK_B + b"</summary>")
assert GLOSSARY_A.count(MARK_A) == DEMO.count(b"<entry ") == DEMO.count(b"</summary>")
BROKEN = (BROKEN_TRUNCATED, BROKEN_DUP)

ARTICLE = read("htdocs/working-visit-to-kazakhstan.html")
LINK = b'<a class="briefing '


def article_page(copies):
    """The demo article with its <article> element repeated."""
    start, end = ARTICLE.index(b"<article"), ARTICLE.index(b"</article>") + len(b"</article>")
    return ARTICLE[:start] + ARTICLE[start:end] * copies + ARTICLE[end:]


def version_of(body):
    """'A' or 'B' when every link of body comes from that version, else a
    description of what is wrong."""
    links = body.count(LINK)
    a, b = body.count(MARK_A), body.count(MARK_B)
    if links and a == links and not b:
        return "A"
    if links and b == links and not a:
        return "B"
    return "mixed: %d links, %d of A, %d of B" % (links, a, b)


def check_versions(body_a, body_b):
    """The reference pages: each wholly from its version, B one link more."""
    assert version_of(body_a) == "A" and version_of(body_b) == "B"
    assert body_b.count(LINK) == body_a.count(LINK) + 1
    assert body_a.count(LINK) > 100


def one_child_site(threads, extra=""):
    """The soak site: one event-MPM child of `threads` threads, never more
    and never fewer (the spare-thread limits never ask for another one nor
    for one to go), so that one process's RSS tells; the glossary checked
    every second and every mention linked."""
    return ("StartServers 1\nServerLimit 1\nThreadLimit %d\nThreadsPerChild %d\n"
            "MaxRequestWorkers %d\nMinSpareThreads 1\nMaxSpareThreads %d\n" % ((threads,) * 4)
            + extra + """LogLevel info
BriefingGlossary @ROOT@/glossary.xml
BriefingReloadInterval 1
BriefingMentions all
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
</Directory>
""")


def install(h, data, name="glossary.xml"):
    """Writes data beside the glossary and moves it into place (mv)."""
    tmp = h.path("incoming-" + name)
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.rename(tmp, h.path(name))


class Writer:
    """Rewrites the glossary every `period` s on average, mv into place,
    cycling through `versions`, until stop().  The pauses vary (half to one
    and a half periods): with a fixed one, a child that checks every second
    could see only every other version of the cycle (only the broken ones,
    say) for the whole run."""

    def __init__(self, h, versions, period=0.1):
        self.h, self.versions, self.period = h, versions, period
        self.writes = {"valid": 0, "broken": 0}
        self.pauses = random.Random()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        for data in itertools.cycle(self.versions):
            if self.stopping.is_set():
                return
            install(self.h, data)
            self.writes["broken" if data in BROKEN else "valid"] += 1
            self.stopping.wait(self.period * self.pauses.uniform(0.5, 1.5))

    def __enter__(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join(10)
        assert not self.thread.is_alive()

    def __exit__(self, *exc):
        self.stop()


class Sampler:
    """A client of its own during the run: GETs `path` in a loop, one
    connection each, and keeps (status, version, ETag suffix, body
    verdict)."""

    def __init__(self, h, path, bodies, pause=0.02):
        self.h, self.path, self.bodies, self.pause = h, path, bodies, pause
        self.seen, self.failures = [], []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stopping.is_set():
            try:
                r = self.h.get(self.path)
            except Exception as e:  # noqa: BLE001 - every failure counts
                self.failures.append(repr(e))
                continue
            version = version_of(r.body)
            exact = self.bodies.get(version) == r.body
            self.seen.append((r.status, version, etag_suffix(r.header("etag") or "-b?"), exact))
            self.stopping.wait(self.pause)

    def __enter__(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join(40)
        assert not self.thread.is_alive()

    def __exit__(self, *exc):
        self.stop()

    def check(self, minimum):
        """Every sampled response a 200 wholly from A or from B, byte for
        byte the reference page, its ETag from the same version."""
        assert not self.failures, self.failures[:5]
        assert len(self.seen) >= minimum, len(self.seen)
        assert {s for s, _, _, _ in self.seen} == {200}
        suffixes = {}
        for _, version, suffix, exact in self.seen:
            assert version in ("A", "B"), version
            assert exact, "a %s page differs from the reference" % version
            suffixes.setdefault(version, set()).add(suffix)
        assert all(len(s) == 1 for s in suffixes.values()), suffixes
        if len(suffixes) == 2:
            assert suffixes["A"] != suffixes["B"]
        return {v: sum(1 for _, w, _, _ in self.seen if w == v) for v in suffixes}


class Wrk:
    """wrk with count.lua against one page, stopped at the end whatever
    happens."""

    def __init__(self, h, path, seconds, body_a, body_b, connections=64, threads=2,
                 headers=()):
        cmd = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds,
               "--timeout", "10s", "-s", COUNT_LUA]
        for header in headers:
            cmd += ["-H", header]
        cmd += ["http://127.0.0.1:%d%s" % (h.port, path), "--",
                MARK_A.decode(), MARK_B.decode(), str(len(body_a)), str(len(body_b))]
        self.seconds = seconds
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)

    def result(self):
        try:
            out, err = self.proc.communicate(timeout=self.seconds + 60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        assert self.proc.returncode == 0, (out, err)
        lines = [line for line in out.splitlines() if line.startswith("SOAK ")]
        assert len(lines) == 1, out + err
        res = json.loads(lines[0][5:])
        res["output"] = out
        return res

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def check_wrk(res, minimum):
    """No socket error, no status other than 200, every response wholly
    from one version and as long as that version's page."""
    failed = {k: res[k] for k in ("connect", "read", "write", "timeout", "status", "not_200",
                                  "mixed", "unmarked", "bad_length") if res[k]}
    assert not failed, (failed, res["output"])
    assert res["responses"] == res["only_a"] + res["only_b"]
    assert res["responses"] >= minimum, res["output"]


def workers(h):
    """The serving children (threaded; mod_cgid's daemon has one thread)."""
    out = []
    for pid in h.children():
        try:
            if len(os.listdir("/proc/%d/task" % pid)) > 1:
                out.append(pid)
        except OSError:
            pass
    return out


def rss(pids):
    return {pid: proc_status(pid).get("VmRSS", 0) for pid in pids}


LINE = re.compile(r"^\[[^\]]*\] \[([\w-]*):(\w+)\] (?:\[pid \d+(?::tid \d+)?\] )?"
                  r"(?:\[client [^\]]*\] )?(.*)$")
# The core's own start-up, graceful-restart and shutdown lines (notice,
# and "Server built" at info).
CORE_NOTICES = ("AH00489:", "AH00490:", "AH00094:", "AH00493:", "AH00491:", "AH00492:")
SEVERE = ("emerg", "alert", "crit", "error", "warn")


def unexpected_log_lines(log, allow_info=False):
    """Error-log lines a soak does not allow: anything but the reload
    notices (BR0101), the refused reloads (BR0102), the core's start-up and
    restart notices, and (allow_info) info-level lines of other modules."""
    bad = []
    for line in log.splitlines():
        m = LINE.match(line)
        if not m:
            bad.append(line)
            continue
        module, level, message = m.groups()
        if module == "briefing":
            ok = ((level == "notice" and message.startswith("BR0101: ")) or
                  (level == "error" and message.startswith("BR0102: ")))
        elif level in SEVERE:
            ok = False
        elif message.startswith(CORE_NOTICES):
            ok = level in ("notice", "info")
        else:
            ok = allow_info and level == "info"
        if not ok:
            bad.append(line)
    return bad


def wait_until(predicate, timeout, what):
    deadline = time.time() + timeout
    while not predicate():
        if time.time() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def open_connections(port):
    """Connections to 127.0.0.1:port that are not yet closed on the
    server's side (ESTABLISHED, CLOSE_WAIT, ...; not LISTEN nor TIME_WAIT)."""
    n = 0
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    local, state = fields[1], fields[3]
                    if int(local.rsplit(":", 1)[1], 16) == port and state not in ("0A", "06"):
                        n += 1
        except OSError:
            pass
    return n


def drain(h, timeout=15):
    """Waits until the server has finished with every connection.  httpd's
    event MPM (2.4.71) can crash a child that is stopped (SIGTERM) while its
    workers are mid-request: close_worker_sockets() in the main thread races
    with a worker that ends its connection (SEGV in apr_os_sock_get or
    apr_pool_cleanup_kill from mod_mpm_event.so).  It happens without
    mod_briefing too (mod_deflate, the same load, `-k stop` right after wrk
    ends), so a soak test lets the requests in flight end before stopping."""
    wait_until(lambda: open_connections(h.port) == 0, timeout, "the connections to end")
