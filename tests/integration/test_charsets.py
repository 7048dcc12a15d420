"""Pages in single-byte charsets (windows-1251, KOI8-R, ISO-8859-5, and the
Latin ones) are annotated in their own bytes, with the charset in the
Content-Type header or only in a <meta> of the page."""
import gzip
import os
import subprocess

import pytest

from httpd import REPO

BRIEFING = os.path.join(REPO, "bin", "briefing")
GLOSSARY = os.path.join(REPO, "data", "glossary.xml")

CYRILLIC = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="{charset}"><title>Рабочий визит</title></head>
<body><article>
<p>Президент Беларуси Александр Лукашенко находится с рабочим визитом в Казахстане.</p>
<p>Александр Лукашенко встретился с Нурсултаном Назарбаевым в Астане; Беларусь и
Казахстан - давние партнёры, сказал Нурсултан Назарбаев.</p>
<p>Обсуждались вопросы ЕАЭС и Российская Федерация.</p>
</article></body></html>
"""

LATIN = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>Visite</title></head>
<body><p>Le président Aleksandr Lukashenko a rencontré Nursultan Nazarbayev à Astana;
la Belarus et le Kazakhstan sont partenaires. Fête à Gomel, été 2016.</p></body></html>
"""

CASES = [("windows-1251", CYRILLIC), ("koi8-r", CYRILLIC), ("iso-8859-5", CYRILLIC),
         ("windows-1252", LATIN), ("iso-8859-1", LATIN), ("iso-8859-15", LATIN)]


def codec(charset):
    # Browsers (and the module) read ISO-8859-1 pages as windows-1252.
    return "cp1252" if charset == "iso-8859-1" else charset


def annotated_in_utf8(template):
    """What the engine makes of the page in UTF-8: the reference."""
    page = template.format(charset="utf-8").encode()
    out = subprocess.run([BRIEFING, "annotate", "-g", GLOSSARY, "-"], input=page,
                         capture_output=True, check=True).stdout
    assert out.count(b"<a class=") >= 4, out
    return out.decode()


def expected(template, charset):
    """The reference in the page's charset: the page's own bytes, and in the
    link titles a character reference for what the charset lacks."""
    text = annotated_in_utf8(template).replace('<meta charset="utf-8">',
                                               '<meta charset="%s">' % charset)
    return text.encode(codec(charset), "xmlcharrefreplace")


def site(make_httpd, charset):
    h = make_httpd("""
BriefingGlossary @REPO@/data/glossary.xml
<Directory "@ROOT@/htdocs">
  BriefingAnnotate On
</Directory>
<Directory "@ROOT@/htdocs/header">
  AddDefaultCharset %s
</Directory>
""" % charset)
    return h


@pytest.mark.parametrize("charset,template", CASES, ids=[c for c, _ in CASES])
def test_pages_are_annotated_in_their_own_charset(make_httpd, charset, template):
    h = site(make_httpd, charset)
    page = template.format(charset=charset).encode(codec(charset))
    # In the header, with a <meta> that agrees; and in the <meta> only.
    h.write("htdocs/header/page.html", page)
    h.write("htdocs/meta/page.html", page)
    h.start()
    want = expected(template, charset)
    assert want != page
    r = h.get("/header/page.html")
    assert r.status == 200
    assert r.header("content-type") == "text/html; charset=%s" % charset
    assert r.body == want
    r = h.get("/meta/page.html")
    assert (r.status, r.header("content-type")) == (200, "text/html")
    assert r.body == want


def test_the_header_wins_over_the_meta(make_httpd):
    """Served as KOI8-R, a page that says windows-1251 in its <meta> is read
    as KOI8-R (as browsers do): its windows-1251 bytes are other letters."""
    h = site(make_httpd, "koi8-r")
    page = CYRILLIC.format(charset="windows-1251").encode("cp1251")
    h.write("htdocs/header/page.html", page)
    h.start()
    r = h.get("/header/page.html")
    assert (r.status, r.body) == (200, page)


def test_other_charsets_pass_through(make_httpd):
    h = site(make_httpd, "shift_jis")
    page = "<p>Aleksandr Lukashenko 大統領</p>".encode("shift_jis")
    h.write("htdocs/header/page.html", page)
    h.write("htdocs/meta/page.html", b'<meta charset="euc-jp">' + page)
    h.start()
    r = h.get("/header/page.html")
    assert (r.status, r.body) == (200, page)
    assert r.header("content-length") == str(len(page))
    r = h.get("/meta/page.html")
    assert (r.status, r.body) == (200, b'<meta charset="euc-jp">' + page)


def test_a_windows_1251_site_behind_a_gzip_proxy(make_httpd):
    """Issue 7's admin: a CMS that answers windows-1251 and gzip, behind
    mod_proxy; two directives turn annotation on."""
    from httpd import free_port
    backend = free_port()
    h = make_httpd("""
Listen 127.0.0.1:@BACKEND@
<VirtualHost 127.0.0.1:@BACKEND@>
  DocumentRoot "@ROOT@/backend"
  <Directory "@ROOT@/backend">
    Require all granted
    AddDefaultCharset windows-1251
    SetOutputFilter DEFLATE
  </Directory>
</VirtualHost>
ProxyPass "/news/" "http://127.0.0.1:@BACKEND@/"
BriefingGlossary @REPO@/data/glossary.xml
<Location "/news/">
  BriefingAnnotate On
</Location>
""".replace("@BACKEND@", str(backend)))
    page = CYRILLIC.format(charset="windows-1251").encode("cp1251")
    h.write("backend/page.html", page)
    h.start()
    want = expected(CYRILLIC, "windows-1251")
    r = h.get("/news/page.html", headers={"Accept-Encoding": "gzip"})
    assert (r.status, r.header("content-encoding")) == (200, "gzip")
    assert r.header("content-type") == "text/html; charset=windows-1251"
    assert gzip.decompress(r.body) == want
    r = h.get("/news/page.html")
    assert (r.status, r.header("content-encoding"), r.body) == (200, None, want)
