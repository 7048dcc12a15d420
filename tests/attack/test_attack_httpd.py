"""Hostile glossary text through a real httpd (issue 5, part 2): names,
aliases, summaries, paragraphs, fact labels and values, link texts and hrefs
full of `"`, `<`, `&` and `</script>` must come out escaped everywhere they
are written: the glossary's entry and index pages, its 404 page, its JSON,
and the titles of the links in annotated articles.  And `apache2 -t` refuses
the attack glossaries with the same FILE:LINE:COL message as the command
line.

Uses the integration harness (tests/integration/httpd.py): one event-MPM
server on 127.0.0.1 with its own ServerRoot, stopped at the end."""
import html.parser
import json
import os
import re
import shutil
import urllib.parse

import pytest

from conftest import GLOSSARIES, Httpd, briefing
from test_attack_glossary import CASES

HOSTILE = os.path.join(GLOSSARIES, "hostile.xml")

SITE = """
BriefingGlossary @ROOT@/hostile.xml
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
  BriefingMentions all
</Directory>
<Location "/glossary/">
  SetHandler briefing-glossary
</Location>
"""

# The hostile glossary's text as the loader keeps it (whitespace folded,
# references decoded): what must come back, decoded, and escaped in HTML.
EVIL_NAME = 'Evil "Quote" <b> & Co'
EVIL_ALIASES = ['Evil </script><script>alert(1)</script> Inc', "O'Brien & \"Sons\""]
EVIL_SUMMARY = "Says \"hi\" <img src=x onerror=alert(2)> &amp; </script><script>alert(3)</script> ' done."
EVIL_PARAGRAPHS = ['Para </p><script>alert(4)</script> "quoted" & more.',
                   'Raw </textarea></style></title><!-- --> & "cdata"']
EVIL_FACT = ('La"bel <x> &amp; </script>', 'Value </dd><script>alert(5)</script> "q" &')
EVIL_LINKS = [('https://example.org/?a=1&b="2"<x>', "Link </a><script>alert(6)</script>"),
              ('https://example.org/" onmouseover="alert(7)', "")]
PLAIN_NAME = "Plain </title><script>alert(8)</script>"
PLAIN_SUMMARY = '</textarea></style></script>"&'


def esc(s):
    """HTML escaping as the module does it (engine/glossary.c html_escape)."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@pytest.fixture(scope="module")
def site():
    """One server for every test that only reads.  It is stopped at the end
    whatever happens; test_server_stops_cleanly (last in this file) checks
    how it went."""
    h = Httpd(SITE)
    try:
        with open(HOSTILE, "rb") as f:
            h.write("hostile.xml", f.read())
        h.write("htdocs/article.html", ARTICLE)
        yield h.start()
    finally:
        h.stop()
        shutil.rmtree(h.root, ignore_errors=True)


class Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text, as a browser's
    tokenizer would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def tags_of(body):
    p = Tags()
    p.feed(body.decode("utf-8"))
    p.close()
    return p


# The only elements the glossary pages are made of: nothing from the
# glossary's text may add one (no img, b, x, script).
PAGE_ELEMENTS = {"html", "head", "meta", "title", "link", "script", "body", "header", "a", "main",
                 "nav", "span", "article", "p", "h1", "h2", "section", "dl", "div", "dt", "dd",
                 "ul", "li", "footer", "form", "label", "input", "button"}


def assert_no_injected_markup(body):
    p = tags_of(body)
    names = {t for t, _ in p.tags}
    assert names <= PAGE_ELEMENTS, names - PAGE_ELEMENTS
    scripts = [a for t, a in p.tags if t == "script"]
    assert scripts == [{"src": "/glossary/briefing.js", "defer": None}]
    for _, attrs in p.tags:
        assert not any(k.startswith("on") for k in attrs), attrs
    return p


def test_entry_page_escapes_everything(site):
    r = site.get("/glossary/evil")
    assert r.status == 200 and r.header("content-type") == "text/html; charset=utf-8"
    body = r.body.decode("utf-8")
    p = assert_no_injected_markup(r.body)
    assert "<title>%s \u2014 Glossary</title>" % esc(EVIL_NAME) in body
    assert '<meta name="description" content="%s">' % esc(EVIL_SUMMARY) in body
    assert "<h1>%s</h1>" % esc(EVIL_NAME) in body
    assert '<p class="briefing-lead">%s</p>' % esc(EVIL_SUMMARY) in body
    for para in EVIL_PARAGRAPHS:
        assert "<p>%s</p>" % esc(para) in body
    assert "<div><dt>%s</dt><dd>%s</dd></div>" % (esc(EVIL_FACT[0]), esc(EVIL_FACT[1])) in body
    for alias in EVIL_ALIASES:
        assert "<li>%s</li>" % esc(alias) in body
    for href, text in EVIL_LINKS:
        assert '<li><a href="%s" rel="external noopener">%s</a></li>' % (
            esc(href), esc(text or href)) in body
    assert '<a href="/glossary/plain">%s</a>' % esc(PLAIN_NAME) in body
    # Decoded as a browser does, every text is back as it was written.
    text = "".join(p.text)
    for s in [EVIL_NAME, EVIL_SUMMARY, PLAIN_NAME, *EVIL_PARAGRAPHS, *EVIL_FACT, *EVIL_ALIASES,
              EVIL_LINKS[0][1]]:
        assert s in text, s
    hrefs = [a.get("href") for t, a in p.tags if t == "a"]
    assert EVIL_LINKS[0][0] in hrefs and EVIL_LINKS[1][0] in hrefs


def test_entry_page_with_raw_text_closers(site):
    r = site.get("/glossary/plain")
    assert r.status == 200
    body = r.body.decode("utf-8")
    assert_no_injected_markup(r.body)
    assert "<title>%s \u2014 Glossary</title>" % esc(PLAIN_NAME) in body
    assert '<meta name="description" content="%s">' % esc(PLAIN_SUMMARY) in body
    assert "<h1>%s</h1>" % esc(PLAIN_NAME) in body
    assert '<p class="briefing-lead">%s</p>' % esc(PLAIN_SUMMARY) in body
    assert '<a href="/glossary/evil">%s</a>' % esc(EVIL_NAME) in body


def test_index_page_escapes_everything(site):
    r = site.get("/glossary/")
    assert r.status == 200
    body = r.body.decode("utf-8")
    p = assert_no_injected_markup(r.body)
    assert '<a href="/glossary/evil">%s</a>' % esc(EVIL_NAME) in body
    assert '<span class="briefing-list-summary">%s</span>' % esc(EVIL_SUMMARY) in body
    assert '<a href="/glossary/plain">%s</a>' % esc(PLAIN_NAME) in body
    assert '<span class="briefing-list-summary">%s</span>' % esc(PLAIN_SUMMARY) in body
    names = [a["data-briefing-names"] for t, a in p.tags if "data-briefing-names" in a]
    # Folded (lower case), joined with '|', and back intact once decoded.
    assert names == [PLAIN_NAME.lower(), "|".join([EVIL_NAME] + EVIL_ALIASES).lower()] or \
        names == ["|".join([EVIL_NAME] + EVIL_ALIASES).lower(), PLAIN_NAME.lower()]


def test_filter_query_is_escaped(site):
    q = '"><script>alert(9)</script>'
    r = site.get("/glossary/?q=" + urllib.parse.quote(q))
    assert r.status == 200
    body = r.body.decode("utf-8")
    assert_no_injected_markup(r.body)
    assert 'value="%s"' % esc(q) in body
    assert "No entry matches \u201c%s\u201d." % esc(q) in body


def test_not_found_page_escapes_the_id(site):
    wanted = '"><img src=x onerror=alert(10)>'
    r = site.get("/glossary/" + urllib.parse.quote(wanted))
    assert r.status == 404 and r.header("content-type") == "text/html; charset=utf-8"
    assert_no_injected_markup(r.body)
    assert "<h1>No entry \u201c%s\u201d</h1>" % esc(wanted) in r.body.decode("utf-8")
    r = site.get("/glossary/" + urllib.parse.quote(wanted) + ".json")
    assert r.status == 404 and json.loads(r.body) == {"error": "no such entry"}


def assert_json_escaped(raw):
    # Valid JSON whose strings hide every character that HTML cares about
    # (engine/strbuf.c sb_json: < > & as \u003c \u003e \u0026), so that no
    # sniffing browser and no <script> block that embeds it sees markup.
    for c in (b"<", b">", b"&"):
        assert c not in raw, c
    assert b"\\u003c/script\\u003e" in raw
    return json.loads(raw)


def test_entry_json_escapes_everything(site):
    r = site.get("/glossary/evil.json")
    assert r.status == 200 and r.header("content-type") == "application/json"
    data = assert_json_escaped(r.body)
    assert data["name"] == EVIL_NAME
    assert data["summary"] == EVIL_SUMMARY
    assert [a["text"] for a in data["aliases"]] == EVIL_ALIASES
    assert data["description"] == EVIL_PARAGRAPHS
    assert data["facts"] == [{"label": EVIL_FACT[0], "value": EVIL_FACT[1]}]
    assert [(link["href"], link["text"]) for link in data["links"]] == EVIL_LINKS
    assert data["see"] == ["plain"]
    r = site.get("/glossary/plain.json")
    data = assert_json_escaped(r.body)
    assert (data["name"], data["summary"], data["seen_by"]) == (PLAIN_NAME, PLAIN_SUMMARY, ["evil"])


def test_index_json_escapes_everything(site):
    r = site.get("/glossary/index.json")
    assert r.status == 200
    data = assert_json_escaped(r.body)
    got = {e["id"]: (e["name"], e["summary"]) for e in data["entries"]}
    assert got == {"evil": (EVIL_NAME, EVIL_SUMMARY), "plain": (PLAIN_NAME, PLAIN_SUMMARY)}


# An article that mentions both entries, as written in HTML.
ARTICLE = (b'<!DOCTYPE html>\n<html><head><title>t</title></head><body>\n'
           b'<p>Evil "Quote" &lt;b&gt; &amp; Co met o&#39;brien &amp; &quot;sons&quot; and '
           b"Plain &lt;/title&gt;&lt;script&gt;alert(8)&lt;/script&gt;.</p>\n</body></html>\n")


def test_annotated_article_titles_are_escaped(site):
    r = site.get("/article.html")
    assert r.status == 200
    evil = ('<a class="briefing briefing-person" href="/glossary/evil" data-briefing-id="evil" '
            'title="%s \u2014 %s">' % (esc(EVIL_NAME), esc(EVIL_SUMMARY)))
    plain = ('<a class="briefing briefing-term" href="/glossary/plain" data-briefing-id="plain" '
             'title="%s \u2014 %s">' % (esc(PLAIN_NAME), esc(PLAIN_SUMMARY)))
    expected = ARTICLE.decode().replace(
        'Evil "Quote" &lt;b&gt; &amp; Co', evil + 'Evil "Quote" &lt;b&gt; &amp; Co</a>').replace(
        "o&#39;brien &amp; &quot;sons&quot;", evil + "o&#39;brien &amp; &quot;sons&quot;</a>").replace(
        "Plain &lt;/title&gt;&lt;script&gt;alert(8)&lt;/script&gt;",
        plain + "Plain &lt;/title&gt;&lt;script&gt;alert(8)&lt;/script&gt;</a>")
    assert r.body.decode("utf-8") == expected
    # The module and the command line are the same engine.
    cli = briefing("annotate", "--mentions", "all", "-g", HOSTILE, site.path("htdocs", "article.html"))
    assert cli.stdout == r.body
    p = tags_of(r.body)
    titles = [a["title"] for t, a in p.tags if t == "a"]
    assert titles == ["%s \u2014 %s" % (EVIL_NAME, EVIL_SUMMARY)] * 2 + [
        "%s \u2014 %s" % (PLAIN_NAME, PLAIN_SUMMARY)]
    assert [t for t, _ in p.tags].count("script") == 0


# ---- apache2 -t refuses the attack glossaries ----

CONFIGTEST = ["xxe.xml", "xxe-parameter-entity.xml", "billion-laughs.xml", "doctype-external.xml",
              "xinclude.xml", "invalid-utf8.xml", "link-javascript.xml", "link-data.xml",
              "id-dotdot.xml", "id-space.xml"]


@pytest.mark.parametrize("name", CONFIGTEST)
def test_configtest_refuses(make_httpd, name):
    h = make_httpd("BriefingGlossary @ROOT@/glossaries/%s\n" % name)
    with open(os.path.join(GLOSSARIES, name), "rb") as f:
        path = h.write("glossaries/" + name, f.read())
    r = h.configtest()
    lines = (r.stdout + r.stderr).splitlines()
    assert r.returncode != 0
    # The command line's message, with the path as httpd was given it.
    assert "BriefingGlossary: " + path + CASES[name][2][len(name):] in lines, lines
    assert "Syntax OK" not in lines


def test_server_stops_cleanly(site):
    """After serving every hostile page above: no child crashed, no
    sanitizer report (when run under BRIEFING_HTTPD_WRAPPER)."""
    site.get("/glossary/evil")
    site.stop()
    log = site.error_log()
    crashes = [line for line in log.splitlines() if re.search(r"exit signal|Segmentation fault", line)]
    assert crashes == []
    reports = getattr(site, "sanitizer_reports", lambda: [])()
    assert reports == []
