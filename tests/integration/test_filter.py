"""The BRIEFING filter in a real httpd, under each MPM."""
import gzip
import socket
import time

import pytest

from conftest import MPMS
from httpd import read

ARTICLE = "working-visit-to-kazakhstan.html"
GOLDEN_FIRST = read("tests/golden/working-visit-to-kazakhstan.first.html")
GOLDEN_ALL = read("tests/golden/working-visit-to-kazakhstan.all.html")
PAGE = read("htdocs/" + ARTICLE)

SITE = """
BriefingGlossary @REPO@/data/glossary.xml
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
  AllowOverride FileInfo
</Directory>
"""


def site(make_httpd, mpm="event", extra=""):
    h = make_httpd(SITE + extra, mpm=mpm)
    h.write("htdocs/" + ARTICLE, PAGE)
    return h


@pytest.mark.parametrize("mpm", MPMS)
def test_seed_page_is_annotated_like_the_engine(make_httpd, mpm):
    h = site(make_httpd, mpm).start()
    for _ in range(3):
        r = h.get("/" + ARTICLE)
        assert r.status == 200
        assert r.body == GOLDEN_FIRST
        # The original length is dropped; a page annotated in one piece
        # gets its new length from httpd's content-length filter.
        assert r.header("content-length") in (None, str(len(GOLDEN_FIRST)))
        assert r.header("content-type") == "text/html"
    assert "BR0203: annotating /" + ARTICLE in h.error_log()


@pytest.mark.parametrize("mpm", MPMS)
def test_pages_without_mentions_and_other_types_are_untouched(make_httpd, mpm):
    h = site(make_httpd, mpm)
    plain = b"<!DOCTYPE html><p>Nothing to link here.</p>\n"
    text = b"Aleksandr Lukashenko met the UN in plain text.\n"
    h.write("htdocs/plain.html", plain)
    h.write("htdocs/notes.txt", text)
    h.write("htdocs/data.json", b'{"who": "Aleksandr Lukashenko"}')
    h.start()
    r = h.get("/plain.html")
    assert (r.status, r.body) == (200, plain)
    for name, body in (("notes.txt", text), ("data.json", b'{"who": "Aleksandr Lukashenko"}')):
        r = h.get("/" + name)
        assert r.body == body
        assert r.header("content-length") == str(len(body))
    assert "not annotating /notes.txt: Content-Type text/plain" in h.error_log()


def test_head_304_and_ranges(make_httpd):
    h = site(make_httpd).start()
    full = h.get("/" + ARTICLE)
    etag = full.header("etag")
    assert etag and etag.endswith('"') and "-b" in etag
    head = h.request("/" + ARTICLE, method="HEAD")
    assert head.status == 200 and head.body == b""
    assert "not annotating /%s: a HEAD request" % ARTICLE in h.error_log()
    r = h.get("/" + ARTICLE, headers={"If-None-Match": etag})
    assert r.status == 304
    assert r.header("etag") == etag
    # The page's own ETag, from before annotation, does not match.
    plain_etag = etag[:etag.rindex("-b")] + '"'
    r = h.get("/" + ARTICLE, headers={"If-None-Match": plain_etag})
    assert r.status == 200 and r.body == GOLDEN_FIRST
    # The annotated page is streamed, so httpd's byterange filter, which
    # needs the whole body at once, may answer with all of it (HTTP allows
    # ignoring Range); either way the bytes are the annotated page's.
    r = h.get("/" + ARTICLE, headers={"Range": "bytes=0-99"})
    assert (r.status, r.body) in ((206, GOLDEN_FIRST[:100]), (200, GOLDEN_FIRST))


def test_deflate_after_the_filter(make_httpd):
    h = site(make_httpd, extra="AddOutputFilterByType DEFLATE text/html\n").start()
    r = h.get("/" + ARTICLE, headers={"Accept-Encoding": "gzip"})
    assert r.header("content-encoding") == "gzip"
    assert gzip.decompress(r.body) == GOLDEN_FIRST
    r = h.get("/" + ARTICLE)
    assert r.body == GOLDEN_FIRST


def test_directives_and_inheritance(make_httpd):
    conf = """
BriefingGlossary @REPO@/data/glossary.xml
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
  AllowOverride FileInfo
</Directory>
<Directory "@ROOT@/htdocs/all">
  BriefingMentions all
  BriefingLinkBase /g
</Directory>
<Directory "@ROOT@/htdocs/all/off">
  BriefingAnnotate Off
</Directory>
<Location "/people">
  BriefingTypes person
  BriefingMaxLinks 2
</Location>
<Location "/scoped">
  BriefingScope .story
  BriefingSkip b
</Location>
"""
    h = make_httpd(conf)
    page = (b"<p>Aleksandr Lukashenko, Belarus, Kazakhstan, Aleksandr Lukashenko, "
            b"Nursultan Nazarbayev, Andrei Kobyakov</p>")
    for d in ("", "all/", "all/off/", "people/", "all/inherit/", "htaccess/", "scoped/"):
        h.write("htdocs/%spage.html" % d, page)
    h.write("htdocs/scoped/story.html",
            b'<div>Belarus</div><div class="story">Belarus <b>Kazakhstan</b> Gomel</div>')
    h.write("htdocs/htaccess/.htaccess", "BriefingMentions all\nBriefingMaxLinks 3\n")
    h.start()

    def ids(path):
        body = h.get(path).body.decode()
        return [part.split('"')[0] for part in body.split('data-briefing-id="')[1:]]

    assert ids("/page.html") == ["lukashenko", "belarus", "kazakhstan", "nazarbayev", "kobyakov"]
    assert ids("/all/page.html") == ["lukashenko", "belarus", "kazakhstan", "lukashenko",
                                     "nazarbayev", "kobyakov"]
    assert 'href="/g/lukashenko"' in h.get("/all/page.html").body.decode()
    assert ids("/all/inherit/page.html") == ids("/all/page.html")
    assert h.get("/all/off/page.html").body == page
    assert ids("/people/page.html") == ["lukashenko", "nazarbayev"]
    assert ids("/htaccess/page.html") == ["lukashenko", "belarus", "kazakhstan"]
    assert ids("/scoped/story.html") == ["belarus", "gomel"]


CGI_SPLIT = """#!/bin/sh
printf 'Content-Type: text/html\\r\\n\\r\\n'
printf '<p>Belarus President Aleksandr'
sleep 2
printf ' Lukashenko spoke.</p>\\n'
"""


@pytest.mark.parametrize("mpm", MPMS)
def test_cgi_chunks_are_streamed_and_annotated(make_httpd, mpm):
    h = make_httpd("""
BriefingGlossary @REPO@/data/glossary.xml
<Directory "@ROOT@/cgi-bin">
  Options +ExecCGI
  BriefingAnnotate On
</Directory>
""", mpm=mpm)
    h.write("cgi-bin/split.cgi", CGI_SPLIT, mode=0o755)
    h.start()
    s = socket.create_connection(("127.0.0.1", h.port), timeout=10)
    s.sendall(b"GET /cgi-bin/split.cgi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    start = time.time()
    first = b""
    while b"<p>" not in first:
        first += s.recv(65536)
    first_at = time.time() - start
    rest = first
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    total = time.time() - start
    s.close()
    assert first_at < 1.5 < total
    body = rest.split(b"\r\n\r\n", 1)[1]
    text = b"".join(part.split(b"\r\n", 1)[1] if b"\r\n" in part else part
                    for part in body.split(b"\r\n0\r\n")[:1])
    assert b'data-briefing-id="belarus"' in body
    assert b'title="Aleksandr Lukashenko \xe2\x80\x94 President of Belarus since 1994.">Aleksandr Lukashenko</a>' in body
    assert text


def test_bucketeer_splits_give_the_same_bytes(make_httpd):
    # mod_bucketeer cuts a bucket at ^B and flushes at ^F, removing them.
    conf = SITE + """
<Location "/split">
  SetOutputFilter BUCKETEER;BRIEFING
</Location>
"""
    h = make_httpd(conf)
    h.write("htdocs/" + ARTICLE, PAGE)
    split = b"".join(bytes([c]) + (b"\x02" if i % 3 else b"\x06") for i, c in enumerate(PAGE))
    h.write("htdocs/split/" + ARTICLE, split)
    h.start()
    assert h.get("/split/" + ARTICLE).body == GOLDEN_FIRST


def test_proxy_to_a_cms_vhost(make_httpd):
    backend_port_conf = """
BriefingGlossary @REPO@/data/glossary.xml
Listen 127.0.0.1:@BACKEND@
<VirtualHost 127.0.0.1:@BACKEND@>
  DocumentRoot "@ROOT@/backend"
  <Directory "@ROOT@/backend">
    Require all granted
  </Directory>
  <Location "/gz">
    SetOutputFilter DEFLATE
  </Location>
</VirtualHost>
<Location "/cms/">
  ProxyPass "http://127.0.0.1:@BACKEND@/"
  BriefingAnnotate On
</Location>
"""
    from httpd import free_port
    backend = free_port()
    h = make_httpd(backend_port_conf.replace("@BACKEND@", str(backend)))
    h.write("backend/" + ARTICLE, PAGE)
    h.write("backend/gz/" + ARTICLE, PAGE)
    h.start()
    r = h.get("/cms/" + ARTICLE)
    assert r.status == 200 and r.body == GOLDEN_FIRST
    # The backend compresses: inflated for the filter, compressed again for
    # a client that accepts gzip, left plain for one that does not.
    r = h.get("/cms/gz/" + ARTICLE, headers={"Accept-Encoding": "gzip"})
    assert (r.status, r.header("content-encoding")) == (200, "gzip")
    assert gzip.decompress(r.body) == GOLDEN_FIRST
    r = h.get("/cms/gz/" + ARTICLE)
    assert (r.status, r.header("content-encoding"), r.body) == (200, None, GOLDEN_FIRST)


CGI_GZIP = """#!/usr/bin/python3
import gzip, sys
page = open(%r, "rb").read()
sys.stdout.buffer.write(b"Content-Type: text/html\\r\\nContent-Encoding: %s\\r\\n\\r\\n" +
                        gzip.compress(page))
"""


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip"])
def test_a_gzip_backend_is_annotated(make_httpd, encoding):
    h = site(make_httpd, extra="""
<Directory "@ROOT@/cgi-bin">
  BriefingAnnotate On
</Directory>
""")
    h.write("cgi-bin/gz.cgi", CGI_GZIP % (h.path("htdocs", ARTICLE), encoding), mode=0o755)
    h.start()
    r = h.get("/cgi-bin/gz.cgi")
    assert (r.status, r.header("content-encoding"), r.body) == (200, None, GOLDEN_FIRST)
    r = h.get("/cgi-bin/gz.cgi", headers={"Accept-Encoding": "gzip"})
    assert (r.status, r.header("content-encoding")) == (200, "gzip")
    assert "Accept-Encoding" in r.header("vary")
    assert gzip.decompress(r.body) == GOLDEN_FIRST
    # Plain pages are not compressed by the way.
    r = h.get("/" + ARTICLE, headers={"Accept-Encoding": "gzip"})
    assert (r.status, r.header("content-encoding"), r.body) == (200, None, GOLDEN_FIRST)


def test_without_mod_deflate_gzip_passes_through_with_a_warning(make_httpd):
    h = site(make_httpd, extra="""
<Directory "@ROOT@/cgi-bin">
  BriefingAnnotate On
</Directory>
""")
    h.modules.remove("deflate")
    h.write("cgi-bin/gz.cgi", CGI_GZIP % (h.path("htdocs", ARTICLE), "gzip"), mode=0o755)
    h.start()
    assert "BR0005: mod_deflate is not loaded" in h.error_log()
    r = h.get("/cgi-bin/gz.cgi", headers={"Accept-Encoding": "gzip"})
    assert (r.status, r.header("content-encoding")) == (200, "gzip")
    assert gzip.decompress(r.body) == PAGE
    assert "not annotating /cgi-bin/gz.cgi: Content-Encoding gzip" in h.error_log()
