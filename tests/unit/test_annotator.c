/* The annotator on the tricky text of SPEC §3 and §3.1, exact bytes. */
#include "testing.h"

static const char glossary_xml[] =
    "<glossary xmlns=\"urn:briefing:glossary:1\" xml:lang=\"en\">\n"
    " <entry id=\"lukashenko\" type=\"person\"><name>Aleksandr Lukashenko</name>"
    "<alias>Lukashenko</alias><summary>President of Belarus since 1994.</summary></entry>\n"
    " <entry id=\"un\" type=\"organization\"><name>United Nations</name><alias>UN</alias></entry>\n"
    " <entry id=\"council\" type=\"organization\"><name>Supreme Eurasian Economic Council</name></entry>\n"
    " <entry id=\"ee\" type=\"term\"><name>Eurasian Economic</name></entry>\n"
    " <entry id=\"eeu\" type=\"organization\"><name>Eurasian Economic Union</name>"
    "<alias case=\"insensitive\">Евразийский экономический союз</alias></entry>\n"
    " <entry id=\"belarus\" type=\"place\"><name>Belarus</name><alias>Беларусь</alias>"
    "<summary>A \"country\" &amp; &lt;state&gt;.</summary></entry>\n"
    " <entry id=\"changsha\" type=\"place\"><name>Hunan’s capital</name></entry>\n"
    "</glossary>\n";

#define A_UN "<a class=\"briefing briefing-organization\" href=\"/glossary/un\" " \
             "data-briefing-id=\"un\" title=\"United Nations\">"
#define A_LUK "<a class=\"briefing briefing-person\" href=\"/glossary/lukashenko\" " \
              "data-briefing-id=\"lukashenko\" " \
              "title=\"Aleksandr Lukashenko — President of Belarus since 1994.\">"
#define A_COUNCIL "<a class=\"briefing briefing-organization\" href=\"/glossary/council\" " \
                  "data-briefing-id=\"council\" title=\"Supreme Eurasian Economic Council\">"
#define A_EE "<a class=\"briefing briefing-term\" href=\"/glossary/ee\" " \
             "data-briefing-id=\"ee\" title=\"Eurasian Economic\">"
#define A_EEU "<a class=\"briefing briefing-organization\" href=\"/glossary/eeu\" " \
              "data-briefing-id=\"eeu\" title=\"Eurasian Economic Union\">"
#define A_BY "<a class=\"briefing briefing-place\" href=\"/glossary/belarus\" " \
             "data-briefing-id=\"belarus\" " \
             "title=\"Belarus — A &quot;country&quot; &amp; &lt;state&gt;.\">"
#define A_CS "<a class=\"briefing briefing-place\" href=\"/glossary/changsha\" " \
             "data-briefing-id=\"changsha\" title=\"Hunan’s capital\">"
#define END "</a>"

static struct glossary *g, *group_glossary;

static int setup(void **state)
{
    (void)state;
    g = group_glossary = load_glossary_text(glossary_xml);
    return g ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    glossary_free(g);
    return 0;
}

/* After a test that annotates with a glossary of its own, passed or
 * failed: the group's again. */
static int own_glossary_done(void **state)
{
    (void)state;
    if (g != group_glossary)
        glossary_free(g);
    g = group_glossary;
    return 0;
}

static struct annotate_config *config(struct annotate_options o)
{
    char err[256];
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    if (!c)
        fail_msg("config: %s", err);
    return c;
}

/* Annotates whole, then at every chunk size from 1 to 64 with and without
 * flushes: every way must give the same bytes.  (A flush while the charset
 * is still being sniffed forces the decision, as a browser's timeout does,
 * so pages that sniff are split without flushes.) */
static void expect_with(struct annotate_options o, const char *page, const char *expected)
{
    struct annotate_config *c = config(o);
    size_t len = strlen(page);
    char *whole = annotate_chunked(g, c, page, len, 0, 0, NULL);
    assert_string_equal(whole, expected);
    for (size_t chunk = 1; chunk <= 64; chunk++) {
        char *split = annotate_chunked(g, c, page, len, chunk, !o.sniff_charset && chunk % 2, NULL);
        if (strcmp(split, expected) != 0)
            fail_msg("chunk size %zu gives\n%s\ninstead of\n%s", chunk, split, expected);
        free(split);
    }
    free(whole);
    annotate_config_free(c);
}

static void expect(const char *page, const char *expected)
{
    expect_with((struct annotate_options){.mentions = MENTIONS_ALL}, page, expected);
}

static void unchanged(const char *page)
{
    expect(page, page);
}

static void unchanged_with(struct annotate_options o, const char *page)
{
    expect_with(o, page, page);
}

static void un_needs_word_boundaries(void **state)
{
    (void)state;
    expect("<p>The UN's view (UN) on UNESCO in Hunan, UN.</p>",
           "<p>The " A_UN "UN" END "'s view (" A_UN "UN" END ") on UNESCO in Hunan, "
           A_UN "UN" END ".</p>");
    unchanged("<p>UNESCO un Un uN UN_ UN2 UN² UN&shy;ESCO UN\xC2\xADX _UN 2UN</p>");
}

static void text_runs_start_and_end_at_markup(void **state)
{
    (void)state;
    expect("<b>UN</b>ESCO", "<b>" A_UN "UN" END "</b>ESCO");
    expect("UN", A_UN "UN" END);
    expect("x<br>UN<br>x", "x<br>" A_UN "UN" END "<br>x");
}

static void references_are_decoded_and_kept(void **state)
{
    (void)state;
    expect("<p>Aleksandr&nbsp;Lukashenko</p>",
           "<p>" A_LUK "Aleksandr&nbsp;Lukashenko" END "</p>");
    expect("<p>&#85;&#x4e; and &#x55;N</p>",
           "<p>" A_UN "&#85;&#x4e;" END " and " A_UN "&#x55;N" END "</p>");
    expect("<p>Aleksandr&#32;&#x20;&nbsp; Lukashenko&amp;</p>",
           "<p>" A_LUK "Aleksandr&#32;&#x20;&nbsp; Lukashenko" END "&amp;</p>");
    /* A no-break space written as a reference, in each form, alone or in
     * a run, inside a name and after it; forms that are not one (wrong
     * case, no semicolon: a legacy reference all the same) as the
     * references decode. */
    expect("<p>Aleksandr&#160;Lukashenko, Aleksandr&#xA0;Lukashenko&#Xa0;x</p>",
           "<p>" A_LUK "Aleksandr&#160;Lukashenko" END ", " A_LUK "Aleksandr&#xA0;Lukashenko"
           END "&#Xa0;x</p>");
    expect("<p>Aleksandr &nbsp;\n&#xa0; Lukashenko&nbsp;Lukashenko&nbsp;</p>",
           "<p>" A_LUK "Aleksandr &nbsp;\n&#xa0; Lukashenko" END "&nbsp;" A_LUK "Lukashenko"
           END "&nbsp;</p>");
    expect("<p>Aleksandr&NBSP;Lukashenko Aleksandr&nbspLukashenko Aleksandr&nbsp Lukashenko</p>",
           "<p>Aleksandr&NBSP;" A_LUK "Lukashenko" END " " A_LUK "Aleksandr&nbspLukashenko" END
           " " A_LUK "Aleksandr&nbsp Lukashenko" END "</p>");
    /* Unknown and legacy references decode to text that has boundaries. */
    expect("<p>&UN; &amp;UN &ampUN &#85N</p>",
           "<p>&" A_UN "UN" END "; &amp;" A_UN "UN" END " &amp" A_UN "UN" END " " A_UN "&#85N" END "</p>");
}

static void whitespace_runs_match_one_space(void **state)
{
    (void)state;
    expect("<p>Aleksandr\n      Lukashenko</p>", "<p>" A_LUK "Aleksandr\n      Lukashenko" END "</p>");
    expect("<p>Aleksandr\xC2\xA0\t\r\nLukashenko</p>",
           "<p>" A_LUK "Aleksandr\xC2\xA0\t\r\nLukashenko" END "</p>");
    expect("<p>Aleksandr\xE3\x80\x80Lukashenko</p>",
           "<p>" A_LUK "Aleksandr\xE3\x80\x80Lukashenko" END "</p>");
}

static void mentions_never_span_markup(void **state)
{
    (void)state;
    expect("<p><b>Aleksandr</b> Lukashenko</p>", "<p><b>Aleksandr</b> " A_LUK "Lukashenko" END "</p>");
    expect("<p>Aleksandr<!-- --> Lukashenko</p>", "<p>Aleksandr<!-- --> " A_LUK "Lukashenko" END "</p>");
}

static void leftmost_longest(void **state)
{
    (void)state;
    expect("<p>the Supreme Eurasian Economic Council met</p>",
           "<p>the " A_COUNCIL "Supreme Eurasian Economic Council" END " met</p>");
    expect("<p>Eurasian Economic Union</p>", "<p>" A_EEU "Eurasian Economic Union" END "</p>");
    expect("<p>Eurasian Economic Unionist</p>", "<p>" A_EE "Eurasian Economic" END " Unionist</p>");
    expect("<p>Supreme Eurasian Economic Union</p>",
           "<p>Supreme " A_EEU "Eurasian Economic Union" END "</p>");
}

static void case_insensitive_cyrillic(void **state)
{
    (void)state;
    expect("<p>ЕВРАЗИЙСКИЙ  ЭКОНОМИЧЕСКИЙ союз и Беларусь</p>",
           "<p>" A_EEU "ЕВРАЗИЙСКИЙ  ЭКОНОМИЧЕСКИЙ союз" END " и " A_BY "Беларусь" END "</p>");
    unchanged("<p>БЕЛАРУСЬ Беларуси Беларусью</p>");
    /* Words of two-byte characters passed over whole, beside three-byte
     * ones, a no-break space and two-byte punctuation. */
    expect("<p>Президент\xC2\xA0Беларусь, «Беларусь», Ἀθῆναι-Беларусь; Беларусьы Беларусь</p>",
           "<p>Президент\xC2\xA0" A_BY "Беларусь" END ", «" A_BY "Беларусь" END "», Ἀθῆναι-"
           A_BY "Беларусь" END "; Беларусьы " A_BY "Беларусь" END "</p>");
    /* Three-byte punctuation passed over too; a three-byte word character
     * (U+FEFF, not at the start) still joins the word after it. */
    expect("<p>“Беларусь”—Беларусь…\xEF\xBB\xBFБеларусь\xE3\x80\x80Беларусь</p>",
           "<p>“" A_BY "Беларусь" END "”—" A_BY "Беларусь" END "…\xEF\xBB\xBFБеларусь\xE3\x80\x80"
           A_BY "Беларусь" END "</p>");
}

/* A name whose first four bytes are ASCII and the next four not: the
 * words before its first non-ASCII character are not turned away. */
static void ascii_then_not(void **state)
{
    (void)state;
    expect("<p>Hunan’s capital, Hunan’s capitals, Hunan's capital</p>",
           "<p>" A_CS "Hunan’s capital" END ", Hunan’s capitals, Hunan's capital</p>");
}

static void skipped_places(void **state)
{
    (void)state;
    unchanged("<a href=\"/x\">UN</a><h1>UN</h1><h6>UN</h6><code>UN</code><pre>UN</pre>"
              "<button>UN</button><var>UN</var><kbd>UN</kbd><samp>UN</samp><abbr>UN</abbr>"
              "<label>UN</label><select><option>UN</select><template>UN</template>");
    unchanged("<script>var s = \"UN\";</script><style>/* UN */</style><title>UN</title>"
              "<textarea>UN</textarea><xmp>UN</xmp><iframe>UN</iframe><noscript>UN</noscript>"
              "<noembed>UN</noembed><noframes>UN</noframes>");
    unchanged("<p title=\"UN\" data-x='UN' class=UN>x</p><!-- UN --><!DOCTYPE UN><?UN?>");
    unchanged("<head><meta charset=utf-8>UN</head>");
    expect("<head><title>t</title></head><body><p>UN</p></body>",
           "<head><title>t</title></head><body><p>" A_UN "UN" END "</p></body>");
    expect("<head><title>t</title><p>UN", "<head><title>t</title><p>" A_UN "UN" END);
}

static void plaintext_takes_the_rest(void **state)
{
    (void)state;
    unchanged("<plaintext>UN</plaintext><p>UN</p>");
}

static void raw_text_ends_by_html5_rules(void **state)
{
    (void)state;
    expect("<script>x</script >UN", "<script>x</script >" A_UN "UN" END);
    expect("<script>x</SCRIPT/>UN", "<script>x</SCRIPT/>" A_UN "UN" END);
    expect("<script>x</scriptx>UN</script>UN", "<script>x</scriptx>UN</script>" A_UN "UN" END);
    expect("<style>a</style\tfoo=\">\">UN", "<style>a</style\tfoo=\">\">" A_UN "UN" END);
    expect("<script><!--<script>UN</script>UN-->x</script>UN",
           "<script><!--<script>UN</script>UN-->x</script>" A_UN "UN" END);
    expect("<script><!--</script>UN", "<script><!--</script>" A_UN "UN" END);
    expect("<title>a</title>UN", "<title>a</title>" A_UN "UN" END);
}

static void comments_by_html5_rules(void **state)
{
    (void)state;
    expect("<!--UN-->UN", "<!--UN-->" A_UN "UN" END);
    expect("<!-->UN", "<!-->" A_UN "UN" END);
    expect("<!--->UN", "<!--->" A_UN "UN" END);
    expect("<!-- a --!>UN", "<!-- a --!>" A_UN "UN" END);
    expect("<!-- -- > UN -->UN", "<!-- -- > UN -->" A_UN "UN" END);
    expect("<![CDATA[UN]]>UN", "<![CDATA[UN]]>" A_UN "UN" END);
    expect("</ UN>UN", "</ UN>" A_UN "UN" END);
    expect("</>UN", "</>" A_UN "UN" END);
}

static void less_than_that_is_text(void **state)
{
    (void)state;
    expect("<p>1 < 2 UN <3</p>", "<p>1 < 2 " A_UN "UN" END " <3</p>");
    expect("UN<", A_UN "UN" END "<");
}

static void foreign_content(void **state)
{
    (void)state;
    expect("<svg><title>UN</title><style>x</style><![CDATA[</svg>UN]]></svg>UN",
           "<svg><title>UN</title><style>x</style><![CDATA[</svg>UN]]></svg>" A_UN "UN" END);
    expect("<math><mi>UN</mi></math><p>UN", "<math><mi>UN</mi></math><p>" A_UN "UN" END);
    expect("<svg><path/>UN</svg>UN", "<svg><path/>UN</svg>" A_UN "UN" END);
    /* In HTML, /> on a non-void element is ignored: the span stays open. */
    expect_with((struct annotate_options){.mentions = MENTIONS_ALL,
                                          .skip = (const char *const[]){"span", NULL}},
                "<span/>UN</span>UN", "<span/>UN</span>" A_UN "UN" END);
}

static void opting_out(void **state)
{
    (void)state;
    unchanged("<div data-briefing=\"off\"><p>UN <b>UN</b></p></div>");
    unchanged("<div data-briefing=OFF>UN</div><div data-briefing=\"&#111;ff\">UN</div>");
    expect("<div data-briefing=\"off\">UN</div>UN", "<div data-briefing=\"off\">UN</div>" A_UN "UN" END);
    expect("<div data-briefing=\" off\">UN</div>", "<div data-briefing=\" off\">" A_UN "UN" END "</div>");
    expect("<div data-briefing=\"on\" data-briefing=\"off\">UN</div>",
           "<div data-briefing=\"on\" data-briefing=\"off\">" A_UN "UN" END "</div>");
}

static void tag_soup_never_leaks_a_skip(void **state)
{
    (void)state;
    expect("</pre>UN", "</pre>" A_UN "UN" END);
    unchanged("<pre>x</p>UN</div>UN</pre>");
    expect("<pre>x</pre></pre>UN", "<pre>x</pre></pre>" A_UN "UN" END);
    /* An unclosed code is reopened by browsers in the next paragraph. */
    unchanged("<p><code>x<p>UN</p>");
    expect("<div><code>x</div>UN</code>UN", "<div><code>x</div>UN</code>" A_UN "UN" END);
    expect("<table><tr><td><code>x</td><td>UN</td></tr></table>",
           "<table><tr><td><code>x</td><td>" A_UN "UN" END "</td></tr></table>");
    expect("<h1>x<p>UN</h1>UN", "<h1>x<p>UN</h1>" A_UN "UN" END);
    expect("<a href=x>UN</b>UN</a>UN", "<a href=x>UN</b>UN</a>" A_UN "UN" END);
    unchanged("<a href=x><div>UN</div>");
}

static void implied_end_tags(void **state)
{
    (void)state;
    expect("<ul><li><code>x<li>UN</ul>", "<ul><li><code>x<li>UN</ul>");
    /* abbr is not a formatting element: browsers do not reopen it. */
    expect("<dl><dt><abbr>x<dd>UN</dl>", "<dl><dt><abbr>x<dd>" A_UN "UN" END "</dl>");
    expect("<ul><li><kbd>x<li>UN</ul>", "<ul><li><kbd>x<li>" A_UN "UN" END "</ul>");
    expect("<select><option>UN<option>UN</select>UN", "<select><option>UN<option>UN</select>" A_UN "UN" END);
    expect("<table><tr><td><pre>x<tr><td>UN</table>", "<table><tr><td><pre>x<tr><td>" A_UN "UN" END "</table>");
}

static void table_text_is_left_alone(void **state)
{
    (void)state;
    expect("<table>UN<tbody>UN<tr>UN<td>UN</td><th>UN</th></tr></tbody><caption>UN</caption></table>",
           "<table>UN<tbody>UN<tr>UN<td>" A_UN "UN" END "</td><th>" A_UN "UN" END
           "</th></tr></tbody><caption>" A_UN "UN" END "</caption></table>");
    unchanged("<frameset>UN</frameset>");
}

static void invalid_utf8_is_a_boundary(void **state)
{
    (void)state;
    expect("\xFFUN\x80 \xC3UN\xE2\x82", "\xFF" A_UN "UN" END "\x80 \xC3" A_UN "UN" END "\xE2\x82");
    expect("UN\xED\xA0\x80", A_UN "UN" END "\xED\xA0\x80");
    unchanged("\xC3\xA9UN");
}

static void nul_bytes_pass_through(void **state)
{
    (void)state;
    struct annotate_config *c = config((struct annotate_options){.mentions = MENTIONS_ALL});
    static const char page[] = "<p\0>UN\0UN</p>";
    size_t out_len;
    char *out = annotate_chunked(g, c, page, sizeof(page) - 1, 3, 0, &out_len);
    static const char expected[] = "<p\0>" A_UN "UN" END "\0" A_UN "UN" END "</p>";
    assert_int_equal(out_len, sizeof(expected) - 1);
    assert_memory_equal(out, expected, out_len);
    free(out);
    annotate_config_free(c);
}

static void first_mentions_only_by_default(void **state)
{
    (void)state;
    expect_with((struct annotate_options){0},
                "<p>Aleksandr Lukashenko and UN; Aleksandr Lukashenko, Lukashenko, UN.</p>",
                "<p>" A_LUK "Aleksandr Lukashenko" END " and " A_UN "UN" END
                "; Aleksandr Lukashenko, Lukashenko, UN.</p>");
}

/* The mentions counted on the page: those after the link that exhausts
 * the page are not. */
static unsigned mentions_counted(struct annotate_options o, const char *page)
{
    struct annotate_config *c = config(o);
    struct output out = {0};
    struct annotator *a = annotator_new(g, c, output_sink, &out);
    assert_non_null(a);
    assert_int_equal(annotator_write(a, page, strlen(page)), 0);
    assert_int_equal(annotator_finish(a), 0);
    unsigned mentions = annotator_stats(a)->mentions;
    annotator_free(a);
    free(out.data);
    annotate_config_free(c);
    return mentions;
}

static void a_cap_on_links(void **state)
{
    (void)state;
    expect_with((struct annotate_options){.mentions = MENTIONS_ALL, .max_links = 2},
                "<p>UN, UN, Lukashenko, UN</p>",
                "<p>" A_UN "UN" END ", " A_UN "UN" END ", Lukashenko, UN</p>");
    /* With first mentions, whichever of the cap and the entries comes
     * first ends the linking. */
    expect_with((struct annotate_options){.mentions = MENTIONS_FIRST, .max_links = 1},
                "<p>UN, UN, Lukashenko, UN</p>", "<p>" A_UN "UN" END ", UN, Lukashenko, UN</p>");
    expect_with((struct annotate_options){.mentions = MENTIONS_FIRST, .max_links = 50},
                "<p>UN, UN, Lukashenko, UN, Lukashenko</p>",
                "<p>" A_UN "UN" END ", UN, " A_LUK "Lukashenko" END ", UN, Lukashenko</p>");
    /* The link that reaches the cap ends the looking. */
    const char *page = "<p>UN, UN, Lukashenko, UN</p>";
    assert_int_equal(mentions_counted((struct annotate_options){.mentions = MENTIONS_ALL,
                                                                .max_links = 2}, page), 2);
    assert_int_equal(mentions_counted((struct annotate_options){.mentions = MENTIONS_FIRST,
                                                                .max_links = 1}, page), 1);
    assert_int_equal(mentions_counted((struct annotate_options){.mentions = MENTIONS_FIRST},
                                      page), 4);
}

static void type_filter_removes_entries(void **state)
{
    (void)state;
    expect_with((struct annotate_options){.mentions = MENTIONS_ALL, .type_mask = 1u << ENTRY_PERSON},
                "<p>UN and Lukashenko</p>", "<p>UN and " A_LUK "Lukashenko" END "</p>");
    /* Excluded entries take no part: the term wins where the union would. */
    expect_with((struct annotate_options){.mentions = MENTIONS_ALL, .type_mask = 1u << ENTRY_TERM},
                "<p>Eurasian Economic Union</p>", "<p>" A_EE "Eurasian Economic" END " Union</p>");
}

static void scope_selectors(void **state)
{
    (void)state;
    struct annotate_options o = {.mentions = MENTIONS_ALL, .scope = (const char *const[]){"article", NULL}};
    expect_with(o, "<p>UN</p><ARTICLE><p>UN</p></ARTICLE><p>UN</p>",
                "<p>UN</p><ARTICLE><p>" A_UN "UN" END "</p></ARTICLE><p>UN</p>");
    o.scope = (const char *const[]){".story-body", "#content", NULL};
    expect_with(o, "<div class=\"x story-body\">UN<code>UN</code></div><div class=story>UN</div>"
                   "<main id=content>UN</main><main id=Content>UN</main>",
                "<div class=\"x story-body\">" A_UN "UN" END "<code>UN</code></div><div class=story>UN</div>"
                "<main id=content>" A_UN "UN" END "</main><main id=Content>UN</main>");
    o.scope = (const char *const[]){"main.article", NULL};
    expect_with(o, "<main>UN</main><div class=article>UN</div><main class=\"article\">UN</main>",
                "<main>UN</main><div class=article>UN</div><main class=\"article\">" A_UN "UN" END "</main>");
}

static void link_base_gets_a_slash(void **state)
{
    (void)state;
    expect_with((struct annotate_options){.link_base = "/g"}, "UN",
                "<a class=\"briefing briefing-organization\" href=\"/g/un\" data-briefing-id=\"un\" "
                "title=\"United Nations\">UN</a>");
    expect_with((struct annotate_options){.link_base = "/a\"b/"}, "UN",
                "<a class=\"briefing briefing-organization\" href=\"/a&quot;b/un\" data-briefing-id=\"un\" "
                "title=\"United Nations\">UN</a>");
}

static void charset_declarations(void **state)
{
    (void)state;
    struct annotate_options o = {.mentions = MENTIONS_ALL, .sniff_charset = 1};
    expect_with(o, "<html><head><meta charset=\"big5\"></head><body>UN</body></html>",
                "<html><head><meta charset=\"big5\"></head><body>UN</body></html>");
    expect_with(o, "<meta charset=\"euc-jp\"><p>UN", "<meta charset=\"euc-jp\"><p>UN");
    expect_with(o, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"><p>UN",
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"><p>"
                A_UN "UN" END);
    expect_with(o, "<meta charset=\"UTF-8\"><p>UN", "<meta charset=\"UTF-8\"><p>" A_UN "UN" END);
    expect_with(o, "\xEF\xBB\xBF<p>UN", "\xEF\xBB\xBF<p>" A_UN "UN" END);
    expect_with(o, "<p>UN</p>", "<p>" A_UN "UN" END "</p>");
}

static void overlong_references_are_text(void **state)
{
    (void)state;
    char page[256], want[512];
    /* 63 bytes after '&' are still a reference; 64 are not. */
    snprintf(page, sizeof(page), "<p>UN&#%060d85;</p>", 0);
    unchanged(page);
    snprintf(page, sizeof(page), "<p>UN&#%061d85;</p>", 0);
    snprintf(want, sizeof(want), "<p>" A_UN "UN" END "&#%061d85;</p>", 0);
    expect(page, want);
}

static void a_byte_order_mark_is_no_character(void **state)
{
    (void)state;
    expect("\xEF\xBB\xBFUN here", "\xEF\xBB\xBF" A_UN "UN" END " here");
    unchanged("<p>x\xEF\xBB\xBFUN</p>");
}

#define A_BY_DASH(dash) "<a class=\"briefing briefing-place\" href=\"/glossary/belarus\" " \
                        "data-briefing-id=\"belarus\" " \
                        "title=\"Belarus " dash " A &quot;country&quot; &amp; &lt;state&gt;.\">"

/* "Беларусь и ЕВРАЗИЙСКИЙ ЭКОНОМИЧЕСКИЙ СОЮЗ." in a single-byte charset:
 * `by` the first word, `and` the second, `eeu` the three others. */
static void single_byte_charset(const char *label, const char *by, const char *and_,
                                const char *eeu, const char *dash)
{
    char page[256], want[1024], meta[512];
    snprintf(page, sizeof(page), "<p>%s %s %s.</p>", by, and_, eeu);
    snprintf(want, sizeof(want), "<p>%s%s" END " %s " A_EEU "%s" END ".</p>", A_BY_DASH("%s"), by,
             and_, eeu);
    char expected[1024];
    snprintf(expected, sizeof(expected), want, dash);
    expect_with((struct annotate_options){.mentions = MENTIONS_ALL, .charset = label}, page,
                expected);
    /* Declared in the page only. */
    snprintf(meta, sizeof(meta), "<meta charset=\"%s\">%s", label, page);
    char meta_expected[1100];
    snprintf(meta_expected, sizeof(meta_expected), "<meta charset=\"%s\">%s", label, expected);
    expect_with((struct annotate_options){.mentions = MENTIONS_ALL, .sniff_charset = 1}, meta,
                meta_expected);
}

static void pages_in_single_byte_charsets(void **state)
{
    (void)state;
    single_byte_charset("windows-1251", "\xC1\xE5\xEB\xE0\xF0\xF3\xF1\xFC", "\xE8",
                        "\xC5\xC2\xD0\xC0\xC7\xC8\xC9\xD1\xCA\xC8\xC9 "
                        "\xDD\xCA\xCE\xCD\xCE\xCC\xC8\xD7\xC5\xD1\xCA\xC8\xC9 \xD1\xCE\xDE\xC7",
                        "\x97");
    single_byte_charset("KOI8-R", "\xE2\xC5\xCC\xC1\xD2\xD5\xD3\xD8", "\xC9",
                        "\xE5\xF7\xF2\xE1\xFA\xE9\xEA\xF3\xEB\xE9\xEA "
                        "\xFC\xEB\xEF\xEE\xEF\xED\xE9\xFE\xE5\xF3\xEB\xE9\xEA \xF3\xEF\xE0\xFA",
                        "&#8212;");
    single_byte_charset("iso-8859-5", "\xB1\xD5\xDB\xD0\xE0\xE3\xE1\xEC", "\xD8",
                        "\xB5\xB2\xC0\xB0\xB7\xB8\xB9\xC1\xBA\xB8\xB9 "
                        "\xCD\xBA\xBE\xBD\xBE\xBC\xB8\xC7\xB5\xC1\xBA\xB8\xB9 \xC1\xBE\xCE\xB7",
                        "&#8212;");
    /* Latin pages: ISO-8859-1 is read as windows-1252, as browsers do. */
    struct annotate_options o = {.mentions = MENTIONS_ALL, .charset = "iso-8859-1"};
    expect_with(o, "<p>Caf\xE9 Belarus\xA0UN</p>",
                "<p>Caf\xE9 " A_BY_DASH("\x97") "Belarus" END "\xA0" A_UN "UN" END "</p>");
    o.charset = "ISO-8859-15";
    expect_with(o, "<p>\xA4 Belarus</p>", "<p>\xA4 " A_BY_DASH("&#8212;") "Belarus" END "</p>");
    /* A charset without a table passes through, from the header or the page. */
    o.charset = "shift_jis";
    unchanged_with(o, "<p>Belarus</p>");
    unchanged_with((struct annotate_options){.sniff_charset = 1},
                   "<meta charset=\"gb18030\"><p>Belarus</p>");
}

static void crlf_and_empty_pages(void **state)
{
    (void)state;
    expect("<p>\r\nAleksandr\r\nLukashenko\r\n</p>\r\n", "<p>\r\n" A_LUK "Aleksandr\r\nLukashenko" END "\r\n</p>\r\n");
    unchanged("");
    unchanged("<p>nothing to see here</p>");
}

static void deep_nesting_stops_annotation(void **state)
{
    (void)state;
    struct output page = {0};
    for (int i = 0; i < 1000; i++)
        output_sink(&page, "<div>", 5);
    output_sink(&page, "UN", 2);
    for (int i = 0; i < 1000; i++)
        output_sink(&page, "</div>", 6);
    output_sink(&page, "UN", 2);
    struct annotate_config *c = config((struct annotate_options){0});
    char *out = annotate_chunked(g, c, page.data, page.len, 4096, 0, NULL);
    assert_int_equal(strlen(out), page.len + strlen(A_UN END));
    assert_memory_equal(out, page.data, page.len - 2);
    assert_string_equal(out + page.len - 2, A_UN "UN" END);
    free(out);
    /* Past the stack's depth a stray end tag closes nothing. */
    page.len = 0;
    for (int i = 0; i < 600; i++)
        output_sink(&page, "<div>", 5);
    output_sink(&page, "<code></i>UN</div>UN", 20);
    out = annotate_chunked(g, c, page.data, page.len, 4096, 0, NULL);
    assert_int_equal(strlen(out), page.len);
    free(out);
    free(page.data);
    annotate_config_free(c);
}

struct counter {
    size_t bytes;
};

static int count_sink(void *ctx, const char *p, size_t n)
{
    (void)p;
    ((struct counter *)ctx)->bytes += n;
    return 0;
}

/* Feeds `repeat` copies of `unit` after `head`, checking the memory bound. */
static void stream_bounded(const char *head, const char *unit, size_t repeat, size_t extra)
{
    struct annotate_config *c = config((struct annotate_options){0});
    struct counter n = {0};
    struct annotator *a = annotator_new(g, c, count_sink, &n);
    size_t unit_len = strlen(unit), total = strlen(head) + unit_len * repeat;
    assert_int_equal(annotator_write(a, head, strlen(head)), 0);
    size_t peak = 0;
    for (size_t i = 0; i < repeat; i++) {
        assert_int_equal(annotator_write(a, unit, unit_len), 0);
        if (annotator_memory(a) > peak)
            peak = annotator_memory(a);
    }
    assert_int_equal(annotator_finish(a), 0);
    assert_int_equal(n.bytes, total + extra);
    assert_true(peak < 256 * 1024);
    annotator_free(a);
    annotate_config_free(c);
}

static void memory_stays_bounded(void **state)
{
    (void)state;
    static char spaces[4096];
    memset(spaces, ' ', sizeof(spaces) - 1);
    /* 10 MB attribute, 10 MB comment, 10 MB of spaces inside a mention. */
    stream_bounded("<p title=\"", spaces, 2560, 0);
    stream_bounded("<!--", spaces, 2560, 0);
    stream_bounded("<p>Aleksandr", spaces, 2560, 0);
    static char zeros[4096];
    memset(zeros, '0', sizeof(zeros) - 1);
    stream_bounded("<p>UN &#", zeros, 2560, strlen(A_UN END));
    stream_bounded("<p>", "Aleksandr Lukashenko, UN. ", 400000, strlen(A_LUK END) + strlen(A_UN END));
}

/* Bytes written after each of `parts` is written and flushed. */
static void written_after_each(struct annotate_options o, const char *const *parts,
                               const size_t *want)
{
    struct annotate_config *c = config(o);
    struct counter n = {0};
    struct annotator *a = annotator_new(g, c, count_sink, &n);
    for (size_t i = 0; parts[i]; i++) {
        assert_int_equal(annotator_write(a, parts[i], strlen(parts[i])), 0);
        assert_int_equal(annotator_flush(a), 0);
        if (n.bytes != want[i])
            fail_msg("after part %zu: %zu bytes written, not %zu", i, n.bytes, want[i]);
    }
    annotator_free(a);
    annotate_config_free(c);
}

/* Once nothing more could be linked (every entry looked for has its link,
 * or the cap is reached), text that might be a mention is not held back. */
static void nothing_held_once_nothing_can_be_linked(void **state)
{
    (void)state;
    const char *parts[] = {"<p>Belarus", ", Eurasian Econ", "omic Union</p>", NULL};
    size_t link = strlen(A_BY END), p1 = strlen(parts[0]), p2 = strlen(parts[1]);
    /* Still looking for the other entries: "Eurasian Econ" waits. */
    written_after_each((struct annotate_options){0}, (const char *[]){parts[0], parts[1], NULL},
                       (size_t[]){3, p1 + link + 2});
    written_after_each((struct annotate_options){.type_mask = 1u << ENTRY_PLACE}, parts,
                       (size_t[]){3, p1 + link + p2, p1 + link + p2 + strlen(parts[2])});
    written_after_each((struct annotate_options){.mentions = MENTIONS_ALL, .max_links = 1}, parts,
                       (size_t[]){3, p1 + link + p2, p1 + link + p2 + strlen(parts[2])});
}

/* Dated aliases: the page's date picks the entry (docs/glossary.md). */
static const char dated_xml[] =
    "<glossary xmlns=\"urn:briefing:glossary:1\">\n"
    " <entry id=\"nazarbayev\" type=\"person\"><name>Nursultan Nazarbayev</name>"
    "<alias until=\"2019-03-19\">Kazakh President</alias></entry>\n"
    " <entry id=\"tokayev\" type=\"person\"><name>Kassym-Jomart Tokayev</name>"
    "<alias from=\"2019-03-20\">Kazakh President</alias></entry>\n"
    " <entry id=\"kz\" type=\"place\"><name>Kazakhstan</name>"
    "<alias from=\"1991-12-16\">KZ</alias></entry>\n"
    "</glossary>\n";

#define A_NAZ "<a class=\"briefing briefing-person\" href=\"/glossary/nazarbayev\" " \
              "data-briefing-id=\"nazarbayev\" title=\"Nursultan Nazarbayev\">"
#define A_TOK "<a class=\"briefing briefing-person\" href=\"/glossary/tokayev\" " \
              "data-briefing-id=\"tokayev\" title=\"Kassym-Jomart Tokayev\">"
#define A_KZ "<a class=\"briefing briefing-place\" href=\"/glossary/kz\" " \
             "data-briefing-id=\"kz\" title=\"Kazakhstan\">"

static int32_t day_of(const char *s)
{
    int32_t d;
    assert_int_equal(glossary_parse_date(s, strlen(s), &d), 0);
    return d;
}

/* A letter before a reference to punctuation: a word of its own, unless
 * a pattern begins with a letter alone ("R&D"). */
static void letters_before_references(void **state)
{
    (void)state;
    expect("<p>U&amp;N UN&amp; &amp;UN U&#38;N</p>",
           "<p>U&amp;N " A_UN "UN" END "&amp; &amp;" A_UN "UN" END " U&#38;N</p>");
    g = load_glossary_text("<glossary xmlns=\"urn:briefing:glossary:1\">"
                           "<entry id=\"rd\" type=\"term\"><name>R&amp;D</name></entry>"
                           "<entry id=\"rand\" type=\"term\"><name>Rand</name></entry>"
                           "</glossary>");
    assert_non_null(g);
#define A_RD "<a class=\"briefing briefing-term\" href=\"/glossary/rd\" " \
             "data-briefing-id=\"rd\" title=\"R&amp;D\">"
    expect("<p>R&amp;D, R&D, R&#38;D, R&amp;Rand</p>",
           "<p>" A_RD "R&amp;D" END ", " A_RD "R&D" END ", " A_RD "R&#38;D" END ", R&amp;"
           "<a class=\"briefing briefing-term\" href=\"/glossary/rand\" "
           "data-briefing-id=\"rand\" title=\"Rand\">Rand" END "</p>");
#undef A_RD
}

static void dated_aliases_follow_the_page_date(void **state)
{
    (void)state;
    g = load_glossary_text(dated_xml);
    assert_non_null(g);
    struct annotate_options o = {.mentions = MENTIONS_ALL, .today = day_of("2024-01-01")};
    const char *body = "<p>Kazakh President and KZ.</p>";
    char page[512], want[1024];
#define DATED(head, a_kp, a_kz) \
    (snprintf(page, sizeof(page), "<html><head>%s</head><body>%s", head, body), \
     snprintf(want, sizeof(want), "<html><head>%s</head><body><p>%sKazakh President%s and %sKZ%s.</p>", \
              head, a_kp, *a_kp ? END : "", a_kz, *a_kz ? END : ""))

    /* No date: today's meaning. */
    DATED("", A_TOK, A_KZ);
    expect_with(o, page, want);
    /* <meta property|name="article:published_time">: a date-time's day. */
    DATED("<meta property=\"article:published_time\" content=\"2019-03-19T23:59:00+06:00\">", A_NAZ, A_KZ);
    expect_with(o, page, want);
    DATED("<META NAME='Article:Published_Time' CONTENT=' 2019-03-20'>", A_TOK, A_KZ);
    expect_with(o, page, want);
    /* A date before every range: the text means no entry. */
    DATED("<meta property=\"article:published_time\" content=\"1990-05-01\">", A_NAZ, "");
    expect_with(o, page, want);
    /* <time datetime>, before the first text; meta first by default. */
    DATED("<time datetime=\"2018-01-01\">", A_NAZ, A_KZ);
    expect_with(o, page, want);
    DATED("<time datetime=\"2023-01-01\"><meta property=\"article:published_time\" content=\"2018-01-01\">", A_NAZ, A_KZ);
    expect_with(o, page, want);
    /* Not a date: looked past. */
    DATED("<meta property=\"article:published_time\" content=\"yesterday\"><time datetime=\"2018-01-01\">", A_NAZ, A_KZ);
    expect_with(o, page, want);
    /* The fallback (Last-Modified) comes after the page's own. */
    o.last_modified = day_of("2010-06-01");
    DATED("", A_NAZ, A_KZ);
    expect_with(o, page, want);
    DATED("<time datetime=\"2020-01-01\">", A_TOK, A_KZ);
    expect_with(o, page, want);
    /* Sources in another order, or fewer. */
    memcpy(o.date_sources, (unsigned char[4]){DATE_SOURCE_LAST_MODIFIED, DATE_SOURCE_TIME, 0, 0}, 4);
    expect_with(o, page, (DATED("<time datetime=\"2020-01-01\">", A_NAZ, A_KZ), want));
    memcpy(o.date_sources, (unsigned char[4]){DATE_SOURCE_META, 0, 0, 0}, 4);
    DATED("<time datetime=\"2018-01-01\">", A_TOK, A_KZ);
    expect_with(o, page, want);
    memcpy(o.date_sources, (unsigned char[4]){DATE_SOURCE_NONE, 0, 0, 0}, 4);
    DATED("<meta property=\"article:published_time\" content=\"2018-01-01\">", A_TOK, A_KZ);
    expect_with(o, page, want);
    memset(o.date_sources, 0, 4);
    o.last_modified = 0;

    /* A date after annotated text is ignored: those links are out. */
    expect_with(o, "<p>Kazakh President</p><time datetime=\"2018-01-01\">2018</time><p>Kazakh President</p>",
                "<p>" A_TOK "Kazakh President" END "</p><time datetime=\"2018-01-01\">2018</time><p>"
                A_TOK "Kazakh President" END "</p>");
    /* ... but one after text that is not annotated (skipped) still counts. */
    expect_with(o, "<h1>Kazakh President</h1><time datetime=\"2018-01-01\">x</time><p>Kazakh President</p>",
                "<h1>Kazakh President</h1><time datetime=\"2018-01-01\">x</time><p>"
                A_NAZ "Kazakh President" END "</p>");

    /* The stats say what was used. */
    struct annotate_config *c = config(o);
    const char *p = "<meta property=\"article:published_time\" content=\"2018-01-01\"><p>Kazakh President";
    struct output out = {0};
    struct annotator *a = annotator_new(g, c, output_sink, &out);
    assert_int_equal(annotator_write(a, p, strlen(p)), 0);
    assert_int_equal(annotator_finish(a), 0);
    assert_int_equal(annotator_stats(a)->date, day_of("2018-01-01"));
    assert_int_equal(annotator_stats(a)->date_source, DATE_SOURCE_META);
    assert_int_equal(annotator_stats(a)->links, 1);
    annotator_free(a);
    free(out.data);
    annotate_config_free(c);

    /* The type filter applies to the entry meant. */
    o.type_mask = 1u << ENTRY_PLACE;
    expect_with(o, "<p>Kazakh President, KZ</p>", "<p>Kazakh President, " A_KZ "KZ" END "</p>");

    unsigned char src[4];
    char err[128];
    assert_int_equal(annotate_parse_date_sources("time, Last-Modified", src, err, sizeof(err)), 0);
    assert_memory_equal(src, ((unsigned char[4]){DATE_SOURCE_TIME, DATE_SOURCE_LAST_MODIFIED, 0, 0}), 4);
    assert_int_equal(annotate_parse_date_sources("meta mtime", src, err, sizeof(err)), -1);
    assert_string_equal(err, "\"mtime\" is no page date source (meta, time, last-modified or none)");
    assert_int_equal(annotate_parse_date_sources("meta none", src, err, sizeof(err)), -1);
    assert_string_equal(err, "\"none\" goes alone");
    assert_int_equal(annotate_parse_date_sources("time time", src, err, sizeof(err)), -1);
    assert_string_equal(err, "\"time\" is named twice");
#undef DATED
}

/* Links to entries 1 and 33, 34 and 2 (the same slot of the stream's
 * recent start tags) in turn, and to one whose title is longer than a
 * slot: each link is the entry's own, whether made or kept. */
static void repeated_links_are_each_entrys_own(void **state)
{
    (void)state;
    char xml[8192], title[700];
    size_t len = (size_t)snprintf(xml, sizeof(xml), "<glossary xmlns=\"urn:briefing:glossary:1\">");
    memset(title, 'x', 600);
    title[600] = '\0';
    for (int i = 0; i < 40; i++)
        len += (size_t)snprintf(xml + len, sizeof(xml) - len,
                                "<entry id=\"e%d\" type=\"term\"><name>Zed%d</name>"
                                "<summary>Summary %d%s</summary></entry>", i, i, i,
                                i == 39 ? title : "");
    snprintf(xml + len, sizeof(xml) - len, "</glossary>");
    g = load_glossary_text(xml);
    assert_non_null(g);
    static const int order[] = {1, 33, 1, 33, 34, 2, 34, 2, 39, 39, 1};
    char page[256] = "<p>", want[8192] = "<p>";
    for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
        int i = order[k];
        snprintf(page + strlen(page), sizeof(page) - strlen(page), "Zed%d ", i);
        snprintf(want + strlen(want), sizeof(want) - strlen(want),
                 "<a class=\"briefing briefing-term\" href=\"/glossary/e%d\" "
                 "data-briefing-id=\"e%d\" title=\"Zed%d — Summary %d%s\">Zed%d</a> ",
                 i, i, i, i, i == 39 ? title : "", i);
    }
    strcat(page, "</p>");
    strcat(want, "</p>");
    expect(page, want);
}

/* A title that is long once escaped is written in pieces, each whole
 * characters: in a windows-1251 page too, where they are encoded. */
static void long_escaped_titles(void **state)
{
    (void)state;
    char xml[8192] = "<glossary xmlns=\"urn:briefing:glossary:1\"><entry id=\"zed\" "
                     "type=\"term\"><name>Zed</name><summary>";
    char utf8[8192] = "<p><a class=\"briefing briefing-term\" href=\"/glossary/zed\" "
                      "data-briefing-id=\"zed\" title=\"Zed — ";
    char cp1251[8192] = "<p><a class=\"briefing briefing-term\" href=\"/glossary/zed\" "
                        "data-briefing-id=\"zed\" title=\"Zed \x97 ";
    for (int i = 0; i < 400; i++) {
        strcat(xml, "\xD0\x91&amp;");       /* Б& */
        strcat(utf8, "\xD0\x91&amp;");
        strcat(cp1251, "\xC1&amp;");
    }
    strcat(xml, "</summary></entry></glossary>");
    strcat(utf8, "\">Zed</a></p>");
    strcat(cp1251, "\">Zed</a></p>");
    g = load_glossary_text(xml);
    assert_non_null(g);
    expect("<p>Zed</p>", utf8);
    expect_with((struct annotate_options){.mentions = MENTIONS_ALL, .charset = "windows-1251"},
                "<p>Zed</p>", cp1251);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(un_needs_word_boundaries),
        cmocka_unit_test(nothing_held_once_nothing_can_be_linked),
        cmocka_unit_test(text_runs_start_and_end_at_markup),
        cmocka_unit_test(references_are_decoded_and_kept),
        cmocka_unit_test(whitespace_runs_match_one_space),
        cmocka_unit_test(mentions_never_span_markup),
        cmocka_unit_test(leftmost_longest),
        cmocka_unit_test(case_insensitive_cyrillic),
        cmocka_unit_test(ascii_then_not),
        cmocka_unit_test_teardown(repeated_links_are_each_entrys_own, own_glossary_done),
        cmocka_unit_test_teardown(long_escaped_titles, own_glossary_done),
        cmocka_unit_test(skipped_places),
        cmocka_unit_test(plaintext_takes_the_rest),
        cmocka_unit_test(raw_text_ends_by_html5_rules),
        cmocka_unit_test(comments_by_html5_rules),
        cmocka_unit_test(less_than_that_is_text),
        cmocka_unit_test(foreign_content),
        cmocka_unit_test(opting_out),
        cmocka_unit_test(tag_soup_never_leaks_a_skip),
        cmocka_unit_test(implied_end_tags),
        cmocka_unit_test(table_text_is_left_alone),
        cmocka_unit_test(invalid_utf8_is_a_boundary),
        cmocka_unit_test(nul_bytes_pass_through),
        cmocka_unit_test(first_mentions_only_by_default),
        cmocka_unit_test(a_cap_on_links),
        cmocka_unit_test(type_filter_removes_entries),
        cmocka_unit_test(scope_selectors),
        cmocka_unit_test(link_base_gets_a_slash),
        cmocka_unit_test(charset_declarations),
        cmocka_unit_test(crlf_and_empty_pages),
        cmocka_unit_test(deep_nesting_stops_annotation),
        cmocka_unit_test(a_byte_order_mark_is_no_character),
        cmocka_unit_test(pages_in_single_byte_charsets),
        cmocka_unit_test(overlong_references_are_text),
        cmocka_unit_test(memory_stays_bounded),
        cmocka_unit_test_teardown(letters_before_references, own_glossary_done),
        cmocka_unit_test_teardown(dated_aliases_follow_the_page_date, own_glossary_done),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
