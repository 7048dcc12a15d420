"""SetHandler briefing-status and the section in mod_status's server-status."""
import json
import re
import subprocess
import time

from httpd import REPO, read

ARTICLE = "working-visit-to-kazakhstan.html"
PAGE = read("htdocs/" + ARTICLE)

SITE = """
BriefingGlossary @ROOT@/glossary.xml
BriefingReloadInterval 1
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
</Directory>
<Directory "@ROOT@/cgi-bin">
  BriefingAnnotate On
</Directory>
<Location "/briefing-status">
  SetHandler briefing-status
</Location>
<Location "/server-status">
  SetHandler server-status
</Location>
"""


def site(make_httpd, mpm="event", extra=""):
    h = make_httpd(extra + SITE, mpm=mpm, modules=("status",))
    h.write("glossary.xml", read("data/glossary.xml"))
    h.write("htdocs/" + ARTICLE, PAGE)
    h.write("htdocs/notes.txt", b"Aleksandr Lukashenko in plain text\n")
    h.write("cgi-bin/gone.cgi", b"#!/bin/sh\nprintf 'Status: 410 Gone\\r\\n"
            b"Content-Type: text/html\\r\\n\\r\\n<p>Aleksandr Lukashenko</p>'\n", mode=0o755)
    return h


def status(h):
    r = h.get("/briefing-status?json")
    assert r.status == 200
    assert r.header("content-type") == "application/json"
    assert r.header("cache-control") == "no-store"
    return json.loads(r.body)


def patterns_by_type():
    out = subprocess.run([REPO + "/bin/briefing", "check", REPO + "/data/glossary.xml"],
                         capture_output=True, text=True, check=True).stdout
    return out


def test_the_status_counts_what_the_filter_did(make_httpd):
    h = site(make_httpd).start()
    etags = set()
    for _ in range(3):
        r = h.get("/" + ARTICLE)
        assert r.status == 200
        etags.add(r.header("etag"))
    assert h.get("/notes.txt").status == 200
    assert h.get("/" + ARTICLE, method="HEAD").status == 200
    assert h.get("/cgi-bin/gone.cgi").status == 410
    s = status(h)
    (main,) = s["servers"]
    assert main["port"] in (0, h.port)       # 0: the main server, on every Listen
    g = main["glossary"]
    assert g["path"] == h.path("glossary.xml")
    # The version is the one the annotated pages' ETags carry.
    (etag,) = etags
    assert etag.endswith('-b%s"' % g["version"])
    assert g["entries"] == {"person": 4, "organization": 4, "agreement": 3, "place": 6,
                            "term": 1, "total": 18}
    checked = patterns_by_type()
    assert "patterns: %d" % g["patterns"]["total"] in checked
    assert g["last_reload_error"] is None
    c = main["counters"]
    assert (c["annotated"], c["links"]) == (3, 3 * 17)
    assert c["passed"]["content_type"] == 1
    assert c["passed"]["head"] == 1
    assert c["passed"]["status"] == 1
    assert sum(c["passed"].values()) == 3


def test_the_html_page(make_httpd):
    h = site(make_httpd).start()
    h.get("/" + ARTICLE)
    r = h.get("/briefing-status")
    assert r.status == 200
    assert r.header("content-type") == "text/html; charset=utf-8"
    body = r.body.decode()
    assert "<title>mod_briefing status</title>" in body
    assert "<tr><th scope=\"row\">Glossary</th><td>%s</td></tr>" % h.path("glossary.xml") in body
    assert "<tr><th scope=\"row\">Responses annotated</th><td>1</td></tr>" in body
    assert "<tr><th scope=\"row\">Links inserted</th><td>17</td></tr>" in body
    assert ("<tr><th scope=\"row\">Entries</th><td>18 (person 4, organization 4, agreement 3, "
            "place 6, term 1)</td></tr>") in body
    assert h.get("/briefing-status", method="POST", body=b"x").status == 405


def test_counters_add_up_every_process(make_httpd):
    h = site(make_httpd, mpm="prefork",
             extra="StartServers 3\nMinSpareServers 3\nMaxConnectionsPerChild 2\n").start()
    # Each child serves at most two connections (one request each), so
    # twelve requests are served by at least six processes.
    for _ in range(12):
        assert h.get("/" + ARTICLE).status == 200
    c = status(h)["servers"][0]["counters"]
    assert (c["annotated"], c["links"]) == (12, 12 * 17)


def test_a_failed_reload_is_shown(make_httpd):
    h = site(make_httpd).start()
    h.get("/" + ARTICLE)
    h.write("glossary.xml", b"<glossary xmlns='urn:briefing:glossary:1'>\n  <entry>\n")
    deadline = time.time() + 10
    while time.time() < deadline:
        err = status(h)["servers"][0]["glossary"]["last_reload_error"]
        if err:
            break
        time.sleep(0.2)
    assert err, "no reload error shown"
    assert re.fullmatch(re.escape(h.path("glossary.xml")) + r":\d+:\d+: .+", err["message"]), err
    assert "BR0102" in h.error_log()
    # The previous version still serves, and the status says which.
    assert status(h)["servers"][0]["glossary"]["entries"]["total"] == 18


def test_server_status_has_a_section(make_httpd):
    h = site(make_httpd).start()
    h.get("/" + ARTICLE)
    h.get("/" + ARTICLE)
    r = h.get("/server-status?auto")
    assert r.status == 200
    text = r.body.decode()
    assert "BriefingAnnotated: 2\n" in text
    assert "BriefingLinks: 34\n" in text
    assert "BriefingGlossary: %s\n" % h.path("glossary.xml") in text
    r = h.get("/server-status")
    assert "<h2>mod_briefing</h2>" in r.body.decode()
    assert "2 responses annotated, 34 links inserted" in r.body.decode()
