"""A smoke set for `make test-integration-valgrind`, where apache2 runs under
valgrind (tests/integration/valgrind-httpd.sh): an annotated page, the
glossary pages, a reload and a refused reload, a conditional request.  The
harness fails the test when a valgrind log reports an error.  Also runs
without valgrind (pytest tests/integration/soak/valgrind_smoke.py)."""
import json
import os

from httpd import read, single_child
from test_reload import BROKEN_DUP, MINSK_LINK, WITH_MINSK, poll, wait_for_log
from soaklib import install

SITE = single_child("event") + """
BriefingGlossary @ROOT@/glossary.xml
BriefingReloadInterval 1
<Location "/glossary/">
  SetHandler briefing-glossary
</Location>
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
</Directory>
"""
ARTICLE = read("htdocs/working-visit-to-kazakhstan.html")
GOLDEN = read("tests/golden/working-visit-to-kazakhstan.first.html")
DEMO = read("data/glossary.xml")


def test_smoke(make_httpd):
    h = make_httpd(SITE, mpm="event")
    install(h, DEMO)
    h.write("htdocs/article.html", ARTICLE)
    h.start()

    r = h.get("/article.html")
    assert (r.status, r.body) == (200, GOLDEN)
    etag = r.header("etag")
    assert h.get("/article.html", headers={"If-None-Match": etag}).status == 304

    r = h.get("/glossary/")
    assert r.status == 200 and b"Aleksandr Lukashenko" in r.body
    r = h.get("/glossary/lukashenko")
    assert r.status == 200 and b"President of Belarus since 1994." in r.body
    entry = json.loads(h.get("/glossary/lukashenko.json").body)
    assert entry["id"] == "lukashenko" and entry["type"] == "person"
    index = json.loads(h.get("/glossary/index.json").body)
    assert index["count"] == DEMO.count(b"<entry ")
    assert h.get("/glossary/no-such-entry").status == 404
    assert h.get("/glossary/briefing.css").status == 200

    # A new version, moved into place, is loaded by the watcher thread.
    install(h, WITH_MINSK)
    r, _ = poll(h, lambda r: MINSK_LINK in r.body, timeout=60, path="/article.html")
    assert r.body.count(b'class="briefing ') == GOLDEN.count(b'class="briefing ') + 1
    assert wait_for_log(h, "BR0101", timeout=30)
    assert h.get("/glossary/minsk").status == 200
    # A broken one is refused, and the previous one serves on.
    install(h, BROKEN_DUP)
    assert wait_for_log(h, "BR0102", timeout=60)
    again = h.get("/article.html")
    assert (again.status, again.body) == (200, r.body)
    if "valgrind" in os.environ.get("BRIEFING_HTTPD_WRAPPER", ""):
        assert any(name.startswith("valgrind.") for name in os.listdir(h.path("sanitizer")))
