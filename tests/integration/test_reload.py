"""Glossary reload (SPEC §6, issue 3): at most every BriefingReloadInterval
seconds a request looks at the file (inode, size, mtime, ctime); a changed
file is loaded by a background thread and swapped in, a request keeps the
version it started with, and a file that fails validation leaves the old
version serving with one BR0102 error naming file:line:col.

Most tests run one serving child (httpd.single_child), since every child
process reloads on its own; test_reload_under_load runs the MPMs' defaults."""
import http.client
import itertools
import os
import re
import subprocess
import threading
import time

import pytest

from conftest import MPMS
import httpd
from httpd import proc_status, read, single_child

DEMO = read("data/glossary.xml")
DEMO_ENTRIES = DEMO.count(b"<entry ")

LUK_A = b"President of Belarus since 1994."
AST_A = b"Capital of Kazakhstan since 1997."
LUK_B = b"President of Belarus SINCE 1994."
AST_B = b"Capital of Kazakhstan SINCE 1997."
assert DEMO.count(LUK_A) == 1 and DEMO.count(AST_A) == 1
# Version B: the demo glossary with two summaries changed, byte for byte
# the same size (so that only the content and the times tell it apart).
VERSION_B = DEMO.replace(LUK_A, LUK_B).replace(AST_A, AST_B)
assert len(VERSION_B) == len(DEMO)

MINSK_ENTRY = b"""  <entry id="minsk" type="place">
    <name>Minsk</name>
    <summary>Capital of Belarus.</summary>
  </entry>
</glossary>"""
WITH_MINSK = DEMO.replace(b"</glossary>", MINSK_ENTRY)
B_WITH_MINSK = VERSION_B.replace(b"</glossary>", MINSK_ENTRY)
MINSK_LINK = ('<a class="briefing briefing-place" href="/glossary/minsk" data-briefing-id="minsk" '
              'title="Minsk \u2014 Capital of Belarus.">Minsk</a>').encode()

# Invalid: "Astana" claimed by two entries; reported at the later one.
BROKEN_DUP = DEMO.replace(b"<alias>Lukashenko</alias>",
                          b"<alias>Lukashenko</alias>\n    <alias>Astana</alias>")
BROKEN_DUP_AT = ('%d:5: pattern "Astana" of entry "astana" is already a pattern of entry '
                 '"lukashenko"' % (BROKEN_DUP[:BROKEN_DUP.index(b"<name>Astana</name>")]
                                   .count(b"\n") + 1))
BROKEN_TRUNCATED = DEMO[:len(DEMO) // 2]

PAGE = (b"<!DOCTYPE html>\n<html><head><title>Visit</title></head><body>\n"
        b"<p>Aleksandr Lukashenko met Nursultan Nazarbayev.</p>\n"
        b"<p>From Minsk to Astana.</p>\n</body></html>\n")


def title(name, summary):
    return b'title="' + name + " \u2014 ".encode() + summary + b'"'


def linked(body, summary):
    return summary in body


def reload_site(make_httpd, mpm="event", interval=1, one_child=True, page=PAGE):
    conf = (single_child(mpm) if one_child else "") + """
BriefingGlossary @ROOT@/glossary.xml
BriefingReloadInterval %d
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
</Directory>
<Directory "@ROOT@/cgi-bin">
  Options +ExecCGI
  BriefingAnnotate On
</Directory>
""" % interval
    h = make_httpd(conf, mpm=mpm)
    h.write("glossary.xml", DEMO)
    old = time.time() - 3600         # an old file has a strong ETag
    os.utime(h.write("htdocs/page.html", page), (old, old))
    return h


def glossary(h):
    return h.path("glossary.xml")


def mv_into_place(h, data):
    tmp = h.write("incoming/glossary.xml", data)
    subprocess.run(["mv", tmp, glossary(h)], check=True)


def poll(h, predicate, timeout=10.0, path="/page.html"):
    """GETs `path` until predicate(response); every response must be a 200."""
    start = time.time()
    while True:
        r = h.get(path)
        assert r.status == 200
        if predicate(r):
            return r, time.time() - start
        if time.time() - start > timeout:
            raise AssertionError("no new version after %.1f s; last body %r; log:\n%s"
                                 % (timeout, r.body, h.error_log()))
        time.sleep(0.1)


def wait_for_log(h, needle, count=1, timeout=5.0):
    deadline = time.time() + timeout
    while len(h.log_lines(needle)) < count and time.time() < deadline:
        time.sleep(0.05)
    return h.log_lines(needle)


def etag_suffix(etag):
    return etag[etag.rindex("-b"):]


def bad_lines(log):
    """Lines at level error or worse other than BR0102, and crashed children."""
    return [line for line in log.splitlines()
            if (re.search(r"\] \[[\w-]+:(error|crit|alert|emerg)\] ", line) and "BR0102" not in line)
            or "exit signal" in line or "AH00052" in line]


def test_mv_of_a_new_version_is_picked_up(make_httpd):
    h = reload_site(make_httpd).start()
    before = h.get("/page.html")
    assert before.status == 200 and MINSK_LINK not in before.body and linked(before.body, LUK_A)
    inode = os.stat(glossary(h)).st_ino
    mv_into_place(h, WITH_MINSK)
    assert os.stat(glossary(h)).st_ino != inode
    after, waited = poll(h, lambda r: MINSK_LINK in r.body)
    assert waited <= 10
    assert after.body == before.body.replace(b"<p>From Minsk", b"<p>From " + MINSK_LINK)
    reloaded = wait_for_log(h, "BR0101: glossary %s reloaded" % glossary(h))
    assert len(reloaded) == 1 and "[briefing:notice]" in reloaded[0], h.error_log()
    assert not h.log_lines("BR0102")
    # The annotated page's ETag follows the glossary; the file's part stays.
    old, new = before.header("etag"), after.header("etag")
    assert old != new
    assert old[:old.rindex("-b")] == new[:new.rindex("-b")]
    # A cache holding the page annotated with the old glossary gets the new page.
    r = h.get("/page.html", headers={"If-None-Match": old})
    assert (r.status, r.body) == (200, after.body)
    r = h.get("/page.html", headers={"If-None-Match": new})
    assert r.status == 304 and r.header("etag") == new


def test_reload_log_line_counts_entries(make_httpd):
    h = reload_site(make_httpd).start()
    mv_into_place(h, WITH_MINSK)
    poll(h, lambda r: MINSK_LINK in r.body)
    lines = wait_for_log(h, "BR0101")
    assert lines and lines[0].endswith("BR0101: glossary %s reloaded: %d entries"
                                       % (glossary(h), DEMO_ENTRIES + 1)), lines


def test_cp_p_same_size_same_mtime_and_rewrite_in_place(make_httpd):
    h = reload_site(make_httpd).start()
    before = h.get("/page.html")
    assert linked(before.body, LUK_A) and linked(before.body, AST_A)
    # cp -p of a version with the same size and the same mtime onto the
    # same inode: only the ctime tells that the file changed.
    old = os.stat(glossary(h))
    src = h.write("incoming/b.xml", VERSION_B)
    os.utime(src, ns=(old.st_atime_ns, old.st_mtime_ns))
    time.sleep(0.05)
    subprocess.run(["cp", "-p", src, glossary(h)], check=True)
    new = os.stat(glossary(h))
    assert (new.st_ino, new.st_size, new.st_mtime_ns) == (old.st_ino, old.st_size, old.st_mtime_ns)
    assert new.st_ctime_ns != old.st_ctime_ns
    r, _ = poll(h, lambda r: linked(r.body, LUK_B))
    assert linked(r.body, AST_B) and not linked(r.body, LUK_A) and not linked(r.body, AST_A)
    assert len(wait_for_log(h, "BR0101")) == 1
    assert r.header("etag") != before.header("etag")
    # An editor's in-place rewrite (same inode, O_TRUNC and write).
    with open(glossary(h), "r+b") as f:
        f.truncate(0)
        f.write(WITH_MINSK)
    assert os.stat(glossary(h)).st_ino == old.st_ino
    r, _ = poll(h, lambda r: MINSK_LINK in r.body)
    assert linked(r.body, LUK_A) and linked(r.body, AST_A) and not linked(r.body, LUK_B)
    assert len(wait_for_log(h, "BR0101", 2)) == 2
    assert not h.log_lines("BR0102")


def test_broken_version_keeps_the_old_one_and_logs_once(make_httpd):
    h = reload_site(make_httpd).start()
    before = h.get("/page.html")
    assert before.status == 200 and linked(before.body, LUK_A)
    # Written in place while no request runs, so no half-written state is seen.
    h.write("glossary.xml", BROKEN_DUP)
    expected = ("BR0102: glossary reload failed, the previous version stays: %s:%s"
                % (glossary(h), BROKEN_DUP_AT))
    deadline = time.time() + 3.5
    n = 0
    while time.time() < deadline:
        r = h.get("/page.html")
        assert (r.status, r.body, r.header("etag")) == (200, before.body, before.header("etag"))
        n += 1
        time.sleep(0.05)
    assert n > 20
    lines = wait_for_log(h, "BR0102")
    assert len(lines) == 1, lines
    assert "[briefing:error]" in lines[0] and lines[0].endswith(expected), lines[0]
    assert not h.log_lines("BR0101")
    # Fixed: the next check loads it.
    h.write("glossary.xml", WITH_MINSK)
    r, _ = poll(h, lambda r: MINSK_LINK in r.body)
    assert r.header("etag") != before.header("etag")
    assert len(wait_for_log(h, "BR0101")) == 1
    assert len(h.log_lines("BR0102")) == 1


# Each process holds its own copy of the glossary, so each running child
# validates a changed file itself and says why it keeps its version: one
# BR0102 per process for a broken version, never repeated by the same one.
def test_broken_version_logs_one_error_per_process(make_httpd):
    # Under prefork a keep-alive connection holds its child: three open
    # connections are three children.
    h = reload_site(make_httpd, mpm="prefork", one_child=False)
    h.conf_text = "StartServers 3\nMinSpareServers 3\n" + h.conf_text
    h.start()
    conns = [http.client.HTTPConnection("127.0.0.1", h.port, timeout=10) for _ in range(3)]
    try:
        def get_all():
            for c in conns:
                c.request("GET", "/page.html")
                r = c.getresponse()
                r.read()
                assert r.status == 200 and not r.will_close
        get_all()
        h.write("glossary.xml", BROKEN_DUP)
        time.sleep(1.2)
        get_all()
        time.sleep(1.0)
        lines = wait_for_log(h, "BR0102", count=3, timeout=2)
        pids = [re.search(r"\[pid (\d+)", line).group(1) for line in lines]
        assert lines
        assert len(pids) == len(set(pids)), "a process logged the same version twice: %s" % lines
    finally:
        for c in conns:
            c.close()


SLOW_CGI = """#!/bin/sh
printf 'Content-Type: text/html\\r\\n\\r\\n'
printf '<p>Aleksandr Lukashenko arrived.</p>\\n'
sleep 5
printf '<p>From Minsk to Astana.</p>\\n'
"""


def test_request_in_flight_finishes_with_its_version(make_httpd):
    h = reload_site(make_httpd)
    h.write("cgi-bin/slow.cgi", SLOW_CGI, mode=0o755)
    h.start()
    conn = http.client.HTTPConnection("127.0.0.1", h.port, timeout=30)
    try:
        conn.request("GET", "/cgi-bin/slow.cgi")
        slow = conn.getresponse()
        first = slow.readline()      # the request runs, with the demo glossary
        assert linked(first, LUK_A)
        started = time.time()
        mv_into_place(h, B_WITH_MINSK)
        fresh, _ = poll(h, lambda r: MINSK_LINK in r.body, timeout=3.5)
        assert time.time() - started < 4.5, "the new version came too late to prove anything"
        assert linked(fresh.body, LUK_B) and linked(fresh.body, AST_B)
        rest = slow.read()
        assert slow.status == 200
    finally:
        conn.close()
    # The rest of the slow page is annotated with the version it started with.
    assert rest == (b'<p>From Minsk to <a class="briefing briefing-place" href="/glossary/astana" '
                    b'data-briefing-id="astana" ' + title(b"Astana", AST_A) + b'>Astana</a>.</p>\n')
    assert not bad_lines(h.error_log())


def big_glossary(entries):
    gen = b"".join(b'  <entry id="gen-%d" type="term"><name>Zork%d Quux%d</name>'
                   b"<alias>Blorp%d</alias><summary>Generated entry %d.</summary></entry>\n"
                   % (i, i, i, i, i) for i in range(entries))
    return WITH_MINSK.replace(b"</glossary>", gen + b"</glossary>")


def test_a_slow_reload_never_makes_a_request_wait(make_httpd):
    h = reload_site(make_httpd).start()
    before = h.get("/page.html")
    time.sleep(1.1)                  # the next request checks the file
    mv_into_place(h, big_glossary(60000))
    latencies, old = [], 0
    start = time.time()
    while True:
        t = time.time()
        r = h.get("/page.html")
        latencies.append(time.time() - t)
        assert r.status == 200
        if MINSK_LINK in r.body:
            break
        assert r.body == before.body
        old += 1
        assert time.time() - start < 20, "the big glossary never came"
        time.sleep(0.05)
    loading = time.time() - start
    print("new version after %.2f s, %d requests served meanwhile, slowest %.3f s"
          % (loading, old, max(latencies)))
    # The load took a while (else this proves nothing) and nobody waited.
    assert loading > 0.3 and old >= 3, (loading, old)
    assert max(latencies) < 0.4, latencies
    assert len(wait_for_log(h, "BR0101")) == 1


def test_interval_zero_never_reloads_until_restart(make_httpd):
    h = reload_site(make_httpd, interval=0).start()
    before = h.get("/page.html")
    mv_into_place(h, WITH_MINSK)
    deadline = time.time() + 2.5
    while time.time() < deadline:
        assert h.get("/page.html").body == before.body
        time.sleep(0.1)
    assert not h.log_lines("BR010")
    # A graceful restart reads the configuration, and the glossary, again.
    h.graceful()
    poll(h, lambda r: MINSK_LINK in r.body, timeout=10)


def versions_seen(seen):
    return sorted({v for _, v, _ in seen})


def annotated_bodies(h):
    """The page as annotated with the demo glossary (A) and with version B."""
    a = h.get("/page.html").body
    assert linked(a, LUK_A) and linked(a, AST_A)
    return a, a.replace(LUK_A, LUK_B).replace(AST_A, AST_B)


@pytest.mark.parametrize("mpm", MPMS)
def test_reload_under_load(make_httpd, mpm):
    filler = b"<p>Nothing to link in this paragraph, only words and more words.</p>\n" * 600
    page = PAGE.replace(b"<p>From Minsk", filler + b"<p>From Minsk")
    h = reload_site(make_httpd, mpm=mpm, one_child=False, page=page).start()
    body_a, body_b = annotated_bodies(h)
    stop = threading.Event()
    lock = threading.Lock()
    seen = []                        # (status, version, etag suffix)
    failures = []
    writes = {"valid": 0, "broken": 0}

    def client():
        while not stop.is_set():
            try:
                r = h.get("/page.html")
            except Exception as e:   # noqa: BLE001 - any failure counts
                with lock:
                    failures.append(repr(e))
                continue
            version = "A" if r.body == body_a else "B" if r.body == body_b else None
            if version is None:
                has = [s.decode() for s in (LUK_A, AST_A, LUK_B, AST_B) if s in r.body]
                version = "other: " + ", ".join(has)
            with lock:
                seen.append((r.status, version, etag_suffix(r.header("etag") or "-b?")))

    # Each child checks the file once a second, at a phase of its own:
    # versions held for 1.5 s are seen by every child whatever its phase
    # (a plain cycle of fast flips could alias with the checks and show a
    # child only some versions); fast flips in between as well.
    schedule = [(VERSION_B, 1.5), (BROKEN_TRUNCATED, 1.5), (DEMO, 1.5), (VERSION_B, 0.1),
                (DEMO, 0.1), (BROKEN_DUP, 0.1), (VERSION_B, 0.1), (DEMO, 0.1)]

    def writer():
        tmp = h.path("incoming.xml")
        for data, hold in itertools.cycle(schedule):
            if stop.is_set():
                return
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, glossary(h))     # as mv and rsync do
            writes["broken" if data in (BROKEN_TRUNCATED, BROKEN_DUP) else "valid"] += 1
            stop.wait(hold)

    threads = [threading.Thread(target=client) for _ in range(8)]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    time.sleep(7)
    stop.set()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)
    log = h.error_log()

    print("%s: %d responses %s; %d writes; %d reloads, %d failed reloads" % (
        mpm, len(seen), {v: sum(1 for _, w, _ in seen if w == v) for v in versions_seen(seen)},
        sum(writes.values()), log.count("BR0101"), log.count("BR0102")))
    assert not failures, failures[:5]
    assert len(seen) > 200
    assert {s for s, _, _ in seen} == {200}
    versions = {}
    for _, version, suffix in seen:
        versions.setdefault(version, set()).add(suffix)
    # Every page wholly from one version, its ETag from the same one.
    assert set(versions) == {"A", "B"}, {v: len(s) for v, s in versions.items()}
    assert len(versions["A"]) == 1 and len(versions["B"]) == 1 and versions["A"] != versions["B"]
    assert writes["broken"] > 0
    assert log.count("BR0101") > 0 and log.count("BR0102") > 0
    assert not bad_lines(log), bad_lines(log)[:5]


def test_replaced_versions_are_freed(make_httpd):
    h = reload_site(make_httpd).start()
    h.get("/page.html")
    big = [big_glossary(20000), big_glossary(20000).replace(LUK_A, LUK_B)]

    def serving_rss():
        return max(proc_status(p).get("VmRSS", 0) for p in h.children())

    base = serving_rss()
    rss = []
    for i in range(5):
        mv_into_place(h, big[i % 2])
        want = LUK_B if i % 2 else LUK_A
        poll(h, lambda r: MINSK_LINK in r.body and linked(r.body, want), timeout=15)
        rss.append(serving_rss() - base)
    print("RSS growth after each reload (kB):", rss)
    # The child's five; the parent reloads too, on its own schedule (its
    # monitor hook runs every ~10 s), which a slow run (ASan) reaches.
    parent = "[pid %d:" % h.wait_pid()
    deadline = time.time() + 5
    while len([x for x in h.log_lines("BR0101") if parent not in x]) < 5 and time.time() < deadline:
        time.sleep(0.05)
    assert len([x for x in h.log_lines("BR0101") if parent not in x]) == 5
    if httpd.WRAPPER:
        return      # under ASan, RSS counts its quarantine of freed memory and redzones
    one = rss[0]
    assert one > 5000, rss         # a version is big enough to see
    # Two versions may live at once (the old one until its last request
    # ends); five that were never freed would show.
    assert max(rss) < 2.5 * one, rss


def test_deleted_glossary_keeps_the_old_version(make_httpd):
    h = reload_site(make_httpd).start()
    before = h.get("/page.html")
    os.unlink(glossary(h))
    deadline = time.time() + 2.5
    while time.time() < deadline:
        r = h.get("/page.html")
        assert (r.status, r.body) == (200, before.body)
        time.sleep(0.1)
    h.write("glossary.xml", WITH_MINSK)
    poll(h, lambda r: MINSK_LINK in r.body)
    assert not bad_lines(h.error_log())


def test_deleted_glossary_is_reported(make_httpd):
    h = reload_site(make_httpd).start()
    h.get("/page.html")
    os.unlink(glossary(h))
    time.sleep(1.2)
    assert h.get("/page.html").status == 200
    time.sleep(0.5)
    named = [line for line in h.error_log().splitlines()
             if glossary(h) in line and re.search(r"\] \[briefing:(warn|error|crit)\] ", line)]
    assert named, h.error_log()


def test_children_forked_after_a_reload_do_not_go_back(make_httpd):
    h = reload_site(make_httpd, mpm="prefork", one_child=False)
    h.conf_text = ("StartServers 4\nMinSpareServers 4\nMaxSpareServers 8\n"
                   "MaxConnectionsPerChild 2\n") + h.conf_text
    h.start()
    mv_into_place(h, WITH_MINSK)
    poll(h, lambda r: MINSK_LINK in r.body)
    time.sleep(1.5)                  # every process has had time to look
    seq = ""
    deadline = time.time() + 2.5
    while time.time() < deadline:
        r = h.get("/page.html")
        assert r.status == 200
        seq += "N" if MINSK_LINK in r.body else "o"
    assert "o" not in seq, "responses after the reload (o: old glossary, N: new): " + seq
