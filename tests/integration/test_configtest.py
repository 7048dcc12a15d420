"""`apache2 -t` (configtest) rejects a broken glossary with file:line:col and
every invalid directive value with a message naming the directive.  httpd
does not run post_config for -t, so all of this must happen while the
configuration is read."""
import pytest

GOOD = "BriefingGlossary @REPO@/data/glossary.xml\n"

UNCLOSED = """<?xml version="1.0"?>
<glossary xmlns="urn:briefing:glossary:1">
  <entry id="a" type="person">
    <name>Alpha</name>
</glossary>
"""

DUPLICATE = """<?xml version="1.0"?>
<glossary xmlns="urn:briefing:glossary:1">
  <entry id="a" type="person">
    <name>Alpha</name>
  </entry>
  <entry id="b" type="person">
    <name>Beta</name>
    <alias>Alpha</alias>
  </entry>
</glossary>
"""

DOCTYPE = """<?xml version="1.0"?>
<!DOCTYPE glossary>
<glossary xmlns="urn:briefing:glossary:1">
  <entry id="a" type="person">
    <name>Alpha</name>
  </entry>
</glossary>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE glossary [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<glossary xmlns="urn:briefing:glossary:1">
  <entry id="a" type="person">
    <name>Alpha &x;</name>
  </entry>
</glossary>
"""

# (file contents, expected "LINE:COL: message" after the path).  A
# duplicate pattern is reported at the later one; a DOCTYPE where it starts.
BROKEN = {
    "unclosed": (UNCLOSED, "5:12: Opening and ending tag mismatch: entry line 3 and glossary"),
    "duplicate": (DUPLICATE, '8:5: pattern "Alpha" of entry "b" is already a pattern of entry "a"'),
    "doctype": (DOCTYPE, "2:1: a DOCTYPE is not allowed in a glossary (no DTDs, no entities)"),
    "xxe": (XXE, "2:1: a DOCTYPE is not allowed in a glossary (no DTDs, no entities)"),
}


def configtest(make_httpd, conf):
    h = make_httpd(conf)
    r = h.configtest()
    return h, r.returncode, (r.stdout + r.stderr).splitlines()


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_glossary_fails_with_file_line_col(make_httpd, case):
    text, where = BROKEN[case]
    h = make_httpd("BriefingGlossary @ROOT@/glossaries/%s.xml\n" % case)
    path = h.write("glossaries/%s.xml" % case, text)
    r = h.configtest()
    lines = (r.stdout + r.stderr).splitlines()
    assert r.returncode != 0
    assert "BriefingGlossary: %s:%s" % (path, where) in lines, lines
    assert "Syntax OK" not in lines


def test_missing_glossary_fails_naming_the_file(make_httpd):
    h = make_httpd("BriefingGlossary @ROOT@/no/such/glossary.xml\n")
    r = h.configtest()
    lines = (r.stdout + r.stderr).splitlines()
    assert r.returncode != 0
    assert ("BriefingGlossary: %s: cannot open: No such file or directory"
            % h.path("no", "such", "glossary.xml")) in lines, lines


def test_relative_glossary_path_is_under_server_root(make_httpd):
    h = make_httpd("BriefingGlossary glossaries/dup.xml\n")
    path = h.write("glossaries/dup.xml", DUPLICATE)
    r = h.configtest()
    lines = (r.stdout + r.stderr).splitlines()
    assert r.returncode != 0
    assert ('BriefingGlossary: %s:8:5: pattern "Alpha" of entry "b" is already a pattern '
            'of entry "a"' % path) in lines, lines


def test_broken_glossary_in_a_directory_section_fails(make_httpd):
    h = make_httpd(GOOD + '<Directory "@ROOT@/htdocs">\n'
                   "  BriefingGlossary @ROOT@/bad.xml\n  BriefingAnnotate On\n</Directory>\n")
    path = h.write("bad.xml", UNCLOSED)
    r = h.configtest()
    assert r.returncode != 0
    assert ("BriefingGlossary: %s:5:12: Opening and ending tag mismatch: entry line 3 and "
            "glossary" % path) in (r.stdout + r.stderr).splitlines()


# (directive line(s), the message line httpd must print)
INVALID = {
    "annotate-maybe": ("BriefingAnnotate maybe", "BriefingAnnotate must be On or Off"),
    "assets-yes": ("BriefingAssets yes", "BriefingAssets must be On or Off"),
    "mentions-sometimes": ("BriefingMentions sometimes",
                           "BriefingMentions: 'sometimes' is not 'first' or 'all'"),
    "maxlinks-negative": ("BriefingMaxLinks -1",
                          "BriefingMaxLinks: '-1' is not a number from 0 (no cap) to 1000000"),
    "maxlinks-abc": ("BriefingMaxLinks abc",
                     "BriefingMaxLinks: 'abc' is not a number from 0 (no cap) to 1000000"),
    "types-robot": ("BriefingTypes robot",
                    "BriefingTypes: 'robot' is not a type (person, organization, agreement, "
                    "place, term)"),
    "types-second-bad": ("BriefingTypes person robot",
                         "BriefingTypes: 'robot' is not a type (person, organization, agreement, "
                         "place, term)"),
    "skip-tag": ("BriefingSkip <p>", "BriefingSkip: '<p>' is not an element name"),
    "skip-quoted-space": ('BriefingSkip "a b"', "BriefingSkip: 'a b' is not an element name"),
    "scope-child-combinator": ('BriefingScope "div > p"',
                               'BriefingScope: "div > p" is not a simple selector (tag, .class, '
                               '#id, tag.class, tag#id, .a.b, *)'),
    "scope-unquoted-combinator": ("BriefingScope div > p",
                                  'BriefingScope: ">" is not a simple selector (tag, .class, '
                                  '#id, tag.class, tag#id, .a.b, *)'),
    "scope-double-dot": ("BriefingScope a..b",
                         'BriefingScope: "a..b" is not a simple selector (tag, .class, #id, '
                         'tag.class, tag#id, .a.b, *)'),
    "linkbase-relative": ("BriefingLinkBase relative/path",
                          "BriefingLinkBase: 'relative/path' is neither a URL path (starting "
                          "with /) nor an http or https URL"),
    "linkbase-javascript": ("BriefingLinkBase javascript://x/%0Aalert(1)//",
                            "BriefingLinkBase: 'javascript://x/%0Aalert(1)//' is neither a URL "
                            "path (starting with /) nor an http or https URL"),
    "reload-negative": ("BriefingReloadInterval -5",
                        "BriefingReloadInterval: '-5' is not a number of seconds (0: never)"),
    "reload-unit": ("BriefingReloadInterval 5s",
                    "BriefingReloadInterval: '5s' is not a number of seconds (0: never)"),
    "reload-in-directory": ('<Directory "@ROOT@/htdocs">\n  BriefingReloadInterval 5\n</Directory>',
                            "BriefingReloadInterval not allowed in <Directory> context"),
    "reload-in-location": ('<Location "/x">\n  BriefingReloadInterval 5\n</Location>',
                           "BriefingReloadInterval not allowed in <Location> context"),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_invalid_directive_value_fails(make_httpd, case):
    directive, message = INVALID[case]
    h, rc, lines = configtest(make_httpd, GOOD + directive + "\n")
    assert rc != 0
    assert message in lines, lines
    # httpd points at the line of httpd.conf as well.
    assert any(l.startswith("AH00526: Syntax error on line ") and
               l.endswith(" of %s:" % h.path("httpd.conf")) for l in lines), lines


def test_every_directive_with_valid_values_passes(make_httpd):
    conf = GOOD + """
BriefingReloadInterval 0
BriefingAnnotate Off
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
  BriefingAssets On
  BriefingMentions all
  BriefingMaxLinks 0
  BriefingTypes person organization agreement place term
  BriefingSkip pre code h1 my-widget
  BriefingScope article .story-body #content main.article *
  BriefingLinkBase /glossary
</Directory>
<Location "/other">
  BriefingGlossary @REPO@/data/glossary.xml
  BriefingMentions FIRST
  BriefingMaxLinks 1000000
  BriefingLinkBase https://example.org/glossary/
</Location>
<VirtualHost 127.0.0.1:@PORT@>
  BriefingReloadInterval 31536000
</VirtualHost>
"""
    _, rc, lines = configtest(make_httpd, conf)
    assert rc == 0, lines
    assert "Syntax OK" in lines
