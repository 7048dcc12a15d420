"""A 200 MB streamed response (issue 3): a CGI writes 200 MiB of HTML with
mentions in 64 KiB writes; the annotated page arrives complete, with
exactly the expected links, and the serving child's memory stays flat."""
import http.client
import re
import threading
import time
import xml.etree.ElementTree as ET

from httpd import REPO, proc_status, single_child

NS = "{urn:briefing:glossary:1}"
LINE = b"<p>Aleksandr Lukashenko met the UN in Astana. Talks ran on.</p>\n"
assert len(LINE) == 64
WRITE = 64 * 1024
CHUNKS = 200 * 1024 * 1024 // WRITE          # 3200 writes of 64 KiB: 200 MiB
INPUT_SIZE = CHUNKS * WRITE
LINES = INPUT_SIZE // len(LINE)

CGI = """#!/usr/bin/python3
import os
chunk = memoryview(%r * %d)
os.write(1, b"Content-Type: text/html\\r\\n\\r\\n")
for _ in range(1 if os.environ.get("QUERY_STRING") == "warm" else %d):
    data = chunk
    while data:
        data = data[os.write(1, data):]
""" % (LINE, WRITE // len(LINE), CHUNKS)

CONF = single_child("event") + """
BriefingGlossary @REPO@/data/glossary.xml
<Directory "@ROOT@/cgi-bin">
  Options +ExecCGI
  BriefingAnnotate On
</Directory>
"""

RSS_LIMIT_KB = 20 * 1024


def fold(text):
    return " ".join(text.split())


def attr(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def link(entries, entry_id, text):
    """The link the module wraps a mention in (SPEC §3), from the glossary."""
    e = entries[entry_id]
    name = fold(e.find(NS + "name").text)
    summary = e.find(NS + "summary")
    title = name + (" \u2014 " + fold(summary.text) if summary is not None and fold(summary.text)
                    else "")
    return ('<a class="briefing briefing-%s" href="/glossary/%s" data-briefing-id="%s" '
            'title="%s">' % (e.get("type"), entry_id, entry_id, attr(title))).encode() + text + b"</a>"


def expected_first_line():
    root = ET.parse(REPO + "/data/glossary.xml").getroot()
    entries = {e.get("id"): e for e in root.iter(NS + "entry")}
    return (b"<p>" + link(entries, "lukashenko", b"Aleksandr Lukashenko") + b" met the " +
            link(entries, "un", b"UN") + b" in " + link(entries, "astana", b"Astana") +
            b". Talks ran on.</p>\n")


class Sampler(threading.Thread):
    """Samples VmRSS of the given processes until stopped; keeps the peaks."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.peak = {p: proc_status(p).get("VmRSS", 0) for p in pids}
        self.halt = threading.Event()

    def run(self):
        while not self.halt.wait(0.05):
            for p in self.peak:
                self.peak[p] = max(self.peak[p], proc_status(p).get("VmRSS", 0))


def test_200_mb_stream_is_annotated_and_memory_stays_flat(make_httpd):
    h = make_httpd(CONF, mpm="event")
    h.write("cgi-bin/stream.cgi", CGI, mode=0o755)
    h.start()
    first = expected_first_line()
    # Warm up: the worker has served an annotated CGI response before we measure.
    warm = h.get("/cgi-bin/stream.cgi?warm")
    assert warm.status == 200 and warm.body.startswith(first)
    assert len(warm.body) == WRITE + len(first) - len(LINE)

    children = h.children()
    before = {p: proc_status(p) for p in children}
    assert all(s.get("VmRSS") for s in before.values()), before
    sampler = Sampler(children)
    sampler.start()

    conn = http.client.HTTPConnection("127.0.0.1", h.port, timeout=60)
    started = time.time()
    try:
        conn.request("GET", "/cgi-bin/stream.cgi")
        r = conn.getresponse()
        status, length = r.status, r.getheader("Content-Length")
        # The body after the first line repeats LINE: compare each block with
        # the same bytes of a reference, never holding the page in memory.
        reference = LINE * ((1 << 20) // len(LINE) + 2)
        head, total, mismatch, paused = b"", 0, None, False
        while True:
            block = r.read(1 << 20)
            if not block:
                break
            if len(head) < len(first):
                take = len(first) - len(head)
                head += block[:take]
                block = block[take:]
                total += take
                if len(head) == len(first) and head != first and mismatch is None:
                    mismatch = 0
            if block:
                at = (total - len(first)) % len(LINE)
                if mismatch is None and block != reference[at:at + len(block)]:
                    mismatch = total
                total += len(block)
            if not paused and total > 8 << 20:
                # A slow reader for a moment: the server must not buffer the
                # CGI's output meanwhile.
                paused = True
                time.sleep(1.5)
    finally:
        conn.close()
    elapsed = time.time() - started
    time.sleep(0.2)
    sampler.halt.set()
    sampler.join()
    after = {p: proc_status(p) for p in children}

    assert status == 200 and length is None
    assert head == first, head
    assert mismatch is None, "the body differs from the expected one at byte %d" % mismatch
    extra = len(first) - len(LINE)
    assert total == INPUT_SIZE + extra, (total, INPUT_SIZE, extra)

    growth = {p: max(sampler.peak[p], after[p].get("VmRSS", 0)) - before[p]["VmRSS"]
              for p in children}
    hwm = {p: after[p].get("VmHWM", 0) - before[p].get("VmHWM", 0) for p in children}
    print("200 MiB in %.1f s; RSS growth (kB) %s; VmHWM growth (kB) %s" % (elapsed, growth, hwm))
    assert max(growth.values()) < RSS_LIMIT_KB, growth
    assert max(hwm.values()) < RSS_LIMIT_KB, hwm

    log = h.error_log()
    assert re.search(r"BR0204: /cgi-bin/stream\.cgi: 3 links for %d mentions\n" % (3 * LINES),
                     log), log[-2000:]
    assert not re.search(r"\] \[[\w-]+:(error|crit|alert|emerg)\] ", log), log[-2000:]
