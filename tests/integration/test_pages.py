"""The glossary pages (SPEC §5) served by SetHandler briefing-glossary in a
real httpd (event MPM): URLs, content types, validators and 304s, methods,
the server-side filter, the link base, and that the pages themselves are
never annotated while BriefingAnnotate is on around them; BriefingAssets on
annotated articles."""
import email.utils
import html
import html.parser
import json
import os
import re
import time
import xml.etree.ElementTree as ET

import pytest

from httpd import REPO, Httpd, read

GLOSSARY = os.path.join(REPO, "data", "glossary.xml")
ARTICLE = "working-visit-to-kazakhstan.html"
PAGE = read("htdocs/" + ARTICLE)
GOLDEN_FIRST = read("tests/golden/working-visit-to-kazakhstan.first.html")

SITE = """
BriefingGlossary @REPO@/data/glossary.xml
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
</Directory>
<Location "/glossary/">
  SetHandler briefing-glossary
</Location>
"""

NS = {"g": "urn:briefing:glossary:1"}
ENTRIES = ET.parse(GLOSSARY).getroot().findall("g:entry", NS)
IDS = [e.get("id") for e in ENTRIES]
NAMES = {e.get("id"): e.find("g:name", NS).text for e in ENTRIES}
HTML_TYPE = "text/html; charset=utf-8"
ASSETS = (b'<link rel="stylesheet" href="/glossary/briefing.css">'
          b'<script src="/glossary/briefing.js" defer></script>')


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


VERSION = "%016x" % fnv1a64(read("data/glossary.xml"))
GLOSSARY_ETAG = '"g%s"' % VERSION


def glossary_last_modified():
    return email.utils.formatdate(int(os.stat(GLOSSARY).st_mtime), usegmt=True)


@pytest.fixture(scope="module")
def site():
    """One server for the tests that only read: pages are the same on every
    request."""
    h = Httpd(SITE)
    try:
        h.write("htdocs/" + ARTICLE, PAGE)
        yield h.start()
    finally:
        h.cleanup()


class Structure(html.parser.HTMLParser):
    """Checks that every non-void element is closed in order, and collects
    the ids, the links and the text."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.ids, self.hrefs, self.text = [], [], [], [], []
        self.tags = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a":
            self.hrefs.append(a.get("href"))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:] or "nothing"))
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def structure(body):
    text = body.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>\n<html lang=\"en\">\n")
    p = Structure()
    p.feed(text)
    p.close()
    assert p.errors == [] and p.stack == [], (p.errors, p.stack)
    assert len(p.ids) == len(set(p.ids)), p.ids
    assert p.tags.get("h1") == 1 and p.tags.get("main") == 1 and p.tags.get("title") == 1
    assert 'id="main"' in text
    return p


def listed(body):
    """The entry ids the index lists, in order."""
    return re.findall(r'<li data-briefing-names="[^"]*"><a href="/glossary/([^"]+)">', body.decode())


def not_annotated(body):
    text = body.decode("utf-8")
    assert 'class="briefing briefing-' not in text
    assert "data-briefing-id" not in text


# ---- the index ----

def test_index(site):
    r = site.get("/glossary/")
    assert r.status == 200
    assert r.header("content-type") == HTML_TYPE
    assert r.header("etag") == GLOSSARY_ETAG
    assert r.header("last-modified") == glossary_last_modified()
    assert r.header("content-length") == str(len(r.body))
    structure(r.body)
    text = r.body.decode()
    assert "<title>Glossary</title>" in text
    assert '<p class="briefing-total">18 entries</p>' in text
    assert '<label for="briefing-q">Filter entries</label>' in text
    assert sorted(listed(r.body)) == sorted(IDS)
    # Groups in type order, each A–Z.
    groups = re.findall(r'<section class="briefing-group" id="([a-z]+)"', text)
    assert groups == ["person", "organization", "agreement", "place", "term"]
    places = re.search(r'id="place".*?</section>', text, re.S).group(0)
    assert re.findall(r'<a href="/glossary/([a-z-]+)">', places) == [
        "astana", "belarus", "gomel", "kazakhstan", "russia", "ukraine"]
    assert '<link rel="stylesheet" href="/glossary/briefing.css">' in text
    assert '<script src="/glossary/briefing.js" defer></script>' in text
    not_annotated(r.body)


def test_conditional_requests(site):
    r = site.get("/glossary/")
    etag, lm = r.header("etag"), r.header("last-modified")
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": lm},
                    {"If-None-Match": '"other", ' + etag},
                    {"If-None-Match": etag, "If-Modified-Since": lm}):
        for path in ("/glossary/", "/glossary/lukashenko", "/glossary/lukashenko.json",
                     "/glossary/index.json", "/glossary/?q=luk"):
            c = site.get(path, headers=headers)
            assert c.status == 304, (path, headers)
            assert c.body == b""
            assert c.header("etag") == etag, (path, headers)
    # A stale or foreign tag, or an old date, gets the page.
    for headers in ({"If-None-Match": '"g0000000000000000"'},
                    {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}):
        c = site.get("/glossary/", headers=headers)
        assert c.status == 200 and c.body == r.body, headers
    # A 404 has no validators, and no 304.
    c = site.get("/glossary/nope", headers={"If-None-Match": etag})
    assert c.status == 404 and c.header("etag") is None
    c = site.get("/glossary/nope", headers={"If-None-Match": "*"})
    assert c.status == 404


def test_head(site):
    for path in ("/glossary/", "/glossary/lukashenko", "/glossary/index.json",
                 "/glossary/briefing.css"):
        g = site.get(path)
        h = site.request(path, method="HEAD")
        assert h.status == 200 and h.body == b"", path
        for name in ("content-type", "etag", "last-modified"):
            assert h.header(name) == g.header(name), (path, name)
        # A HEAD's Content-Length, if any, is the GET's.
        assert h.header("content-length") in (None, g.header("content-length")), path
    h = site.request("/glossary/nope", method="HEAD")
    assert h.status == 404 and h.body == b""


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_405(site, method):
    for path in ("/glossary/", "/glossary/lukashenko", "/glossary/briefing.css"):
        r = site.request(path, method=method, body=b"x=1")
        assert r.status == 405, (method, path)
        assert r.header("allow") is not None


def test_405_allow_lists_get_and_head(site):
    r = site.request("/glossary/", method="POST", body=b"x=1")
    assert r.status == 405
    allowed = {m.strip() for m in r.header("allow").split(",")}
    assert {"GET", "HEAD"} <= allowed


def test_index_json_is_a_to_z(site):
    r = site.get("/glossary/index.json")
    assert r.status == 200 and r.header("content-type") == "application/json"
    data = json.loads(r.body)
    assert data["count"] == len(IDS) == len(data["entries"]) == 18
    assert data["version"] == VERSION
    names = [e["name"] for e in data["entries"]]
    assert names == sorted(names, key=lambda n: n.casefold())
    assert names.index("Belarus") < names.index(NAMES["intergovernmental-commission"])
    for e in data["entries"]:
        assert set(e) == {"id", "type", "type_label", "name", "summary", "url"}
        assert e["url"] == "/glossary/" + e["id"]
        assert e["name"] == NAMES[e["id"]]


# ---- entry pages ----

@pytest.mark.parametrize("entry", IDS)
def test_every_entry_page_and_json(site, entry):
    r = site.get("/glossary/" + entry)
    assert r.status == 200 and r.header("content-type") == HTML_TYPE
    p = structure(r.body)
    assert html.escape(NAMES[entry], quote=False) in r.body.decode()
    assert "/glossary/briefing.css" in p.hrefs or b"/glossary/briefing.css" in r.body
    not_annotated(r.body)
    j = site.get("/glossary/%s.json" % entry)
    assert j.status == 200 and j.header("content-type") == "application/json"
    data = json.loads(j.body)
    assert data["id"] == entry and data["name"] == NAMES[entry]
    assert data["url"] == "/glossary/" + entry


def test_not_found(site):
    r = site.get("/glossary/lukashenk")
    assert r.status == 404 and r.header("content-type") == HTML_TYPE
    assert b'href="/glossary/lukashenko"' in r.body
    structure(r.body)
    r = site.get("/glossary/nope.json")
    assert r.status == 404 and r.header("content-type") == "application/json"
    assert json.loads(r.body) == {"error": "no such entry"}
    r = site.get("/glossary/%3Cb%3Ex")
    assert r.status == 404 and b"<b>x" not in r.body and b"&lt;b&gt;x" in r.body


def test_server_side_filter(site):
    assert listed(site.get("/glossary/?q=luk").body) == ["lukashenko"]
    assert listed(site.get("/glossary/?q=%D0%BB%D1%83%D0%BA").body) == ["lukashenko"]
    body = site.get("/glossary/?q=%3Cscript%3E").body
    assert b"<script>" not in body and b'value="&lt;script&gt;"' in body
    assert listed(body) == []
    assert b'<p class="briefing-noresults">' in body


def test_pages_are_never_annotated(site):
    for path in ("/glossary/", "/glossary/belarus", "/glossary/lukashenk"):
        not_annotated(site.get(path).body)
    assert "not annotating /glossary/belarus: a glossary page" in site.error_log()


def test_link_base(make_httpd):
    h = make_httpd("""
BriefingGlossary @REPO@/data/glossary.xml
BriefingLinkBase /topics
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
</Directory>
<Location "/topics/">
  SetHandler briefing-glossary
</Location>
""")
    h.write("htdocs/" + ARTICLE, PAGE)
    h.start()
    body = h.get("/topics/").body
    assert b'href="/topics/lukashenko"' in body and b"/glossary/" not in body
    assert json.loads(h.get("/topics/un.json").body)["url"] == "/topics/un"
    assert b'href="/topics/lukashenko"' in h.get("/" + ARTICLE).body


def test_assets_before_the_first_link(make_httpd):
    h = make_httpd(SITE.replace("BriefingAnnotate On", "BriefingAnnotate On\n  BriefingAssets On"))
    h.write("htdocs/" + ARTICLE, PAGE)
    plain = b"<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>Nothing to link.</p></body></html>\n"
    h.write("htdocs/plain.html", plain)
    h.start()
    r = h.get("/" + ARTICLE)
    assert r.status == 200
    assert r.body.count(ASSETS) == 1
    assert r.body.count(b"briefing.css") == 1 and r.body.count(b"briefing.js") == 1
    # Right before the first link; otherwise the annotated page, byte for byte.
    first = GOLDEN_FIRST.index(b'<a class="briefing ')
    assert r.body == GOLDEN_FIRST[:first] + ASSETS + GOLDEN_FIRST[first:]
    assert r.body.index(ASSETS) + len(ASSETS) == r.body.index(b'<a class="briefing ')
    # No mention: no assets, not a byte changed.
    r = h.get("/plain.html")
    assert r.status == 200 and r.body == plain
    # The glossary pages carry their own, once.
    for path in ("/glossary/", "/glossary/lukashenko"):
        body = h.get(path).body
        assert body.count(b"briefing.css") == 1 and body.count(b"<script") == 1, path
