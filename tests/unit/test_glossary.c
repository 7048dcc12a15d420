/* The glossary loader (SPEC §2, §3.1 rules 11 and 13): the shipped glossary,
 * every way a glossary is rejected (exact message, file:line:column), and
 * the escaped link attributes made from an entry. */
#include "testing.h"

#include <time.h>
#include <unistd.h>

#define GLOSSARY_PATH SOURCE_DIR "/data/glossary.xml"

#define HEAD "<glossary xmlns=\"urn:briefing:glossary:1\">\n"
#define TAIL "</glossary>\n"
#define ENTRY_A "<entry id=\"a\" type=\"person\"><name>Alpha</name></entry>\n"

#define BAD_ID_MESSAGE "is not valid: 1 to 64 of a-z, 0-9 and '-', not starting with '-'"
#define DOCTYPE_MESSAGE "a DOCTYPE is not allowed in a glossary (no DTDs, no entities)"

/* ---- helpers ---- */

static struct glossary *load_n(const char *xml, size_t n, char *err, size_t errlen)
{
    err[0] = '\0';
    return glossary_load_memory(xml, n, "test.xml", err, errlen);
}

/* The glossary must be rejected with exactly `expected`. */
static void rejected_n(const char *xml, size_t n, const char *expected)
{
    char err[GLOSSARY_ERROR_MAX];
    struct glossary *g = load_n(xml, n, err, sizeof(err));
    if (g) {
        glossary_free(g);
        fail_msg("accepted, but should fail with: %s\n--- glossary:\n%s", expected, xml);
    }
    assert_string_equal(err, expected);
}

static void rejected(const char *xml, const char *expected)
{
    rejected_n(xml, strlen(xml), expected);
}

/* The glossary is rejected; returns the message (static buffer). */
static const char *rejection(const char *xml)
{
    static char err[GLOSSARY_ERROR_MAX];
    struct glossary *g = load_n(xml, strlen(xml), err, sizeof(err));
    if (g) {
        glossary_free(g);
        fail_msg("accepted, but should fail:\n%s", xml);
    }
    return err;
}

static struct glossary *accepted(const char *xml)
{
    return load_glossary_text(xml);
}

static void accepted_and_freed(const char *xml)
{
    glossary_free(accepted(xml));
}

static const struct entry *find(const struct glossary *g, const char *id)
{
    const struct entry *e = glossary_find(g, id, strlen(id));
    if (!e)
        fail_msg("no entry \"%s\"", id);
    return e;
}

static char *repeat(const char *unit, size_t times)
{
    size_t n = strlen(unit);
    char *s = malloc(n * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * n, unit, n);
    s[n * times] = '\0';
    return s;
}

static char *format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* A page whose text is `html` gets a link that starts with `tag`, which
 * the annotator makes from the entry. */
static void expect_link(const struct glossary *g, const char *html, const char *tag)
{
    struct annotate_options o = {0};
    char err[256];
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    assert_non_null(c);
    char *page = format("<p>%s</p>", html);
    char *out = annotate_chunked(g, c, page, strlen(page), 0, 0, NULL);
    char *expected = format("<p>%s", tag);
    if (strncmp(out, expected, strlen(expected)) != 0)
        fail_msg("the link starts\n%s\ninstead of\n%s", out, expected);
    free(expected);
    free(out);
    free(page);
    annotate_config_free(c);
}

/* ---- the shipped glossary ---- */

static void shipped_glossary_loads(void **state)
{
    (void)state;
    char err[GLOSSARY_ERROR_MAX] = "";
    struct glossary *g = glossary_load_file(GLOSSARY_PATH, err, sizeof(err));
    if (!g)
        fail_msg("%s", err);
    assert_int_equal(g->nentries, 18);
    assert_int_equal(g->count_by_type[ENTRY_PERSON], 4);
    assert_int_equal(g->count_by_type[ENTRY_ORGANIZATION], 4);
    assert_int_equal(g->count_by_type[ENTRY_AGREEMENT], 3);
    assert_int_equal(g->count_by_type[ENTRY_PLACE], 6);
    assert_int_equal(g->count_by_type[ENTRY_TERM], 1);
    /* 18 names and 51 aliases, and 4 case forms of each of the three
     * Russian aliases with inflect="ru-person"; the two dated "Kazakh
     * President" aliases are one pattern. */
    assert_int_equal(g->npatterns, 69 - 1 + 3 * 4);
    assert_non_null(g->matcher);
    assert_string_equal(g->path, GLOSSARY_PATH);
    assert_true(glossary_memory(g) > 0);

    /* Entries stay in file order; every id is found. */
    static const char *const ids[] = {
        "lukashenko", "nazarbayev", "tokayev", "kobyakov", "eeu", "un",
        "supreme-eurasian-economic-council", "intergovernmental-commission",
        "decade-programme", "outer-space-agreement",
        "communications-infrastructure-agreement", "manifesto-world-21st-century",
        "belarus", "kazakhstan", "russia", "ukraine", "astana", "gomel",
    };
    for (size_t i = 0; i < 18; i++) {
        assert_string_equal(g->entries[i].id, ids[i]);
        assert_ptr_equal(find(g, ids[i]), &g->entries[i]);
    }

    const struct entry *e = find(g, "lukashenko");
    assert_int_equal(e->type, ENTRY_PERSON);
    assert_string_equal(e->name, "Aleksandr Lukashenko");
    assert_string_equal(e->summary, "President of Belarus since 1994.");
    expect_link(g, "Aleksandr Lukashenko",
                "<a class=\"briefing briefing-person\" href=\"/glossary/lukashenko\" "
                "data-briefing-id=\"lukashenko\" title=\"Aleksandr Lukashenko \xE2\x80\x94 "
                "President of Belarus since 1994.\">");

    assert_int_equal(e->naliases, 5);
    assert_string_equal(e->aliases[0].text, "Alexander Lukashenko");
    assert_string_equal(e->aliases[0].lang, "en");   /* inherited from the root */
    assert_false(e->aliases[0].insensitive);
    assert_string_equal(e->aliases[1].text, "Alyaksandr Lukashenka");
    assert_string_equal(e->aliases[2].text, "Lukashenko");
    assert_string_equal(e->aliases[3].text, "Александр Лукашенко");
    assert_string_equal(e->aliases[3].lang, "ru");
    assert_string_equal(e->aliases[4].text, "Аляксандр Лукашэнка");
    assert_string_equal(e->aliases[4].lang, "be");
    assert_int_equal(e->ninflections, 1);
    assert_string_equal(e->inflections[0].text, "Александр Лукашенко");
    assert_int_equal(e->inflections[0].nforms, 4);
    assert_string_equal(e->inflections[0].forms[0], "Александра Лукашенко");
    assert_string_equal(e->inflections[0].forms[3], "Александре Лукашенко");

    assert_int_equal(e->nparagraphs, 2);
    assert_true(strncmp(e->paragraphs[0], "Aleksandr Lukashenko has been President", 39) == 0);
    assert_true(strncmp(e->paragraphs[1], "He was re-elected in 2001", 25) == 0);

    assert_int_equal(e->nfacts, 3);
    assert_string_equal(e->facts[0].label, "Office");
    assert_string_equal(e->facts[0].value, "President of the Republic of Belarus");
    assert_string_equal(e->facts[1].label, "In office since");
    assert_string_equal(e->facts[1].value, "20 July 1994");
    assert_string_equal(e->facts[2].label, "Born");
    assert_string_equal(e->facts[2].value, "30 August 1954, Kopys, Vitebsk Region");

    assert_int_equal(e->nsee, 4);
    assert_string_equal(g->entries[e->see[0]].id, "belarus");
    assert_string_equal(g->entries[e->see[1]].id, "kobyakov");
    assert_string_equal(g->entries[e->see[2]].id, "nazarbayev");
    assert_string_equal(g->entries[e->see[3]].id, "eeu");

    assert_int_equal(e->nlinks, 1);
    assert_string_equal(e->links[0].href, "https://president.gov.by/en");
    assert_string_equal(e->links[0].text, "Official website of the President of Belarus");

    /* The case-insensitive Russian alias of the EEU. */
    const struct entry *eeu = find(g, "eeu");
    assert_int_equal(eeu->type, ENTRY_ORGANIZATION);
    int insensitive = 0;
    for (size_t i = 0; i < eeu->naliases; i++)
        insensitive += eeu->aliases[i].insensitive;
    assert_true(insensitive >= 1);

    glossary_free(g);
}

static void shipped_glossary_from_memory_has_the_same_hash(void **state)
{
    (void)state;
    size_t n;
    char *data = read_file(GLOSSARY_PATH, &n);
    char err[GLOSSARY_ERROR_MAX];
    struct glossary *a = glossary_load_file(GLOSSARY_PATH, err, sizeof(err));
    struct glossary *b = glossary_load_memory(data, n, "mem.xml", err, sizeof(err));
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(b->path, "mem.xml");
    assert_true(a->content_hash == b->content_hash);
    assert_int_equal(a->nentries, b->nentries);
    glossary_free(b);
    /* One changed byte is another version. */
    data[n - 1] = data[n - 1] == '\n' ? ' ' : '\n';
    b = glossary_load_memory(data, n, "mem.xml", err, sizeof(err));
    assert_non_null(b);
    assert_true(a->content_hash != b->content_hash);
    glossary_free(a);
    glossary_free(b);
    free(data);
}

static void find_by_id(void **state)
{
    (void)state;
    struct glossary *g = accepted(HEAD
        "<entry id=\"b\" type=\"person\"><name>B</name></entry>\n"
        "<entry id=\"a-1\" type=\"place\"><name>A1</name></entry>\n"
        "<entry id=\"a\" type=\"term\"><name>A</name></entry>\n"
        "<entry id=\"zz\" type=\"term\"><name>Z</name></entry>\n" TAIL);
    assert_string_equal(find(g, "a")->name, "A");
    assert_string_equal(find(g, "a-1")->name, "A1");
    assert_string_equal(find(g, "b")->name, "B");
    assert_string_equal(find(g, "zz")->name, "Z");
    /* idlen bounds the id: the bytes after it do not count. */
    assert_ptr_equal(glossary_find(g, "a-1/extra", 3), find(g, "a-1"));
    assert_ptr_equal(glossary_find(g, "zzz", 2), find(g, "zz"));
    assert_null(glossary_find(g, "z", 1));
    assert_null(glossary_find(g, "a-", 2));
    assert_null(glossary_find(g, "c", 1));
    assert_null(glossary_find(g, "", 0));
    assert_null(glossary_find(g, "A", 1));
    glossary_free(g);

    g = accepted(HEAD TAIL);
    assert_int_equal(g->nentries, 0);
    assert_int_equal(g->npatterns, 0);
    assert_null(glossary_find(g, "a", 1));
    glossary_free(g);
}

/* ---- not XML ---- */

static void not_well_formed(void **state)
{
    (void)state;
    /* Positions are libxml2's: where it noticed, just past the tag. */
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n" TAIL,
             "test.xml:4:12: Opening and ending tag mismatch: entry line 2 and glossary");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>Alpha</entry>\n" TAIL,
             "test.xml:2:48: Opening and ending tag mismatch: name line 2 and entry");
    /* An undeclared entity is an error, not an expansion. */
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>&x;</name></entry>\n" TAIL,
             "test.xml:2:38: Entity 'x' not defined");
    rejected("", "test.xml:1:1: Document is empty");
    rejected("not xml at all", "test.xml:1:1: Start tag expected, '<' not found");
}

static void invalid_utf8(void **state)
{
    (void)state;
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Al\xFFpha</name></entry>\n" TAIL,
             "test.xml:3:11: Input is not proper UTF-8, indicate encoding ! "
             "Bytes: 0xFF 0x70 0x68 0x61");
    /* Columns count characters: two é before the overlong C0 80. */
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>\xC3\xA9\xC3\xA9\xC0\x80pha</name></entry>\n" TAIL,
             "test.xml:3:11: Input is not proper UTF-8, indicate encoding ! "
             "Bytes: 0xC0 0x80 0x70 0x68");
    /* A declared encoding does not change that the file is UTF-8. */
    struct glossary *g = accepted("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" HEAD
                                  "<entry id=\"a\" type=\"person\"><name>\xC3\xA9</name></entry>\n" TAIL);
    assert_string_equal(g->entries[0].name, "\xC3\xA9");
    glossary_free(g);
    /* A byte-order mark is fine. */
    accepted_and_freed("\xEF\xBB\xBF" HEAD ENTRY_A TAIL);
}

static void missing_file(void **state)
{
    (void)state;
    char err[GLOSSARY_ERROR_MAX];
    assert_null(glossary_load_file("/nonexistent/briefing/glossary.xml", err, sizeof(err)));
    assert_string_equal(err, "/nonexistent/briefing/glossary.xml: cannot open: No such file or directory");
}

static void file_errors_name_the_file(void **state)
{
    (void)state;
    char path[] = "/tmp/briefing-test-glossary-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char xml[] = HEAD "<entry id=\"a\" type=\"dog\"><name>Alpha</name></entry>\n" TAIL;
    assert_int_equal(write(fd, xml, sizeof(xml) - 1), (ssize_t)(sizeof(xml) - 1));
    close(fd);
    char err[GLOSSARY_ERROR_MAX];
    assert_null(glossary_load_file(path, err, sizeof(err)));
    char *expected = format("%s:2:1: entry \"a\" has type \"dog\"; the types are person, "
                            "organization, agreement, place and term", path);
    assert_string_equal(err, expected);
    free(expected);
    unlink(path);
}

static void size_limit(void **state)
{
    (void)state;
    /* The size is checked before a byte is read, so a short buffer is safe. */
    static const char small[] = HEAD TAIL;
    char err[GLOSSARY_ERROR_MAX];
    assert_null(glossary_load_memory(small, (size_t)GLOSSARY_MAX_BYTES + 1, "test.xml", err, sizeof(err)));
    assert_string_equal(err, "test.xml: is 268435457 bytes; a glossary may be at most 268435456 bytes");
    assert_null(glossary_load_memory(small, SIZE_MAX, "test.xml", err, sizeof(err)));
    assert_true(strncmp(err, "test.xml: is ", 13) == 0);
}

static void error_buffer_is_bounded(void **state)
{
    (void)state;
    char err[24];
    memset(err, 'x', sizeof(err));
    static const char xml[] = HEAD "<entry id=\"a\" type=\"dog\"><name>Alpha</name></entry>\n" TAIL;
    assert_null(glossary_load_memory(xml, sizeof(xml) - 1, "test.xml", err, sizeof(err)));
    assert_int_equal(strlen(err), sizeof(err) - 1);
    assert_string_equal(err, "test.xml:2:1: entry \"a\"");
}

/* ---- the schema ---- */

static void wrong_namespace_or_root(void **state)
{
    (void)state;
    rejected("<glossary xmlns=\"urn:other\">\n" ENTRY_A TAIL,
             "test.xml:1:1: Element glossary has wrong namespace: expecting urn:briefing:glossary:1");
    rejected("<glossary>\n" ENTRY_A TAIL,
             "test.xml:1:1: Expecting a namespace for element glossary");
    rejected("<glossar xmlns=\"urn:briefing:glossary:1\">\n" ENTRY_A "</glossar>\n",
             "test.xml:1:1: Expecting element glossary, got glossar");
    rejected(HEAD "hello\n" TAIL,
             "test.xml:1:1: Did not expect text in element glossary content");
    /* A prefix is only a spelling of the namespace. */
    accepted_and_freed("<g:glossary xmlns:g=\"urn:briefing:glossary:1\">\n"
                       "<g:entry id=\"a\" type=\"person\"><g:name>A</g:name></g:entry>\n</g:glossary>\n");
}

static void unknown_elements_and_attributes(void **state)
{
    (void)state;
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n  <bogus/>\n</entry>\n" TAIL,
             "test.xml:4:3: Element entry has extra content: bogus");
    rejected(HEAD ENTRY_A "  <bogus/>\n" TAIL,
             "test.xml:3:3: Did not expect element bogus there");
    rejected(HEAD "<entry id=\"a\" type=\"person\" color=\"red\"><name>Alpha</name></entry>\n" TAIL,
             "test.xml:2:1: Invalid attribute color for element entry");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name foo=\"x\">Alpha</name></entry>\n" TAIL,
             "test.xml:3:3: Invalid attribute foo for element name");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>A<b>x</b></name></entry>\n" TAIL,
             "test.xml:3:10: Element name has extra content: b");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <fact>x</fact></entry>\n" TAIL,
             "test.xml:3:3: Element fact failed to validate attributes");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <see/></entry>\n" TAIL,
             "test.xml:3:3: Element see failed to validate attributes");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <see ref=\"a\">x</see></entry>\n" TAIL,
             "test.xml:3:3: Element see has extra content: text");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <link>x</link></entry>\n" TAIL,
             "test.xml:3:3: Element link failed to validate attributes");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <alias case=\"INSENSITIVE\">x</alias></entry>\n" TAIL,
             "test.xml:3:3: Invalid attribute case for element alias");
}

static void names(void **state)
{
    (void)state;
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <alias>Alpha</alias>\n</entry>\n" TAIL,
             "test.xml:2:1: entry \"a\" has no name");
    rejected(HEAD ENTRY_A "<entry id=\"b\" type=\"person\">\n  <summary>x</summary>\n</entry>\n" TAIL,
             "test.xml:3:1: entry \"b\" has no name");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name></name>\n</entry>\n" TAIL,
             "test.xml:3:3: empty name: a pattern needs at least one character");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>\xC2\xA0 \t</name>\n</entry>\n" TAIL,
             "test.xml:3:3: empty name: a pattern needs at least one character");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n  <alias> \t\n </alias>\n</entry>\n" TAIL,
             "test.xml:4:3: empty alias: a pattern needs at least one character");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n  <alias/>\n</entry>\n" TAIL,
             "test.xml:4:3: empty alias: a pattern needs at least one character");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name case=\"insensitive\">Alpha</name>\n</entry>\n" TAIL,
             "test.xml:3:3: Invalid attribute case for element name");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name case=\"sensitive\">Alpha</name>\n</entry>\n" TAIL,
             "test.xml:3:3: Invalid attribute case for element name");
}

/* An element repeated where the schema allows one is named with its place
 * (libxml2's own message for it has no node, hence no position). */
static void repeated_elements(void **state)
{
    (void)state;
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n  <name>Beta</name>\n</entry>\n" TAIL,
             "test.xml:4:3: entry \"a\" has a second name; it may have one");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n"
             "  <summary>x</summary><summary>y</summary>\n</entry>\n" TAIL,
             "test.xml:4:23: entry \"a\" has a second summary; it may have one");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n"
             "  <description/><description/>\n</entry>\n" TAIL,
             "test.xml:4:17: entry \"a\" has a second description; it may have one");
}

static void types(void **state)
{
    (void)state;
    rejected(HEAD "<entry id=\"a\" type=\"dog\"><name>Alpha</name></entry>\n" TAIL,
             "test.xml:2:1: entry \"a\" has type \"dog\"; the types are person, "
             "organization, agreement, place and term");
    rejected(HEAD "<entry id=\"a\" type=\"Person\"><name>Alpha</name></entry>\n" TAIL,
             "test.xml:2:1: entry \"a\" has type \"Person\"; the types are person, "
             "organization, agreement, place and term");
    rejected(HEAD "<entry id=\"a\"><name>Alpha</name></entry>\n" TAIL,
             "test.xml:2:1: entry \"a\" has no type attribute");
    static const char *const all[] = {"person", "organization", "agreement", "place", "term"};
    for (int t = 0; t < ENTRY_TYPE_COUNT; t++) {
        char *xml = format(HEAD "<entry id=\"a\" type=\"%s\"><name>Alpha</name></entry>\n" TAIL, all[t]);
        struct glossary *g = accepted(xml);
        assert_int_equal(g->entries[0].type, t);
        assert_int_equal(g->count_by_type[t], 1);
        assert_string_equal(entry_type_names[t], all[t]);
        assert_int_equal(entry_type_from_name(all[t], strlen(all[t])), t);
        glossary_free(g);
        free(xml);
    }
    assert_int_equal(entry_type_from_name("persons", 6), ENTRY_PERSON);
    assert_int_equal(entry_type_from_name("persons", 7), -1);
    assert_int_equal(entry_type_from_name("", 0), -1);
}

static void ids(void **state)
{
    (void)state;
    static const char *const bad[] = {"../x", "a b", "A", "", "-a", "a_b", "a.b", "\xC3\xA9"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *xml = format(HEAD "<entry id=\"%s\" type=\"person\"><name>Alpha</name></entry>\n" TAIL, bad[i]);
        char *expected = format("test.xml:2:1: entry id \"%s\" " BAD_ID_MESSAGE, bad[i]);
        rejected(xml, expected);
        free(xml);
        free(expected);
    }
    char *a65 = repeat("a", 65), *a64 = repeat("a", 64);
    char *xml = format(HEAD "<entry id=\"%s\" type=\"person\"><name>Alpha</name></entry>\n" TAIL, a65);
    char *expected = format("test.xml:2:1: entry id \"%s\" " BAD_ID_MESSAGE, a65);
    rejected(xml, expected);
    free(xml);
    free(expected);
    xml = format(HEAD "<entry id=\"%s\" type=\"person\"><name>Alpha</name></entry>\n" TAIL, a64);
    struct glossary *g = accepted(xml);
    assert_string_equal(g->entries[0].id, a64);
    glossary_free(g);
    free(xml);
    free(a65);
    free(a64);
    rejected(HEAD "<entry type=\"person\"><name>Alpha</name></entry>\n" TAIL,
             "test.xml:2:1: entry has no id attribute");
    /* Digits, inner and trailing dashes are fine. */
    accepted_and_freed(HEAD "<entry id=\"0\" type=\"term\"><name>Zero</name></entry>\n"
                       "<entry id=\"a--b-\" type=\"term\"><name>AB</name></entry>\n" TAIL);
    /* The line and column are those of the entry's '<', wherever it is. */
    rejected(HEAD ENTRY_A "<!-- \xD0\x96 --><entry\n   id=\"B\" type=\"person\"><name>B</name></entry>\n" TAIL,
             "test.xml:3:11: entry id \"B\" " BAD_ID_MESSAGE);
}

/* CRLF line ends and tabs: lines by LF, a tab is one column. */
static void positions_with_crlf_and_tabs(void **state)
{
    (void)state;
    rejected("<glossary xmlns=\"urn:briefing:glossary:1\">\r\n"
             "<entry id=\"a\" type=\"person\"><name>x</name></entry>\r\n"
             "\t<entry id=\"b\" type=\"person\"><name>y</name><bogus/></entry>\r\n</glossary>\r\n",
             "test.xml:3:44: Element entry has extra content: bogus");
    rejected("<glossary xmlns=\"urn:briefing:glossary:1\">\r\n"
             "<entry id=\"a\" type=\"person\"><name>x</name></entry>\r\n"
             "\t\t<entry id=\"B\" type=\"person\"><name>y</name></entry>\r\n</glossary>\r\n",
             "test.xml:3:3: entry id \"B\" " BAD_ID_MESSAGE);
}

static void duplicate_ids(void **state)
{
    (void)state;
    rejected(HEAD ENTRY_A "<entry id=\"a\" type=\"place\"><name>Beta</name></entry>\n" TAIL,
             "test.xml:3:1: duplicate id \"a\"");
    rejected(HEAD ENTRY_A "<entry id=\"b\" type=\"place\"><name>Beta</name></entry>\n"
             "  <entry id=\"a\" type=\"place\"><name>Gamma</name></entry>\n" TAIL,
             "test.xml:4:3: duplicate id \"a\"");
}

static void duplicate_patterns(void **state)
{
    (void)state;
    rejected(HEAD ENTRY_A "<entry id=\"b\" type=\"place\"><name>Beta</name><alias>Alpha</alias></entry>\n" TAIL,
             "test.xml:3:45: pattern \"Alpha\" of entry \"b\" is already a pattern of entry \"a\"");
    /* After whitespace folding: spaces, line breaks, no-break spaces. */
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>Aleksandr Lukashenko</name></entry>\n"
             "<entry id=\"b\" type=\"person\">\n  <name>Other</name>\n  <alias>Aleksandr  Lukashenko</alias></entry>\n" TAIL,
             "test.xml:5:3: pattern \"Aleksandr Lukashenko\" of entry \"b\" is already a pattern of entry \"a\"");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>Aleksandr  Lukashenko</name></entry>\n"
             "<entry id=\"b\" type=\"person\">\n  <name>Other</name>\n  <alias> Aleksandr\n\t Lukashenko </alias></entry>\n" TAIL,
             "test.xml:5:3: pattern \"Aleksandr Lukashenko\" of entry \"b\" is already a pattern of entry \"a\"");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>Aleksandr Lukashenko</name></entry>\n"
             "<entry id=\"b\" type=\"person\">\n  <name>Other</name>\n"
             "  <alias>Aleksandr\xC2\xA0\xE2\x80\x89Lukashenko</alias></entry>\n" TAIL,
             "test.xml:5:3: pattern \"Aleksandr Lukashenko\" of entry \"b\" is already a pattern of entry \"a\"");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>Aleksandr Lukashenko</name></entry>\n"
             "<entry id=\"b\" type=\"person\">\n  <name>Other</name>\n"
             "  <alias>Aleksandr&#160;Lukashenko</alias></entry>\n" TAIL,
             "test.xml:5:3: pattern \"Aleksandr Lukashenko\" of entry \"b\" is already a pattern of entry \"a\"");
    /* A case-insensitive alias against a case-sensitive name, both orders. */
    rejected(HEAD "<entry id=\"un\" type=\"organization\"><name>UN</name></entry>\n"
             "<entry id=\"b\" type=\"term\">\n  <name>Other</name><alias case=\"insensitive\">un</alias></entry>\n" TAIL,
             "test.xml:4:21: pattern \"un\" of entry \"b\" is already a pattern of entry \"un\"");
    rejected(HEAD "<entry id=\"b\" type=\"term\">\n  <name>Other</name><alias case=\"insensitive\">un</alias></entry>\n"
             "<entry id=\"un\" type=\"organization\"><name>UN</name></entry>\n" TAIL,
             "test.xml:4:36: pattern \"UN\" of entry \"un\" is already a pattern of entry \"b\"");
    /* Two case-insensitive aliases, Cyrillic; columns count characters. */
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>\xD0\x90\xD0\xBB\xD1\x8C\xD1\x84\xD0\xB0</name></entry>"
             "<entry id=\"b\" type=\"person\"><name>\xD0\x90\xD0\xBB\xD1\x8C\xD1\x84\xD0\xB0</name></entry>\n" TAIL,
             "test.xml:2:83: pattern \"\xD0\x90\xD0\xBB\xD1\x8C\xD1\x84\xD0\xB0\" of entry \"b\" "
             "is already a pattern of entry \"a\"");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name><alias case=\"insensitive\">"
             "\xD0\x95\xD0\x92\xD0\xA0\xD0\x90\xD0\x97\xD0\x98\xD0\x99\xD0\xA1\xD0\x9A\xD0\x98\xD0\x99</alias></entry>\n"
             "<entry id=\"b\" type=\"person\">\n  <name>B</name>\n  <alias case=\"insensitive\">"
             "\xD0\xB5\xD0\xB2\xD1\x80\xD0\xB0\xD0\xB7\xD0\xB8\xD0\xB9\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9</alias></entry>\n" TAIL,
             "test.xml:5:3: pattern \"\xD0\xB5\xD0\xB2\xD1\x80\xD0\xB0\xD0\xB7\xD0\xB8\xD0\xB9\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9\" "
             "of entry \"b\" is already a pattern of entry \"a\"");
    /* Case-sensitive patterns that differ only in case are two patterns. */
    struct glossary *g = accepted(HEAD "<entry id=\"un\" type=\"organization\"><name>UN</name></entry>\n"
                                  "<entry id=\"b\" type=\"term\"><name>Un</name><alias case=\"sensitive\">uN</alias></entry>\n" TAIL);
    assert_int_equal(g->npatterns, 3);
    assert_false(g->entries[1].aliases[0].insensitive);
    glossary_free(g);
    /* Far down a large file the position is still exact. */
    const size_t count = 20000;
    size_t cap = count * 128 + 1024, n = 0;
    char *big = malloc(cap);
    assert_non_null(big);
    n += (size_t)sprintf(big + n, HEAD);
    for (size_t i = 0; i < count; i++)
        n += (size_t)sprintf(big + n, "<entry id=\"e%zu\" type=\"person\"><name>Name%zu</name>"
                             "<alias>\xD0\x90\xD0\xBB\xD0\xB8\xD0\xB0\xD1\x81%zu</alias></entry>\n", i, i, i);
    n += (size_t)sprintf(big + n, "<entry id=\"z\" type=\"person\"><name>Z\xC3\xA9</name><alias>Name7</alias></entry>\n" TAIL);
    rejected_n(big, n, "test.xml:20002:44: pattern \"Name7\" of entry \"z\" is already a pattern of entry \"e7\"");
    free(big);
}

static void see_references(void **state)
{
    (void)state;
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n  <see ref=\"nope\"/>\n</entry>\n" TAIL,
             "test.xml:4:3: see ref=\"nope\" names no entry");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n  <see ref=\"\"/>\n</entry>\n" TAIL,
             "test.xml:4:3: see ref=\"\" names no entry");
    /* Forward and self references resolve. */
    struct glossary *g = accepted(HEAD "<entry id=\"a\" type=\"person\"><name>Alpha</name><see ref=\"b\"/><see ref=\"a\"/></entry>\n"
                                  "<entry id=\"b\" type=\"person\"><name>Beta</name></entry>\n" TAIL);
    assert_int_equal(g->entries[0].nsee, 2);
    assert_int_equal(g->entries[0].see[0], 1);
    assert_int_equal(g->entries[0].see[1], 0);
    glossary_free(g);
}

static void links(void **state)
{
    (void)state;
    static const char *const bad[] = {"javascript:alert(1)", "data:text/html,x", "ftp://example.org/",
                                      " javascript:x", "//example.org/", "/relative"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *xml = format(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n"
                           "  <link href=\"%s\">x</link>\n</entry>\n" TAIL, bad[i]);
        char *expected = format("test.xml:4:3: link href \"%s\" is not an http: or https: URL", bad[i]);
        rejected(xml, expected);
        free(xml);
        free(expected);
    }
    struct glossary *g = accepted(HEAD "<entry id=\"a\" type=\"person\">\n  <name>Alpha</name>\n"
                                  "  <link href=\"http://example.org/\">One</link>\n"
                                  "  <link href=\"HTTPS://EXAMPLE.ORG/x?a=1&amp;b=2\">  Two \n words </link>\n"
                                  "</entry>\n" TAIL);
    const struct entry *e = &g->entries[0];
    assert_int_equal(e->nlinks, 2);
    assert_string_equal(e->links[0].href, "http://example.org/");
    assert_string_equal(e->links[0].text, "One");
    assert_string_equal(e->links[1].href, "HTTPS://EXAMPLE.ORG/x?a=1&b=2");
    assert_string_equal(e->links[1].text, "Two words");
    glossary_free(g);
}

static void pattern_length(void **state)
{
    (void)state;
    char *x256 = repeat("x", 256), *x257 = repeat("x", 257);
    char *xml = format(HEAD "<entry id=\"a\" type=\"person\">\n  <name>%s</name>\n</entry>\n" TAIL, x256);
    accepted_and_freed(xml);
    free(xml);
    xml = format(HEAD "<entry id=\"a\" type=\"person\">\n  <name>%s</name>\n</entry>\n" TAIL, x257);
    rejected(xml, "test.xml:3:3: name is 257 characters long; patterns are at most 256");
    free(xml);
    xml = format(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <alias case=\"insensitive\">%s</alias>\n</entry>\n" TAIL, x257);
    rejected(xml, "test.xml:3:3: alias is 257 characters long; patterns are at most 256");
    free(xml);
    free(x256);
    free(x257);
    /* Characters, not bytes: 256 Cyrillic letters are 512 bytes. */
    char *zh256 = repeat("\xD0\x96", 256), *zh257 = repeat("\xD0\x96", 257);
    xml = format(HEAD "<entry id=\"a\" type=\"person\">\n  <name>%s</name>\n</entry>\n" TAIL, zh256);
    accepted_and_freed(xml);
    free(xml);
    xml = format(HEAD "<entry id=\"a\" type=\"person\">\n  <name>%s</name>\n</entry>\n" TAIL, zh257);
    rejected(xml, "test.xml:3:3: name is 257 characters long; patterns are at most 256");
    free(xml);
    free(zh256);
    free(zh257);
    /* Counted after whitespace folding: 128 + 1 + 127 characters. */
    char *a = repeat("x", 128), *b = repeat("y", 127);
    xml = format(HEAD "<entry id=\"a\" type=\"person\">\n  <name>  %s \n\t  %s  </name>\n</entry>\n" TAIL, a, b);
    struct glossary *g = accepted(xml);
    assert_int_equal(strlen(g->entries[0].name), 256);
    glossary_free(g);
    free(xml);
    free(a);
    free(b);
}

static void lang_and_order(void **state)
{
    (void)state;
    struct glossary *g = accepted(
        "<glossary xmlns=\"urn:briefing:glossary:1\" xml:lang=\"en\">\n"
        "<entry xml:lang=\"en\" id=\"a\" type=\"person\"><name xml:lang=\"en\">Alpha</name>"
        "<alias xml:lang=\"ru\" case=\"insensitive\">\xD0\x90\xD0\xBB\xD1\x8C\xD1\x84\xD0\xB0</alias>"
        "<summary xml:lang=\"en\">S</summary><description xml:lang=\"en\"><p xml:lang=\"en\">P</p></description>"
        "<fact xml:lang=\"en\" label=\"L\">V</fact><see xml:lang=\"en\" ref=\"a\"/>"
        "<link xml:lang=\"en\" href=\"https://x/\">X</link></entry>\n" TAIL);
    const struct entry *e = &g->entries[0];
    assert_string_equal(e->aliases[0].lang, "ru");
    assert_true(e->aliases[0].insensitive);
    assert_string_equal(e->aliases[0].text, "\xD0\x90\xD0\xBB\xD1\x8C\xD1\x84\xD0\xB0");
    glossary_free(g);

    /* Children in any order. */
    g = accepted(HEAD "<entry id=\"a\" type=\"person\"><link href=\"https://x/\">X</link><see ref=\"a\"/>"
                 "<fact label=\"L\">V</fact><description><p>P1</p><p> P2 </p></description><summary>S</summary>"
                 "<alias>A1</alias><name>Alpha</name><alias case=\"sensitive\">A2</alias></entry>\n" TAIL);
    e = &g->entries[0];
    assert_string_equal(e->name, "Alpha");
    assert_int_equal(e->naliases, 2);
    assert_string_equal(e->aliases[0].text, "A1");
    assert_string_equal(e->aliases[1].text, "A2");
    assert_string_equal(e->summary, "S");
    assert_int_equal(e->nparagraphs, 2);
    assert_string_equal(e->paragraphs[0], "P1");
    assert_string_equal(e->paragraphs[1], "P2");
    assert_int_equal(e->nfacts, 1);
    assert_int_equal(e->nsee, 1);
    assert_int_equal(e->nlinks, 1);
    assert_int_equal(g->npatterns, 3);
    glossary_free(g);

    /* Comments, processing instructions and CDATA are plain XML. */
    g = accepted(HEAD "<?pi x?><!-- c -->\n<entry id=\"a\" type=\"person\"><name><![CDATA[A&B]]> <!-- x -->C</name></entry>\n" TAIL);
    assert_string_equal(g->entries[0].name, "A&B C");
    glossary_free(g);
}

/* ---- no DTDs, no entities, no other files ---- */

/* "test.xml:LINE:COL: " and the DOCTYPE message; the position is pinned
 * only by doctype_position_is_its_start. */
static void assert_doctype_rejection(const char *err)
{
    unsigned line = 0, col = 0;
    int used = 0;
    if (sscanf(err, "test.xml:%u:%u: %n", &line, &col, &used) != 2 || !used || !line || !col ||
        strcmp(err + used, DOCTYPE_MESSAGE) != 0)
        fail_msg("not the DOCTYPE message with a position: %s", err);
}

static void doctypes_are_rejected(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "<?xml version=\"1.0\"?>\n<!DOCTYPE glossary>\n" HEAD ENTRY_A TAIL,
        "<!DOCTYPE glossary SYSTEM \"file:///etc/passwd\">\n" HEAD ENTRY_A TAIL,
        "<!DOCTYPE glossary PUBLIC \"-//x//y\" \"http://127.0.0.1:9/g.dtd\">\n" HEAD ENTRY_A TAIL,
        /* XXE */
        "<?xml version=\"1.0\"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" HEAD
        "<entry id=\"a\" type=\"person\"><name>&x;</name></entry>\n" TAIL,
        /* a parameter entity */
        "<!DOCTYPE g [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n" HEAD ENTRY_A TAIL,
        /* an internal entity, used */
        "<!DOCTYPE g [<!ENTITY x \"Alpha\">]>\n" HEAD
        "<entry id=\"a\" type=\"person\"><name>&x;</name></entry>\n" TAIL,
        /* a DOCTYPE over several lines */
        "<!DOCTYPE\n  glossary\n  [\n]>\n" HEAD ENTRY_A TAIL,
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *err = rejection(cases[i]);
        assert_doctype_rejection(err);
        assert_null(strstr(err, "root:"));
    }
}

/* An entity bomb: 10^12 "lol"s if anything expanded it.  It must fail at
 * once, with the DOCTYPE message. */
static void billion_laughs(void **state)
{
    (void)state;
    static const char bomb[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        " <!ENTITY lolz \"&lol9;&lol9;&lol9;&lol9;&lol9;&lol9;&lol9;&lol9;&lol9;&lol9;\">\n"
        "]>\n" HEAD
        "<entry id=\"a\" type=\"person\"><name>&lolz;</name><summary>&lolz;</summary></entry>\n" TAIL;
    clock_t started = clock();
    assert_doctype_rejection(rejection(bomb));
    assert_true(clock() - started < 2 * CLOCKS_PER_SEC);
}

/* An XXE aimed at a file of ours: whatever happens, its content never
 * shows, and the file is refused for its DOCTYPE. */
static void xxe_reads_nothing(void **state)
{
    (void)state;
    char secret[] = "/tmp/briefing-test-secret-XXXXXX";
    int fd = mkstemp(secret);
    assert_true(fd >= 0);
    static const char marker[] = "SECRET-MARKER-8d1f";
    assert_int_equal(write(fd, marker, sizeof(marker) - 1), (ssize_t)(sizeof(marker) - 1));
    close(fd);
    char *xml = format("<!DOCTYPE glossary [<!ENTITY x SYSTEM \"file://%s\">]>\n" HEAD
                       "<entry id=\"a\" type=\"person\"><name>&x;</name><summary>&x;</summary></entry>\n" TAIL,
                       secret);
    const char *err = rejection(xml);
    assert_null(strstr(err, marker));
    assert_doctype_rejection(err);
    free(xml);
    unlink(secret);
}

/* A DOCTYPE error points at the '<' of "<!DOCTYPE", wherever the DOCTYPE
 * ends (fixed in b0f1aab; before, it was where libxml2 had read its name). */
static void doctype_position_is_its_start(void **state)
{
    (void)state;
    rejected("<?xml version=\"1.0\"?>\n<!DOCTYPE glossary>\n" HEAD ENTRY_A TAIL,
             "test.xml:2:1: " DOCTYPE_MESSAGE);
    rejected("<?xml version=\"1.0\"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" HEAD
             "<entry id=\"a\" type=\"person\"><name>&x;</name></entry>\n" TAIL,
             "test.xml:2:1: " DOCTYPE_MESSAGE);
    rejected("<!DOCTYPE\n  glossary\n  [\n]>\n" HEAD ENTRY_A TAIL,
             "test.xml:1:1: " DOCTYPE_MESSAGE);
    rejected("<!-- <!DOCTYPE x> -->\n  <!DOCTYPE glossary SYSTEM \"file:///etc/passwd\">\n" HEAD ENTRY_A TAIL,
             "test.xml:2:3: " DOCTYPE_MESSAGE);
}

static void xinclude_is_not_followed(void **state)
{
    (void)state;
    rejected("<glossary xmlns=\"urn:briefing:glossary:1\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
             ENTRY_A "  <xi:include href=\"/etc/passwd\" parse=\"text\"/>\n" TAIL,
             "test.xml:3:3: Did not expect element include there");
    rejected("<glossary xmlns=\"urn:briefing:glossary:1\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
             "<entry id=\"a\" type=\"person\">\n  <name><xi:include href=\"/etc/passwd\" parse=\"text\"/></name></entry>\n" TAIL,
             "test.xml:3:9: Element name has extra content: include");
}

/* ---- titles and escaping ---- */

static void special_characters_are_escaped(void **state)
{
    (void)state;
    struct glossary *g = accepted(HEAD
        "<entry id=\"a\" type=\"person\"><name>Say \"hi\" &lt;b&gt; &amp; &lt;/script&gt;</name>"
        "<alias>O'Brien &amp; Co</alias>"
        "<summary>x &lt; y &amp; \"z\" &lt;/script&gt;</summary>"
        "<fact label=\"&quot;L&lt;\">v &lt;/script&gt; &amp; \"q\"</fact></entry>\n" TAIL);
    const struct entry *e = &g->entries[0];
    assert_string_equal(e->name, "Say \"hi\" <b> & </script>");
    assert_string_equal(e->aliases[0].text, "O'Brien & Co");
    assert_string_equal(e->summary, "x < y & \"z\" </script>");
    assert_string_equal(e->facts[0].label, "\"L<");
    assert_string_equal(e->facts[0].value, "v </script> & \"q\"");
    expect_link(g, "Say &quot;hi&quot; &lt;b&gt; &amp; &lt;/script&gt;",
                "<a class=\"briefing briefing-person\" href=\"/glossary/a\" data-briefing-id=\"a\" "
                "title=\"Say &quot;hi&quot; &lt;b&gt; &amp; &lt;/script&gt; "
                "\xE2\x80\x94 x &lt; y &amp; &quot;z&quot; &lt;/script&gt;\">");
    glossary_free(g);
}

static void titles_fold_whitespace(void **state)
{
    (void)state;
    struct glossary *g = accepted(HEAD
        "<entry id=\"a\" type=\"person\"><name>  Alpha \n Beta </name><summary> \n\t </summary></entry>\n"
        "<entry id=\"b\" type=\"person\"><name>B</name><summary>  One \n\t two\xC2\xA0\xC2\xA0three. </summary></entry>\n"
        "<entry id=\"c\" type=\"person\"><name>C</name><summary/></entry>\n"
        "<entry id=\"d\" type=\"person\"><name>D</name></entry>\n" TAIL);
    const struct entry *a = find(g, "a"), *b = find(g, "b"), *c = find(g, "c"), *d = find(g, "d");
    assert_string_equal(a->name, "Alpha Beta");
    assert_null(a->summary);
    expect_link(g, "Alpha Beta", "<a class=\"briefing briefing-person\" href=\"/glossary/a\" "
                "data-briefing-id=\"a\" title=\"Alpha Beta\">");
    assert_string_equal(b->summary, "One two three.");
    expect_link(g, "B", "<a class=\"briefing briefing-person\" href=\"/glossary/b\" "
                "data-briefing-id=\"b\" title=\"B \xE2\x80\x94 One two three.\">");
    assert_null(c->summary);
    expect_link(g, "C", "<a class=\"briefing briefing-person\" href=\"/glossary/c\" "
                "data-briefing-id=\"c\" title=\"C\">");
    assert_null(d->summary);
    expect_link(g, "D", "<a class=\"briefing briefing-person\" href=\"/glossary/d\" "
                "data-briefing-id=\"d\" title=\"D\">");
    glossary_free(g);
}

/* inflect="ru-person" (engine/inflect_ru.h): the forms are patterns of the
 * entry with the alias's case sensitivity, listed for `check --forms`. */
static void inflected_aliases(void **state)
{
    (void)state;
    struct glossary *g = accepted(HEAD "<entry id=\"n\" type=\"person\"><name>Nursultan Nazarbayev</name>\n"
        "  <alias inflect=\"ru-person\">Нурсултан \n Назарбаев</alias>\n"
        "  <alias inflect=\"ru-person\" case=\"insensitive\">Назарбаев</alias>\n"
        "  <alias inflect=\"ru-person\">Лукашенко</alias></entry>\n"
        "<entry id=\"a\" type=\"person\"><name inflect=\"ru-person\">Анна Ахматова</name></entry>\n" TAIL);
    /* 5 written, 4 + 4 + 0 + 4 made. */
    assert_int_equal(g->npatterns, 5 + 12);
    const struct entry *e = find(g, "n");
    assert_int_equal(e->ninflections, 3);
    assert_string_equal(e->inflections[0].text, "Нурсултан Назарбаев");
    static const char *const made[] = {"Нурсултана Назарбаева", "Нурсултану Назарбаеву",
                                       "Нурсултаном Назарбаевым", "Нурсултане Назарбаеве"};
    assert_int_equal(e->inflections[0].nforms, 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(e->inflections[0].forms[i], made[i]);
    assert_string_equal(e->inflections[1].text, "Назарбаев");
    assert_int_equal(e->inflections[1].nforms, 4);
    assert_string_equal(e->inflections[2].text, "Лукашенко");
    assert_int_equal(e->inflections[2].nforms, 0);      /* indeclinable */
    /* The aliases themselves are listed as written. */
    assert_int_equal(e->naliases, 3);
    assert_string_equal(e->aliases[0].text, "Нурсултан Назарбаев");
    const struct entry *a = find(g, "a");
    assert_int_equal(a->ninflections, 1);
    assert_string_equal(a->inflections[0].forms[3], "Анной Ахматовой");

    /* Matched like any pattern: case-sensitive, or not, as the alias. */
    struct annotate_options o = {.mentions = MENTIONS_ALL};
    char err[256];
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    assert_non_null(c);
    static const char page[] =
        "<p>С Нурсултаном Назарбаевым; нурсултаном назарбаевым; НАЗАРБАЕВЫМ; "
        "об Анне Ахматовой; Лукашенко.</p>";
    char *out = annotate_chunked(g, c, page, strlen(page), 0, 0, NULL);
    static const char *const linked[] = {
        "data-briefing-id=\"n\" title=\"Nursultan Nazarbayev\">Нурсултаном Назарбаевым</a>",
        "data-briefing-id=\"n\" title=\"Nursultan Nazarbayev\">НАЗАРБАЕВЫМ</a>",
        "data-briefing-id=\"a\" title=\"Анна Ахматова\">Анне Ахматовой</a>",
        "data-briefing-id=\"n\" title=\"Nursultan Nazarbayev\">Лукашенко</a>",
    };
    for (size_t i = 0; i < 4; i++)
        if (!strstr(out, linked[i]))
            fail_msg("not linked: %s\nin: %s", linked[i], out);
    /* Only the surname alias is case-insensitive: the lower-case full name
     * is found as its surname, not whole. */
    assert_non_null(strstr(out, "нурсултаном <a "));
    free(out);
    annotate_config_free(c);
    glossary_free(g);

    /* An alias with nothing to make, and a shape that is left as written. */
    g = accepted(HEAD "<entry id=\"k\" type=\"person\"><name>Kim</name>"
                 "<alias inflect=\"ru-person\">Ким Чен Ын</alias></entry>\n" TAIL);
    assert_int_equal(g->npatterns, 2);
    assert_int_equal(find(g, "k")->inflections[0].nforms, 0);
    glossary_free(g);
}

static void inflected_alias_errors(void **state)
{
    (void)state;
    /* Only ru-person, on name and alias only. */
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <alias inflect=\"ru\">Иван Петров</alias></entry>\n" TAIL,
             "test.xml:3:3: Invalid attribute inflect for element alias");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <alias inflect=\"\">Иван Петров</alias></entry>\n" TAIL,
             "test.xml:3:3: Invalid attribute inflect for element alias");
    rejected(HEAD "<entry id=\"a\" type=\"person\">\n  <name inflect=\"en-person\">Иван Петров</name></entry>\n" TAIL,
             "test.xml:3:3: Invalid attribute inflect for element name");
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <fact label=\"x\" inflect=\"ru-person\">y</fact></entry>\n" TAIL,
             "test.xml:3:3: Invalid attribute inflect for element fact");
    /* A made form that is another entry's pattern: an error naming both,
     * whichever comes first. */
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <alias inflect=\"ru-person\">Иван Петров</alias></entry>\n"
             "<entry id=\"b\" type=\"person\"><name>B</name>\n  <alias>Ивана Петрова</alias></entry>\n" TAIL,
             "test.xml:5:3: pattern \"Ивана Петрова\" of entry \"b\" is already a pattern of entry \"a\" "
             "(made by inflect=\"ru-person\" from \"Иван Петров\")");
    rejected(HEAD "<entry id=\"b\" type=\"person\"><name>B</name>\n  <alias>Ивана Петрова</alias></entry>\n"
             "<entry id=\"a\" type=\"person\"><name>A</name>\n  <alias inflect=\"ru-person\">Иван Петров</alias></entry>\n" TAIL,
             "test.xml:5:3: pattern \"Ивана Петрова\" (made by inflect=\"ru-person\" from \"Иван Петров\") "
             "of entry \"a\" is already a pattern of entry \"b\"");
    /* Made by both: the genitive of Петров is the nominative of Петрова. */
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <alias inflect=\"ru-person\">Петров</alias></entry>\n"
             "<entry id=\"b\" type=\"person\"><name>B</name>\n  <alias inflect=\"ru-person\">Петрова</alias></entry>\n" TAIL,
             "test.xml:5:3: pattern \"Петрова\" of entry \"b\" is already a pattern of entry \"a\" "
             "(made by inflect=\"ru-person\" from \"Петров\")");
    /* Case-folded when either is case-insensitive. */
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <alias inflect=\"ru-person\">Иван Петров</alias></entry>\n"
             "<entry id=\"b\" type=\"person\"><name>B</name>\n  <alias case=\"insensitive\">ИВАНОМ ПЕТРОВЫМ</alias></entry>\n" TAIL,
             "test.xml:5:3: pattern \"иваном петровым\" of entry \"b\" is already a pattern of entry \"a\" "
             "(made by inflect=\"ru-person\" from \"Иван Петров\")");
    /* Within one entry too: list a form or make it, not both. */
    rejected(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <alias inflect=\"ru-person\">Иван Петров</alias>\n"
             "  <alias>Ивану Петрову</alias></entry>\n" TAIL,
             "test.xml:4:3: pattern \"Ивану Петрову\" of entry \"a\" is already a pattern of entry \"a\" "
             "(made by inflect=\"ru-person\" from \"Иван Петров\")");
    /* Two forms of one alias that are the same word are one pattern; so
     * the accusative that equals the genitive is no clash. */
    accepted_and_freed(HEAD "<entry id=\"a\" type=\"person\"><name>A</name>"
                       "<alias inflect=\"ru-person\">Иван Петров</alias>"
                       "<alias inflect=\"ru-person\">Петров</alias></entry>\n" TAIL);
    /* A made form past the length limit names itself. */
    char *xml = malloc(4096);
    assert_non_null(xml);
    char *part = repeat("\xD0\xB0", 60);   /* а × 60 */
    /* 5 + 4 × 62 + 3 = 256 characters; the genitive has 5 more. */
    snprintf(xml, 4096, HEAD "<entry id=\"a\" type=\"person\"><name>A</name>\n  <alias inflect=\"ru-person\">"
             "Иван %sов-%sов-%sов-%sов</alias></entry>\n" TAIL, part, part, part, part);
    const char *msg = rejection(xml);
    assert_non_null(strstr(msg, "test.xml:3:3: \"Ивана "));
    assert_non_null(strstr(msg, "\", made by inflect=\"ru-person\", is 261 characters long; patterns are at most 256"));
    free(part);
    free(xml);
}

static void html_escape_output(void **state)
{
    (void)state;
    char out[6 * 64];
    static const char in[] = "a&b<c>d\"e'f&amp;";
    size_t n = html_escape(in, strlen(in), out);
    assert_int_equal(n, strlen("a&amp;b&lt;c&gt;d&quot;e'f&amp;amp;"));
    assert_memory_equal(out, "a&amp;b&lt;c&gt;d&quot;e'f&amp;amp;", n);
    assert_int_equal(html_escape("", 0, out), 0);
    /* Only n bytes, NUL included; UTF-8 passes through. */
    assert_int_equal(html_escape("x\0<y", 3, out), 1 + 1 + 4);
    assert_memory_equal(out, "x\0&lt;", 6);
    assert_int_equal(html_escape("\xD0\x96\xE2\x80\x94", 5, out), 5);
    assert_memory_equal(out, "\xD0\x96\xE2\x80\x94", 5);
    /* The worst case is 6 bytes per byte. */
    memset(out, '#', sizeof(out));
    assert_int_equal(html_escape("\"\"\"\"", 4, out), 24);
    assert_memory_equal(out, "&quot;&quot;&quot;&quot;", 24);
    assert_int_equal(out[24], '#');
}

/* Dated aliases: entries share a text on days apart; the page's date
 * picks (glossary_resolve). */
#define NAZ "<entry id=\"nazarbayev\" type=\"person\"><name>Nursultan Nazarbayev</name>\n" \
            " <alias until=\"2019-03-19\">Kazakh President</alias></entry>\n"
#define TOK_FROM(d) "<entry id=\"tokayev\" type=\"person\"><name>Kassym-Jomart Tokayev</name>\n" \
                    " <alias from=\"" d "\">Kazakh President</alias></entry>\n"

static void dated_aliases(void **state)
{
    (void)state;
    int32_t d19, d20, d18;
    assert_int_equal(glossary_parse_date("2019-03-19", 10, &d19), 0);
    assert_int_equal(glossary_parse_date("2019-03-20T08:00:00+06:00", 25, &d20), 0);
    assert_int_equal(glossary_parse_date("2019-03-18 x", 12, &d18), 0);
    assert_int_equal(d20, d19 + 1);
    assert_int_equal(d19, 17974);
    int32_t day;
    assert_int_equal(glossary_parse_date("1970-01-01", 10, &day), 0);
    assert_int_equal(day, 0);
    assert_int_equal(glossary_parse_date("2000-02-29", 10, &day), 0);
    assert_int_equal(glossary_parse_date("1900-02-29", 10, &day), -1);
    assert_int_equal(glossary_parse_date("2019-03-201", 11, &day), -1);
    assert_int_equal(glossary_parse_date("2019-13-01", 10, &day), -1);
    assert_int_equal(glossary_parse_date("2019-03-2", 9, &day), -1);
    char out[11];
    glossary_format_date(d20, out);
    assert_string_equal(out, "2019-03-20");

    struct glossary *g = accepted(HEAD NAZ TOK_FROM("2019-03-20") TAIL);
    assert_non_null(g);
    /* One automaton pattern for the shared text. */
    assert_int_equal(g->npatterns, 3);
    assert_int_equal(g->ndated, 1);
    uint32_t naz = (uint32_t)(find(g, "nazarbayev") - g->entries);
    uint32_t tok = (uint32_t)(find(g, "tokayev") - g->entries);
    uint32_t dated = UINT32_MAX;
    for (size_t i = 0; i < g->matcher->npatterns; i++)
        if (g->matcher->patterns[i].entry & GLOSSARY_DATED)
            dated = g->matcher->patterns[i].entry;
    assert_int_equal(dated, GLOSSARY_DATED);
    assert_int_equal(glossary_resolve(g, dated, d19), naz);
    assert_int_equal(glossary_resolve(g, dated, d20), tok);
    assert_int_equal(glossary_resolve(g, dated, 0), naz);
    assert_int_equal(glossary_resolve(g, naz, d20), naz);
    assert_int_equal(find(g, "tokayev")->aliases[0].from, d20);
    assert_int_equal(find(g, "tokayev")->aliases[0].until, GLOSSARY_DAY_MAX);
    assert_int_equal(find(g, "nazarbayev")->aliases[0].from, GLOSSARY_DAY_MIN);
    glossary_free(g);

    /* A gap: on the days between, the text means no entry. */
    g = accepted(HEAD NAZ TOK_FROM("2019-03-21") TAIL);
    assert_int_equal(glossary_resolve(g, GLOSSARY_DATED, d20), UINT32_MAX);
    glossary_free(g);
    /* A dated alias alone is dated too. */
    g = accepted(HEAD TOK_FROM("2019-03-20") TAIL);
    assert_int_equal(glossary_resolve(g, GLOSSARY_DATED, d19), UINT32_MAX);
    assert_int_equal(glossary_resolve(g, GLOSSARY_DATED, d20), 0);
    glossary_free(g);

    /* Overlapping days (both include 2019-03-19), or an undated one: the
     * duplicate error. */
    rejected(HEAD NAZ TOK_FROM("2019-03-19") TAIL,
             "test.xml:5:2: pattern \"Kazakh President\" of entry \"tokayev\" is already a pattern of entry \"nazarbayev\"");
    rejected(HEAD NAZ "<entry id=\"tokayev\" type=\"person\"><name>Kassym-Jomart Tokayev</name>\n"
             " <alias>Kazakh President</alias></entry>\n" TAIL,
             "test.xml:5:2: pattern \"Kazakh President\" of entry \"tokayev\" is already a pattern of entry \"nazarbayev\"");
    rejected(HEAD NAZ TOK_FROM("2019-03-20")
             "<entry id=\"x\" type=\"term\"><name>X</name>\n <alias from=\"1990-01-01\" until=\"2020-01-01\">Kazakh President</alias></entry>\n" TAIL,
             "test.xml:7:2: pattern \"Kazakh President\" of entry \"x\" is already a pattern of entry \"tokayev\"");
    rejected(HEAD NAZ "<entry id=\"tokayev\" type=\"person\"><name>Kassym-Jomart Tokayev</name>\n"
             " <alias from=\"2019-03-20\" case=\"insensitive\">Kazakh President</alias></entry>\n" TAIL,
             "test.xml:5:2: pattern \"kazakh president\" of entry \"tokayev\" shares a dated pattern of entry "
             "\"nazarbayev\" but is written differently; dated patterns that share a text must be "
             "written alike, with the same case=");
    /* Dates that are not YYYY-MM-DD days. */
    rejected(HEAD NAZ TOK_FROM("2019-3-20") TAIL,
             "test.xml:5:2: alias from=\"2019-3-20\" is not a date: YYYY-MM-DD, as in 2019-03-20");
    rejected(HEAD NAZ TOK_FROM("2019-02-30") TAIL,
             "test.xml:5:2: alias from=\"2019-02-30\" is not a date: YYYY-MM-DD, as in 2019-03-20");
    rejected(HEAD NAZ TOK_FROM("2019-03-20Z") TAIL,
             "test.xml:5:2: alias from=\"2019-03-20Z\" is not a date: YYYY-MM-DD, as in 2019-03-20");
    rejected(HEAD "<entry id=\"x\" type=\"term\"><name>X</name>\n <alias from=\"2020-01-01\" until=\"2019-01-01\">Y</alias></entry>\n" TAIL,
             "test.xml:3:2: alias from= is after its until=: it would mean this entry on no day");
    /* Not on names. */
    rejected(HEAD "<entry id=\"x\" type=\"term\"><name from=\"2020-01-01\">X</name></entry>\n" TAIL,
             rejection(HEAD "<entry id=\"x\" type=\"term\"><name from=\"2020-01-01\">X</name></entry>\n" TAIL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_glossary_loads),
        cmocka_unit_test(shipped_glossary_from_memory_has_the_same_hash),
        cmocka_unit_test(find_by_id),
        cmocka_unit_test(not_well_formed),
        cmocka_unit_test(invalid_utf8),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(file_errors_name_the_file),
        cmocka_unit_test(size_limit),
        cmocka_unit_test(error_buffer_is_bounded),
        cmocka_unit_test(wrong_namespace_or_root),
        cmocka_unit_test(unknown_elements_and_attributes),
        cmocka_unit_test(names),
        cmocka_unit_test(repeated_elements),
        cmocka_unit_test(types),
        cmocka_unit_test(ids),
        cmocka_unit_test(positions_with_crlf_and_tabs),
        cmocka_unit_test(duplicate_ids),
        cmocka_unit_test(duplicate_patterns),
        cmocka_unit_test(see_references),
        cmocka_unit_test(links),
        cmocka_unit_test(pattern_length),
        cmocka_unit_test(lang_and_order),
        cmocka_unit_test(doctypes_are_rejected),
        cmocka_unit_test(billion_laughs),
        cmocka_unit_test(xxe_reads_nothing),
        cmocka_unit_test(doctype_position_is_its_start),
        cmocka_unit_test(xinclude_is_not_followed),
        cmocka_unit_test(special_characters_are_escaped),
        cmocka_unit_test(titles_fold_whitespace),
        cmocka_unit_test(html_escape_output),
        cmocka_unit_test(inflected_aliases),
        cmocka_unit_test(inflected_alias_errors),
        cmocka_unit_test(dated_aliases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
