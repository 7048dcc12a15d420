/* What the engine gives the module's backlinks: the entries a page linked
 * and its <title> (annotator_linked_entries, annotator_title), and the
 * "Articles that mention X" section and JSON fields of the entry pages
 * (page_entry_backlinks, json_entry_backlinks). */
#include "testing.h"

#include "charset.h"
#include "pages.h"

static const char glossary_xml[] =
    "<glossary xmlns=\"urn:briefing:glossary:1\" xml:lang=\"en\">\n"
    " <entry id=\"lukashenko\" type=\"person\"><name>Aleksandr Lukashenko</name>"
    "<alias>Lukashenko</alias><summary>President of Belarus since 1994.</summary></entry>\n"
    " <entry id=\"un\" type=\"organization\"><name>United Nations</name><alias>UN</alias></entry>\n"
    " <entry id=\"belarus\" type=\"place\"><name>Belarus</name><alias>Беларусь</alias></entry>\n"
    " <entry id=\"amp\" type=\"term\"><name>A &amp; &lt;B&gt;</name></entry>\n"
    "</glossary>\n";

static struct glossary *g;

static int setup(void **state)
{
    (void)state;
    g = load_glossary_text(glossary_xml);
    return g ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    glossary_free(g);
    return 0;
}

static int discard(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    (void)p;
    (void)n;
    return 0;
}

struct seen {
    char title[ANNOTATOR_TITLE_MAX + 1];
    char ids[256];               /* the linked ids, space-separated */
};

/* Annotates `page` in chunks of `chunk` bytes (0: whole) and reports what
 * the annotator saw. */
static struct seen seen_in(const char *page, size_t chunk, struct annotate_options o)
{
    char err[256];
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    assert_non_null(c);
    struct annotator *a = annotator_new(g, c, discard, NULL);
    assert_non_null(a);
    size_t len = strlen(page);
    if (!chunk)
        chunk = len ? len : 1;
    for (size_t at = 0; at < len; at += chunk)
        assert_int_equal(annotator_write(a, page + at, len - at < chunk ? len - at : chunk), 0);
    assert_int_equal(annotator_finish(a), 0);
    struct seen s = {{0}, {0}};
    snprintf(s.title, sizeof(s.title), "%s", annotator_title(a));
    uint32_t ids[8];
    size_t n = annotator_linked_entries(a, ids, 8);
    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++) {
        strcat(s.ids, i ? " " : "");
        strcat(s.ids, g->entries[ids[i]].id);
    }
    annotator_free(a);
    annotate_config_free(c);
    return s;
}

/* Every way of splitting the page gives the same title and entries. */
static void expect_seen(const char *page, const char *title, const char *ids)
{
    struct annotate_options o = {.mentions = MENTIONS_FIRST};
    for (size_t chunk = 0; chunk <= 40; chunk++) {
        struct seen s = seen_in(page, chunk, o);
        if (strcmp(s.title, title) || strcmp(s.ids, ids))
            fail_msg("chunk %zu: title \"%s\", entries \"%s\"; wanted \"%s\", \"%s\"", chunk,
                     s.title, s.ids, title, ids);
    }
}

static void title_and_entries(void **state)
{
    (void)state;
    expect_seen("<html><head><title>Working visit</title></head><body><p>UN and Belarus, "
                "UN again, and Lukashenko.</p>",
                "Working visit", "lukashenko un belarus");
    expect_seen("<p>No title; Lukashenko.</p>", "", "lukashenko");
    expect_seen("<title>Nothing mentioned</title><p>Nobody.", "Nothing mentioned", "");
    /* The title's own text is never annotated, nor counted. */
    expect_seen("<title>UN</title><p>x", "UN", "");
}

static void title_text(void **state)
{
    (void)state;
    /* References decoded (as in text: &copy2 is ©2), whitespace folded. */
    expect_seen("<title>\n  A &amp; B &lt;i&gt; &copy2016 &#x41b;&#1091;\t&quot;x&quot;  </title>",
                "A & B <i> ©2016 Лу \"x\"", "");
    /* Attributes with '>' in quotes, upper case, an end tag with spaces. */
    expect_seen("<TITLE lang=\"a>b\" data-x='>'>Real</TITLE >", "Real", "");
    expect_seen("<title>a </titles> b</title>", "a </titles> b", "");
    expect_seen("<title>one</title><title>two</title>", "one", "");
    /* Looked for before the body only (a head's end is no end). */
    expect_seen("<head></head><title>Late</title><body>", "Late", "");
    expect_seen("<body><title>In the body</title><p>UN", "", "un");
    /* Controls dropped, invalid UTF-8 replaced. */
    expect_seen("<title>a\x01" "b \xff c</title>", "ab \xef\xbf\xbd c", "");
    /* SVG's title is not the page's. */
    expect_seen("<svg><title>Icon</title></svg><title>Page</title>", "Page", "");
    /* Markup inside is text: a title is raw text. */
    expect_seen("<title><b>bold</b> <!-- c --></title>", "<b>bold</b> <!-- c -->", "");
    /* Unterminated: no title. */
    expect_seen("<title>Never ends", "", "");
    expect_seen("<title></title>", "", "");
}

static void title_is_bounded(void **state)
{
    (void)state;
    /* Cut at ANNOTATOR_TITLE_MAX bytes, at a character boundary. */
    char page[4096] = "<title>";
    for (int i = 0; i < 200; i++)
        strcat(page, "Ж");
    strcat(page, "</title><p>UN");
    char want[ANNOTATOR_TITLE_MAX + 1] = "";
    for (int i = 0; i < ANNOTATOR_TITLE_MAX / 2; i++)
        strcat(want, "Ж");
    expect_seen(page, want, "un");
    /* Longer than what is kept raw: still the first characters. */
    char big[8192] = "<title>";
    for (int i = 0; i < 700; i++)
        strcat(big, "ab ");
    strcat(big, "</title><p>UN");
    struct seen s = seen_in(big, 7, (struct annotate_options){0});
    assert_int_equal(strlen(s.title), 299);
    assert_int_equal(strncmp(s.title, "ab ab ", 6), 0);
    assert_string_equal(s.ids, "un");
    /* The end of what is kept raw cuts a reference in two: it goes. */
    char refs[4096] = "<title>";
    for (int i = 0; i < 150; i++)
        strcat(refs, "&#x41b;");
    strcat(refs, "x</title>");
    s = seen_in(refs, 3, (struct annotate_options){0});
    assert_int_equal(strlen(s.title), 2 * 146);
    assert_string_equal(s.title + 2 * 145, "Л");
    /* ... and the end tag cut off after what is kept, too. */
    char tail[4096] = "<title>";
    for (int i = 0; i < 204; i++)
        strcat(tail, "&amp;");
    strcat(tail, "x</title>");
    s = seen_in(tail, 3, (struct annotate_options){0});
    assert_int_equal(strlen(s.title), 205);
    assert_string_equal(s.title + 202, "&&x");
    /* Looked for in the first 64 KB only. */
    size_t n = 70 * 1024;
    char *late = malloc(n + 64);
    assert_non_null(late);
    memset(late, ' ', n);
    strcpy(late + n, "<title>Late</title><p>UN");
    s = seen_in(late, 4096, (struct annotate_options){0});
    assert_string_equal(s.title, "");
    assert_string_equal(s.ids, "un");
    free(late);
}

static void title_in_page_charset(void **state)
{
    (void)state;
    /* windows-1251: "Минск" and a mention of Беларусь, both decoded. */
    const char *page = "<meta charset=\"windows-1251\"><title>\xcc\xe8\xed\xf1\xea &amp; co</title>"
                       "<p>\xc1\xe5\xeb\xe0\xf0\xf3\xf1\xfc</p>";
    struct seen s = seen_in(page, 0, (struct annotate_options){.sniff_charset = 1});
    assert_string_equal(s.title, "Минск & co");
    assert_string_equal(s.ids, "belarus");
    s = seen_in(page, 5, (struct annotate_options){.charset = "windows-1251"});
    assert_string_equal(s.title, "Минск & co");
}

static void linked_entries_follow_links(void **state)
{
    (void)state;
    /* The cap: only what was linked counts. */
    struct seen s = seen_in("<p>UN, Belarus, Lukashenko</p>", 0,
                            (struct annotate_options){.max_links = 2});
    assert_string_equal(s.ids, "un belarus");
    /* Types left out are not there. */
    s = seen_in("<p>UN, Belarus, Lukashenko</p>", 0,
                (struct annotate_options){.type_mask = 1u << ENTRY_PLACE});
    assert_string_equal(s.ids, "belarus");
    /* `all` links every mention, each entry counted once. */
    s = seen_in("<p>UN UN UN Belarus</p>", 1, (struct annotate_options){.mentions = MENTIONS_ALL});
    assert_string_equal(s.ids, "un belarus");
    /* A page in a charset not read is passed through: nothing linked. */
    s = seen_in("<title>t</title><p>UN</p>", 0, (struct annotate_options){.charset = "shift_jis"});
    assert_string_equal(s.ids, "");
    assert_string_equal(s.title, "");
    /* cap smaller than the count: the count is still whole. */
    char err[256];
    struct annotate_options o = {0};
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    struct annotator *a = annotator_new(g, c, discard, NULL);
    const char *page = "<p>UN, Belarus, Lukashenko</p>";
    annotator_write(a, page, strlen(page));
    annotator_finish(a);
    uint32_t one[1];
    assert_int_equal(annotator_linked_entries(a, one, 1), 3);
    assert_int_equal(annotator_linked_entries(a, NULL, 0), 3);
    annotator_free(a);
    annotate_config_free(c);
}

/* ---- pages ---- */

static const struct entry *find(const char *id)
{
    const struct entry *e = glossary_find(g, id, strlen(id));
    assert_non_null(e);
    return e;
}

static char *render(int json, const char *id, const struct backlinks *bl)
{
    struct strbuf b;
    sb_init(&b);
    if (json)
        json_entry_backlinks(g, find(id), "/glossary/", bl, &b);
    else
        page_entry_backlinks(g, find(id), "/glossary/", bl, &b);
    assert_false(b.failed);
    sb_add(&b, "", 1);
    return b.data;
}

static void without_backlinks_pages_stay_the_same(void **state)
{
    (void)state;
    for (size_t i = 0; i < g->nentries; i++) {
        struct strbuf a, b;
        sb_init(&a);
        sb_init(&b);
        page_entry(g, &g->entries[i], "/glossary/", &a);
        page_entry_backlinks(g, &g->entries[i], "/glossary/", NULL, &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        sb_release(&a);
        sb_release(&b);
        sb_init(&a);
        sb_init(&b);
        json_entry(g, &g->entries[i], "/glossary/", &a);
        json_entry_backlinks(g, &g->entries[i], "/glossary/", NULL, &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        sb_release(&a);
        sb_release(&b);
    }
}

static const struct backlink items[] = {
    {"/news/visit.html", "Working visit to <Kazakhstan> & \"more\"", 1464652800},   /* 2016-05-31 */
    {"/news/untitled.html?a=1&b=\"2\"", "", 1464566400},
    {"javascript:alert(1)", "Evil", 1464480000},
    {"//evil.example/x", "Protocol-relative", 1464480000},
    {"https://example.org/a", "Elsewhere", 0},
};

static void section_lists_escaped(void **state)
{
    (void)state;
    struct backlinks bl = {items, 5, 1, 0, 0};
    char *html = render(0, "amp", &bl);
    assert_non_null(strstr(html, "<section class=\"briefing-backlinks\" aria-labelledby=\"briefing-backlinks\">\n"
                                 "<h2 id=\"briefing-backlinks\">Articles that mention A &amp; &lt;B&gt;</h2>\n"
                                 "<ul class=\"briefing-related briefing-articles\">\n"
                                 "<li><a href=\"/news/visit.html\">Working visit to &lt;Kazakhstan&gt; &amp; "
                                 "&quot;more&quot;</a> <time datetime=\"2016-05-31\">31 May 2016</time></li>\n"
                                 "<li><a href=\"/news/untitled.html?a=1&amp;b=&quot;2&quot;\">"
                                 "/news/untitled.html?a=1&amp;b=&quot;2&quot;</a> "
                                 "<time datetime=\"2016-05-30\">30 May 2016</time></li>\n"
                                 "<li><span>Evil</span> <time datetime=\"2016-05-29\">29 May 2016</time></li>\n"
                                 "<li><span>Protocol-relative</span> <time datetime=\"2016-05-29\">29 May 2016</time></li>\n"
                                 "<li><a href=\"https://example.org/a\">Elsewhere</a></li>\n"
                                 "</ul>\n</section>\n"));
    assert_null(strstr(html, "javascript:"));
    assert_null(strstr(html, "briefing-pager"));
    /* Before the external links, after the related entries. */
    free(html);
}

static void section_pages(void **state)
{
    (void)state;
    struct backlinks first = {items, 1, 1, 1, 0};
    char *html = render(0, "un", &first);
    assert_non_null(strstr(html, "<nav class=\"briefing-pager\" aria-label=\"More articles\">"
                                 "<a rel=\"next\" href=\"/glossary/un?page=2\">Older articles</a></nav>\n"));
    free(html);
    struct backlinks middle = {items, 1, 2, 1, 0};
    html = render(0, "un", &middle);
    assert_non_null(strstr(html, "<a rel=\"prev\" href=\"/glossary/un\">Newer articles</a> · "
                                 "<a rel=\"next\" href=\"/glossary/un?page=3\">Older articles</a>"));
    free(html);
    struct backlinks past = {NULL, 0, 9, 0, 0};
    html = render(0, "un", &past);
    assert_non_null(strstr(html, "<p class=\"briefing-none\">No older articles.</p>\n"
                                 "<nav class=\"briefing-pager\" aria-label=\"More articles\">"
                                 "<a rel=\"prev\" href=\"/glossary/un?page=8\">Newer articles</a></nav>"));
    free(html);
    struct backlinks none = {NULL, 0, 1, 0, 0};
    html = render(0, "un", &none);
    assert_non_null(strstr(html, "<p class=\"briefing-none\">No article mentions United Nations yet.</p>"));
    free(html);
    struct backlinks unavailable = {NULL, 0, 1, 0, 1};
    html = render(0, "un", &unavailable);
    assert_null(strstr(html, "briefing-backlinks"));
    free(html);
}

static void json_fields(void **state)
{
    (void)state;
    struct backlinks bl = {items, 2, 1, 1, 0};
    char *json = render(1, "un", &bl);
    assert_non_null(strstr(json, ",\"links\":[],\"backlinks\":["
                                 "{\"url\":\"/news/visit.html\",\"title\":\"Working visit to \\u003cKazakhstan\\u003e \\u0026 \\\"more\\\"\","
                                 "\"date\":\"2016-05-31T00:00:00Z\"},"
                                 "{\"url\":\"/news/untitled.html?a=1\\u0026b=\\\"2\\\"\",\"title\":\"\","
                                 "\"date\":\"2016-05-30T00:00:00Z\"}],"
                                 "\"backlinks_page\":1,\"backlinks_next\":\"/glossary/un.json?page=2\"}\n"));
    free(json);
    struct backlinks last = {items + 4, 1, 3, 0, 0};
    json = render(1, "un", &last);
    assert_non_null(strstr(json, "\"backlinks\":[{\"url\":\"https://example.org/a\",\"title\":\"Elsewhere\","
                                 "\"date\":null}],\"backlinks_page\":3,\"backlinks_next\":null}\n"));
    free(json);
    struct backlinks unavailable = {NULL, 0, 1, 0, 1};
    json = render(1, "un", &unavailable);
    assert_non_null(strstr(json, "\"backlinks\":null,\"backlinks_page\":1,\"backlinks_next\":null}\n"));
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(title_and_entries),
        cmocka_unit_test(title_text),
        cmocka_unit_test(title_is_bounded),
        cmocka_unit_test(title_in_page_charset),
        cmocka_unit_test(linked_entries_follow_links),
        cmocka_unit_test(without_backlinks_pages_stay_the_same),
        cmocka_unit_test(section_lists_escaped),
        cmocka_unit_test(section_pages),
        cmocka_unit_test(json_fields),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
