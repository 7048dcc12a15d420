/* libFuzzer target: the streaming annotator (annotator.h, SPEC §3).
 *
 * A small fixed glossary; the input's first bytes choose the options and
 * how the page is cut into chunks, the rest is the page.  The page is
 * annotated whole and in random chunks (and, when the charset is not
 * sniffed, with annotator_flush after chunks), and then:
 *   (a) every way of cutting gives the same bytes (and the same stats);
 *   (b) taking out every inserted `<a class="briefing ...">` start tag, its
 *       `</a>` and the before-first-link markup gives back the page exactly;
 *   (c) annotator_memory() stays under 512 KB after every write and flush;
 * plus: the links counted are the links found, at most max_links, at most
 * one per entry under `first`; a page passed through is unchanged.
 * Any failure abort()s.
 *
 * The glossary's ids all begin "zqx-", and "zqx" is taken out of the page
 * (to "zqy") before annotating, so every "zqx" in the output was inserted.
 *
 * Input layout:
 *   [0] bit 0: mentions all (else first); bits 1-2: max_links 0, 1, 2, 5;
 *       bit 3: sniff the charset; bits 4-6: scope (0: none);
 *       bit 7: before_first_link markup
 *   [1] bits 0-4: type mask (0: all); bits 5-6: link base;
 *       bit 7: a custom skip list
 *   [2] 0xFE, 0xFF: a long page, the rest repeated to 96 KB or 576 KB,
 *       annotated once, in chunks of 256 bytes or more (checks b and c)
 *   [3..6] the chunking seed
 *   [7] bits 0-2: chunk sizes (1, up to 4, 16, 64, 256, 1024, 4096, mixed)
 *   [8..] the page
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotator.h"
#include "charset.h"
#include "glossary.h"
#include "unicode.h"

#define HEADER 8
#define MEMORY_MAX (512u * 1024)

#define FAIL(...) do { fprintf(stderr, "fuzz_annotator: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static const char glossary_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<glossary xmlns=\"urn:briefing:glossary:1\" xml:lang=\"en\">\n"
    " <entry id=\"zqx-un\" type=\"organization\">\n"
    "  <name>UN</name>\n"
    "  <alias>United  Nations</alias>\n"
    "  <summary>The \"United\" &lt;Nations&gt; &amp; co.</summary>\n"
    " </entry>\n"
    " <entry id=\"zqx-eeu\" type=\"organization\">\n"
    "  <name>Eurasian Economic Union</name>\n"
    "  <alias>EAEU</alias>\n"
    "  <alias case=\"insensitive\" xml:lang=\"ru\">\xD0\x95\xD0\xB2\xD1\x80\xD0\xB0\xD0\xB7\xD0\xB8\xD0\xB9\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9 "
    "\xD1\x8D\xD0\xBA\xD0\xBE\xD0\xBD\xD0\xBE\xD0\xBC\xD0\xB8\xD1\x87\xD0\xB5\xD1\x81\xD0\xBA\xD0\xB8\xD0\xB9 "
    "\xD1\x81\xD0\xBE\xD1\x8E\xD0\xB7</alias>\n"                 /* Евразийский экономический союз */
    "  <alias case=\"insensitive\">\xD0\x95\xD0\x90\xD0\xAD\xD0\xA1</alias>\n"   /* ЕАЭС */
    "  <summary>  Economic   union\n   of states.  </summary>\n"
    " </entry>\n"
    " <entry id=\"zqx-ee\" type=\"term\">\n"
    "  <name>Eurasian Economic</name>\n"
    " </entry>\n"
    " <entry id=\"zqx-treaty\" type=\"agreement\">\n"
    "  <name>Treaty on the Eurasian Economic Union</name>\n"
    "  <summary>Signed in Astana, 2014.</summary>\n"
    " </entry>\n"
    " <entry id=\"zqx-naz\" type=\"person\">\n"
    "  <name>Nursultan Nazarbayev</name>\n"
    "  <alias>Nazarbayev</alias>\n"
    "  <alias case=\"insensitive\">\xD0\x9D\xD0\xB0\xD0\xB7\xD0\xB0\xD1\x80\xD0\xB1\xD0\xB0\xD0\xB5\xD0\xB2</alias>\n" /* Назарбаев */
    "  <summary>   </summary>\n"
    " </entry>\n"
    " <entry id=\"zqx-astana\" type=\"place\">\n"
    "  <name>Astana</name>\n"
    "  <alias>Nur-Sultan</alias>\n"
    "  <alias case=\"insensitive\">\xC3\xA9</alias>\n"              /* é */
    " </entry>\n"
    " <entry id=\"zqx-ab\" type=\"term\">\n"
    "  <name>a b</name>\n"
    "  <alias>\xD0\x91</alias>\n"                                    /* Б */
    "  <alias>R&amp;D</alias>\n"
    "  <summary>Short &amp; sweet</summary>\n"
    " </entry>\n"
    "</glossary>\n";

/* What the annotator must write for each entry, after the link base:
 * the id, then `" data-briefing-id="ID" title="TITLE">`, titles escaped. */
struct expected_entry {
    const char *id, *type, *tail;
};

static const struct expected_entry expected[] = {
    {"zqx-un", "organization",
     "zqx-un\" data-briefing-id=\"zqx-un\" title=\"UN \xE2\x80\x94 The &quot;United&quot; &lt;Nations&gt; &amp; co.\">"},
    {"zqx-eeu", "organization",
     "zqx-eeu\" data-briefing-id=\"zqx-eeu\" title=\"Eurasian Economic Union \xE2\x80\x94 Economic union of states.\">"},
    {"zqx-ee", "term", "zqx-ee\" data-briefing-id=\"zqx-ee\" title=\"Eurasian Economic\">"},
    {"zqx-treaty", "agreement",
     "zqx-treaty\" data-briefing-id=\"zqx-treaty\" title=\"Treaty on the Eurasian Economic Union \xE2\x80\x94 Signed in Astana, 2014.\">"},
    {"zqx-naz", "person", "zqx-naz\" data-briefing-id=\"zqx-naz\" title=\"Nursultan Nazarbayev\">"},
    {"zqx-astana", "place", "zqx-astana\" data-briefing-id=\"zqx-astana\" title=\"Astana\">"},
    {"zqx-ab", "term", "zqx-ab\" data-briefing-id=\"zqx-ab\" title=\"a b \xE2\x80\x94 Short &amp; sweet\">"},
};
#define NENTRIES (sizeof(expected) / sizeof(expected[0]))

/* Link bases as configured, and as they must appear in href. */
static const char *const link_bases[4] = {NULL, "/g", "", "https://example.org/a&b\"<>/"};
static const char *const link_bases_escaped[4] = {
    "/glossary/", "/g/", "/", "https://example.org/a&amp;b&quot;&lt;&gt;/"
};

static const char *const scope_none[] = {NULL};
static const char *const scope_p[] = {"p", NULL};
static const char *const scope_class[] = {".note", NULL};
static const char *const scope_id[] = {"#main", NULL};
static const char *const scope_tag_class[] = {"div.note", NULL};
static const char *const scope_any[] = {"*", NULL};
static const char *const scope_two[] = {"article", "section#s.c", NULL};
static const char *const scope_upper[] = {"P.a.b", "Li", NULL};
static const char *const *const scopes[8] = {
    scope_none, scope_p, scope_class, scope_id, scope_tag_class, scope_any, scope_two, scope_upper
};

static const char *const custom_skip[] = {"b", "p", "span", "x-y", NULL};

static const char before_markup[] = "<link rel=\"stylesheet\" href=\"/zqx-assets.css\">";

static const unsigned max_links_choice[4] = {0, 1, 2, 5};

static struct glossary *glossary;
/* FUZZ_SHOW=1 in the environment: each output and its stats on stderr. */
static int show;
/* Per link base and entry: the whole start tag. */
static char *start_tags[4][NENTRIES];
static size_t start_tag_len[4][NENTRIES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    show = getenv("FUZZ_SHOW") != NULL;
    char err[GLOSSARY_ERROR_MAX];
    glossary = glossary_load_memory(glossary_xml, sizeof(glossary_xml) - 1, "fuzz.xml",
                                    err, sizeof(err));
    if (!glossary)
        FAIL("the fixed glossary is rejected: %s", err);
    if (glossary->nentries != NENTRIES)
        FAIL("the fixed glossary has %zu entries", glossary->nentries);
    for (size_t e = 0; e < NENTRIES; e++)
        if (strcmp(glossary->entries[e].id, expected[e].id) != 0)
            FAIL("entry %zu is %s", e, glossary->entries[e].id);
    for (size_t b = 0; b < 4; b++)
        for (size_t e = 0; e < NENTRIES; e++) {
            size_t cap = 200 + strlen(link_bases_escaped[b]) + strlen(expected[e].tail);
            char *t = malloc(cap);
            if (!t)
                abort();
            int n = snprintf(t, cap, "<a class=\"briefing briefing-%s\" href=\"%s%s", expected[e].type,
                             link_bases_escaped[b], expected[e].tail);
            start_tags[b][e] = t;
            start_tag_len[b][e] = (size_t)n;
        }
    return 0;
}

/* ---- output ---- */

struct output {
    char *data;
    size_t len, cap;
};

static int sink(void *ctx, const char *p, size_t n)
{
    struct output *o = ctx;
    if (!n)
        FAIL("the sink was called with nothing");
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap < o->len + n)
            cap *= 2;
        char *d = realloc(o->data, cap);
        if (!d)
            abort();
        o->data = d;
        o->cap = cap;
    }
    memcpy(o->data + o->len, p, n);
    o->len += n;
    return 0;
}

/* ---- chunking ---- */

static uint64_t rng;

static uint32_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}

static size_t chunk_size(unsigned profile)
{
    static const size_t most[7] = {1, 4, 16, 64, 256, 1024, 4096};
    if (rnd() % 32 == 0)
        return 0;   /* an empty write now and then */
    if (profile >= 7)
        profile = rnd() % 7;
    return 1 + rnd() % most[profile];
}

enum flush_mode { FLUSH_NEVER, FLUSH_ALWAYS, FLUSH_SOMETIMES };

struct run {
    struct output out;
    struct annotate_stats stats;
};

static void check_memory(const struct annotator *a, const char *when, size_t at)
{
    size_t m = annotator_memory(a);
    if (m >= MEMORY_MAX)
        FAIL("annotator_memory() is %zu bytes after %s at %zu", m, when, at);
}

/* Annotates page[0..len): whole when `whole`, else in chunks from the
 * current rng state. */
static void annotate(const struct annotate_config *c, const unsigned char *page, size_t len,
                     int whole, unsigned profile, enum flush_mode flush, struct run *r)
{
    memset(r, 0, sizeof(*r));
    struct annotator *a = annotator_new(glossary, c, sink, &r->out);
    if (!a)
        abort();
    check_memory(a, "annotator_new", 0);
    for (size_t at = 0; at < len || (at == 0 && len == 0);) {
        size_t n = whole ? len : chunk_size(profile);
        if (n > len - at)
            n = len - at;
        if (annotator_write(a, (const char *)page + at, n) != 0)
            FAIL("annotator_write failed at %zu", at);
        at += n;
        check_memory(a, "a write", at);
        if (flush == FLUSH_ALWAYS || (flush == FLUSH_SOMETIMES && rnd() % 4 == 0)) {
            if (annotator_flush(a) != 0)
                FAIL("annotator_flush failed at %zu", at);
            check_memory(a, "a flush", at);
        }
        if (len == 0)
            break;
    }
    if (annotator_finish(a) != 0)
        FAIL("annotator_finish failed");
    r->stats = *annotator_stats(a);
    annotator_free(a);
}

static void describe(const char *what, const unsigned char *s, size_t n, size_t from)
{
    size_t lo = from > 40 ? from - 40 : 0, hi = from + 80 < n ? from + 80 : n;
    fprintf(stderr, "%s [%zu, %zu) of %zu: \"", what, lo, hi, n);
    for (size_t i = lo; i < hi; i++)
        fprintf(stderr, s[i] >= 0x20 && s[i] < 0x7F && s[i] != '\\' ? "%c" : "\\x%02X", s[i]);
    fprintf(stderr, "\"\n");
}

static void same_output(const struct run *x, const struct run *y, const char *how)
{
    if (x->out.len != y->out.len ||
        (x->out.len && memcmp(x->out.data, y->out.data, x->out.len) != 0)) {
        size_t k = 0;
        while (k < x->out.len && k < y->out.len && x->out.data[k] == y->out.data[k])
            k++;
        describe("whole", (const unsigned char *)x->out.data, x->out.len, k);
        describe(how, (const unsigned char *)y->out.data, y->out.len, k);
        FAIL("(a) the output annotated %s differs from the whole page's at byte %zu", how, k);
    }
    if (x->stats.links != y->stats.links || x->stats.mentions != y->stats.mentions ||
        x->stats.passed_through != y->stats.passed_through)
        FAIL("(a) stats annotated %s differ: links %u/%u, mentions %u/%u, passed %d/%d", how,
             x->stats.links, y->stats.links, x->stats.mentions, y->stats.mentions,
             x->stats.passed_through, y->stats.passed_through);
}

static int starts_with(const char *s, size_t n, const char *prefix, size_t plen)
{
    return n >= plen && memcmp(s, prefix, plen) == 0;
}

/* A start tag as written into a page of a single-byte charset: what the
 * charset lacks as a character reference. */
static char *encoded_tag(const struct charset_table *t, const char *tag, size_t *len)
{
    size_t n = strlen(tag), o = 0;
    char *out = malloc(n * 10 + 1);
    if (!out)
        abort();
    for (size_t i = 0; i < n;) {
        uint32_t cp = (unsigned char)tag[i];
        int used = cp < 0x80 ? 1 : utf8_decode((const unsigned char *)tag + i, n - i, &cp);
        if (used <= 0)
            FAIL("a start tag of the fixed glossary is not UTF-8");
        i += (size_t)used;
        unsigned char b = cp < 0x80 ? (unsigned char)cp : charset_encode(t, cp);
        if (b)
            out[o++] = (char)b;
        else
            o += (size_t)sprintf(out + o, "&#%u;", (unsigned)cp);
    }
    *len = o;
    return out;
}

/* (b): the output less what was inserted is the page. */
static void check_round_trip(const struct run *r, const unsigned char *page, size_t len,
                             size_t base, const struct annotate_options *o)
{
    const char *out = r->out.data;
    size_t n = r->out.len, at = 0, kept = 0, links = 0;
    unsigned per_entry[NENTRIES] = {0};
    char *stripped = malloc(n + 1);
    if (!stripped)
        abort();
    const size_t before_len = sizeof(before_markup) - 1;
    const struct charset_table *table = r->stats.charset ? charset_table_find(r->stats.charset) : NULL;
    char *tags[NENTRIES];
    size_t tag_len[NENTRIES];
    for (size_t e = 0; e < NENTRIES; e++) {
        tags[e] = table ? encoded_tag(table, start_tags[base][e], &tag_len[e]) : start_tags[base][e];
        if (!table)
            tag_len[e] = start_tag_len[base][e];
    }
    while (at < n) {
        /* Everything inserted begins with '<'; the rest is copied in runs
         * (memcmp at every byte would be slow under libFuzzer's hooks). */
        if (out[at] != '<') {
            const char *lt = memchr(out + at + 1, '<', n - at - 1);
            size_t run = lt ? (size_t)(lt - (out + at)) : n - at;
            memcpy(stripped + kept, out + at, run);
            kept += run;
            at += run;
            continue;
        }
        int had_before = 0;
        if (o->before_first_link && links == 0 && starts_with(out + at, n - at, before_markup, before_len)) {
            at += before_len;
            had_before = 1;
        }
        size_t e = 0;
        while (e < NENTRIES && !starts_with(out + at, n - at, tags[e], tag_len[e]))
            e++;
        if (e == NENTRIES) {
            if (had_before)
                FAIL("(b) the before-first-link markup at %zu is not followed by a link", at);
            stripped[kept++] = out[at++];
            continue;
        }
        if (o->before_first_link && links == 0 && !had_before)
            FAIL("(b) the first link, at %zu, comes without the before-first-link markup", at);
        at += tag_len[e];
        const char *close = NULL;
        for (const char *lt = out + at; (lt = memchr(lt, '<', (size_t)(out + n - lt))) != NULL; lt++)
            if (starts_with(lt, (size_t)(out + n - lt), "</a>", 4)) {
                close = lt;
                break;
            }
        if (!close)
            FAIL("(b) the link to %s at %zu is never closed", expected[e].id, at);
        size_t mlen = (size_t)(close - (out + at));
        if (mlen == 0)
            FAIL("(b) the link to %s at %zu is empty", expected[e].id, at);
        if (memchr(out + at, '<', mlen))
            FAIL("(b) the link to %s at %zu holds markup", expected[e].id, at);
        memcpy(stripped + kept, out + at, mlen);
        kept += mlen;
        at += mlen + 4;
        links++;
        per_entry[e]++;
    }
    if (kept != len || memcmp(stripped, page, len) != 0) {
        size_t k = 0;
        while (k < kept && k < len && (unsigned char)stripped[k] == page[k])
            k++;
        describe("page", page, len, k);
        describe("output less links", (const unsigned char *)stripped, kept, k);
        FAIL("(b) the output less its links differs from the page at byte %zu", k);
    }
    free(stripped);
    for (size_t e = 0; table && e < NENTRIES; e++)
        free(tags[e]);
    if (links != r->stats.links)
        FAIL("%zu links found, %u counted", links, r->stats.links);
    if (o->max_links && links > o->max_links)
        FAIL("%zu links, more than max_links %u", links, o->max_links);
    if (r->stats.mentions < links)
        FAIL("%u mentions but %zu links", r->stats.mentions, links);
    if (o->mentions == MENTIONS_FIRST)
        for (size_t e = 0; e < NENTRIES; e++)
            if (per_entry[e] > 1)
                FAIL("%s linked %u times under `first`", expected[e].id, per_entry[e]);
    if (o->type_mask)
        for (size_t e = 0; e < NENTRIES; e++)
            if (per_entry[e] && !(o->type_mask & (1u << glossary->entries[e].type)))
                FAIL("%s linked though its type is filtered out", expected[e].id);
    if (r->stats.passed_through && links)
        FAIL("a page passed through has links");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t h[HEADER] = {0};
    memcpy(h, data, size < HEADER ? size : HEADER);
    const uint8_t *body = size > HEADER ? data + HEADER : data;
    size_t body_len = size > HEADER ? size - HEADER : 0;

    struct annotate_options o = {0};
    o.mentions = (h[0] & 1) ? MENTIONS_ALL : MENTIONS_FIRST;
    o.max_links = max_links_choice[(h[0] >> 1) & 3];
    o.sniff_charset = (h[0] >> 3) & 1;
    o.scope = scopes[(h[0] >> 4) & 7];
    if (!o.scope[0])
        o.scope = NULL;
    o.before_first_link = (h[0] & 0x80) ? before_markup : NULL;
    o.type_mask = h[1] & 0x1F;
    size_t base = (h[1] >> 5) & 3;
    o.link_base = link_bases[base];
    o.skip = (h[1] & 0x80) ? custom_skip : NULL;

    /* A long page, to see that memory does not grow with it: the body
     * repeated past the longest text held back (64 KB), or past the limit. */
    int long_page = h[2] >= 0xFE && body_len;
    size_t repeat = 1;
    if (long_page)
        repeat = ((h[2] == 0xFF ? 576u : 96u) * 1024 + body_len - 1) / body_len;
    uint64_t seed = (uint64_t)h[3] | (uint64_t)h[4] << 8 | (uint64_t)h[5] << 16 | (uint64_t)h[6] << 24;
    unsigned profile = h[7] & 7;
    if (long_page && profile < 4)
        profile += 4;   /* chunks of up to 256 bytes or more */

    size_t len = body_len * repeat;
    unsigned char *page = malloc(len ? len : 1);
    if (!page)
        abort();
    for (size_t r = 0; r < repeat; r++)
        memcpy(page + r * body_len, body, body_len);
    /* Only the annotator writes "zqx". */
    for (size_t i = 0; i + 3 <= len; i++)
        if (page[i] == 'z' && page[i + 1] == 'q' && page[i + 2] == 'x')
            page[i + 2] = 'y';

    char err[256];
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    if (!c)
        FAIL("annotate_config_new: %s", err);

    struct run whole, cut;
    if (long_page) {
        /* One cut only: long pages are slow. */
        rng = seed * 2 + 0x9E3779B97F4A7C15ull;
        annotate(c, page, len, 0, profile, FLUSH_NEVER, &cut);
        check_round_trip(&cut, page, len, base, &o);
        free(cut.out.data);
        annotate_config_free(c);
        free(page);
        return 0;
    }
    annotate(c, page, len, 1, 0, FLUSH_NEVER, &whole);
    if (show)
        fprintf(stderr, "--- %u links, %u mentions%s:\n%.*s\n---\n", whole.stats.links,
                whole.stats.mentions, whole.stats.passed_through ? ", passed through" : "",
                (int)whole.out.len, whole.out.data ? whole.out.data : "");
    check_round_trip(&whole, page, len, base, &o);
    if (whole.stats.passed_through &&
        (whole.out.len != len || (len && memcmp(whole.out.data, page, len) != 0)))
        FAIL("a page passed through was changed");

    rng = seed * 2 + 0x9E3779B97F4A7C15ull;
    annotate(c, page, len, 0, profile, FLUSH_NEVER, &cut);
    same_output(&whole, &cut, "in chunks");
    free(cut.out.data);
    if (!o.sniff_charset) {
        /* Flushing forces the charset decision, so only without sniffing. */
        annotate(c, page, len, 0, profile, (seed & 1) ? FLUSH_ALWAYS : FLUSH_SOMETIMES, &cut);
        same_output(&whole, &cut, "in chunks with flushes");
        free(cut.out.data);
    }
    free(whole.out.data);
    annotate_config_free(c);
    free(page);
    return 0;
}
