/* The demo article through the demo glossary: exact bytes against golden
 * files that were read line by line, however the page is split. */
#include "testing.h"

#define PAGE SOURCE_DIR "/htdocs/working-visit-to-kazakhstan.html"

static struct glossary *g;
static char *page;
static size_t page_len;

static int setup(void **state)
{
    (void)state;
    char err[GLOSSARY_ERROR_MAX];
    g = glossary_load_file(SOURCE_DIR "/data/glossary.xml", err, sizeof(err));
    if (!g) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    page = read_file(PAGE, &page_len);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    glossary_free(g);
    free(page);
    return 0;
}

/* Removes every inserted link, keeping the text it wrapped. */
static size_t strip_links(char *s, size_t n)
{
    static const char open[] = "<a class=\"briefing ";
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (n - i >= sizeof(open) - 1 && memcmp(s + i, open, sizeof(open) - 1) == 0) {
            char *end = memchr(s + i, '>', n - i);
            assert_non_null(end);
            i = (size_t)(end - s) + 1;
            char *close = strstr(s + i, "</a>");
            assert_non_null(close);
            size_t text = (size_t)(close - (s + i));
            memmove(s + o, s + i, text);
            o += text;
            i += text + 4;
        } else {
            s[o++] = s[i++];
        }
    }
    return o;
}

static void check_golden(struct annotate_options o, const char *golden_path)
{
    char err[256];
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    assert_non_null(c);
    size_t golden_len, out_len;
    char *golden = read_file(golden_path, &golden_len);
    char *whole = annotate_chunked(g, c, page, page_len, 0, 0, &out_len);
    assert_int_equal(out_len, golden_len);
    assert_memory_equal(whole, golden, golden_len);

    for (size_t chunk = 1; chunk <= 64; chunk++) {
        char *split = annotate_chunked(g, c, page, page_len, chunk, 0, &out_len);
        if (out_len != golden_len || memcmp(split, golden, golden_len) != 0)
            fail_msg("chunk size %zu differs", chunk);
        free(split);
    }
    /* Random splits, each chunk followed by a flush. */
    srand(20160530);
    for (int round = 0; round < 20; round++) {
        struct output out = {0};
        struct annotate_options flushed = o;
        flushed.sniff_charset = 0;
        struct annotate_config *fc = annotate_config_new(&flushed, err, sizeof(err));
        struct annotator *a = annotator_new(g, fc, output_sink, &out);
        for (size_t at = 0; at < page_len;) {
            size_t n = 1 + (size_t)rand() % 700;
            if (n > page_len - at)
                n = page_len - at;
            assert_int_equal(annotator_write(a, page + at, n), 0);
            assert_int_equal(annotator_flush(a), 0);
            at += n;
        }
        assert_int_equal(annotator_finish(a), 0);
        annotator_free(a);
        annotate_config_free(fc);
        assert_int_equal(out.len, golden_len);
        assert_memory_equal(out.data, golden, golden_len);
        free(out.data);
    }

    size_t stripped = strip_links(whole, golden_len);
    assert_int_equal(stripped, page_len);
    assert_memory_equal(whole, page, page_len);
    free(whole);
    free(golden);
    annotate_config_free(c);
}

static void first_mentions(void **state)
{
    (void)state;
    check_golden((struct annotate_options){.sniff_charset = 1},
                 SOURCE_DIR "/tests/golden/working-visit-to-kazakhstan.first.html");
}

static void all_mentions(void **state)
{
    (void)state;
    check_golden((struct annotate_options){.mentions = MENTIONS_ALL, .sniff_charset = 1},
                 SOURCE_DIR "/tests/golden/working-visit-to-kazakhstan.all.html");
}

static void every_entity_linked_once(void **state)
{
    (void)state;
    static const char *const ids[] = {
        "lukashenko", "nazarbayev", "kobyakov", "eeu", "un", "supreme-eurasian-economic-council",
        "intergovernmental-commission", "decade-programme", "outer-space-agreement",
        "communications-infrastructure-agreement", "manifesto-world-21st-century", "belarus",
        "kazakhstan", "russia", "ukraine", "astana", "gomel", NULL
    };
    char err[256];
    struct annotate_options o = {0};
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    char *out = annotate_chunked(g, c, page, page_len, 0, 0, NULL);
    for (size_t i = 0; ids[i]; i++) {
        char needle[128];
        snprintf(needle, sizeof(needle), "data-briefing-id=\"%s\"", ids[i]);
        char *first = strstr(out, needle);
        if (!first)
            fail_msg("%s is not linked", ids[i]);
        if (strstr(first + 1, needle))
            fail_msg("%s is linked twice", ids[i]);
    }
    /* Nothing in the head, the headline, the nav or the footer. */
    char *body = strstr(out, "<article");
    char *footer = strstr(out, "<footer");
    assert_non_null(body);
    assert_non_null(footer);
    char *first_link = strstr(out, "<a class=\"briefing");
    assert_true(first_link > strstr(body, "</h1>"));
    assert_null(strstr(footer, "<a class=\"briefing"));
    free(out);
    annotate_config_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_mentions),
        cmocka_unit_test(all_mentions),
        cmocka_unit_test(every_entity_linked_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
