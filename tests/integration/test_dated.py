"""Dated aliases in a real httpd: the page's date, from its markup or from
the Last-Modified header (a static file's mtime), picks what an alias means;
BriefingPageDate says where the date is read."""
import os
import calendar

import pytest

GLOSSARY = """<glossary xmlns="urn:briefing:glossary:1">
 <entry id="nazarbayev" type="person"><name>Nursultan Nazarbayev</name>
  <alias until="2019-03-19">Kazakh President</alias></entry>
 <entry id="tokayev" type="person"><name>Kassym-Jomart Tokayev</name>
  <alias from="2019-03-20">Kazakh President</alias></entry>
</glossary>
"""

SITE = """
BriefingGlossary @ROOT@/glossary.xml
BriefingMentions all
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
  AllowOverride FileInfo
</Directory>
"""

PLAIN = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>The Kazakh President spoke.</p></body></html>\n"
META = (b'<!DOCTYPE html><html><head><meta property="article:published_time" '
        b'content="2024-05-01T09:00:00+05:00"></head><body><p>The Kazakh President spoke.</p></body></html>\n')


def mtime(path, day):
    t = calendar.timegm(tuple(int(x) for x in day.split("-")) + (12, 0, 0))
    os.utime(path, (t, t))


def linked(body):
    ids = []
    for part in body.split(b'data-briefing-id="')[1:]:
        ids.append(part.split(b'"', 1)[0].decode())
    return ids


def site(make_httpd, extra=""):
    h = make_httpd(SITE + extra)
    h.write("glossary.xml", GLOSSARY)
    return h


def test_last_modified_picks_the_meaning(make_httpd):
    h = site(make_httpd)
    mtime(h.write("htdocs/old.html", PLAIN), "2018-06-01")
    mtime(h.write("htdocs/new.html", PLAIN), "2021-06-01")
    mtime(h.write("htdocs/edge.html", PLAIN), "2019-03-19")
    mtime(h.write("htdocs/meta.html", META), "2018-06-01")
    h.start()
    r = h.get("/old.html")
    assert r.status == 200
    assert r.header("last-modified") == "Fri, 01 Jun 2018 12:00:00 GMT"
    assert linked(r.body) == ["nazarbayev"]
    assert linked(h.get("/new.html").body) == ["tokayev"]
    assert linked(h.get("/edge.html").body) == ["nazarbayev"]
    # The page's own date comes before Last-Modified.
    assert linked(h.get("/meta.html").body) == ["tokayev"]


def test_briefing_page_date_order_and_none(make_httpd):
    h = site(make_httpd, """
<Location "/lm-first/">
  BriefingPageDate last-modified meta
</Location>
<Location "/none/">
  BriefingPageDate none
</Location>
""")
    mtime(h.write("htdocs/lm-first/meta.html", META), "2018-06-01")
    mtime(h.write("htdocs/none/old.html", PLAIN), "2018-06-01")
    h.start()
    assert linked(h.get("/lm-first/meta.html").body) == ["nazarbayev"]
    # No source: every page is read as of today, when Tokayev is meant.
    assert linked(h.get("/none/old.html").body) == ["tokayev"]


@pytest.mark.parametrize("value, message", [
    ("meta mtime", '"mtime" is no page date source (meta, time, last-modified or none)'),
    ("none meta", '"none" goes alone'),
])
def test_bad_briefing_page_date_fails_configtest(make_httpd, value, message):
    h = site(make_httpd, "BriefingPageDate %s\n" % value)
    r = h.configtest()
    assert r.returncode != 0
    assert "BriefingPageDate: " + message in r.stdout + r.stderr
