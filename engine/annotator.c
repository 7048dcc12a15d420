#include "annotator.h"
#include "charref.h"
#include "charset.h"
#include "elements.h"
#include "matcher.h"
#include "selector.h"
#include "tokenizer.h"
#include "unicode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Deeper nesting stops annotation until the depth drops back. */
#define OVERFLOW_NAMES 32
#define STACK_MAX 512
/* Formatting elements that browsers would reopen, remembered at most. */
#define LINGER_MAX 16
/* Start tags of links kept for the next links to the same entries: a
 * page that links more entries than this many times is rare. */
#define RECENT_LINKS 32
/* The title is looked for in the page's first bytes; this much of its raw
 * text is kept. */
#define TITLE_LOOK_MAX (64 * 1024)
#define TITLE_RAW_MAX 1024
enum { TITLE_LOOKING, TITLE_OPEN, TITLE_DONE };

const char *const annotate_default_skip[] = {
    "head", "a", "abbr", "button", "code", "h1", "h2", "h3", "h4", "h5", "h6", "kbd",
    "label", "math", "option", "pre", "samp", "select", "svg", "template", "textarea",
    "var", NULL
};

struct annotate_config {
    enum mentions_mode mentions;
    unsigned max_links;
    unsigned type_mask;
    uint64_t *skip;
    size_t nskip;
    uint64_t skip_seen[4];   /* skip_bit of each: most other names miss */
    struct selector *scope;
    size_t nscope;
    /* Per entry type: `<a class="briefing briefing-TYPE" href="` and the
     * escaped link base, up to the entry's id; all in link_opens. */
    char *link_opens;
    const char *link_open[ENTRY_TYPE_COUNT];
    size_t link_open_len[ENTRY_TYPE_COUNT];
    char *before_first_link;
    int sniff_charset;
    int pass_charset;                   /* the header names a charset not read */
    const struct charset_table *table;  /* the header's single-byte charset */
    unsigned char date_sources[4];      /* never empty */
    int32_t last_modified, today;
};

struct open_element {
    uint64_t hash;
    const struct element_info *info;
    uint8_t skipped;          /* this element is skipped or opted out */
    uint8_t blocked;          /* it or an ancestor is */
    uint8_t scoped;           /* it or an ancestor matches the scope */
    uint8_t foreign;          /* inside svg or math */
    uint8_t annotates;        /* its own text is annotated (of what it
                               * says alone; see text_is_annotatable) */
};

enum mode { MODE_SNIFF, MODE_ANNOTATE, MODE_PASS };

struct annotator {
    const struct glossary *g;
    const struct annotate_config *c;
    annotate_sink sink;
    void *sink_ctx;
    int error;
    enum mode mode;
    struct html_tokenizer tok;

    /* Input bytes [0, written) are out.  [written, chunk_start) wait in
     * hold; the chunk being read covers [chunk_start, + chunk_len). */
    uint64_t written, chunk_start;
    const unsigned char *chunk;
    size_t chunk_len;
    unsigned char *hold;
    size_t hold_off, hold_cap;

    struct open_element stack[STACK_MAX];
    size_t depth;
    uint32_t open_ids[EL_KNOWN_IDS];   /* on the stack, per element id */
    /* Elements open past STACK_MAX, counted by name so that a stray end
     * tag cannot close one; too many names, and nothing more is annotated. */
    struct { uint64_t hash; size_t count; } overflow[OVERFLOW_NAMES];
    size_t noverflow, overflow_open;
    int overflow_lost;
    struct lingering { uint64_t hash; size_t marker; } lingering[LINGER_MAX];
    size_t nlingering;
    int head_seen;
    size_t head_index;        /* of the open head element, 0 when closed */
    int annotatable;

    /* A code point or character reference whose bytes are still coming. */
    unsigned char utf8[4];
    size_t utf8_len;
    uint64_t utf8_start;
    int in_ref;
    struct charref ref;
    uint64_t ref_start;

    const struct charset_table *table;  /* NULL: UTF-8 */
    struct match_stream match;
    unsigned char *linked;    /* a bit per entry, for MENTIONS_FIRST */
    size_t links_max;         /* links that exhaust the page: the cap, and
                               * for MENTIONS_FIRST the entries of the
                               * types looked for */
    int exhausted;            /* no further mention could be linked */
    struct annotate_stats stats;

    /* The page's first <title>: its raw text is copied as it passes. */
    int title_state;          /* TITLE_LOOKING, TITLE_OPEN, TITLE_DONE */
    size_t title_raw_len;
    char title_raw[TITLE_RAW_MAX];
    char title[ANNOTATOR_TITLE_MAX + 1];

    /* The start tags of the links made last, by entry number. */
    struct recent_link {
        uint32_t entry;       /* UINT32_MAX: none */
        uint16_t len;
        char tag[506];        /* room for a summary of a sentence or two */
    } recent_links[RECENT_LINKS];

    /* The page's date: looked for until the first text is annotated. */
    int date_fixed;
    int32_t date_found[DATE_SOURCE_NONE];   /* by source, 0: not found */
};

/* ---- configuration ---- */

static void free_scope(struct annotate_config *c)
{
    for (size_t i = 0; i < c->nscope; i++)
        selector_release(&c->scope[i]);
    free(c->scope);
}

void annotate_config_free(struct annotate_config *c)
{
    if (!c)
        return;
    free(c->skip);
    free_scope(c);
    free(c->link_opens);
    free(c->before_first_link);
    free(c);
}

static size_t list_length(const char *const *list)
{
    size_t n = 0;
    while (list && list[n])
        n++;
    return n;
}

static int valid_tag_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == '/' || *s == '>' || *s == '<')
            return 0;
    return 1;
}

/* Eight bits of a name's hash (FNV's top bits vary little between short
 * names). */
static unsigned skip_bit(uint64_t hash)
{
    return (unsigned)((hash ^ hash >> 29) & 255);
}

static int configure_lists(struct annotate_config *c, const struct annotate_options *o,
                           char *err, size_t errlen)
{
    const char *const *skip = o->skip ? o->skip : annotate_default_skip;
    c->nskip = list_length(skip);
    c->skip = calloc(c->nskip + 1, sizeof(*c->skip));
    c->nscope = list_length(o->scope);
    c->scope = calloc(c->nscope + 1, sizeof(*c->scope));
    if (!c->skip || !c->scope) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < c->nskip; i++) {
        if (!valid_tag_name(skip[i])) {
            snprintf(err, errlen, "\"%s\" is not an element name", skip[i]);
            return -1;
        }
        c->skip[i] = tag_name_hash(skip[i], strlen(skip[i]));
        unsigned bit = skip_bit(c->skip[i]);
        c->skip_seen[bit / 64] |= 1ull << (bit % 64);
    }
    for (size_t i = 0; i < c->nscope; i++)
        if (selector_parse(o->scope[i], &c->scope[i], err, errlen)) {
            c->nscope = i;
            return -1;
        }
    return 0;
}

static int configure_link_base(struct annotate_config *c, const char *base,
                               char *err, size_t errlen)
{
    static const char class_open[] = "<a class=\"briefing briefing-", href_open[] = "\" href=\"";
    if (!base)
        base = "/glossary/";
    size_t n = strlen(base), types_len = 0;
    for (int t = 0; t < ENTRY_TYPE_COUNT; t++)
        types_len += strlen(entry_type_names[t]);
    /* The escaped base (and a slash) at the start, then the five. */
    size_t base_cap = 6 * n + 1;
    c->link_opens = malloc(base_cap + ENTRY_TYPE_COUNT * (sizeof(class_open) + sizeof(href_open) +
                                                         base_cap) + types_len);
    if (!c->link_opens) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char *escaped = c->link_opens, *o = escaped + html_escape(base, n, escaped);
    if (n == 0 || base[n - 1] != '/')
        *o++ = '/';
    size_t escaped_len = (size_t)(o - escaped);
    for (int t = 0; t < ENTRY_TYPE_COUNT; t++) {
        c->link_open[t] = o;
        o = stpcpy(stpcpy(o, class_open), entry_type_names[t]);
        o = stpcpy(o, href_open);
        memcpy(o, escaped, escaped_len);
        o += escaped_len;
        c->link_open_len[t] = (size_t)(o - c->link_open[t]);
    }
    return 0;
}

int annotate_parse_date_sources(const char *list, unsigned char sources[4],
                                char *err, size_t errlen)
{
    static const char *const names[] = {NULL, "meta", "time", "last-modified", "none"};
    size_t n = 0;
    memset(sources, 0, 4);
    for (const char *p = list;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " \t,");
        int found = 0;
        for (int k = DATE_SOURCE_META; k <= DATE_SOURCE_NONE && !found; k++)
            if (strlen(names[k]) == len && strncasecmp(p, names[k], len) == 0)
                found = k;
        if (!found) {
            snprintf(err, errlen, "\"%.*s\" is no page date source (meta, time, last-modified or none)",
                     (int)(len > 64 ? 64 : len), p);
            return -1;
        }
        for (size_t i = 0; i < n; i++)
            if (sources[i] == found) {
                snprintf(err, errlen, "\"%s\" is named twice", names[found]);
                return -1;
            }
        if (n == 3 || (n && (found == DATE_SOURCE_NONE || sources[0] == DATE_SOURCE_NONE))) {
            snprintf(err, errlen, "\"none\" goes alone");
            return -1;
        }
        sources[n++] = (unsigned char)found;
        p += len;
    }
    if (!n) {
        snprintf(err, errlen, "no page date source given (meta, time, last-modified or none)");
        return -1;
    }
    return 0;
}

struct annotate_config *annotate_config_new(const struct annotate_options *o,
                                            char *err, size_t errlen)
{
    struct annotate_config *c = calloc(1, sizeof(*c));
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->mentions = o->mentions;
    c->max_links = o->max_links;
    c->type_mask = o->type_mask ? o->type_mask : (1u << ENTRY_TYPE_COUNT) - 1;
    c->sniff_charset = o->sniff_charset && !o->charset;
    if (o->date_sources[0]) {
        memcpy(c->date_sources, o->date_sources, sizeof(c->date_sources));
        c->date_sources[3] = DATE_SOURCE_END;
    } else {
        c->date_sources[0] = DATE_SOURCE_META;
        c->date_sources[1] = DATE_SOURCE_TIME;
        c->date_sources[2] = DATE_SOURCE_LAST_MODIFIED;
    }
    for (size_t i = 0; i < 3; i++)
        if (c->date_sources[i] > DATE_SOURCE_NONE) {
            snprintf(err, errlen, "date source %u is unknown", c->date_sources[i]);
            annotate_config_free(c);
            return NULL;
        }
    c->last_modified = o->last_modified;
    c->today = o->today;
    if (o->charset && !charset_is_utf8(o->charset)) {
        c->table = charset_table_find(o->charset);
        c->pass_charset = !c->table;
    }
    if (o->before_first_link && !(c->before_first_link = strdup(o->before_first_link))) {
        snprintf(err, errlen, "out of memory");
        annotate_config_free(c);
        return NULL;
    }
    if (configure_lists(c, o, err, errlen) || configure_link_base(c, o->link_base, err, errlen)) {
        annotate_config_free(c);
        return NULL;
    }
    return c;
}

/* ---- output ---- */

static void put(struct annotator *a, const char *p, size_t n)
{
    if (!a->error && n)
        a->error = a->sink(a->sink_ctx, p, n);
}

/* Markup the annotator inserts is UTF-8; in a page of a single-byte
 * charset, a character that charset lacks becomes a character reference
 * (only attribute values hold any). */
static void put_markup(struct annotator *a, const char *p, size_t n)
{
    if (!a->table) {
        put(a, p, n);
        return;
    }
    char buf[256];
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = (unsigned char)p[i];
        int len = cp < 0x80 ? 1 : utf8_decode((const unsigned char *)p + i, n - i, &cp);
        if (len <= 0) {
            cp = 0xFFFD;
            len = 1;
        }
        i += (size_t)len;
        if (o > sizeof(buf) - 16) {
            put(a, buf, o);
            o = 0;
        }
        unsigned char b = cp < 0x80 ? (unsigned char)cp : charset_encode(a->table, cp);
        if (b)
            buf[o++] = (char)b;
        else
            o += (size_t)snprintf(buf + o, sizeof(buf) - o, "&#%u;", (unsigned)cp);
    }
    put(a, buf, o);
}

static size_t held(const struct annotator *a)
{
    return a->written < a->chunk_start ? (size_t)(a->chunk_start - a->written) : 0;
}

/* Writes the input up to offset `to`, from hold and then from the chunk. */
__attribute__((always_inline))   /* called for every link, twice */
static inline void put_input(struct annotator *a, uint64_t to)
{
    if (to <= a->written)
        return;
    if (a->written < a->chunk_start) {
        size_t n = (size_t)((to < a->chunk_start ? to : a->chunk_start) - a->written);
        put(a, (const char *)a->hold + a->hold_off, n);
        a->hold_off += n;
        a->written += n;
    }
    if (to > a->written) {
        put(a, (const char *)a->chunk + (a->written - a->chunk_start), (size_t)(to - a->written));
        a->written = to;
    }
}

/* The mention up to offset `to`, and the link's end tag after it: one
 * write, not two, when the mention lies in the chunk with room to copy
 * MENTION_COPY bytes from its start (as most do). */
#define MENTION_COPY 32
static void put_mention_closed(struct annotator *a, uint64_t to)
{
    size_t at = (size_t)(a->written - a->chunk_start), n = (size_t)(to - a->written);
    if (a->written >= a->chunk_start && n <= MENTION_COPY - 4 && at + MENTION_COPY <= a->chunk_len) {
        char buf[MENTION_COPY];
        memcpy(buf, a->chunk + at, MENTION_COPY);
        memcpy(buf + n, "</a>", 4);
        put(a, buf, n + 4);
        a->written = to;
        return;
    }
    put_input(a, to);
    put(a, "</a>", 4);
}

static unsigned char input_byte(const struct annotator *a, uint64_t offset)
{
    if (offset < a->chunk_start)
        return a->hold[a->hold_off + (size_t)(offset - a->written)];
    return a->chunk[offset - a->chunk_start];
}

/* Keeps what is not written yet of the chunk that has been read. */
static int keep_rest(struct annotator *a)
{
    uint64_t end = a->chunk_start + a->chunk_len;
    size_t rest = held(a), from_chunk = (size_t)(end - (a->written > a->chunk_start ? a->written : a->chunk_start));
    if (a->hold_off) {
        memmove(a->hold, a->hold + a->hold_off, rest);
        a->hold_off = 0;
    }
    if (rest + from_chunk > a->hold_cap) {
        size_t cap = a->hold_cap ? a->hold_cap : 4096;
        while (cap < rest + from_chunk)
            cap *= 2;
        unsigned char *p = realloc(a->hold, cap);
        if (!p)
            return -1;
        a->hold = p;
        a->hold_cap = cap;
    }
    if (from_chunk)
        memcpy(a->hold + rest, a->chunk + (a->chunk_len - from_chunk), from_chunk);
    a->chunk_start = end;
    a->chunk = NULL;
    a->chunk_len = 0;
    return 0;
}

static int is_linked(const struct annotator *a, uint32_t entry)
{
    return a->linked[entry / 8] & (1u << (entry % 8));
}

/* Settles the page's date: the first source in the configured order that
 * gave one, else today.  Once text is annotated it no longer changes. */
static int32_t page_date(struct annotator *a)
{
    if (a->date_fixed)
        return a->stats.date;
    a->date_fixed = 1;
    a->tok.capture_date = 0;
    a->stats.date_source = DATE_SOURCE_END;
    for (size_t i = 0; i < 3 && a->c->date_sources[i]; i++) {
        int src = a->c->date_sources[i];
        int32_t day = src == DATE_SOURCE_LAST_MODIFIED ? a->c->last_modified
                    : src < DATE_SOURCE_NONE ? a->date_found[src] : 0;
        if (day) {
            a->stats.date = day;
            a->stats.date_source = src;
            return day;
        }
    }
    a->stats.date = a->c->today ? a->c->today : (int32_t)(time(NULL) / 86400);
    return a->stats.date;
}

/* ---- a link's start tag ---- */

/* A link's start tag is gathered here and written with one call of the
 * sink (a server's sink copies each call into its buffers). */
struct gathered {
    struct annotator *a;
    size_t len;
    int spilled;              /* part of it is written already */
    char buf[1024];
};

/* Writes out what is gathered, to make room. */
static void spill(struct gathered *g)
{
    g->spilled = 1;
    put_markup(g->a, g->buf, g->len);
    g->len = 0;
}

static void gather_overflow(struct gathered *g, const char *p, size_t n)
{
    spill(g);
    if (n > sizeof(g->buf))
        put_markup(g->a, p, n);
    else
        memcpy(g->buf, p, g->len = n);
}

static inline void gather(struct gathered *g, const char *p, size_t n)
{
    if (__builtin_expect(g->len + n > sizeof(g->buf), 0)) {
        gather_overflow(g, p, n);
        return;
    }
    memcpy(g->buf + g->len, p, n);
    g->len += n;
}

/* s[0..n) through html_escape, a piece at a time (a piece grows at most
 * sixfold), each piece whole characters: put_markup may have to decode
 * what is spilled. */
static void gather_escaped(struct gathered *g, const char *s, size_t n)
{
    const size_t piece_max = sizeof(g->buf) / 6;
    for (size_t at = 0, k; at < n; at += k) {
        k = n - at < piece_max ? n - at : piece_max;
        while (at + k < n && ((unsigned char)s[at + k] & 0xC0) == 0x80)
            k--;
        if (g->len + 6 * k > sizeof(g->buf))
            spill(g);
        g->len += html_escape(s + at, k, g->buf + g->len);
    }
}

/* <a class="briefing briefing-TYPE" href="BASE/ID" data-briefing-id="ID"
 * title="NAME — SUMMARY">, the title escaped: made for a link rather than
 * kept for each entry (megabytes, for 100,000 entries), and kept a while
 * for the next links to the entry. */
static void put_link_open(struct annotator *a, uint32_t entry)
{
    static const char id_open[] = "\" data-briefing-id=\"", title_open[] = "\" title=\"";
    if (!a->stats.links && a->c->before_first_link)
        put_markup(a, a->c->before_first_link, strlen(a->c->before_first_link));
    struct recent_link *recent = &a->recent_links[entry % RECENT_LINKS];
    if (recent->entry == entry) {
        put_markup(a, recent->tag, recent->len);
        return;
    }
    const struct entry *e = &a->g->entries[entry];
    struct gathered g;
    g.a = a;
    g.len = 0;
    g.spilled = 0;
    gather(&g, a->c->link_open[e->type], a->c->link_open_len[e->type]);
    gather(&g, e->id, e->id_len);
    gather(&g, id_open, sizeof(id_open) - 1);
    gather(&g, e->id, e->id_len);
    gather(&g, title_open, sizeof(title_open) - 1);
    /* The entry knows whether its title has anything to escape; most do not. */
    if (e->title_escapes)
        gather_escaped(&g, glossary_entry_title(e), e->title_len);
    else
        gather(&g, glossary_entry_title(e), e->title_len);
    gather(&g, "\">", 2);
    put_markup(a, g.buf, g.len);
    if (!g.spilled && g.len <= sizeof(recent->tag)) {
        recent->entry = entry;
        recent->len = (uint16_t)g.len;
        memcpy(recent->tag, g.buf, g.len);
    }
}

/* Mentions after the one that exhausts the links are neither linked nor
 * counted, however the page was split. */
static void put_mentions(struct annotator *a)
{
    for (size_t i = 0; i < a->match.ndone && !a->exhausted; i++) {
        const struct mention *m0 = &a->match.done[i];
        a->stats.mentions++;
        uint32_t entry = m0->entry;
        if (entry & GLOSSARY_DATED)
            entry = glossary_resolve(a->g, entry, page_date(a));
        /* A dated pattern may mean no entry that day; an entry linked
         * already, most mentions of a page that links first mentions, is
         * passed over before its type is looked at. */
        if (entry == UINT32_MAX || (a->c->mentions == MENTIONS_FIRST && is_linked(a, entry)) ||
            !(a->c->type_mask & (1u << a->g->entries[entry].type)))
            continue;
        put_input(a, m0->start);
        put_link_open(a, entry);
        put_mention_closed(a, m0->end);
        a->linked[entry / 8] |= (unsigned char)(1u << (entry % 8));
        a->exhausted = ++a->stats.links >= a->links_max;
    }
    a->match.ndone = 0;
}

/* The first input byte that something still undecided may need. */
static uint64_t hold_from(const struct annotator *a)
{
    uint64_t from = tokenizer_hold_from(&a->tok);
    uint64_t m = match_hold_from(&a->match);
    if (m < from)
        from = m;
    if (a->in_ref && a->ref_start < from)
        from = a->ref_start;
    if (a->utf8_len && a->utf8_start < from)
        from = a->utf8_start;
    return from;
}

static void put_settled(struct annotator *a)
{
    uint64_t end = a->chunk_start + a->chunk_len, from = hold_from(a);
    put_input(a, from < end ? from : end);
}

/* ---- text ---- */

static void feed(struct annotator *a, uint32_t cp, uint64_t start, uint64_t end)
{
    match_feed(&a->match, cp, start, end);
    if (a->match.ndone)
        put_mentions(a);
}

/* Bytes left over by a character reference are plain ASCII text. */
static void feed_literal(struct annotator *a, uint64_t from, uint64_t to)
{
    for (uint64_t at = from; at < to; at++)
        feed(a, input_byte(a, at), at, at + 1);
}

static void end_reference(struct annotator *a, int next)
{
    uint32_t cp[2];
    int ncp;
    size_t covered = charref_resolve(&a->ref, 0, next, cp, &ncp);
    uint64_t start = a->ref_start, end = start + 1 + covered;
    a->in_ref = 0;
    if (!covered) {
        feed(a, '&', start, start + 1);
    } else {
        feed(a, cp[0], start, end);
        if (ncp == 2)
            feed(a, cp[1], end, end);
    }
    feed_literal(a, end > start + 1 ? end : start + 1, start + 1 + a->ref.raw_len);
}

static void text_byte(struct annotator *a, unsigned char b, uint64_t at);

/* An invalid byte is a boundary; the bytes after it are read again. */
static void utf8_continue(struct annotator *a)
{
    uint32_t cp;
    int len = utf8_decode(a->utf8, a->utf8_len, &cp);
    if (len > 0) {
        a->utf8_len = 0;
        /* Browsers drop a byte order mark before they parse: it is no
         * character of the text, and no word character before a mention. */
        if (cp == 0xFEFF && a->utf8_start == 0)
            return;
        feed(a, cp, a->utf8_start, a->utf8_start + (uint64_t)len);
    } else if (len < 0) {
        unsigned char rest[3];
        size_t nrest = a->utf8_len - 1;
        uint64_t at = a->utf8_start + 1;
        memcpy(rest, a->utf8 + 1, nrest);
        a->utf8_len = 0;
        feed(a, MATCH_INVALID_CP, at - 1, at);
        for (size_t i = 0; i < nrest; i++)
            text_byte(a, rest[i], at + i);
    }
}

static void text_byte(struct annotator *a, unsigned char b, uint64_t at)
{
    if (a->in_ref) {
        enum charref_step step = charref_push(&a->ref, b);
        if (step == CHARREF_MORE && a->ref.raw_len >= CHARREF_HOLD_MAX) {
            /* Only a numeric reference padded with zeros gets this long:
             * rather than hold it whole, read its '&' as a boundary and
             * the rest as text. */
            a->in_ref = 0;
            feed(a, MATCH_INVALID_CP, a->ref_start, a->ref_start + 1);
            feed_literal(a, a->ref_start + 1, at + 1);
            return;
        }
        if (step == CHARREF_MORE)
            return;
        end_reference(a, step == CHARREF_DONE ? -1 : b);
        if (step == CHARREF_DONE)
            return;
    }
    if (a->utf8_len) {
        a->utf8[a->utf8_len++] = b;
        utf8_continue(a);
    } else if (b == '&') {
        a->in_ref = 1;
        a->ref_start = at;
        charref_start(&a->ref);
    } else if (b < 0x80) {
        feed(a, b, at, at + 1);
    } else if (a->table) {
        uint32_t cp = a->table->high[b - 0x80];
        feed(a, cp ? cp : MATCH_INVALID_CP, at, at + 1);
    } else {
        a->utf8[0] = b;
        a->utf8_len = 1;
        a->utf8_start = at;
        utf8_continue(a);
    }
}

/* Markup or the end of the page ends the text run: it is a boundary. */
static void end_run(struct annotator *a)
{
    if (a->in_ref)
        end_reference(a, '<');
    for (size_t i = 0; i < a->utf8_len; i++)
        feed(a, MATCH_INVALID_CP, a->utf8_start + i, a->utf8_start + i + 1);
    a->utf8_len = 0;
    match_end_run(&a->match);
    if (a->match.ndone)
        put_mentions(a);
}

/* Whether match_scan may take text now: links are still to be made and
 * nothing is in progress (a reference, a character, a mention). */
static inline int may_scan(const struct annotator *a)
{
    return !a->exhausted && !a->in_ref && !a->utf8_len && match_idle(&a->match);
}

/* What match_scan takes of the text from p[i], its mentions linked; the
 * index after it. */
static size_t scan_from(struct annotator *a, const unsigned char *p, size_t n, uint64_t offset,
                        size_t i)
{
    i += match_scan(&a->match, p + i, n - i, offset + i, !a->table);
    if (a->match.ndone)
        put_mentions(a);
    return i;
}

/* The text from p[i] on: what the scan takes, and a character or a
 * reference at a time what it does not (first of all p[i], unless
 * `scan`). */
static void text_from(struct annotator *a, const unsigned char *p, size_t n, uint64_t offset,
                      size_t i, int scan)
{
    for (; i < n && !a->exhausted; i++, scan = 1) {
        if (scan && may_scan(a) && (i = scan_from(a, p, n, offset, i)) == n)
            break;
        unsigned char b = p[i];
        if (b < 0x80 && b != '&' && !a->in_ref && !a->utf8_len)
            feed(a, b, offset + i, offset + i + 1);
        else
            text_byte(a, b, offset + i);
    }
    /* Once nothing more can be linked the rest of the page passes through
     * as it is: nothing is looked for, nothing held back. */
    if (a->exhausted && (!match_idle(&a->match) || a->in_ref || a->utf8_len))
        end_run(a);
}

static void on_text(void *ctx, const unsigned char *p, size_t n, uint64_t offset)
{
    struct annotator *a = ctx;
    if (!a->annotatable)
        return;
    if (!a->date_fixed)
        for (size_t i = 0; i < n; i++)
            if (!(a->g->matcher->byte_info[p[i]] & BYTE_SPACE)) {
                page_date(a);
                break;
            }
    /* Most texts the scan takes whole. */
    size_t taken = 0;
    int scanned = may_scan(a);
    if (scanned && (taken = scan_from(a, p, n, offset, 0)) == n)
        return;
    text_from(a, p, n, offset, taken, !scanned);
}

static void on_markup(void *ctx, uint64_t offset)
{
    (void)offset;
    end_run(ctx);
}

/* ---- tree ---- */

static struct open_element *top(struct annotator *a)
{
    return &a->stack[a->depth - 1];
}

static int is_skipped_name(const struct annotator *a, uint64_t hash)
{
    unsigned bit = skip_bit(hash);
    if (!(a->c->skip_seen[bit / 64] >> (bit % 64) & 1))
        return 0;
    for (size_t i = 0; i < a->c->nskip; i++)
        if (a->c->skip[i] == hash)
            return 1;
    return 0;
}

/* Decodes an attribute value into buf; NULL when absent or too long. */
static const char *attribute_text(const struct tag_attribute_value *v, char *buf, size_t cap,
                                  size_t *len)
{
    if (!v->present || v->truncated)
        return NULL;
    size_t n = charref_decode_attribute(v->raw, v->len, buf, cap - 1);
    if (n == (size_t)-1)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static int opts_out(const struct html_tag *t)
{
    const struct tag_attribute_value *v = &t->attr[ATTR_DATA_BRIEFING];
    char buf[8];
    if (!v->present)
        return 0;
    if (v->truncated || v->len > 64)
        return 1;   /* unsure: a value this long may still decode to "off" */
    const char *text = attribute_text(v, buf, sizeof(buf), NULL);
    return text && strlen(text) == 3 && (text[0] | 0x20) == 'o' && (text[1] | 0x20) == 'f' &&
           (text[2] | 0x20) == 'f';
}

static int in_scope(const struct annotator *a, const struct html_tag *t)
{
    char id[ATTR_VALUE_KEEP * 2], classes[ATTR_VALUE_KEEP * 2];
    size_t classes_len = 0;
    const char *id_text = attribute_text(&t->attr[ATTR_ID], id, sizeof(id), NULL);
    const char *class_text = attribute_text(&t->attr[ATTR_CLASS], classes, sizeof(classes),
                                            &classes_len);
    for (size_t i = 0; i < a->c->nscope; i++)
        if (selector_matches(&a->c->scope[i], t->hash, id_text, class_text, classes_len))
            return 1;
    return 0;
}

static void push_overflow(struct annotator *a, uint64_t hash)
{
    size_t i = 0;
    while (i < a->noverflow && a->overflow[i].hash != hash)
        i++;
    if (i == a->noverflow) {
        if (i == OVERFLOW_NAMES) {
            a->overflow_lost = 1;
            return;
        }
        a->overflow[a->noverflow++].hash = hash;
    }
    a->overflow[i].count++;
    a->overflow_open++;
}

/* Closes the innermost element past STACK_MAX of that name, if any. */
static void pop_overflow(struct annotator *a, uint64_t hash)
{
    for (size_t i = 0; i < a->noverflow; i++)
        if (a->overflow[i].hash == hash) {
            a->overflow_open--;
            if (--a->overflow[i].count == 0)
                a->overflow[i] = a->overflow[--a->noverflow];
            return;
        }
}

static int element_annotates(const struct annotator *a, const struct open_element *e)
{
    return !e->blocked && (!a->c->nscope || e->scoped) && !(e->info->flags & EL_TABLE_TEXT);
}

static void push(struct annotator *a, const struct html_tag *t, const struct element_info *info)
{
    if (a->depth == STACK_MAX) {
        push_overflow(a, t->hash);
        return;
    }
    const struct open_element *parent = top(a);
    struct open_element *e = &a->stack[a->depth++];
    e->hash = t->hash;
    e->info = info;
    a->open_ids[info->id]++;
    e->foreign = parent->foreign || (info->flags & EL_FOREIGN);
    e->skipped = is_skipped_name(a, t->hash) || opts_out(t);
    e->blocked = parent->blocked || e->skipped || e->foreign;
    e->scoped = parent->scoped || (a->c->nscope && in_scope(a, t));
    e->annotates = element_annotates(a, e);
    if (info->id == EL_HEAD)
        a->head_index = a->depth - 1;
}

static void linger(struct annotator *a, uint64_t hash, size_t depth)
{
    if (a->nlingering == LINGER_MAX)
        return;
    size_t marker = 0;
    for (size_t i = depth; i-- > 1;)
        if (a->stack[i].info->flags & EL_MARKER) {
            marker = i;
            break;
        }
    a->lingering[a->nlingering++] = (struct lingering){hash, marker};
}

static void forget_lingering_inside(struct annotator *a, size_t marker)
{
    size_t kept = 0;
    for (size_t i = 0; i < a->nlingering; i++)
        if (a->lingering[i].marker != marker)
            a->lingering[kept++] = a->lingering[i];
    a->nlingering = kept;
}

/* Closes the element at `index` and everything opened inside it.  A skipped
 * formatting element closed this way is reopened by browsers for the text
 * that follows, so it keeps blocking until its own end tag. */
static void pop_to(struct annotator *a, size_t index)
{
    for (size_t k = a->depth; k-- > index;) {
        const struct open_element *e = &a->stack[k];
        a->open_ids[e->info->id]--;
        if (k != index && (e->info->flags & EL_FORMATTING) && e->skipped && !e->foreign)
            linger(a, e->hash, k);
        if (e->info->flags & EL_MARKER)
            forget_lingering_inside(a, k);
    }
    a->depth = index;
    if (a->head_index >= index)
        a->head_index = 0;
}

/* The nearest open element that `wanted` accepts, not looking past one
 * with any of the `stop` flags; 0 when there is none. */
static size_t find_open(const struct annotator *a, int (*wanted)(const struct open_element *, const void *),
                        const void *arg, unsigned stop)
{
    for (size_t i = a->depth; i-- > 1;) {
        if (wanted(&a->stack[i], arg))
            return i;
        if (a->stack[i].info->flags & stop)
            return 0;
    }
    return 0;
}

static int has_hash(const struct open_element *e, const void *hash)
{
    return e->hash == *(const uint64_t *)hash;
}

static int has_id_in(const struct open_element *e, const void *ids)
{
    for (const uint8_t *id = ids; *id; id++)
        if (e->info->id == *id)
            return 1;
    return 0;
}

/* Whether an element with one of the ids is open at all: mostly not, and
 * then the stack need not be searched. */
static int any_open(const struct annotator *a, const uint8_t *ids)
{
    for (const uint8_t *id = ids; *id; id++)
        if (a->open_ids[*id])
            return 1;
    return 0;
}

static void close_open(struct annotator *a, const uint8_t *ids, unsigned stop)
{
    if (!any_open(a, ids))
        return;
    size_t i = find_open(a, has_id_in, ids, stop);
    if (i)
        pop_to(a, i);
}

/* The end tags that HTML implies before a start tag. */
static void close_implied(struct annotator *a, const struct element_info *info)
{
    static const uint8_t p[] = {EL_P, 0}, li[] = {EL_LI, 0}, dd_dt[] = {EL_DD, EL_DT, 0};
    static const uint8_t tr[] = {EL_TR, 0}, cell[] = {EL_TD, EL_TH, 0};
    static const uint8_t section[] = {EL_TBODY, EL_THEAD, EL_TFOOT, 0};
    const unsigned scope = EL_SCOPE | EL_FOREIGN;

    if (a->head_index && !(info->flags & EL_IN_HEAD))
        pop_to(a, a->head_index);
    if (info->flags & EL_CLOSES_P)
        close_open(a, p, scope);
    switch (info->id) {
    case EL_LI:
        close_open(a, li, scope | EL_LIST);
        break;
    case EL_DD:
    case EL_DT:
        close_open(a, dd_dt, scope | EL_LIST);
        break;
    case EL_OPTION:
    case EL_OPTGROUP:
        if (top(a)->info->id == EL_OPTION)
            pop_to(a, a->depth - 1);
        if (info->id == EL_OPTGROUP && top(a)->info->id == EL_OPTGROUP)
            pop_to(a, a->depth - 1);
        break;
    case EL_TR:
        close_open(a, tr, EL_TABLE_SCOPE);
        break;
    case EL_TD:
    case EL_TH:
        close_open(a, cell, EL_TABLE_SCOPE | EL_TABLE_TEXT);
        break;
    case EL_TBODY:
    case EL_THEAD:
    case EL_TFOOT:
        close_open(a, section, EL_TABLE_SCOPE);
        break;
    default:
        break;
    }
}

static int is_open(const struct annotator *a, uint8_t id)
{
    return a->open_ids[id] != 0;
}

static enum html_content start_tag(struct annotator *a, const struct html_tag *t,
                                   const struct element_info *info)
{
    if (top(a)->foreign) {
        if (!t->self_closing)
            push(a, t, info);
        return CONTENT_DATA;
    }
    if ((info->id == EL_HTML || info->id == EL_BODY) && is_open(a, info->id))
        return CONTENT_DATA;
    if (info->id == EL_HEAD) {
        if (a->head_seen)
            return CONTENT_DATA;
        a->head_seen = 1;
    }
    close_implied(a, info);
    if (info->flags & EL_VOID)
        return CONTENT_DATA;
    push(a, t, info);
    if (info->flags & EL_SCRIPT)
        return CONTENT_SCRIPT;
    if (info->flags & EL_RAWTEXT)
        return CONTENT_RAWTEXT;
    if (info->flags & EL_PLAINTEXT)
        return CONTENT_PLAINTEXT;
    return CONTENT_DATA;
}

static void end_tag(struct annotator *a, const struct html_tag *t, const struct element_info *info)
{
    if (a->overflow_open) {
        pop_overflow(a, t->hash);
        return;
    }
    /* Browsers keep body and html open to the end of the page. */
    if (info->id == EL_BODY || info->id == EL_HTML)
        return;
    unsigned stop = (info->flags & EL_TABLE_PART) ? EL_TABLE_SCOPE : EL_SCOPE;
    size_t i = find_open(a, has_hash, &t->hash, stop);
    if (i) {
        pop_to(a, i);
        return;
    }
    for (size_t k = a->nlingering; k-- > 0;)
        if (a->lingering[k].hash == t->hash) {
            a->lingering[k] = a->lingering[--a->nlingering];
            break;
        }
}

static int text_is_annotatable(const struct annotator *a)
{
    return !a->overflow_open && !a->overflow_lost && !a->nlingering &&
           a->stack[a->depth - 1].annotates;
}

/* ---- the title ---- */

/* Where the raw title text ends: at "</title" and a delimiter, or at a
 * cut-off start of one at the end of what was kept. */
static size_t title_end(const char *raw, size_t n)
{
    static const char end[] = "</title";
    for (size_t i = 0; i < n; i++) {
        if (raw[i] != '<')
            continue;
        size_t k = 1;
        while (k < sizeof(end) - 1 && i + k < n && (raw[i + k] | (k > 1 ? 0x20 : 0)) == end[k])
            k++;
        if (i + k == n || (k == sizeof(end) - 1 && memchr("\t\n\f\r />", raw[i + k], 7)))
            return i;
    }
    return n;
}

/* Appends cp to the title, whitespace folded; 0 once it is full. */
static int title_put(struct annotator *a, size_t *len, int *space, uint32_t cp)
{
    if (cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r' || cp == ' ') {
        *space = *len > 0;
        return 1;
    }
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 1;
    unsigned char buf[4];
    size_t n = utf8_encode(cp, buf), need = n + (size_t)*space;
    if (*len + need > ANNOTATOR_TITLE_MAX)
        return 0;
    if (*space)
        a->title[(*len)++] = ' ';
    memcpy(a->title + *len, buf, n);
    *len += n;
    *space = 0;
    return 1;
}

/* Decodes the raw title text (references, the page's charset) into title. */
static void title_finish(struct annotator *a)
{
    const unsigned char *raw = (const unsigned char *)a->title_raw;
    size_t n = title_end(a->title_raw, a->title_raw_len), len = 0;
    int space = 0, room = 1;
    if (n == sizeof(a->title_raw))
        /* Cut off: a reference that may have lost its end goes. */
        for (size_t i = n; i-- > n - CHARREF_NAME_MAX && raw[i] != ';';)
            if (raw[i] == '&') {
                n = i;
                break;
            }
    for (size_t i = 0; i < n && room;) {
        uint32_t cp[2] = {raw[i], 0};
        int ncp = 1;
        if (raw[i] == '&') {
            struct charref r;
            charref_start(&r);
            size_t j = i + 1;
            enum charref_step step = CHARREF_MORE;
            while (j < n && step == CHARREF_MORE)
                if ((step = charref_push(&r, raw[j])) != CHARREF_STOP)
                    j++;
            size_t covered = charref_resolve(&r, 0, j < n ? raw[j] : -1, cp, &ncp);
            if (!covered) {
                cp[0] = '&';
                ncp = 1;
            }
            i += 1 + covered;
        } else if (raw[i] < 0x80) {
            i++;
        } else if (a->table) {
            cp[0] = a->table->high[raw[i] - 0x80];
            if (!cp[0])
                cp[0] = 0xFFFD;
            i++;
        } else {
            int l = utf8_decode(raw + i, n - i, cp);
            if (l == 0)
                break;      /* cut off in the middle of a character */
            if (l < 0) {
                cp[0] = 0xFFFD;
                l = 1;
            }
            i += (size_t)l;
        }
        for (int k = 0; k < ncp && room; k++)
            room = title_put(a, &len, &space, cp[k]);
    }
    a->title[len] = '\0';
    a->title_state = TITLE_DONE;
}

/* The title is looked for up to the body. */
static void title_tag(struct annotator *a, const struct html_tag *t, enum html_content content)
{
    if (a->title_state == TITLE_OPEN && t->is_end)
        title_finish(a);
    else if (!t->is_end && content == CONTENT_RAWTEXT && t->name_len == 5 &&
             !memcmp(t->name, "title", 5))
        a->title_state = TITLE_OPEN;
    else if (!t->is_end && t->name_len == 4 && !memcmp(t->name, "body", 4))
        a->title_state = TITLE_DONE;
}

/* Until the title is found, the tokenizer gets the page in pieces that end
 * at '>': the title's text starts right after the piece that opened it. */
static void feed_tokenizer(struct annotator *a, const unsigned char *p, size_t n)
{
    while (n && (a->title_state == TITLE_OPEN ||
                 (a->title_state == TITLE_LOOKING && a->tok.offset < TITLE_LOOK_MAX))) {
        const unsigned char *gt = memchr(p, '>', n);
        size_t len = gt ? (size_t)(gt - p) + 1 : n;
        if (a->title_state == TITLE_OPEN) {
            size_t room = sizeof(a->title_raw) - a->title_raw_len, take = len < room ? len : room;
            memcpy(a->title_raw + a->title_raw_len, p, take);
            a->title_raw_len += take;
            if (a->title_raw_len == sizeof(a->title_raw))
                title_finish(a);
        }
        tokenizer_feed(&a->tok, p, len);
        p += len;
        n -= len;
    }
    if (n)
        tokenizer_feed(&a->tok, p, n);
}

/* ---- the page's date ---- */

static int attribute_is(const struct html_tag *t, int attr, const char *value)
{
    char buf[64];
    const char *text = t->attr[attr].len < sizeof(buf) * 2
        ? attribute_text(&t->attr[attr], buf, sizeof(buf), NULL) : NULL;
    return text && strcasecmp(text, value) == 0;
}

static int attribute_date(const struct html_tag *t, int attr, int32_t *day)
{
    char buf[128];
    size_t len = 0;
    const char *text = t->attr[attr].len < sizeof(buf) * 2
        ? attribute_text(&t->attr[attr], buf, sizeof(buf), &len) : NULL;
    while (text && len && (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r' ||
                           *text == '\f'))
        text++, len--;
    return text && glossary_parse_date(text, len, day) == 0 && *day != 0;
}

/* The first <meta property|name="article:published_time" content> and the
 * first <time datetime> before the first annotated text. */
static void date_tag(struct annotator *a, const struct html_tag *t)
{
    int32_t day;
    if (t->name_len == 4 && !memcmp(t->name, "meta", 4) && !a->date_found[DATE_SOURCE_META] &&
        (attribute_is(t, ATTR_PROPERTY, "article:published_time") ||
         attribute_is(t, ATTR_NAME, "article:published_time")) &&
        attribute_date(t, ATTR_CONTENT, &day))
        a->date_found[DATE_SOURCE_META] = day;
    else if (t->name_len == 4 && !memcmp(t->name, "time", 4) && !a->date_found[DATE_SOURCE_TIME] &&
             attribute_date(t, ATTR_DATETIME, &day))
        a->date_found[DATE_SOURCE_TIME] = day;
}

static enum html_content on_tag(void *ctx, const struct html_tag *t)
{
    struct annotator *a = ctx;
    const struct element_info *info = element_lookup(t->name, t->name_len, t->hash);
    enum html_content content = CONTENT_DATA;
    if (t->is_end)
        end_tag(a, t, info);
    else
        content = start_tag(a, t, info);
    if (a->title_state != TITLE_DONE)
        title_tag(a, t, content);
    if (!a->date_fixed && !t->is_end)
        date_tag(a, t);
    a->tok.foreign = top(a)->foreign;
    a->annotatable = text_is_annotatable(a);
    return content;
}

static const struct html_handler handler = {on_text, on_markup, on_tag};

/* ---- the stream ---- */

struct annotator *annotator_new(const struct glossary *g, const struct annotate_config *c,
                                annotate_sink sink, void *sink_ctx)
{
    struct annotator *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->linked = calloc(g->nentries / 8 + 1, 1);
    if (!a->linked) {
        free(a);
        return NULL;
    }
    a->g = g;
    a->c = c;
    a->sink = sink;
    a->sink_ctx = sink_ctx;
    a->mode = c->sniff_charset ? MODE_SNIFF : c->pass_charset ? MODE_PASS : MODE_ANNOTATE;
    a->table = c->table;
    a->stats.charset = a->table ? a->table->name : NULL;
    a->stats.passed_through = c->pass_charset;
    tokenizer_init(&a->tok, &handler, a);
    a->tok.capture_scope = c->nscope > 0;
    a->tok.capture_date = c->date_sources[0] != DATE_SOURCE_NONE;
    match_stream_init(&a->match, g->matcher, c->type_mask);
    size_t linkable = 0;
    for (int t = 0; t < ENTRY_TYPE_COUNT; t++)
        if (c->type_mask & (1u << t))
            linkable += g->count_by_type[t];
    a->links_max = c->max_links ? c->max_links : SIZE_MAX;
    if (c->mentions == MENTIONS_FIRST && linkable < a->links_max)
        a->links_max = linkable;
    a->exhausted = linkable == 0;
    for (size_t i = 0; i < RECENT_LINKS; i++)
        a->recent_links[i].entry = UINT32_MAX;
    elements_init();
    a->stack[0].info = element_unknown();
    a->stack[0].annotates = element_annotates(a, &a->stack[0]);
    a->depth = 1;
    a->annotatable = text_is_annotatable(a);
    return a;
}

void annotator_free(struct annotator *a)
{
    if (!a)
        return;
    match_stream_release(&a->match);
    free(a->hold);
    free(a->linked);
    free(a);
}

const struct annotate_stats *annotator_stats(const struct annotator *a)
{
    return &a->stats;
}

size_t annotator_linked_entries(const struct annotator *a, uint32_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < a->g->nentries; i++)
        if (is_linked(a, (uint32_t)i)) {
            if (n < cap)
                out[n] = (uint32_t)i;
            n++;
        }
    return n;
}

const char *annotator_title(const struct annotator *a)
{
    return a->title_state == TITLE_DONE ? a->title : "";
}

size_t annotator_memory(const struct annotator *a)
{
    return sizeof(*a) + a->hold_cap + a->g->nentries / 8 + 1 +
           a->match.open_cap * sizeof(*a->match.open) +
           a->match.ready_cap * sizeof(*a->match.ready) +
           a->match.done_cap * sizeof(*a->match.done);
}

static int annotate_chunk(struct annotator *a, const unsigned char *p, size_t n)
{
    a->chunk = p;
    a->chunk_len = n;
    if (a->mode == MODE_PASS) {
        put_input(a, a->chunk_start + n);
    } else {
        match_scan_buffer(&a->match, p, n);
        feed_tokenizer(a, p, n);
        match_scan_buffer(&a->match, NULL, 0);
        put_settled(a);
    }
    if (keep_rest(a) && !a->error) {
        /* Out of memory to hold text back: give up annotating, never the
         * page.  The rest passes through as it is. */
        put_input(a, a->chunk_start + a->chunk_len);
        a->chunk_start += a->chunk_len;
        a->mode = MODE_PASS;
        a->stats.passed_through = 1;
    }
    return a->error;
}

/* Decides, from the first bytes, whether the page's charset is one the
 * annotator reads; the bytes wait in hold meanwhile. */
static int sniff(struct annotator *a, const unsigned char **p, size_t *n, int force)
{
    size_t have = held(a), want = CHARSET_PRESCAN_BYTES - have;
    size_t take = *n < want ? *n : want;
    a->chunk = *p;
    a->chunk_len = take;
    if (keep_rest(a)) {
        a->error = -1;
        return -1;
    }
    *p += take;
    *n -= take;
    if (held(a) < CHARSET_PRESCAN_BYTES && !force)
        return 0;
    char label[CHARSET_LABEL_MAX];
    a->mode = MODE_ANNOTATE;
    if (held(a) && charset_sniff(a->hold + a->hold_off, held(a), label, sizeof(label)) &&
        !charset_is_utf8(label) && !(a->table = charset_table_find(label))) {
        a->mode = MODE_PASS;
        a->stats.passed_through = 1;
    }
    a->stats.charset = a->table ? a->table->name : NULL;
    /* Read the bytes held so far as if they came now. */
    size_t len = held(a);
    unsigned char *first = malloc(len ? len : 1);
    if (!first) {
        a->error = -1;
        return -1;
    }
    if (len)
        memcpy(first, a->hold + a->hold_off, len);
    a->hold_off = 0;
    a->chunk_start = a->written;
    annotate_chunk(a, first, len);
    free(first);
    return a->error;
}

int annotator_write(struct annotator *a, const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    if (a->error)
        return a->error;
    if (a->mode == MODE_SNIFF && (sniff(a, &p, &len, 0) || a->mode == MODE_SNIFF))
        return a->error;
    return len ? annotate_chunk(a, p, len) : a->error;
}

int annotator_flush(struct annotator *a)
{
    const unsigned char *none = (const unsigned char *)"";
    size_t zero = 0;
    if (!a->error && a->mode == MODE_SNIFF)
        sniff(a, &none, &zero, 1);
    if (!a->error)
        annotate_chunk(a, none, 0);
    return a->error;
}

int annotator_finish(struct annotator *a)
{
    if (annotator_flush(a))
        return a->error;
    if (a->mode == MODE_ANNOTATE) {
        tokenizer_finish(&a->tok);
        end_run(a);
    }
    put_input(a, a->chunk_start);
    return a->error;
}
