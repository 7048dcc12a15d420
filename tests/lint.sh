#!/bin/sh
# Tests for `briefing lint` (issue 8 part 4, docs/lint.md).
#
#   tests/lint.sh PATH_TO_BRIEFING        (run from the repository root)
#
# Prints one "ok - ..." / "not ok - ..." line per check, then exactly one
# closing line "lint: N passed, N failed"; exits non-zero when a check
# failed.  Every warning kind has a check that makes it appear and one that
# shows it absent where it does not apply; checks pin the exit status, the
# exact standard output and the standard error.  Run by `make test-lint`
# (tests/lint.mk), and by `make test-lint-asan` on the ASan+UBSan build (a
# sanitizer report on stderr makes a check fail).
#
# Exit status of lint: 0 done (with or without warnings), 1 an error (the
# glossary does not load, a page cannot be read), 2 usage.

SUITE=lint
. "$(dirname "$0")/checks.sh"

# lint ARGS...: runs `briefing lint ARGS` inside $T (so that names are
# short); stdout in $T/out, stderr in $T/err, status in $rc.
lint() {
    (cd "$T" && "$B" lint "$@" >"$T/out" 2>"$T/err" </dev/null)
    rc=$?
}

# expect NAME RC STDOUT_FILE STDERR_FILE: exact status and bytes.
expect() {
    why=""
    [ "$rc" -eq "$2" ] || why="exit status $rc, expected $2"
    cmp -s "$T/out" "$3" || why="$why${why:+; }stdout differs"
    cmp -s "$T/err" "$4" || why="$why${why:+; }stderr differs"
    if [ -z "$why" ]; then
        pass "$1"
    else
        fail "$1" "$why"
        cmp -s "$T/out" "$3" || show_diff "$T/out" "$3"
        cmp -s "$T/err" "$4" || show_diff "$T/err" "$4"
    fi
}

# expect_out NAME: status 0, nothing on stderr, stdout exactly $T/want.
expect_out() {
    expect "$1" 0 "$T/want" "$T/empty"
}

# expect_none NAME CODE: status 0, nothing on stderr, no warning CODE.
expect_none() {
    if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ] && ! grep -q ": warning: $2: " "$T/out"; then
        pass "$1"
    else
        fail "$1" "exit status $rc, stderr: $(head -c 300 "$T/err" | tr '\n' '|')" \
            "warnings: $(grep ": warning: $2: " "$T/out" | head -3 | tr '\n' '|')"
    fi
}

expect_usage() {
    printf 'briefing: %s\nTry '"'"'briefing --help'"'"'.\n' "$2" >"$T/want-err"
    expect "$1" 2 "$T/empty" "$T/want-err"
}

: >"$T/empty"

# ---------------------------------------------------------------------------
# Usage

lint
expect_usage "lint without a glossary: exit 2" "lint needs a glossary file: lint GLOSSARY [PAGE...]"
lint --max-summary abc g.xml
expect_usage "--max-summary abc: exit 2" "--max-summary takes a whole number, not 'abc'"
lint --max-summary -5 g.xml
expect_usage "--max-summary -5: exit 2" "--max-summary takes a whole number, not '-5'"
lint g.xml - -
expect_usage "standard input twice: exit 2" "lint reads standard input ('-') once"
lint --bogus g.xml
if [ "$rc" -eq 2 ] && [ ! -s "$T/out" ] && head -n 1 "$T/err" | grep -q "^briefing lint.*bogus" &&
    grep -qx "Try 'briefing --help'." "$T/err"; then
    pass "an unknown option: exit 2, getopt's message and the hint"
else
    fail "an unknown option: exit 2, getopt's message and the hint" \
        "exit status $rc, stderr: $(tr '\n' '|' <"$T/err")"
fi
"$B" --help >"$T/usage" 2>/dev/null
lint --help
expect "lint --help: the usage on stdout, exit 0" 0 "$T/usage" "$T/empty"
if grep -q '^       briefing lint \[--json\] \[--max-summary N\] GLOSSARY \[PAGE\.\.\.\]$' "$T/usage" &&
    grep -q '^lint      ' "$T/usage" && grep -q -- '^  --json  ' "$T/usage"; then
    pass "briefing --help describes lint"
else
    fail "briefing --help describes lint"
fi

# ---------------------------------------------------------------------------
# A glossary without anything to say

cat >"$T/clean.xml" <<'EOF'
<glossary xmlns="urn:briefing:glossary:1" xml:lang="en">
  <entry id="lukashenko" type="person">
    <name>Aleksandr Lukashenko</name>
    <alias>Alexander Lukashenko</alias>
    <summary>President of Belarus since 1994.</summary>
    <see ref="minsk"/>
  </entry>
  <entry id="minsk" type="place">
    <name>Minsk</name>
    <summary>Capital of Belarus.</summary>
    <see ref="lukashenko"/>
  </entry>
</glossary>
EOF
cat >"$T/clean.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<p>Alexander Lukashenko and Aleksandr Lukashenko in Minsk.</p>
</html>
EOF
lint clean.xml
expect "a clean glossary: no output, exit 0" 0 "$T/empty" "$T/empty"
lint clean.xml clean.html
expect "a clean glossary and a page that mentions every pattern: no output, exit 0" \
    0 "$T/empty" "$T/empty"
cat >"$T/want" <<'EOF'
{
  "glossary": "clean.xml",
  "pages": ["clean.html"],
  "warnings": [],
  "errors": []
}
EOF
lint --json clean.xml clean.html
expect_out "--json without warnings: the empty document"

# ---------------------------------------------------------------------------
# short-alias and common-word

cat >"$T/words.xml" <<'EOF'
<glossary xmlns="urn:briefing:glossary:1" xml:lang="en">
  <entry id="un" type="organization">
    <name>United Nations</name>
    <alias>UN</alias>
    <alias>U.N.</alias>
    <alias>X</alias>
    <summary>International organization.</summary>
  </entry>
  <entry id="eu" type="organization">
    <name>European Union</name>
    <alias xml:lang="ru">ЕС</alias>
    <alias xml:lang="ru">ЕАЭС</alias>
    <alias>EEU</alias>
    <summary>Union.</summary>
  </entry>
  <entry id="may" type="person">
    <name>Theresa May</name>
    <alias>May</alias>
    <alias case="insensitive">THE</alias>
    <alias>Mayor</alias>
    <alias xml:lang="ru">Мир</alias>
    <alias xml:lang="ru">Мир Труд</alias>
    <alias xml:lang="fr">Will</alias>
    <summary>Politician.</summary>
  </entry>
</glossary>
EOF
cat >"$T/want" <<'EOF'
words.xml:4:5: warning: short-alias: alias "UN" is only 2 characters long [entry un]
words.xml:6:5: warning: short-alias: alias "X" is only 1 character long [entry un]
words.xml:11:5: warning: short-alias: alias "ЕС" is only 2 characters long [entry eu]
words.xml:18:5: warning: common-word: alias "May" is a common English word ("may") [entry may]
words.xml:19:5: warning: common-word: alias "THE" is a common English word ("the") [entry may]
words.xml:21:5: warning: common-word: alias "Мир" is a common Russian word ("мир") [entry may]
EOF
lint words.xml
expect_out "short-alias (UN, X, ЕС in characters) and common-word (May, THE, Мир): exact lines"

cat >"$T/nolang.xml" <<'EOF'
<glossary xmlns="urn:briefing:glossary:1">
  <entry id="may" type="person">
    <name>Theresa May</name>
    <alias>May</alias>
    <alias>EEU</alias>
    <alias>ЕАЭС</alias>
    <summary>Politician.</summary>
  </entry>
</glossary>
EOF
lint nolang.xml
expect_none "short-alias absent: 3 characters (EEU) and 4 (ЕАЭС, 8 bytes)" short-alias
expect_none "common-word absent without xml:lang (no list applies)" common-word
lint words.xml
if ! grep -q 'U\.N\.\|EEU\|ЕАЭС\|Mayor\|Мир Труд\|Will' "$T/out"; then
    pass "absent: U.N. (4 characters), Mayor, Мир Труд (two words), Will in French (no list)"
else
    fail "absent: U.N. (4 characters), Mayor, Мир Труд (two words), Will in French (no list)" \
        "$(grep 'U\.N\.\|EEU\|ЕАЭС\|Mayor\|Мир Труд\|Will' "$T/out" | tr '\n' '|')"
fi

# ---------------------------------------------------------------------------
# never-matched, lowercase-acronym: with pages

cat >"$T/pages.xml" <<'EOF'
<glossary xmlns="urn:briefing:glossary:1" xml:lang="en">
  <entry id="lukashenko" type="person">
    <name>Aleksandr Lukashenko</name>
    <alias>Lukashenko</alias>
    <alias case="insensitive">the belarusian leader</alias>
    <alias xml:lang="ru">Александр Лукашенко</alias>
    <summary>President of Belarus.</summary>
  </entry>
  <entry id="ee" type="organization">
    <name>Eurasian Economic</name>
    <summary>Shorter.</summary>
  </entry>
  <entry id="eeu" type="organization">
    <name>Eurasian Economic Union</name>
    <alias>EEU</alias>
    <summary>Union.</summary>
  </entry>
  <entry id="un" type="organization">
    <name>United Nations</name>
    <alias>UN</alias>
    <alias case="insensitive">ONU</alias>
    <summary>Organization.</summary>
  </entry>
  <entry id="minsk" type="place">
    <name>Minsk</name>
    <summary>Capital.</summary>
  </entry>
</glossary>
EOF
cat >"$T/en.html" <<'EOF'
<!DOCTYPE html>
<html lang="en-GB">
<head><title>Minsk</title></head>
<body>
<h1>Minsk</h1>
<p>Aleksandr&nbsp;Lukashenko met THE BELARUSIAN LEADER of the Eurasian Economic Union.</p>
<p><code>un</code> and <a href="x">un</a> are skipped, Un starts a sentence, onu.</p>
</body></html>
EOF
cat >"$T/fr.html" <<'EOF'
<html lang="fr">
<p>Un homme et
un chien, et encore un.</p>
<p>L'ONU et l'<abbr>UN</abbr>.</p>
</html>
EOF

lint pages.xml
expect_none "never-matched absent without pages" never-matched
expect_none "lowercase-acronym absent without pages" lowercase-acronym

cat >"$T/want" <<'EOF'
pages.xml:4:5: warning: never-matched: alias "Lukashenko" never matched in the page given [entry lukashenko]
pages.xml:10:5: warning: never-matched: name "Eurasian Economic" never matched in the page given [entry ee]
pages.xml:10:5: warning: contained: name "Eurasian Economic" is contained in name "Eurasian Economic Union" of entry "eeu", which wins where both match [entry ee]
pages.xml:15:5: warning: never-matched: alias "EEU" never matched in the page given [entry eeu]
pages.xml:19:5: warning: never-matched: name "United Nations" never matched in the page given [entry un]
pages.xml:20:5: warning: short-alias: alias "UN" is only 2 characters long [entry un]
pages.xml:20:5: warning: never-matched: alias "UN" never matched in the page given [entry un]
pages.xml:25:5: warning: never-matched: name "Minsk" never matched in the page given [entry minsk]
EOF
lint pages.xml en.html
expect_out "never-matched: exact lines; same place: sorted by kind; skipped text (title, h1) does not count"
if ! grep 'never-matched' "$T/out" | grep -q 'Aleksandr Lukashenko"\|belarusian leader\|Eurasian Economic Union"\|"ONU"\|Александр'; then
    pass "never-matched absent: &nbsp; decoded, case-insensitive in capitals, longest wins, ru alias in an en page"
else
    fail "never-matched absent: &nbsp; decoded, case-insensitive in capitals, longest wins, ru alias in an en page" \
        "$(tr '\n' '|' <"$T/out")"
fi
expect_none "lowercase-acronym absent: 'un' only in <code>, <a>, and as 'Un'" lowercase-acronym

cat >"$T/want" <<'EOF'
pages.xml:4:5: warning: never-matched: alias "Lukashenko" never matched in the page in its language (en) [entry lukashenko]
pages.xml:10:5: warning: never-matched: name "Eurasian Economic" never matched in the page in its language (en) [entry ee]
pages.xml:10:5: warning: contained: name "Eurasian Economic" is contained in name "Eurasian Economic Union" of entry "eeu", which wins where both match [entry ee]
pages.xml:15:5: warning: never-matched: alias "EEU" never matched in the page in its language (en) [entry eeu]
pages.xml:19:5: warning: never-matched: name "United Nations" never matched in the page in its language (en) [entry un]
pages.xml:20:5: warning: short-alias: alias "UN" is only 2 characters long [entry un]
pages.xml:20:5: warning: lowercase-acronym: acronym "UN" is also an ordinary word, "un", in fr.html:3 (2 times): in capitals it would be linked [entry un]
pages.xml:20:5: warning: never-matched: alias "UN" never matched in the page in its language (en) [entry un]
pages.xml:25:5: warning: never-matched: name "Minsk" never matched in the page in its language (en) [entry minsk]
EOF
lint pages.xml en.html fr.html
expect_out "lowercase-acronym: 'un' in the French page (first at line 3, twice); never-matched counts only pages in the pattern's language"

cp "$T/fr.html" "$T/fr2.html"
lint pages.xml fr2.html fr.html
if grep -qxF 'pages.xml:20:5: warning: lowercase-acronym: acronym "UN" is also an ordinary word, "un", in fr2.html:3 (4 times in 2 pages): in capitals it would be linked [entry un]' "$T/out" &&
    [ "$rc" -eq 0 ]; then
    pass "lowercase-acronym over two pages: the first place, the count and the pages"
else
    fail "lowercase-acronym over two pages: the first place, the count and the pages" "$(grep lowercase "$T/out")"
fi
expect_none "never-matched absent when no page is in the pattern's language (two fr pages, en and ru patterns)" \
    never-matched

# A page without lang counts for patterns of every language; matching is
# what the module links: UN in <abbr> (skipped) is no mention.
printf '<p>UN, ONU et un.</p>\n' >"$T/nolang.html"
lint pages.xml nolang.html
if grep -qF 'alias "Александр Лукашенко" never matched in the page given' "$T/out" &&
    ! grep -qF 'alias "UN" never matched' "$T/out" && ! grep -qF '"ONU" never' "$T/out" &&
    grep -qF 'lowercase-acronym: acronym "UN" is also an ordinary word, "un", in nolang.html:1 (1 time)' "$T/out"; then
    pass "a page without lang: every pattern counts; UN and ONU matched; 'un' once"
else
    fail "a page without lang: every pattern counts; UN and ONU matched; 'un' once" "$(tr '\n' '|' <"$T/out")"
fi

# From standard input, and in windows-1251 with references.
printf '<meta charset="windows-1251"><p>\300\353\345\352\361\340\355\344\360&#32;\313\363\352\340\370\345\355\352\356, Aleksandr\240Lukashenko, Lukashenko, The Belarusian&nbsp;Leader,\nEurasian Economic Union, EEU, UN, Onu, United&#x20;Nations, Minsk, Eurasian Economic.</p>\n' >"$T/cp1251.html"
(cd "$T" && "$B" lint pages.xml - <cp1251.html >"$T/out" 2>"$T/err")
rc=$?
expect_none "never-matched absent: a windows-1251 page from standard input, Cyrillic, no-break spaces and references decoded" \
    never-matched

printf '<meta charset="euc-jp"><p>Minsk</p>\n' >"$T/eucjp.html"
printf 'briefing: eucjp.html: its charset (euc-jp) is not one that briefing reads\n' >"$T/want-err"
lint clean.xml eucjp.html
expect "a page in a charset briefing does not read: an error, exit 1" 1 "$T/empty" "$T/want-err"

# inflect="ru-person": a case form counts for its alias.
cat >"$T/inflect.xml" <<'EOF'
<glossary xmlns="urn:briefing:glossary:1" xml:lang="ru">
  <entry id="nazarbayev" type="person">
    <name inflect="ru-person">Нурсултан Назарбаев</name>
    <alias>Назарбаев</alias>
    <summary>Президент Казахстана.</summary>
  </entry>
</glossary>
EOF
printf '<html lang="ru"><p>Встреча с Нурсултаном Назарбаевым.</p></html>\n' >"$T/ru.html"
cat >"$T/want" <<'EOF'
inflect.xml:4:5: warning: never-matched: alias "Назарбаев" never matched in the page given [entry nazarbayev]
EOF
lint inflect.xml ru.html
expect_out "never-matched: a form made by inflect=\"ru-person\" counts for its name"

# ---------------------------------------------------------------------------
# contained

cat >"$T/contained.xml" <<'EOF'
<glossary xmlns="urn:briefing:glossary:1" xml:lang="en">
  <entry id="belarus" type="place">
    <name>Belarus</name>
    <alias>Republic of Belarus</alias>
    <alias>Union</alias>
    <summary>Country.</summary>
  </entry>
  <entry id="railway" type="organization">
    <name>Belarusian Railway</name>
    <summary>Railway.</summary>
  </entry>
  <entry id="treaty" type="agreement">
    <name>Belarus–Kazakhstan treaty</name>
    <alias>European union</alias>
    <summary>Treaty.</summary>
  </entry>
  <entry id="union" type="organization">
    <name>Union State</name>
    <alias case="insensitive">the union of belarus and russia</alias>
    <summary>Union.</summary>
  </entry>
</glossary>
EOF
cat >"$T/want" <<'EOF'
contained.xml:3:5: warning: contained: name "Belarus" is contained in name "Belarus–Kazakhstan treaty" of entry "treaty", which wins where both match [entry belarus]
contained.xml:3:5: warning: contained: name "Belarus" is contained in alias "the union of belarus and russia" of entry "union", which wins where both match [entry belarus]
contained.xml:5:5: warning: contained: alias "Union" is contained in name "Union State" of entry "union", which wins where both match [entry belarus]
contained.xml:5:5: warning: contained: alias "Union" is contained in alias "the union of belarus and russia" of entry "union", which wins where both match [entry belarus]
EOF
lint contained.xml
expect_out "contained: whole words, across entries, case-insensitive where either pattern is"
if ! grep -q 'Railway\|"Republic of Belarus"\|European union' "$T/out"; then
    pass "contained absent: Belarus in Belarusian (not a whole word), in its own entry's alias, Union in 'European union' (case)"
else
    fail "contained absent: Belarus in Belarusian (not a whole word), in its own entry's alias, Union in 'European union' (case)" \
        "$(tr '\n' '|' <"$T/out")"
fi

# ---------------------------------------------------------------------------
# no-summary, long-summary

s200=$(printf '%0200d' 0 | tr 0 a)
s201=$(printf '%0201d' 0 | tr 0 a)
cyr150=$(printf '%0150d' 0 | sed 's/0/я/g')
cat >"$T/summary.xml" <<EOF
<glossary xmlns="urn:briefing:glossary:1" xml:lang="en">
  <entry id="none" type="term">
    <name>Nullity</name>
  </entry>
  <entry id="blank" type="term">
    <name>Blank</name>
    <summary>   </summary>
  </entry>
  <entry id="long" type="term">
    <name>Verbose</name>
    <summary>$s201</summary>
  </entry>
  <entry id="limit" type="term">
    <name>Limit</name>
    <summary>$s200</summary>
  </entry>
  <entry id="cyrillic" type="term">
    <name>Cyrillic</name>
    <summary>  $cyr150
    </summary>
  </entry>
</glossary>
EOF
cat >"$T/want" <<'EOF'
summary.xml:2:3: warning: no-summary: entry has no summary: its links' titles and hover cards show the name alone [entry none]
summary.xml:5:3: warning: no-summary: entry has no summary: its links' titles and hover cards show the name alone [entry blank]
summary.xml:11:5: warning: long-summary: summary is 201 characters long, more than the 200 a hover card holds well [entry long]
EOF
lint summary.xml
expect_out "no-summary (absent, blank) and long-summary (201): exact lines"
if ! grep -q 'entry limit\]\|entry cyrillic\]' "$T/out"; then
    pass "long-summary absent: 200 characters, 150 Cyrillic characters (300 bytes) with spaces around"
else
    fail "long-summary absent: 200 characters, 150 Cyrillic characters (300 bytes) with spaces around"
fi
lint --max-summary 150 summary.xml
if grep -q 'summary is 200 characters long, more than the 150 a hover card holds well \[entry limit\]' "$T/out" &&
    ! grep -q 'entry cyrillic\]' "$T/out" && [ "$rc" -eq 0 ]; then
    pass "--max-summary 150: 200 characters flagged, 150 not"
else
    fail "--max-summary 150: 200 characters flagged, 150 not" "$(tr '\n' '|' <"$T/out")"
fi
lint words.xml
expect_none "no-summary absent where every entry has one" no-summary

# ---------------------------------------------------------------------------
# one-way-see

cat >"$T/see.xml" <<'EOF'
<glossary xmlns="urn:briefing:glossary:1">
  <entry id="a" type="term">
    <name>Alpha</name>
    <summary>A.</summary>
    <see ref="b"/>
    <see ref="c"/>
    <see ref="c"/>
  </entry>
  <entry id="b" type="term">
    <name>Beta</name>
    <summary>B.</summary>
    <see ref="a"/>
  </entry>
  <entry id="c" type="term">
    <name>Gamma</name>
    <summary>C.</summary>
  </entry>
</glossary>
EOF
cat >"$T/want" <<'EOF'
see.xml:6:5: warning: one-way-see: see ref="c" is one-way: entry "c" has no see back to "a" [entry a]
EOF
lint see.xml
expect_out "one-way-see: a sees c, c not a (named twice: one warning); a and b see each other"
lint clean.xml
expect_none "one-way-see absent when both entries see each other" one-way-see

# ---------------------------------------------------------------------------
# --json

cat >"$T/want" <<'EOF'
{
  "glossary": "see.xml",
  "pages": [],
  "warnings": [
    {"code": "one-way-see", "entry": "a", "line": 6, "col": 5, "message": "see ref=\"c\" is one-way: entry \"c\" has no see back to \"a\""}
  ],
  "errors": []
}
EOF
lint --json see.xml
expect_out "--json: the document, exactly"

lint --json pages.xml en.html fr.html missing.html
if [ "$rc" -eq 1 ] &&
    printf 'briefing: missing.html: No such file or directory\n' | cmp -s - "$T/err" &&
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["glossary", "pages", "warnings", "errors"], list(d)
assert d["glossary"] == "pages.xml" and d["pages"] == ["en.html", "fr.html", "missing.html"]
for w in d["warnings"]:
    assert list(w) == ["code", "entry", "line", "col", "message"], list(w)
codes = [w["code"] for w in d["warnings"]]
assert codes.count("lowercase-acronym") == 1 and codes.count("never-matched") == 6, codes
assert [(w["line"], w["col"]) for w in d["warnings"]] == sorted((w["line"], w["col"]) for w in d["warnings"])
assert d["errors"] == [{"file": "missing.html", "line": None, "col": None,
                        "message": "No such file or directory"}], d["errors"]
' "$T/out"; then
    pass "--json with a missing page: valid JSON, stable keys, sorted warnings, the error listed; exit 1"
else
    fail "--json with a missing page: valid JSON, stable keys, sorted warnings, the error listed; exit 1" \
        "exit status $rc, stderr: $(tr '\n' '|' <"$T/err")"
fi

# ---------------------------------------------------------------------------
# Errors: exit 1

cat >"$T/dup.xml" <<'EOF'
<glossary xmlns="urn:briefing:glossary:1">
  <entry id="a" type="person">
    <name>Alpha Beta</name>
  </entry>
  <entry id="b" type="place">
    <name>Gamma</name>
    <alias>Alpha  Beta</alias>
  </entry>
</glossary>
EOF
printf '%s\n' 'dup.xml:7:5: pattern "Alpha Beta" of entry "b" is already a pattern of entry "a"' >"$T/want-err"
lint dup.xml
expect "an invalid glossary: exit 1, the loader's FILE:LINE:COL message, as check" 1 "$T/empty" "$T/want-err"
(cd "$T" && "$B" check dup.xml 2>"$T/check-err" >/dev/null)
if cmp -s "$T/check-err" "$T/want-err"; then
    pass "... the same message as briefing check"
else
    fail "... the same message as briefing check" "$(cat "$T/check-err")"
fi
cat >"$T/want" <<'EOF'
{
  "glossary": "dup.xml",
  "pages": ["clean.html"],
  "warnings": [],
  "errors": [
    {"file": "dup.xml", "line": 7, "col": 5, "message": "pattern \"Alpha Beta\" of entry \"b\" is already a pattern of entry \"a\""}
  ]
}
EOF
lint --json dup.xml clean.html
expect "an invalid glossary with --json: the error in the document, exit 1" 1 "$T/want" "$T/want-err"
printf 'missing.xml: cannot open: No such file or directory\n' >"$T/want-err"
lint missing.xml
expect "a missing glossary: exit 1" 1 "$T/empty" "$T/want-err"

cat >"$T/want" <<'EOF'
see.xml:6:5: warning: one-way-see: see ref="c" is one-way: entry "c" has no see back to "a" [entry a]
EOF
printf 'briefing: missing.html: No such file or directory\n' >"$T/want-err"
lint see.xml missing.html
expect "a missing page: the warnings still, the error on stderr, exit 1" 1 "$T/want" "$T/want-err"
mkdir -p "$T/dir"
printf 'briefing: dir: Is a directory\n' >"$T/want-err"
lint clean.xml dir
expect "a directory as a page: exit 1" 1 "$T/empty" "$T/want-err"

# ---------------------------------------------------------------------------
# The demo glossary and article

(cd "$T" && "$B" lint "$G" "$P" >"$T/out" 2>"$T/err" </dev/null)
rc=$?
bad=$(grep -vc '^[^:]*:[0-9]*:[0-9]*: warning: [a-z-]*: .* \[entry [a-z0-9-]*\]$' "$T/out")
if [ "$rc" -eq 0 ] && [ ! -s "$T/err" ] && [ "$bad" -eq 0 ] &&
    grep -q 'warning: short-alias: alias "UN" is only 2 characters long \[entry un\]$' "$T/out" &&
    ! grep -q 'never-matched: alias "[^"]*[А-Яа-яІіЎўҚқҰұ]' "$T/out"; then
    pass "the demo glossary and article: exit 0, well-formed lines, UN is short, no never-matched for ru/be/kk aliases"
else
    fail "the demo glossary and article: exit 0, well-formed lines, UN is short, no never-matched for ru/be/kk aliases" \
        "exit status $rc, $bad malformed lines, stderr: $(head -c 300 "$T/err" | tr '\n' '|')"
fi
sort -t: -k2,2n -k3,3n -s "$T/out" | cmp -s - "$T/out" && pass "the demo: warnings in file order" ||
    fail "the demo: warnings in file order"
(cd "$T" && "$B" lint --json "$G" "$P" >"$T/json" 2>"$T/err" </dev/null)
if [ $? -eq 0 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().splitlines()
assert len(d["warnings"]) == len(lines) and d["errors"] == []
for w, l in zip(d["warnings"], lines):
    assert l.endswith(": warning: %s: %s [entry %s]" % (w["code"], w["message"], w["entry"])), l
    assert ":%d:%d: " % (w["line"], w["col"]) in l
' "$T/json" "$T/out"; then
    pass "the demo: --json says what the text says"
else
    fail "the demo: --json says what the text says"
fi

# ---------------------------------------------------------------------------
# Dated aliases: a shared text on days apart is no "contained"; a mention
# counts for the entry the page's date picks.

cat >"$T/dated.xml" <<'EOF'
<glossary xmlns="urn:briefing:glossary:1">
 <entry id="nazarbayev" type="person"><name>Nursultan Nazarbayev</name>
  <summary>First President of Kazakhstan.</summary>
  <alias until="2019-03-19">Kazakh President</alias></entry>
 <entry id="tokayev" type="person"><name>Kassym-Jomart Tokayev</name>
  <summary>President of Kazakhstan.</summary>
  <alias from="2019-03-20">Kazakh President</alias></entry>
</glossary>
EOF
printf '<html><head><meta property="article:published_time" content="2019-03-01"></head><body>\n<p>The Kazakh President met Nursultan Nazarbayev and Kassym-Jomart Tokayev.</p></body></html>\n' >"$T/dated-2019.html"
lint dated.xml
expect "dated aliases on days apart: no contained warning" 0 "$T/empty" "$T/empty"
cat >"$T/want" <<'EOF'
dated.xml:7:3: warning: never-matched: alias "Kazakh President" never matched in the page given [entry tokayev]
EOF
lint dated.xml dated-2019.html
expect_out "dated aliases: a page of 2019-03-01 means nazarbayev, so tokayev's alias never matched"

echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
