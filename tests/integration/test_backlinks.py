"""Backlinks (issue 8): the filter notes which entries an annotated page
linked, the page is recorded through mod_dbd after its response, and the
entry pages list "Articles that mention X" (newest first, paged) and their
JSON carries them.  Both drivers: SQLite (a file in the server's root) and
PostgreSQL (a real server from Debian's packages on a loopback port,
started for this module and stopped at its end).

Writes happen in each child's writer thread after the response, so the
tests wait for them: the writer logs one BR0503 line per write (LogLevel
briefing:debug), which is also how "never a write per request" is counted.
The tests that count run one serving child (httpd.single_child)."""
import glob
import json
import os
import pwd
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time

import pytest

from httpd import free_port, read, single_child

# Debian's PostgreSQL server (15 on bookworm; the newest if several).
PG_BINS = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                 key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
PG_BIN = os.path.dirname(PG_BINS[-1]) if PG_BINS else "/usr/lib/postgresql/15/bin"
ARTICLE = read("htdocs/working-visit-to-kazakhstan.html")
ANNOTATED = b'class="briefing briefing-'

SITE = """
BriefingGlossary @REPO@/data/glossary.xml
{dbd}
BriefingBacklinks On
{extra}
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
</Directory>
<Location "/glossary/">
  SetHandler briefing-glossary
</Location>
"""


def page(title, text):
    head = "<title>%s</title>" % title if title is not None else ""
    return ("<!DOCTYPE html>\n<html><head><meta charset=utf-8>%s</head>\n"
            "<body><article><p>%s</p></article></body></html>\n" % (head, text))


class Postgres:
    """A PostgreSQL server of its own: initdb into a temp dir owned by the
    postgres user, a free port on 127.0.0.1, trust authentication."""

    def __init__(self):
        if not os.path.exists(os.path.join(PG_BIN, "initdb")):
            raise RuntimeError("no PostgreSQL server in %s: tests/install-deps.sh installs "
                               "postgresql" % PG_BIN)
        self.dir = tempfile.mkdtemp(prefix="briefing-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.running = False
        self.params = ("host=127.0.0.1 port=%d dbname=briefing user=briefing connect_timeout=2"
                       % self.port)

    def setup(self):
        os.chmod(self.dir, 0o755)
        shutil.chown(self.dir, "postgres", "postgres")
        self.run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                 "--locale=C", "--no-sync")
        self.start()
        self.psql("CREATE ROLE briefing LOGIN", db="postgres")
        self.psql("CREATE DATABASE briefing OWNER briefing", db="postgres")
        return self

    def run(self, program, *args):
        return subprocess.run(["runuser", "-u", "postgres", "--", os.path.join(PG_BIN, program)]
                              + list(args), check=True, capture_output=True, text=True,
                              cwd=self.dir, timeout=60)

    def start(self):
        self.run("pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"), "-w",
                 "-o", "-k %s -p %d -c listen_addresses=127.0.0.1 -c fsync=off" % (self.dir, self.port),
                 "start")
        self.running = True

    def stop(self):
        self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        self.running = False

    def psql_command(self, db="briefing", user="briefing"):
        return [os.path.join(PG_BIN, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", str(self.port), "-U", user, "-d", db]

    def psql(self, sql, db="briefing"):
        user = "postgres" if db == "postgres" else "briefing"
        return subprocess.run(self.psql_command(db, user) + ["-c", sql], check=True,
                              capture_output=True, text=True, timeout=30).stdout

    def destroy(self):
        try:
            if self.running or os.path.exists(os.path.join(self.data, "postmaster.pid")):
                self.run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres():
    pg = Postgres()
    try:
        yield pg.setup()
    finally:
        pg.destroy()


@pytest.fixture(params=["sqlite3", "pgsql"])
def driver(request):
    if request.param == "pgsql":
        pg = request.getfixturevalue("postgres")
        if not pg.running:
            pg.start()
        pg.psql("DROP TABLE IF EXISTS briefing_backlinks")
        return pg
    return "sqlite3"


def make_site(make_httpd, db="sqlite3", mpm="event", extra="", files=None):
    """A server recording backlinks in `db` ("sqlite3" or a Postgres) with
    `files` {path under htdocs: text} in place; not started."""
    if db == "sqlite3":
        dbd = "DBDriver sqlite3\nDBDParams @ROOT@/db/backlinks.sqlite"
    else:
        dbd = 'DBDriver pgsql\nDBDParams "%s"' % db.params
    h = make_httpd(SITE.format(dbd=dbd, extra=extra), mpm=mpm, modules=["dbd"])
    # The children run as www-data: SQLite writes its file, journal and WAL
    # next to each other.
    os.makedirs(h.path("db"))
    www = pwd.getpwnam("www-data")
    os.chown(h.path("db"), www.pw_uid, www.pw_gid)
    for name, text in (files or {}).items():
        h.write("htdocs/" + name, text)
    return h


def wait_for(check, what, timeout=10):
    deadline = time.time() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def writes(h, url):
    """How many times the writers recorded `url` (one BR0503 line each)."""
    return len([line for line in h.log_lines("BR0503") if "recorded %s:" % url in line])


def fetch(h, path):
    r = h.get(path)
    assert r.status == 200, (path, r.status)
    return r


def serve_and_wait(h, path, url=None):
    """Requests `path` and waits until it has been recorded once more."""
    url = url or path
    before = writes(h, url)
    r = fetch(h, path)
    wait_for(lambda: writes(h, url) > before, "a record of " + url)
    return r


def listed(h, entry, page=1):
    r = fetch(h, "/glossary/%s.json%s" % (entry, "?page=%d" % page if page > 1 else ""))
    return json.loads(r.body)


def urls(h, entry, page=1):
    return [b["url"] for b in listed(h, entry, page)["backlinks"]]


# ---- what is listed ----

@pytest.mark.parametrize("mpm", ["event", "prefork"])
def test_entry_pages_list_the_articles_newest_first(make_httpd, driver, mpm):
    h = make_site(make_httpd, driver, mpm, files={
        "a1.html": page("First &amp; &lt;oldest&gt; &quot;one&quot;",
                        "Aleksandr Lukashenko met the UN."),
        "a2.html": page("  Second\n  article ", "Lukashenko again."),
        "a3.html": page(None, "Lukashenko, with no title."),
        "news/working-visit.html": ARTICLE,
    }).start()
    for path in ("/a1.html", "/a2.html", "/a3.html"):
        assert ANNOTATED in serve_and_wait(h, path).body
    got = listed(h, "lukashenko")
    assert [b["url"] for b in got["backlinks"]] == ["/a3.html", "/a2.html", "/a1.html"]
    assert [b["title"] for b in got["backlinks"]] == ["", "Second article",
                                                      'First & <oldest> "one"']
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b["date"]) for b in got["backlinks"])
    assert got["backlinks_page"] == 1 and got["backlinks_next"] is None
    assert urls(h, "un") == ["/a1.html"]

    html = fetch(h, "/glossary/lukashenko").body.decode()
    section = html[html.index('<section class="briefing-backlinks"'):]
    section = section[:section.index("</section>")]
    assert "<h2 id=\"briefing-backlinks\">Articles that mention Aleksandr Lukashenko</h2>" in section
    # Titles come from pages: escaped.  Without a title, the URL.
    assert ('<a href="/a1.html">First &amp; &lt;oldest&gt; &quot;one&quot;</a>' in section)
    assert '<a href="/a3.html">/a3.html</a>' in section
    assert section.index("/a3.html") < section.index("/a2.html") < section.index("/a1.html")
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">\d+ [A-Z][a-z]+ \d{4}</time>', section)
    assert "No article mentions Gomel yet." in fetch(h, "/glossary/gomel").body.decode()

    # The demo article: every entry it links lists it, with its title.
    serve_and_wait(h, "/news/working-visit.html")
    for entry in ("lukashenko", "nazarbayev", "kobyakov", "eeu", "un", "astana", "gomel"):
        got = listed(h, entry)["backlinks"]
        assert got[0]["url"] == "/news/working-visit.html", entry
        assert got[0]["title"] == "Working visit to Kazakhstan \u2014 News"


def test_a_changed_article_updates_its_entries(make_httpd, driver):
    h = make_site(make_httpd, driver, files={
        "c.html": page("Before", "Lukashenko and the UN met in Gomel.")}).start()
    serve_and_wait(h, "/c.html")
    assert "/c.html" in urls(h, "lukashenko") and "/c.html" in urls(h, "gomel")
    h.write("htdocs/c.html", page("After", "Only the UN now."))
    serve_and_wait(h, "/c.html")
    assert urls(h, "lukashenko") == [] and urls(h, "gomel") == []
    assert [(b["url"], b["title"]) for b in listed(h, "un")["backlinks"]] == [("/c.html", "After")]
    # A new title alone is a change too.
    h.write("htdocs/c.html", page("After, retitled", "Only the UN now."))
    serve_and_wait(h, "/c.html")
    assert listed(h, "un")["backlinks"][0]["title"] == "After, retitled"
    # A page that mentions nothing any more leaves every list.
    h.write("htdocs/c.html", page("Empty", "Nobody at all."))
    serve_and_wait(h, "/c.html")
    assert urls(h, "un") == []


def test_never_a_write_per_request(make_httpd):
    h = make_site(make_httpd, extra=single_child("event") + "BriefingBacklinksMaxAge 2\n",
                  files={"n.html": page("N", "Lukashenko."), "m.html": page("M", "Gomel.")}).start()
    first = time.time()
    serve_and_wait(h, "/n.html")
    for _ in range(20):
        assert ANNOTATED in fetch(h, "/n.html").body
    serve_and_wait(h, "/m.html")          # the writer is past n.html's requests
    assert writes(h, "/n.html") == 1
    # Older than BriefingBacklinksMaxAge: recorded again, once.
    time.sleep(max(0, first + 2.2 - time.time()))
    serve_and_wait(h, "/n.html")
    for _ in range(5):
        fetch(h, "/n.html")
    serve_and_wait(h, "/m.html")
    assert writes(h, "/n.html") == 2
    # The row was renewed, not duplicated.
    db = sqlite3.connect(h.path("db", "backlinks.sqlite"))
    try:
        rows = db.execute("SELECT entry, first_seen < seen FROM briefing_backlinks "
                          "WHERE url = '/n.html'").fetchall()
    finally:
        db.close()
    assert rows == [("lukashenko", 1)]


def test_only_annotated_200_responses_are_recorded(make_httpd):
    h = make_site(make_httpd, extra=single_child("event") + """
<Directory "@ROOT@/htdocs/private">
  BriefingBacklinks Off
</Directory>
<Directory "@ROOT@/htdocs/plain">
  BriefingAnnotate Off
</Directory>
""", files={
        "text.txt": "Aleksandr Lukashenko in plain text.",
        "private/p.html": page("Private", "Lukashenko."),
        "plain/p.html": page("Not annotated", "Lukashenko."),
        "last.html": page("Last", "Lukashenko."),
    }).start()
    assert fetch(h, "/text.txt").body == b"Aleksandr Lukashenko in plain text."
    assert h.get("/missing.html").status == 404
    assert h.request("/last.html", method="HEAD").status == 200
    assert ANNOTATED in fetch(h, "/private/p.html").body
    assert ANNOTATED not in fetch(h, "/plain/p.html").body
    # One child, one writer: once last.html is recorded, so would be the
    # others.
    serve_and_wait(h, "/last.html")
    assert len(h.log_lines("BR0503")) == 1
    assert urls(h, "lukashenko") == ["/last.html"]


def test_query_strings_are_ignored_unless_configured(make_httpd):
    h = make_site(make_httpd, extra=single_child("event") + """
<Directory "@ROOT@/htdocs/keep">
  BriefingBacklinksQuery On
</Directory>
""", files={"q.html": page("Q", "Gomel."), "keep/k.php.html": page("K", "Gomel.")}).start()
    serve_and_wait(h, "/q.html?utm_source=x", "/q.html")
    fetch(h, "/q.html?page=2&x=<y>")
    serve_and_wait(h, "/keep/k.php.html?id=1")
    serve_and_wait(h, "/keep/k.php.html?id=2")
    assert writes(h, "/q.html") == 1
    assert sorted(urls(h, "gomel")) == ["/keep/k.php.html?id=1", "/keep/k.php.html?id=2",
                                        "/q.html"]


def test_pages_of_twenty_and_a_cap_per_entry(make_httpd):
    files = {"p%02d.html" % i: page("Page %02d" % i, "In Gomel.") for i in range(1, 26)}
    h = make_site(make_httpd, extra=single_child("event") + "BriefingBacklinksPerEntry 22\n",
                  files=files).start()
    # One after the other: a response goes out before it is recorded, so
    # pages asked for at the same moment may be recorded in either order.
    for i in range(1, 26):
        serve_and_wait(h, "/p%02d.html" % i)
    first = listed(h, "gomel")
    assert [b["url"] for b in first["backlinks"]] == ["/p%02d.html" % i for i in range(25, 5, -1)]
    assert first["backlinks_next"] == "/glossary/gomel.json?page=2"
    second = listed(h, "gomel", 2)
    assert [b["url"] for b in second["backlinks"]] == ["/p05.html", "/p04.html"]
    assert second["backlinks_page"] == 2 and second["backlinks_next"] is None
    assert listed(h, "gomel", 3)["backlinks"] == []
    html = fetch(h, "/glossary/gomel").body.decode()
    assert html.count("<li><a href=\"/p") == 20
    assert '<a rel="next" href="/glossary/gomel?page=2">Older articles</a>' in html
    html = fetch(h, "/glossary/gomel?page=2").body.decode()
    assert '<a rel="prev" href="/glossary/gomel">Newer articles</a>' in html
    assert "Older articles" not in html
    assert "No older articles." in fetch(h, "/glossary/gomel?page=3").body.decode()
    # The list is part of the page's validator.
    etag = fetch(h, "/glossary/gomel").header("etag")
    assert h.get("/glossary/gomel", headers={"If-None-Match": etag}).status == 304
    h.write("htdocs/p26.html", page("Page 26", "In Gomel."))
    serve_and_wait(h, "/p26.html")
    assert h.get("/glossary/gomel", headers={"If-None-Match": etag}).status == 200
    assert urls(h, "gomel")[0] == "/p26.html"


# ---- a database that fails ----

def test_a_stopped_database_never_fails_a_page(make_httpd, postgres):
    if not postgres.running:
        postgres.start()
    postgres.psql("DROP TABLE IF EXISTS briefing_backlinks")
    files = {"d%d.html" % i: page("D%d" % i, "Lukashenko in Gomel.") for i in range(10)}
    h = make_site(make_httpd, postgres, extra=single_child("event"), files=files).start()
    serve_and_wait(h, "/d0.html")
    postgres.stop()
    try:
        for i in range(10):
            started = time.time()
            r = fetch(h, "/d%d.html" % i)
            assert ANNOTATED in r.body
            assert time.time() - started < 2
        wait_for(lambda: h.log_lines("BR0502"), "a BR0502 error")
        started = time.time()
        html = fetch(h, "/glossary/lukashenko").body.decode()
        assert time.time() - started < 2
        assert "Aleksandr Lukashenko" in html and "briefing-backlinks" not in html
        assert listed(h, "lukashenko")["backlinks"] is None
        for i in range(10):
            assert ANNOTATED in fetch(h, "/d%d.html" % i).body
        # Logged once, not once per request.
        errors = h.log_lines("BR0502")
        assert len(errors) == 1, errors
        assert "[briefing:error]" in errors[0] and "left alone for 5 s" in errors[0]
    finally:
        postgres.start()
    # Back: after the pause, writes go through again.
    wait_for(lambda: fetch(h, "/d5.html") and writes(h, "/d5.html"), "a record after the restart",
             timeout=20)
    assert "/d5.html" in wait_for(lambda: urls(h, "gomel"), "the list back")


def test_a_slow_database_never_slows_a_page(make_httpd, postgres):
    if not postgres.running:
        postgres.start()
    postgres.psql("DROP TABLE IF EXISTS briefing_backlinks")
    files = {"w%d.html" % i: page("W%d" % i, "Lukashenko.") for i in range(6)}
    h = make_site(make_httpd, postgres, extra=single_child("event"), files=files).start()
    serve_and_wait(h, "/w0.html")
    # Another session holds the table: every write waits for it.
    locker = subprocess.Popen(postgres.psql_command(), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        locker.stdin.write("BEGIN;\nLOCK TABLE briefing_backlinks IN ACCESS EXCLUSIVE MODE;\n"
                           "SELECT 'locked';\n")
        locker.stdin.flush()
        assert locker.stdout.readline().strip() == "locked"
        started = time.time()
        for i in range(1, 6):
            t = time.time()
            assert ANNOTATED in fetch(h, "/w%d.html" % i).body
            assert time.time() - t < 1
        # The writer has been stuck for a while: entry pages do not wait.
        time.sleep(max(0, started + 2.5 - time.time()))
        t = time.time()
        html = fetch(h, "/glossary/lukashenko").body.decode()
        assert time.time() - t < 1
        assert "briefing-backlinks" not in html
        assert writes(h, "/w1.html") == 0
    finally:
        locker.communicate("COMMIT;\n", timeout=30)
    for i in range(1, 6):
        wait_for(lambda: writes(h, "/w%d.html" % i), "the waiting writes")
    assert sorted(urls(h, "lukashenko")) == ["/w%d.html" % i for i in range(6)]


# ---- configuration ----

@pytest.mark.parametrize("modules,dbd,message", [
    ([], "", "needs mod_dbd"),
    (["dbd"], "", "needs a database: DBDriver sqlite3 (or pgsql) and DBDParams"),
    (["dbd"], "DBDriver sqlite3\n", "DBDParams must name the SQLite file"),
])
def test_configtest_refuses_backlinks_without_a_database(make_httpd, modules, dbd, message):
    h = make_httpd("BriefingGlossary @REPO@/data/glossary.xml\n" + dbd +
                   "<Directory \"@ROOT@/htdocs\">\n  BriefingBacklinks On\n</Directory>\n",
                   modules=modules)
    r = h.configtest()
    assert r.returncode != 0
    assert "BR0501: BriefingBacklinks On in the main server" in r.stderr and message in r.stderr


def test_off_by_default_without_a_database(make_httpd):
    h = make_httpd("BriefingGlossary @REPO@/data/glossary.xml\n"
                   "<Directory \"@ROOT@/htdocs\">\n  BriefingAnnotate On\n</Directory>\n"
                   "<Location \"/glossary/\">\n  SetHandler briefing-glossary\n</Location>\n")
    h.write("htdocs/a.html", page("A", "Lukashenko."))
    h.start()
    assert ANNOTATED in fetch(h, "/a.html").body
    assert "briefing-backlinks" not in fetch(h, "/glossary/lukashenko").body.decode()
    assert "backlinks" not in json.loads(fetch(h, "/glossary/lukashenko.json").body)
    assert not h.log_lines("BR05")
