"""Attack pages (issue 5, part 2): hostile or broken HTML through
`bin/briefing annotate`, each with the exact bytes that must come out.

The page is not trusted (docs/security.md): whatever it holds, the output is
the input byte for byte plus the links of SPEC §3, and the program's memory
stays bounded however long a tag, an attribute, a reference or a run of
whitespace is.  Every test checks both that removing the links gives back
the input exactly and that the output is exactly the expected one.

The glossary is tests/attack/page-glossary.xml: UN (organization),
Aleksandr Lukashenko / Lukashenko (person), Astana (place, no summary).
Big pages (10 MB attributes, 100,000 tags, 10 MB references) are generated
into a temp dir at test time."""
import re

import pytest

from conftest import PAGE_GLOSSARY, briefing

EM_DASH = "\u2014".encode()
OPEN = {
    "un": b'<a class="briefing briefing-organization" href="/glossary/un" '
          b'data-briefing-id="un" title="UN ' + EM_DASH + b' United Nations.">',
    "lukashenko": b'<a class="briefing briefing-person" href="/glossary/lukashenko" '
                  b'data-briefing-id="lukashenko" title="Aleksandr Lukashenko ' + EM_DASH +
                  b' President of Belarus since 1994.">',
    "astana": b'<a class="briefing briefing-place" href="/glossary/astana" '
              b'data-briefing-id="astana" title="Astana">',
}
DEFAULT_TEXT = {"un": b"UN", "lukashenko": b"Lukashenko", "astana": b"Astana"}
LINK = re.compile(rb'<a class="briefing briefing-[a-z]+" href="[^"]*" '
                  rb'data-briefing-id="([a-z0-9-]+)" title="[^"]*">(.*?)</a>', re.S)

# What a page may make bin/briefing hold beyond what a one-line page costs:
# the 64 KiB read buffer, at most MATCH_HOLD_MAX (64 KiB) of held-back text,
# the tokenizer's few kept attribute values and some slack for the
# allocator.  A 10 MB attribute or reference that were kept whole would go
# far past it.
SLACK_KB = 4 * 1024


def L(entry, text=None):
    """The link the annotator wraps around a mention of `entry`."""
    return OPEN[entry] + (DEFAULT_TEXT[entry] if text is None else text) + b"</a>"


def unlink(out):
    return LINK.sub(rb"\2", out)


def first_difference(actual, expected):
    n = min(len(actual), len(expected))
    i = next((k for k in range(n) if actual[k] != expected[k]), n)
    return ("differs at byte %d of %d (expected %d): got %r, expected %r"
            % (i, len(actual), len(expected), actual[max(0, i - 40):i + 80],
               expected[max(0, i - 40):i + 80]))


def assert_bytes(actual, expected, what):
    # Compared without pytest's diff, which would print megabytes.
    if actual != expected:
        pytest.fail("%s: %s" % (what, first_difference(actual, expected)), pytrace=False)


def annotate(scratch, page, *options):
    path = scratch / "page.html"
    path.write_bytes(page)
    r = briefing("annotate", "-g", PAGE_GLOSSARY, *options, path)
    assert r.returncode == 0, r.stderr
    assert r.stderr == b""
    return r


def check(scratch, page, expected, *options):
    r = annotate(scratch, page, *options)
    assert_bytes(unlink(r.stdout), page, "output with the links removed vs the input")
    assert_bytes(r.stdout, expected, "output")
    return r


ALL = ("--mentions", "all")

# (test id, page, expected output, options)
SMALL = [
    # ---- unterminated at the end of the file ----
    ("comment-unterminated", b"<p>UN</p><!-- UN Astana", b"<p>" + L("un") + b"</p><!-- UN Astana", ()),
    ("comment-only-unterminated", b"<!-- UN", b"<!-- UN", ()),
    ("comment-unterminated-dashes", b"<p>Astana</p><!-- UN --", b"<p>" + L("astana") + b"</p><!-- UN --", ()),
    ("comment-unterminated-bang", b"<!-- UN --!", b"<!-- UN --!", ()),
    ("script-unterminated", b"<p>Astana</p><script>UN Lukashenko",
     b"<p>" + L("astana") + b"</p><script>UN Lukashenko", ()),
    ("script-unterminated-end-tag", b"<script>UN</script", b"<script>UN</script", ()),
    ("style-unterminated", b"<style>UN", b"<style>UN", ()),
    ("title-unterminated", b"<title>UN", b"<title>UN", ()),
    ("textarea-unterminated", b"<textarea>UN", b"<textarea>UN", ()),
    ("plaintext-never-ends", b"<plaintext>UN</plaintext>UN", b"<plaintext>UN</plaintext>UN", ()),
    ("tag-unterminated", b"<p>UN</p><b", b"<p>" + L("un") + b"</p><b", ()),
    ("tag-unterminated-with-attributes", b"<p>UN</p><b class=x UN",
     b"<p>" + L("un") + b"</p><b class=x UN", ()),
    ("end-tag-unterminated", b"<p>UN</p", b"<p>" + L("un") + b"</p", ()),
    ("lt-at-end", b"<p>UN<", b"<p>" + L("un") + b"<", ()),
    ("attribute-unterminated-dq", b'<p title="UN', b'<p title="UN', ()),
    ("attribute-unterminated-sq", b"<p title='UN Astana", b"<p title='UN Astana", ()),
    ("attribute-unterminated-unquoted", b"<p title=UN", b"<p title=UN", ()),
    ("attribute-name-unterminated", b"<p UN", b"<p UN", ()),
    ("attribute-unterminated-after-text", b'<p>Astana <img alt="UN',
     b"<p>" + L("astana") + b' <img alt="UN', ()),
    ("doctype-unterminated", b"<!DOCTYPE html UN", b"<!DOCTYPE html UN", ()),
    ("bogus-comment-unterminated", b"<?php echo 'UN'", b"<?php echo 'UN'", ()),
    ("cdata-unterminated", b"<svg><![CDATA[UN", b"<svg><![CDATA[UN", ()),
    ("reference-unterminated", b"<p>UN&amp", b"<p>" + L("un") + b"&amp", ()),
    ("ampersand-at-end", b"<p>Astana&", b"<p>" + L("astana") + b"&", ()),

    # ---- raw text ends: `</script` + space, `/` or `>`, any case ----
    ("script-end-space", b"<script>UN</script >Astana", b"<script>UN</script >" + L("astana"), ()),
    ("script-end-tab-newline", b"<script>UN</script\t\n>Astana",
     b"<script>UN</script\t\n>" + L("astana"), ()),
    ("script-end-crlf", b"<script>\r\nUN</script\r\n>Astana",
     b"<script>\r\nUN</script\r\n>" + L("astana"), ()),
    ("script-end-upper-slash", b"<script>UN</SCRIPT/>Astana", b"<script>UN</SCRIPT/>" + L("astana"), ()),
    ("script-end-slash-attributes", b"<script>UN</ScRiPt/ UN x=y>Astana",
     b"<script>UN</ScRiPt/ UN x=y>" + L("astana"), ()),
    ("script-not-ended-by-scriptx", b"<script>UN</scriptx>Astana</script>Lukashenko",
     b"<script>UN</scriptx>Astana</script>" + L("lukashenko"), ()),
    ("script-not-ended-by-script-dash", b"<script>UN</script-x>Astana</script>Lukashenko",
     b"<script>UN</script-x>Astana</script>" + L("lukashenko"), ()),
    ("script-not-ended-by-space-first", b"<script>UN</ script>Astana</script>Lukashenko",
     b"<script>UN</ script>Astana</script>" + L("lukashenko"), ()),
    ("script-not-ended-by-other-end-tag", b"<script>UN</style>Astana</script>Lukashenko",
     b"<script>UN</style>Astana</script>" + L("lukashenko"), ()),
    ("style-end-upper-space", b"<style>UN</STYLE >Astana", b"<style>UN</STYLE >" + L("astana"), ()),
    ("textarea-end-space", b"<textarea>UN</textarea >Astana",
     b"<textarea>UN</textarea >" + L("astana"), ()),
    ("title-end-slash", b"<title>UN</TITLE/>Astana", b"<title>UN</TITLE/>" + L("astana"), ()),
    ("xmp-end-slash", b"<xmp>UN</xmp/>Astana", b"<xmp>UN</xmp/>" + L("astana"), ()),

    # ---- script data escaped and double-escaped states ----
    ("script-escaped-end", b"<script><!--</script>Astana", b"<script><!--</script>" + L("astana"), ()),
    ("script-double-escaped", b"<script><!--<script></script>UN--></script>Astana",
     b"<script><!--<script></script>UN--></script>" + L("astana"), ()),
    ("script-double-escaped-dashes-end", b"<script><!--<script>-->UN</script>Astana",
     b"<script><!--<script>-->UN</script>" + L("astana"), ()),
    ("script-double-escaped-case-space", b"<script><!--<SCRIPT >UN</SCRIPT >x--></script>Astana",
     b"<script><!--<SCRIPT >UN</SCRIPT >x--></script>" + L("astana"), ()),
    ("script-escaped-not-double", b"<script><!--<scripty></script>Astana",
     b"<script><!--<scripty></script>" + L("astana"), ()),
    ("script-double-escaped-unterminated", b"<script><!--<script>UN", b"<script><!--<script>UN", ()),
    ("script-double-escaped-at-end", b"<script><!--<script></script>UN",
     b"<script><!--<script></script>UN", ()),
    ("script-escaped-comment-text", b"<script><!-- UN --> </script>Astana",
     b"<script><!-- UN --> </script>" + L("astana"), ()),

    # ---- NUL bytes: boundaries, passed through ----
    ("nul-around-mentions", b"\x00UN\x00 Astana\x00", b"\x00" + L("un") + b"\x00 " + L("astana") + b"\x00", ()),
    ("nul-in-attribute", b'<p title="\x00UN\x00">Astana</p>', b'<p title="\x00UN\x00">' + L("astana") + b"</p>", ()),
    ("nul-in-comment", b"<!--\x00UN\x00-->Astana", b"<!--\x00UN\x00-->" + L("astana"), ()),
    ("nul-in-skipped", b"<code>UN\x00</code>Astana", b"<code>UN\x00</code>" + L("astana"), ()),

    # ---- invalid UTF-8: boundaries, passed through untouched ----
    ("utf8-invalid-bytes", b"\xffUN\xfe Astana\xc3", b"\xff" + L("un") + b"\xfe " + L("astana") + b"\xc3", ()),
    ("utf8-lead-without-continuation", b"\xc3UN", b"\xc3" + L("un"), ()),
    ("utf8-truncated-at-end", b"UN\xe2\x80", L("un") + b"\xe2\x80", ()),
    ("utf8-surrogates", b"\xed\xa0\x80UN\xed\xbf\xbf", b"\xed\xa0\x80" + L("un") + b"\xed\xbf\xbf", ()),
    ("utf8-overlong", b"\xc0\xafUN\xe0\x80\xaf", b"\xc0\xaf" + L("un") + b"\xe0\x80\xaf", ()),
    ("utf8-beyond-unicode", b"\xf4\x90\x80\x80UN", b"\xf4\x90\x80\x80" + L("un"), ()),
    ("utf8-latin1-nbsp-is-no-space", b"Aleksandr\xa0Lukashenko", b"Aleksandr\xa0" + L("lukashenko"), ()),
    ("utf8-invalid-in-attribute", b'<p title="\xff\xfe">UN</p>', b'<p title="\xff\xfe">' + L("un") + b"</p>", ()),
    # A valid supplementary letter (U+10000) is a letter: no boundary.
    ("utf8-valid-astral-letter", b"\xf0\x90\x80\x80UN", b"\xf0\x90\x80\x80UN", ()),

    # ---- a page that is nothing but mentions ----
    ("only-a-mention", b"UN", L("un"), ()),
    ("only-mentions-first", b"UN UN UN", L("un") + b" UN UN", ()),
    ("only-mentions-all", b"UN UN UN", L("un") + b" " + L("un") + b" " + L("un"), ALL),
    ("only-mentions-punctuation", b"UN,UN;(UN).UN's", L("un") + b"," + L("un") + b";(" + L("un") + b")."
     + L("un") + b"'s", ALL),
    ("only-mentions-markup", b"<b>UN</b><i>Astana</i><b>Lukashenko</b>",
     b"<b>" + L("un") + b"</b><i>" + L("astana") + b"</i><b>" + L("lukashenko") + b"</b>", ()),
    ("mentions-without-boundary", b"UNUN AstanaAstana", b"UNUN AstanaAstana", ALL),

    # ---- a byte order mark ----
    ("bom-then-markup", b"\xef\xbb\xbf<p>UN</p>", b"\xef\xbb\xbf<p>" + L("un") + b"</p>", ()),
    # The BOM is not text (HTML decoders strip it): the first word is a word.
    ("bom-then-mention", b"\xef\xbb\xbfUN is here", b"\xef\xbb\xbf" + L("un") + b" is here", ()),
    # A BOM says UTF-8 louder than a <meta> does.
    ("bom-beats-meta", b'\xef\xbb\xbf<meta charset="windows-1251"><p>UN</p>',
     b'\xef\xbb\xbf<meta charset="windows-1251"><p>' + L("un") + b"</p>", ()),
    # In the middle of text U+FEFF is a zero-width no-break space (Cf): no boundary.
    ("feff-inside-text", b"<p>\xef\xbb\xbfUN</p>", b"<p>\xef\xbb\xbfUN</p>", ()),
    # UTF-16 pages are not UTF-8: untouched, although " UN " is in their bytes.
    ("bom-utf16le", b"\xff\xfe\x20\x55\x4e\x20", b"\xff\xfe\x20\x55\x4e\x20", ()),
    ("bom-utf16be", b"\xfe\xff\x20\x55\x4e\x20", b"\xfe\xff\x20\x55\x4e\x20", ()),

    # ---- CRLF line ends ----
    ("crlf-inside-name", b"<p>Aleksandr\r\nLukashenko</p>\r\n",
     b"<p>" + L("lukashenko", b"Aleksandr\r\nLukashenko") + b"</p>\r\n", ()),
    ("cr-inside-name", b"Aleksandr\rLukashenko", L("lukashenko", b"Aleksandr\rLukashenko"), ()),
    ("crlf-page", b"<!DOCTYPE html>\r\n<html>\r\n<body>\r\n<p>\r\nUN\r\n</p>\r\n<!--\r\nAstana\r\n-->\r\n"
     b"<p>Astana\r\n</p>\r\n</body>\r\n</html>\r\n",
     b"<!DOCTYPE html>\r\n<html>\r\n<body>\r\n<p>\r\n" + L("un") + b"\r\n</p>\r\n<!--\r\nAstana\r\n-->\r\n"
     b"<p>" + L("astana") + b"\r\n</p>\r\n</body>\r\n</html>\r\n", ()),
]


@pytest.mark.parametrize("page,expected,options", [c[1:] for c in SMALL], ids=[c[0] for c in SMALL])
def test_small_page(scratch, page, expected, options):
    check(scratch, page, expected, *options)


@pytest.mark.parametrize("page,expected,options", [c[1:] for c in SMALL], ids=[c[0] for c in SMALL])
def test_small_page_from_stdin(scratch, page, expected, options):
    # The same through standard input ("-").
    path = scratch / "page.html"
    path.write_bytes(page)
    r = briefing("annotate", "-g", PAGE_GLOSSARY, *options, "-", stdin=str(path))
    assert r.returncode == 0 and r.stderr == b""
    assert r.stdout == expected


# ---- big pages, generated ----

MB10 = 10 * 1000 * 1000


def check_bounded(scratch, baseline_rss_kb, page, expected, *options):
    r = check(scratch, page, expected, *options)
    assert r.maxrss_kb <= baseline_rss_kb + SLACK_KB, (
        "peak RSS %d KiB for a %d-byte page; a one-line page takes %d KiB"
        % (r.maxrss_kb, len(page), baseline_rss_kb))
    assert r.seconds < 10, r.seconds
    return r


def test_attribute_10mb_double_quoted(scratch, baseline_rss_kb):
    page = b'<p title="' + b"UN " * (MB10 // 3) + b'">UN</p>'
    check_bounded(scratch, baseline_rss_kb, page, page[:-6] + L("un") + b"</p>")


def test_attribute_10mb_unquoted(scratch, baseline_rss_kb):
    page = b"<p title=" + b"x" * MB10 + b">UN</p>"
    check_bounded(scratch, baseline_rss_kb, page, page[:-6] + L("un") + b"</p>")


def test_attribute_10mb_unterminated(scratch, baseline_rss_kb):
    page = b'<p>Astana <img alt="' + b"UN " * (MB10 // 3)
    check_bounded(scratch, baseline_rss_kb, page, b"<p>" + L("astana") + page[9:])


def test_attribute_10mb_data_briefing(scratch, baseline_rss_kb):
    # Too long to know whether it decodes to "off": skipped, and the skip
    # ends with the element.
    page = b'<div data-briefing="' + b"x" * MB10 + b'">UN</div>Astana'
    check_bounded(scratch, baseline_rss_kb, page, page[:-6] + L("astana"))


def test_attribute_10mb_before_opt_out(scratch, baseline_rss_kb):
    page = b'<div data-briefing="off" title="' + b"x" * MB10 + b'">UN</div>Astana'
    check_bounded(scratch, baseline_rss_kb, page, page[:-6] + L("astana"))


def test_attribute_10mb_class_in_scope(scratch, baseline_rss_kb):
    # A class list too long to keep: unsure whether it is in scope, so no.
    page = b'<div class="' + b"x" * MB10 + b' story">UN</div><div class="story">Astana</div>'
    expected = page.replace(b">Astana<", b">" + L("astana") + b"<")
    check_bounded(scratch, baseline_rss_kb, page, expected, "--scope", ".story")


N = 100000


def test_100000_unclosed_code(scratch, baseline_rss_kb):
    page = b"<p>Astana " + b"<code>" * N + b"UN Lukashenko"
    check_bounded(scratch, baseline_rss_kb, page, b"<p>" + L("astana") + page[9:])


def test_100000_unclosed_code_one_closed(scratch, baseline_rss_kb):
    page = b"<code>" * N + b"</code>UN"
    check_bounded(scratch, baseline_rss_kb, page, page)


def test_100000_unclosed_code_stray_end_tags(scratch, baseline_rss_kb):
    # Stray end tags (nothing of their name is open) end nothing.
    page = b"<code>" * N + b"</i></b></span></p></div>" * 1000 + b"UN"
    check_bounded(scratch, baseline_rss_kb, page, page)


def test_100000_code_all_closed(scratch, baseline_rss_kb):
    page = b"<code>" * N + b"UN" + b"</code>" * N + b"Astana"
    check_bounded(scratch, baseline_rss_kb, page, page[:-6] + L("astana"))


def test_100000_nested_div(scratch, baseline_rss_kb):
    # Deeper than the limit: nothing is annotated until the depth drops back.
    page = b"<div>" * N + b"UN" + b"</div>" * N + b"Astana"
    check_bounded(scratch, baseline_rss_kb, page, page[:-6] + L("astana"))


def test_100000_nested_div_unclosed(scratch, baseline_rss_kb):
    page = b"<div>" * N + b"UN Astana Lukashenko"
    check_bounded(scratch, baseline_rss_kb, page, page)


def test_100000_nested_div_back_under_the_limit(scratch, baseline_rss_kb):
    page = b"<div>" * N + b"UN" + b"</div>" * (N - 100) + b"Astana"
    check_bounded(scratch, baseline_rss_kb, page, page[:-6] + L("astana"))


# The depth limit (STACK_MAX in engine/annotator.c: 511 elements) must not
# let a skip leak: an element past the limit that is skipped (here <code>)
# still counts as open, and a stray end tag does not close it.

def test_skip_past_depth_limit_survives_stray_end_tag(scratch):
    page = b"<div>" * 511 + b"<code></i>UN"
    check(scratch, page, page)


def test_skip_past_depth_limit_survives_outer_end_tag(scratch):
    # </div> closes the <code> inside it, but <code> is a formatting
    # element: browsers reopen it for the text that follows (as the
    # annotator does within the limit: see the next test).
    page = b"<div>" * 511 + b"<code></div>UN"
    check(scratch, page, page)


def test_skip_within_depth_limit_survives_outer_end_tag(scratch):
    page = b"<div>" * 100 + b"<code></div>UN"
    check(scratch, page, page)


def test_nothing_but_mentions_100000(scratch, baseline_rss_kb):
    unit = b"UN Astana, Lukashenko; Aleksandr Lukashenko. "
    page = unit * (N // 4)
    linked = (L("un") + b" " + L("astana") + b", " + L("lukashenko") + b"; "
              + L("lukashenko", b"Aleksandr Lukashenko") + b". ")
    check_bounded(scratch, baseline_rss_kb, page, linked * (N // 4), *ALL)
    # Under "first" the full name comes after the entry's alias was linked.
    first = (L("un") + b" " + L("astana") + b", " + L("lukashenko") + b"; Aleksandr Lukashenko. "
             + unit * (N // 4 - 1))
    check_bounded(scratch, baseline_rss_kb, page, first)
    capped = linked + L("un") + unit[2:] + unit * (N // 4 - 2)
    check_bounded(scratch, baseline_rss_kb, page, capped, "--mentions", "all", "--max-links", "5")


# ---- held-back bytes ----
# A mention in progress holds text back; only a long run of whitespace
# inside a pattern can make that long, and MATCH_HOLD_MAX (64 KiB) ends it:
# from the mention's first byte to the last whitespace byte at most 65,536
# bytes are held, past that the mention is given up.

HOLD_MAX = 64 * 1024


def test_hold_just_within_limit(scratch):
    spaces = HOLD_MAX - len(b"Aleksandr")
    page = b"Aleksandr" + b" " * spaces + b"Lukashenko"
    check(scratch, page, L("lukashenko", page))


def test_hold_just_past_limit(scratch):
    spaces = HOLD_MAX - len(b"Aleksandr") + 1
    page = b"Aleksandr" + b" " * spaces + b"Lukashenko"
    check(scratch, page, page[:-10] + L("lukashenko"))


def test_hold_10mb_whitespace(scratch, baseline_rss_kb):
    page = b"<p>Aleksandr" + b" \r\n\t" * (MB10 // 4) + b"Lukashenko</p>"
    check_bounded(scratch, baseline_rss_kb, page, page[:-14] + L("lukashenko") + b"</p>")


def test_hold_10mb_nbsp_references(scratch, baseline_rss_kb):
    page = b"<p>Aleksandr" + b"&nbsp;" * (MB10 // 6) + b"Lukashenko</p>"
    check_bounded(scratch, baseline_rss_kb, page, page[:-14] + L("lukashenko") + b"</p>")


def test_hold_10mb_decimal_reference(scratch, baseline_rss_kb):
    # &#0000…065; is "A": one character, whatever its number of digits.
    # Nothing needs the digits kept: the page must not be held back whole.
    page = b"<p>UN &#" + b"0" * MB10 + b"65; Astana</p>"
    check_bounded(scratch, baseline_rss_kb, page,
                  b"<p>" + L("un") + page[5:-10] + L("astana") + b"</p>")


def test_hold_10mb_hex_reference(scratch, baseline_rss_kb):
    page = b"<p>UN &#x" + b"0" * MB10 + b"41; Astana</p>"
    check_bounded(scratch, baseline_rss_kb, page,
                  b"<p>" + L("un") + page[5:-10] + L("astana") + b"</p>")


def test_10mb_comment_and_script(scratch, baseline_rss_kb):
    page = (b"<p>UN</p><!--" + b"Astana -- " * (MB10 // 10) + b"--><script>"
            + b"<!--<script>Astana</script>" * (MB10 // 27) + b"</script>Astana")
    expected = b"<p>" + L("un") + page[5:-6] + L("astana")
    check_bounded(scratch, baseline_rss_kb, page, expected)


def test_link_base_is_escaped(scratch):
    # The link base is configuration (trusted), and escaped all the same.
    r = check(scratch, b"<p>Astana</p>", b'<p><a class="briefing briefing-place" '
              b'href="/g&quot;&gt;&lt;script&gt;&amp;/astana" data-briefing-id="astana" '
              b'title="Astana">Astana</a></p>', "--link-base", '/g"><script>&')
    assert b"<script>" not in r.stdout
