"""Attack glossaries (issue 5, part 2): `bin/briefing check` on hostile or
broken glossary files, each with its exact exit status, standard output and
standard error (FILE:LINE:COL: message).

The small files are in tests/attack/glossaries/; the big ones (a 200 MB
file, a 1 GiB file, 1,000,000 entries, patterns of 10,000 characters) are
generated into a temp dir at test time.  Loading must never read another
file or touch the network (checked under strace), never expand an entity,
and keep its memory in proportion to the file."""
import os
import re
import subprocess

import pytest

from conftest import BRIEFING, GLOSSARIES, briefing

TYPES = ("person", "organization", "agreement", "place", "term")


def summary(name, patterns, **counts):
    """What `briefing check` prints for a valid glossary."""
    lines = ["%s: valid" % name, "entries: %d" % sum(counts.values())]
    lines += ["  %-13s %d" % (t, counts.get(t, 0)) for t in TYPES]
    lines.append("patterns: %d" % patterns)
    return ("\n".join(lines) + "\n").encode()


DOCTYPE = "a DOCTYPE is not allowed in a glossary (no DTDs, no entities)"
BAD_ID = "is not valid: 1 to 64 of a-z, 0-9 and '-', not starting with '-'"
NOT_WEB = "is not an http: or https: URL"

# file -> (exit status, standard output, standard error)
CASES = {
    # Entities and DTDs: refused where the DOCTYPE starts, before any
    # declaration in it is read.
    "xxe.xml": (1, b"", "xxe.xml:2:1: " + DOCTYPE),
    "xxe-parameter-entity.xml": (1, b"", "xxe-parameter-entity.xml:2:1: " + DOCTYPE),
    "billion-laughs.xml": (1, b"", "billion-laughs.xml:2:1: " + DOCTYPE),
    "doctype.xml": (1, b"", "doctype.xml:3:4: " + DOCTYPE),
    "doctype-external.xml": (1, b"", "doctype-external.xml:2:1: " + DOCTYPE),
    # XInclude is not processed; the schema refuses the element.
    "xinclude.xml": (1, b"", "xinclude.xml:5:14: Element summary has extra content: include"),
    "xinclude-entries.xml": (1, b"", "xinclude-entries.xml:3:3: Did not expect element include there"),
    "schema-location.xml": (1, b"", "schema-location.xml:2:1: Invalid attribute schemaLocation "
                                    "for element glossary"),
    # A processing instruction is allowed and means nothing: never fetched.
    "stylesheet-pi.xml": (0, summary("stylesheet-pi.xml", 1, term=1), ""),
    # Encodings: UTF-8 only, whatever the file declares.
    "invalid-utf8.xml": (1, b"", "invalid-utf8.xml:4:14: Input is not proper UTF-8, indicate encoding ! "
                                 "Bytes: 0xC3 0x20 0x43 0x65"),
    "overlong-utf8.xml": (1, b"", "overlong-utf8.xml:4:16: Input is not proper UTF-8, indicate encoding ! "
                                  "Bytes: 0xC0 0xAF 0x3C 0x2F"),
    "surrogate-utf8.xml": (1, b"", "surrogate-utf8.xml:4:15: Char 0xD800 out of allowed range"),
    "latin1-declared.xml": (1, b"", "latin1-declared.xml:4:14: Input is not proper UTF-8, indicate encoding ! "
                                    "Bytes: 0xE9 0x20 0x43 0x65"),
    "utf16.xml": (1, b"", "utf16.xml:1:1: not UTF-8: a glossary is UTF-8 XML"),
    "nul-byte.xml": (1, b"", "nul-byte.xml:4:14: Char 0x0 out of allowed range"),
    # libxml2 reports a bad character reference where it ends (the
    # reference &#27; spans columns 23-27).
    "control-charref.xml": (1, b"", "control-charref.xml:5:28: xmlParseCharRef: invalid xmlChar value 27"),
    # Links: http: and https: only, in any case; nothing else, however dressed.
    "link-javascript.xml": (1, b"", 'link-javascript.xml:6:5: link href "javascript:alert(document.cookie)" '
                                    + NOT_WEB),
    "link-javascript-case.xml": (1, b"", 'link-javascript-case.xml:6:5: link href "JaVaScRiPt:alert(1)" '
                                         + NOT_WEB),
    "link-javascript-space.xml": (1, b"", 'link-javascript-space.xml:6:5: link href " javascript:alert(1)" '
                                          + NOT_WEB),
    "link-javascript-entity.xml": (1, b"", 'link-javascript-entity.xml:6:5: link href "javascript:alert(1)" '
                                           + NOT_WEB),
    "link-javascript-http-comment.xml": (1, b"", 'link-javascript-http-comment.xml:6:5: link href '
                                                 '"javascript://http:%0aalert(1)" ' + NOT_WEB),
    "link-data.xml": (1, b"", 'link-data.xml:6:5: link href '
                              '"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" ' + NOT_WEB),
    "link-data-html.xml": (1, b"", 'link-data-html.xml:6:5: link href '
                                   '"data:text/html,<script>alert(1)</script>" ' + NOT_WEB),
    "link-vbscript.xml": (1, b"", 'link-vbscript.xml:6:5: link href "vbscript:msgbox(1)" ' + NOT_WEB),
    "link-protocol-relative.xml": (1, b"", 'link-protocol-relative.xml:6:5: link href "//evil.example/" '
                                           + NOT_WEB),
    "link-file.xml": (1, b"", 'link-file.xml:6:5: link href "file:///etc/passwd" ' + NOT_WEB),
    # Ids are the last segment of a URL: 1-64 of a-z 0-9 '-'.
    "id-dotdot.xml": (1, b"", 'id-dotdot.xml:6:3: entry id "../x" ' + BAD_ID),
    "id-space.xml": (1, b"", 'id-space.xml:6:3: entry id "a b" ' + BAD_ID),
    "id-slash.xml": (1, b"", 'id-slash.xml:6:3: entry id "a/b" ' + BAD_ID),
    "id-uppercase.xml": (1, b"", 'id-uppercase.xml:6:3: entry id "Alpha" ' + BAD_ID),
    "id-quote.xml": (1, b"", 'id-quote.xml:6:3: entry id "x" onmouseover="alert(1)" ' + BAD_ID),
    # The newline inside the id becomes a space: an error is one line.
    "id-newline.xml": (1, b"", 'id-newline.xml:6:3: entry id "x y" ' + BAD_ID),
    "id-empty.xml": (1, b"", 'id-empty.xml:6:3: entry id "" ' + BAD_ID),
    "id-leading-dash.xml": (1, b"", 'id-leading-dash.xml:6:3: entry id "-x" ' + BAD_ID),
    "id-too-long.xml": (1, b"", 'id-too-long.xml:6:3: entry id "' + "a" * 65 + '" ' + BAD_ID),
    "id-percent.xml": (1, b"", 'id-percent.xml:6:3: entry id "%2e%2e" ' + BAD_ID),
    "see-dotdot.xml": (1, b"", 'see-dotdot.xml:5:5: see ref="../etc/passwd" names no entry'),
    "lang-injection.xml": (1, b"", "lang-injection.xml:3:3: Invalid attribute lang for element entry"),
    # Valid: hostile text is text (see test_attack_httpd.py for where it goes).
    "hostile.xml": (0, summary("hostile.xml", 4, person=1, term=1), ""),
}


def test_every_attack_file_has_a_case():
    assert sorted(f for f in os.listdir(GLOSSARIES) if f.endswith(".xml")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_check(name):
    status, stdout, stderr = CASES[name]
    r = briefing("check", name, cwd=GLOSSARIES)
    assert (r.returncode, r.stderr.decode("utf-8", "replace")) == (status, stderr + "\n" if stderr else "")
    assert r.stdout == stdout


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c[0] == 1))
def test_annotate_refuses_the_same_way(name, scratch):
    # annotate loads the glossary as check does: same message, status 1,
    # and nothing written.
    page = scratch / "page.html"
    page.write_bytes(b"<p>Alpha Leak lol</p>\n")
    r = briefing("annotate", "-g", name, page, cwd=GLOSSARIES)
    assert (r.returncode, r.stderr.decode("utf-8", "replace")) == (1, CASES[name][2] + "\n")
    assert r.stdout == b""


# Loading opens the glossary and nothing else, and never makes a socket.
UNTRUSTED_REFERENCES = ["xxe.xml", "xxe-parameter-entity.xml", "billion-laughs.xml",
                        "doctype-external.xml", "xinclude.xml", "xinclude-entries.xml",
                        "schema-location.xml", "stylesheet-pi.xml", "hostile.xml"]
SYSTEM_PREFIXES = ("/lib/", "/lib64/", "/usr/lib/", "/etc/ld.so.")


@pytest.mark.parametrize("name", UNTRUSTED_REFERENCES)
def test_no_other_file_no_network(name, scratch):
    trace = scratch / "trace"
    r = subprocess.run(["strace", "-f", "-qq", "-o", str(trace), "-e", "trace=%network,%file",
                        BRIEFING, "check", name], cwd=GLOSSARIES, capture_output=True)
    assert r.returncode == CASES[name][0], r.stderr
    calls = trace.read_text().splitlines()
    network = [c for c in calls if any(s in c for s in (" socket(", " connect(", " sendto(",
                                                         " socketpair(", " bind("))]
    assert network == []
    opened = []
    for c in calls:
        if " open(" in c or " openat(" in c or " openat2(" in c:
            path = c.split('"')[1]
            if not path.startswith(SYSTEM_PREFIXES):
                opened.append(path)
    assert opened == [name]
    assert "/etc/passwd" not in trace.read_text()


def test_billion_laughs_costs_nothing(baseline_rss_kb):
    r = briefing("check", "billion-laughs.xml", cwd=GLOSSARIES)
    assert r.returncode == 1
    assert r.seconds < 2
    assert r.maxrss_kb < baseline_rss_kb + 4096


# ---- patterns of 10,000 characters ----

def entry_file(scratch, name_xml, extra=""):
    p = scratch / "long.xml"
    p.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<glossary xmlns="urn:briefing:glossary:1">\n'
                 '  <entry id="long" type="term">\n'
                 "    " + name_xml + "\n" + extra +
                 "  </entry>\n</glossary>\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("what,xml,message", [
    ("name-ascii", "<name>" + "a" * 10000 + "</name>",
     "long.xml:4:5: name is 10000 characters long; patterns are at most 256"),
    ("name-words", "<name>" + " ".join(["word"] * 2000) + "</name>",
     "long.xml:4:5: name is 9999 characters long; patterns are at most 256"),
    # Characters, not bytes: 10,000 Cyrillic letters are 20,000 bytes.
    ("name-cyrillic", "<name>" + "\u0436" * 10000 + "</name>",
     "long.xml:4:5: name is 10000 characters long; patterns are at most 256"),
    ("name-257", "<name>" + "a" * 257 + "</name>",
     "long.xml:4:5: name is 257 characters long; patterns are at most 256"),
])
def test_long_name(scratch, what, xml, message):
    entry_file(scratch, xml)
    r = briefing("check", "long.xml", cwd=scratch)
    assert (r.returncode, r.stdout, r.stderr.decode()) == (1, b"", message + "\n")


def test_long_alias(scratch):
    entry_file(scratch, "<name>Long</name>",
               "    <alias>Short</alias>\n"
               '    <alias case="insensitive">' + "\u0416" * 10000 + "</alias>\n")
    r = briefing("check", "long.xml", cwd=scratch)
    assert (r.returncode, r.stdout, r.stderr.decode()) == (
        1, b"", "long.xml:6:5: alias is 10000 characters long; patterns are at most 256\n")


def test_pattern_of_256_characters_is_fine(scratch):
    pattern = "\u0436" * 128 + "b" * 128
    entry_file(scratch, "<name>" + pattern + "</name>")
    r = briefing("check", "long.xml", cwd=scratch)
    assert (r.returncode, r.stdout, r.stderr) == (0, summary("long.xml", 1, term=1), b"")
    page = scratch / "p.html"
    page.write_text("<p>" + pattern + "</p>", encoding="utf-8")
    r = briefing("annotate", "-g", "long.xml", "p.html", cwd=scratch)
    assert r.returncode == 0
    assert r.stdout.decode() == (
        '<p><a class="briefing briefing-term" href="/glossary/long" data-briefing-id="long" '
        'title="' + pattern + '">' + pattern + "</a></p>")


def test_pattern_length_counts_after_whitespace_folding(scratch):
    # 10,002 characters as written, "a b" once folded: a 3-character pattern.
    entry_file(scratch, "<name>a" + " \n\t" * 3333 + " b</name>")
    r = briefing("check", "long.xml", cwd=scratch)
    assert (r.returncode, r.stdout, r.stderr) == (0, summary("long.xml", 1, term=1), b"")


# ---- a 200 MB file, and a file over the size limit ----

MB = 1000 * 1000
GLOSSARY_MAX_BYTES = 256 * 1024 * 1024


def test_200mb_glossary(scratch):
    """A 200 MB glossary (under the 256 MiB limit) whose one summary is
    200 MB long: libxml2's default limit on one text node refuses it.  The
    refusal must not cost memory out of proportion with the file: at most
    twice its size (the bytes read, and one working copy)."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<glossary xmlns="urn:briefing:glossary:1">\n'
            b'  <entry id="big" type="term">\n'
            b"    <name>Big</name>\n"
            b"    <summary>")
    tail = b"</summary>\n  </entry>\n</glossary>\n"
    size = 200 * MB
    text = size - len(head) - len(tail)
    path = scratch / "big.xml"
    with open(path, "wb") as f:
        f.write(head)
        chunk = b"All work and no play makes Jack a dull boy. " * 23831   # ~1 MB
        left = text
        while left:
            f.write(chunk[:left])
            left -= min(left, len(chunk))
        f.write(tail)
    assert os.path.getsize(path) == size
    r = briefing("check", "big.xml", cwd=scratch)
    # The summary starts on line 5, column 14; libxml2 gives up 10 MB into
    # it, at its limit on one text node.
    assert (r.returncode, r.stdout) == (1, b"")
    assert re.fullmatch(r"big\.xml:5:(\d+): xmlSAX2Characters: huge text node\n",
                        r.stderr.decode()), r.stderr
    col = int(r.stderr.decode().split(":")[2])
    assert 14 + 10 * MB - 100 * 1000 <= col <= 14 + 10 * MB + 100 * 1000, col
    assert r.seconds < 20
    assert r.maxrss_kb * 1024 <= 2 * size, (
        "peak RSS %d MiB to refuse a %d MiB glossary" % (r.maxrss_kb // 1024, size // 2**20))


def test_glossary_over_the_size_limit(scratch, baseline_rss_kb):
    """A 1 GiB file (sparse: costs no disk) is refused by its size, after
    reading at most the limit, never the whole file."""
    path = scratch / "huge.xml"
    with open(path, "wb") as f:
        f.write(b'<glossary xmlns="urn:briefing:glossary:1">\n')
        f.truncate(1 << 30)
    r = briefing("check", "huge.xml", cwd=scratch)
    assert (r.returncode, r.stdout, r.stderr.decode()) == (
        1, b"", "huge.xml: is larger than %d bytes, the most a glossary may be\n" % GLOSSARY_MAX_BYTES)
    assert r.maxrss_kb * 1024 <= GLOSSARY_MAX_BYTES + baseline_rss_kb * 1024 + 64 * 2**20, r.maxrss_kb
    assert r.seconds < 20


# ---- 1,000,000 entries ----

def test_one_million_entries(scratch):
    """A glossary of 1,000,000 entries (65 MB) loads, with no limit on
    the number of entries, and annotates correctly: first, middle and last entries; an
    entry number that does not exist; a mention glued to a word."""
    path = scratch / "million.xml"
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<glossary xmlns="urn:briefing:glossary:1">\n')
        f.writelines('<entry id="e%d" type="term"><name>Term %d</name></entry>\n' % (i, i)
                     for i in range(1000000))
        f.write("</glossary>\n")
    page = scratch / "page.html"
    page.write_bytes(b"<p>Term 0, Term 500000, Term 999999, Term 1000000, Term 12345x.</p>\n")

    # The two loads run side by side (two cores): the suite stays quick.
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        check = pool.submit(briefing, "check", "million.xml", cwd=scratch, timeout=300)
        annotate = pool.submit(briefing, "annotate", "-g", "million.xml", "page.html",
                               cwd=scratch, timeout=300)
        check, annotate = check.result(), annotate.result()

    assert (check.returncode, check.stdout, check.stderr) == (
        0, summary("million.xml", 1000000, term=1000000), b"")
    # About 9 s each on an idle two-core machine; the bound is there to
    # catch a load that grows faster than the glossary, not to time it.
    assert check.seconds < 150

    def link(n):
        return ('<a class="briefing briefing-term" href="/glossary/e%d" data-briefing-id="e%d" '
                'title="Term %d">Term %d</a>' % (n, n, n, n))
    assert annotate.returncode == 0, annotate.stderr
    assert annotate.stdout.decode() == "<p>%s, %s, %s, %s, Term 12345x.</p>\n" % (
        link(0), link(500000), link(999999), "Term 1000000")
    assert annotate.seconds < 150
    print("1,000,000 entries: check %.1f s %d MiB, annotate %.1f s %d MiB"
          % (check.seconds, check.maxrss_kb // 1024, annotate.seconds, annotate.maxrss_kb // 1024))


# ---- hostile text in link titles ----

def test_hostile_text_escaped_in_link_titles(scratch):
    page = (b'<p>Evil "Quote" &lt;b&gt; &amp; Co met o&#39;brien &amp; &quot;sons&quot; and '
            b"Plain &lt;/title&gt;&lt;script&gt;alert(8)&lt;/script&gt;.</p>\n")
    (scratch / "page.html").write_bytes(page)
    r = briefing("annotate", "--mentions", "all", "-g", os.path.join(GLOSSARIES, "hostile.xml"),
                 "page.html", cwd=scratch)
    evil = ('<a class="briefing briefing-person" href="/glossary/evil" data-briefing-id="evil" '
            'title="Evil &quot;Quote&quot; &lt;b&gt; &amp; Co \u2014 Says &quot;hi&quot; '
            "&lt;img src=x onerror=alert(2)&gt; &amp;amp; &lt;/script&gt;&lt;script&gt;alert(3)"
            "&lt;/script&gt; ' done.\">")
    plain = ('<a class="briefing briefing-term" href="/glossary/plain" data-briefing-id="plain" '
             'title="Plain &lt;/title&gt;&lt;script&gt;alert(8)&lt;/script&gt; \u2014 '
             '&lt;/textarea&gt;&lt;/style&gt;&lt;/script&gt;&quot;&amp;">')
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode() == (
        "<p>" + evil + 'Evil "Quote" &lt;b&gt; &amp; Co</a> met ' + evil +
        "o&#39;brien &amp; &quot;sons&quot;</a> and " + plain +
        "Plain &lt;/title&gt;&lt;script&gt;alert(8)&lt;/script&gt;</a>.</p>\n")
