/* briefing lint GLOSSARY [PAGE...]: what an editor may want to fix in a
 * glossary that loads (docs/lint.md).
 *
 *   short-alias        a name or alias of one or two characters
 *   common-word        a name or alias that is a common word of its language
 *   lowercase-acronym  an all-capitals name or alias whose lower case is an
 *                      ordinary word in the pages
 *   never-matched      a name or alias that no page mentions
 *   contained          a name or alias found, as whole words, inside a
 *                      pattern of another entry
 *   no-summary         an entry without a summary
 *   long-summary       a summary longer than a hover card holds well
 *   one-way-see        <see ref="B"/> in A, but none back to A in B
 *
 * Pages are read by the engine itself: they are annotated with every
 * mention linked and a link base that the page does not contain, and the
 * links are read back out of the output, which is the page byte for byte
 * but for them.  So a mention here is exactly what the module would link
 * (default skip list, no scope, no type filter).
 *
 * Positions are those of the start tags in the glossary file, which is
 * parsed once more for them (the loader keeps positions for errors only). */
#define _GNU_SOURCE   /* memmem */
#include "lint.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>

#include "annotator.h"
#include "automaton.h"
#include "charref.h"
#include "charset.h"
#include "glossary.h"
#include "strbuf.h"
#include "unicode.h"

#include "lint_words.h"

#define EXIT_INVALID 1
#define EXIT_USAGE 2
#define GLOSSARY_NS "urn:briefing:glossary:1"
/* The hover card is at most 23.5em wide (assets/briefing.css), some 45 to
 * 55 characters a line, and nothing shortens the summary: 200 characters
 * are four lines or so. */
#define LINT_SUMMARY_MAX 200

enum code {
    W_SHORT_ALIAS, W_COMMON_WORD, W_LOWERCASE_ACRONYM, W_NEVER_MATCHED, W_CONTAINED,
    W_NO_SUMMARY, W_LONG_SUMMARY, W_ONE_WAY_SEE
};
static const char *const code_names[] = {
    "short-alias", "common-word", "lowercase-acronym", "never-matched", "contained",
    "no-summary", "long-summary", "one-way-see"
};

struct pattern {
    uint32_t entry;
    int alias;              /* -1: the name; else its index in the entry's aliases */
    const char *text;       /* as loaded: whitespace folded */
    char *folded;           /* case folded too */
    int insensitive;
    char *lang;             /* primary language subtag, lower case; NULL: none */
    long line, col;
    unsigned long matches;  /* mentions in the pages */
};

struct position {
    long line, col;
};

struct see {
    uint32_t from, to;
    struct position at;
};

struct warning {
    enum code code;
    uint32_t entry;
    struct position at;
    size_t seq;
    char *message;
};

struct error {
    char *file;
    long line, col;         /* 0: none */
    char *message;
};

struct page {
    const char *path;
    unsigned char *data;
    size_t len;
    char *lang;
    int read;               /* read and annotated */
};

struct lint {
    const char *path;
    struct glossary *g;
    struct pattern *pats;
    size_t npats;
    size_t *first;          /* per entry: the index of its name in pats */
    struct position *entry_at, *summary_at;
    struct see *sees;
    size_t nsees;
    struct warning *warnings;
    size_t nwarnings, warnings_cap;
    struct error *errors;
    size_t nerrors, errors_cap;
    struct page *pages;
    size_t npages;
    unsigned max_summary;
    int out_of_memory;
};

/* ---- small helpers ---- */

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t cap2 = *cap ? *cap * 2 : 16;
    while (cap2 < need)
        cap2 *= 2;
    void *q = realloc(p, cap2 * size);
    if (q)
        *cap = cap2;
    return q;
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

static void add_warning(struct lint *L, enum code code, uint32_t entry, struct position at,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void add_warning(struct lint *L, enum code code, uint32_t entry, struct position at,
                        const char *fmt, ...)
{
    struct warning *w = grow(L->warnings, &L->warnings_cap, L->nwarnings + 1, sizeof(*w));
    va_list ap;
    va_start(ap, fmt);
    char *message = w ? vformat(fmt, ap) : NULL;
    va_end(ap);
    if (!w || !message) {
        if (w)
            L->warnings = w;
        L->out_of_memory = 1;
        return;
    }
    L->warnings = w;
    L->warnings[L->nwarnings] = (struct warning){code, entry, at, L->nwarnings, message};
    L->nwarnings++;
}

/* Also written to standard error, as the other commands do. */
static void add_error(struct lint *L, const char *file, long line, long col, const char *message)
{
    struct error *e = grow(L->errors, &L->errors_cap, L->nerrors + 1, sizeof(*e));
    char *f = strdup(file), *m = strdup(message);
    if (!e || !f || !m) {
        if (e)
            L->errors = e;
        free(f);
        free(m);
        L->out_of_memory = 1;
        return;
    }
    L->errors = e;
    L->errors[L->nerrors++] = (struct error){f, line, col, m};
}

static size_t count_code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Whitespace runs to one space, trimmed, and case-folded when asked: the
 * way the loader prepares a pattern.  Appends code points to a buffer. */
struct folder {
    char *out;
    size_t len;
    int pending_space, casefold;
};

static void fold_cp(struct folder *f, uint32_t cp)
{
    if (uc_classify(cp) == UC_SPACE) {
        f->pending_space = f->len > 0;
        return;
    }
    if (f->pending_space)
        f->out[f->len++] = ' ';
    f->pending_space = 0;
    f->len += utf8_encode(f->casefold ? uc_fold(cp) : cp, (unsigned char *)f->out + f->len);
}

/* s (valid UTF-8, from libxml2) case-folded; malloc'd. */
static char *casefold(const char *s)
{
    size_t n = strlen(s);
    struct folder f = {malloc(n * 4 + 1), 0, 0, 1};
    if (!f.out)
        return NULL;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int len = utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (len <= 0) {
            cp = 0xFFFD;
            len = 1;
        }
        i += (size_t)len;
        fold_cp(&f, cp);
    }
    f.out[f.len] = '\0';
    return f.out;
}

/* "en-GB" -> "en"; NULL for none. */
static char *primary_language(const char *lang, size_t n)
{
    size_t k = 0;
    while (k < n && lang[k] != '-' && lang[k] != '_')
        k++;
    if (!k)
        return NULL;
    char *s = malloc(k + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < k; i++)
        s[i] = lang[i] >= 'A' && lang[i] <= 'Z' ? (char)(lang[i] + 32) : lang[i];
    s[k] = '\0';
    return s;
}

static int same_language(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static const char *pattern_kind(const struct pattern *p)
{
    return p->alias < 0 ? "name" : "alias";
}

static const char *entry_id(const struct lint *L, uint32_t entry)
{
    return L->g->entries[entry].id;
}

/* ---- positions: the glossary parsed once more ---- */

/* As the loader does: a start tag's '<' is the last one before the cursor
 * once the tag has been read; its offset + 1 goes into _private. */
static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                             int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                          nb_attributes, nb_defaulted, attributes);
    const xmlChar *base = ctxt->input->base, *at = ctxt->input->cur;
    while (at > base && *--at != '<')
        ;
    if (ctxt->node && *at == '<')
        ctxt->node->_private = (void *)(uintptr_t)(ctxt->input->consumed + (size_t)(at - base) + 1);
}

static void ignore_error(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

static int is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns &&
           strcmp((const char *)n->ns->href, GLOSSARY_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

struct source {
    const char *data;
    size_t size;
    /* Where the last position was found: nodes come in file order, so
     * each search goes on from there. */
    size_t offset;
    struct position at;
};

/* Line and column (in characters, from 1) of the node's start tag. */
static struct position node_position(struct source *src, const xmlNode *n)
{
    size_t offset = (size_t)(uintptr_t)n->_private;
    if (!offset || offset - 1 >= src->size)
        return (struct position){(long)xmlGetLineNo(n), 1};
    offset--;
    if (offset < src->offset) {
        src->offset = 0;
        src->at = (struct position){1, 1};
    }
    for (; src->offset < offset; src->offset++) {
        unsigned char b = (unsigned char)src->data[src->offset];
        if (b == '\n') {
            src->at.line++;
            src->at.col = 1;
        } else if ((b & 0xC0) != 0x80) {
            src->at.col++;
        }
    }
    return src->at;
}

static char *read_file(const char *path, size_t *len, int *err);

static char *node_language(const xmlNode *n)
{
    xmlChar *lang = xmlNodeGetLang(n);
    char *s = lang ? primary_language((const char *)lang, strlen((const char *)lang)) : NULL;
    xmlFree(lang);
    return s;
}

static int add_see(struct lint *L, size_t *cap, uint32_t from, uint32_t to, struct position at)
{
    struct see *s = grow(L->sees, cap, L->nsees + 1, sizeof(*s));
    if (!s)
        return -1;
    L->sees = s;
    L->sees[L->nsees++] = (struct see){from, to, at};
    return 0;
}

/* Fills in positions, the names' languages and the see links from the file;
 * what it cannot read (the file changed since) keeps the loader's data. */
static int read_positions(struct lint *L)
{
    const struct glossary *g = L->g;
    size_t sees_cap = 0;
    int err = 0;
    struct source src = {NULL, 0, 0, {1, 1}};
    src.data = read_file(L->path, &src.size, &err);
    xmlDocPtr doc = NULL;
    if (src.data && src.size <= GLOSSARY_MAX_BYTES) {
        xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
        if (ctxt) {
            ctxt->sax->startElementNs = on_start_element;
            ctxt->sax->serror = ignore_error;
            doc = xmlCtxtReadMemory(ctxt, src.data, (int)src.size, L->path, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC |
                                    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
            xmlFreeParserCtxt(ctxt);
        }
    }
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    size_t index = 0;
    for (const xmlNode *en = root ? root->children : NULL; en && index < g->nentries; en = en->next) {
        if (!is_element(en, "entry"))
            continue;
        const struct entry *e = &g->entries[index];
        xmlChar *id = xmlGetNoNsProp(en, (const xmlChar *)"id");
        int same = id && strcmp((const char *)id, e->id) == 0;
        xmlFree(id);
        if (!same)
            break;
        L->entry_at[index] = node_position(&src, en);
        size_t alias = 0;
        for (const xmlNode *c = en->children; c; c = c->next) {
            if (is_element(c, "name")) {
                struct pattern *p = &L->pats[L->first[index]];
                struct position at = node_position(&src, c);
                p->line = at.line;
                p->col = at.col;
                free(p->lang);
                p->lang = node_language(c);
            } else if (is_element(c, "alias") && alias < e->naliases) {
                struct pattern *p = &L->pats[L->first[index] + 1 + alias++];
                struct position at = node_position(&src, c);
                p->line = at.line;
                p->col = at.col;
            } else if (is_element(c, "summary")) {
                L->summary_at[index] = node_position(&src, c);
            } else if (is_element(c, "see")) {
                xmlChar *ref = xmlGetNoNsProp(c, (const xmlChar *)"ref");
                const struct entry *t = ref ? glossary_find(g, (const char *)ref,
                                                            strlen((const char *)ref)) : NULL;
                xmlFree(ref);
                if (t && add_see(L, &sees_cap, (uint32_t)index, (uint32_t)(t - g->entries),
                                 node_position(&src, c))) {
                    err = -1;
                    break;
                }
            }
        }
        index++;
    }
    /* Entries the file no longer shows: their see links from the loader. */
    for (size_t i = index; i < g->nentries && !err; i++) {
        L->entry_at[i] = L->summary_at[i] = (struct position){0, 0};
        for (size_t k = 0; k < g->entries[i].nsee && !err; k++)
            err = add_see(L, &sees_cap, (uint32_t)i, g->entries[i].see[k], (struct position){0, 0});
    }
    xmlFreeDoc(doc);
    free((char *)src.data);
    return err < 0 ? -1 : 0;
}

/* ---- the patterns ---- */

static int collect_patterns(struct lint *L)
{
    const struct glossary *g = L->g;
    size_t n = 0;
    for (size_t i = 0; i < g->nentries; i++)
        n += 1 + g->entries[i].naliases;
    L->pats = calloc(n ? n : 1, sizeof(*L->pats));
    L->first = calloc(g->nentries ? g->nentries : 1, sizeof(*L->first));
    L->entry_at = calloc(g->nentries ? g->nentries : 1, sizeof(*L->entry_at));
    L->summary_at = calloc(g->nentries ? g->nentries : 1, sizeof(*L->summary_at));
    if (!L->pats || !L->first || !L->entry_at || !L->summary_at)
        return -1;
    for (size_t i = 0; i < g->nentries; i++) {
        const struct entry *e = &g->entries[i];
        L->first[i] = L->npats;
        for (int k = -1; k < (int)e->naliases; k++) {
            struct pattern *p = &L->pats[L->npats++];
            p->entry = (uint32_t)i;
            p->alias = k;
            p->text = k < 0 ? e->name : e->aliases[k].text;
            p->insensitive = k >= 0 && e->aliases[k].insensitive;
            const char *lang = k < 0 ? e->lang : e->aliases[k].lang;
            p->lang = lang ? primary_language(lang, strlen(lang)) : NULL;
            p->folded = casefold(p->text);
            if (!p->folded)
                return -1;
        }
    }
    return 0;
}

/* Dated aliases on days apart never meet on one page (docs/glossary.md). */
static int on_days_apart(const struct lint *L, const struct pattern *p, const struct pattern *q)
{
    if (p->alias < 0 || q->alias < 0)
        return 0;
    const struct entry_alias *a = &L->g->entries[p->entry].aliases[p->alias];
    const struct entry_alias *b = &L->g->entries[q->entry].aliases[q->alias];
    return a->until < b->from || b->until < a->from;
}

static struct position pattern_at(const struct pattern *p)
{
    return (struct position){p->line, p->col};
}

/* ---- short-alias, common-word ---- */

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct word_list {
    const char *lang, *language;
    const char *const *words;
    size_t n;
    const char **sorted;
};

static void check_words(struct lint *L)
{
    struct word_list lists[] = {
        {"en", "English", lint_words_en, sizeof(lint_words_en) / sizeof(*lint_words_en), NULL},
        {"ru", "Russian", lint_words_ru, sizeof(lint_words_ru) / sizeof(*lint_words_ru), NULL},
    };
    size_t nlists = sizeof(lists) / sizeof(*lists);
    for (size_t k = 0; k < nlists; k++) {
        lists[k].sorted = malloc(lists[k].n * sizeof(*lists[k].sorted));
        if (!lists[k].sorted) {
            L->out_of_memory = 1;
            goto done;
        }
        memcpy(lists[k].sorted, lists[k].words, lists[k].n * sizeof(*lists[k].sorted));
        qsort(lists[k].sorted, lists[k].n, sizeof(*lists[k].sorted), compare_strings);
    }
    for (size_t i = 0; i < L->npats; i++) {
        const struct pattern *p = &L->pats[i];
        size_t length = count_code_points(p->text);
        if (length <= 2)
            add_warning(L, W_SHORT_ALIAS, p->entry, pattern_at(p),
                        "%s \"%s\" is only %zu character%s long", pattern_kind(p), p->text,
                        length, length == 1 ? "" : "s");
        for (size_t k = 0; k < nlists; k++) {
            if (!same_language(p->lang, lists[k].lang))
                continue;
            const char *key = p->folded;
            const char **hit = bsearch(&key, lists[k].sorted, lists[k].n, sizeof(*lists[k].sorted),
                                       compare_strings);
            if (hit)
                add_warning(L, W_COMMON_WORD, p->entry, pattern_at(p),
                            "%s \"%s\" is a common %s word (\"%s\")", pattern_kind(p), p->text,
                            lists[k].language, *hit);
        }
    }
done:
    for (size_t k = 0; k < nlists; k++)
        free(lists[k].sorted);
}

/* ---- contained ---- */

static int is_word_at(const char *s, size_t len, size_t at, int before)
{
    /* The code point just before `at` (before) or starting at `at`. */
    if (before) {
        if (at == 0)
            return 0;
        size_t i = at - 1;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
        at = i;
    } else if (at >= len) {
        return 0;
    }
    uint32_t cp;
    int n = utf8_decode((const unsigned char *)s + at, len - at, &cp);
    return n > 0 && uc_classify(cp) == UC_WORD;
}

/* Does needle occur in hay as whole words? */
static int contains_words(const char *hay, const char *needle)
{
    size_t hlen = strlen(hay), nlen = strlen(needle);
    for (const char *at = hay; (at = memmem(at, hlen - (size_t)(at - hay), needle, nlen)); at++) {
        size_t from = (size_t)(at - hay);
        if (!is_word_at(hay, hlen, from, 1) && !is_word_at(hay, hlen, from + nlen, 0))
            return 1;
    }
    return 0;
}

static struct lint *sort_ctx;

static int compare_folded(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sort_ctx->pats[x].folded, sort_ctx->pats[y].folded);
    return c ? c : (x > y) - (x < y);
}

static int compare_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* One automaton over the case-folded patterns finds, in each pattern, the
 * others that it contains; both exact ones are then compared exactly. */
static void check_contained(struct lint *L)
{
    size_t n = L->npats, nkeys = 0, *order = malloc((n ? n : 1) * sizeof(size_t));
    size_t *key_start = malloc((n + 1) * sizeof(size_t));
    struct ac_pattern *keys = malloc((n ? n : 1) * sizeof(*keys));
    size_t *found = NULL, nfound = 0, found_cap = 0, *key_len = NULL;
    struct automaton *a = NULL;
    if (!order || !key_start || !keys)
        goto oom;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sort_ctx = L;
    qsort(order, n, sizeof(*order), compare_folded);
    for (size_t i = 0; i < n; i++) {
        const char *f = L->pats[order[i]].folded;
        if (i && strcmp(f, L->pats[order[i - 1]].folded) == 0)
            continue;
        key_start[nkeys] = i;
        keys[nkeys] = (struct ac_pattern){(const unsigned char *)f, strlen(f), (uint32_t)nkeys};
        nkeys++;
    }
    key_start[nkeys] = n;
    if (!nkeys)
        goto done;
    /* automaton_build reorders the array; the ids stay. */
    key_len = malloc(nkeys * sizeof(size_t));
    if (!key_len)
        goto oom;
    for (size_t k = 0; k < nkeys; k++)
        key_len[keys[k].id] = keys[k].len;
    a = automaton_build(keys, nkeys);
    if (!a)
        goto oom;
    for (size_t q = 0; q < n; q++) {
        const struct pattern *Q = &L->pats[q];
        size_t qlen = strlen(Q->folded);
        uint32_t state = AC_ROOT;
        nfound = 0;
        for (size_t j = 0; j < qlen; j++) {
            state = automaton_next(a, state, (unsigned char)Q->folded[j]);
            for (uint32_t r = automaton_found(a, state); r != AC_NO_REPORT; r = a->reports[r].next) {
                uint32_t k = a->reports[r].pattern;
                size_t from = j + 1 - key_len[k];
                if (is_word_at(Q->folded, qlen, from, 1) || is_word_at(Q->folded, qlen, j + 1, 0))
                    continue;
                for (size_t s = key_start[k]; s < key_start[k + 1]; s++) {
                    size_t p = order[s];
                    const struct pattern *P = &L->pats[p];
                    if (P->entry == Q->entry || on_days_apart(L, P, Q))
                        continue;
                    if (!P->insensitive && !Q->insensitive && !contains_words(Q->text, P->text))
                        continue;
                    size_t *f2 = grow(found, &found_cap, nfound + 1, sizeof(*found));
                    if (!f2)
                        goto oom;
                    found = f2;
                    found[nfound++] = p;
                }
            }
        }
        if (nfound)
            qsort(found, nfound, sizeof(*found), compare_size);
        for (size_t i = 0; i < nfound; i++) {
            if (i && found[i] == found[i - 1])
                continue;
            const struct pattern *P = &L->pats[found[i]];
            add_warning(L, W_CONTAINED, P->entry, pattern_at(P),
                        "%s \"%s\" is contained in %s \"%s\" of entry \"%s\", which wins where both match",
                        pattern_kind(P), P->text, pattern_kind(Q), Q->text, entry_id(L, Q->entry));
        }
    }
    goto done;
oom:
    L->out_of_memory = 1;
done:
    automaton_free(a);
    free(key_len);
    free(found);
    free(order);
    free(key_start);
    free(keys);
}

/* ---- summaries, see links ---- */

static void check_summaries(struct lint *L)
{
    for (size_t i = 0; i < L->g->nentries; i++) {
        const struct entry *e = &L->g->entries[i];
        if (!e->summary) {
            add_warning(L, W_NO_SUMMARY, (uint32_t)i, L->entry_at[i],
                        "entry has no summary: its links' titles and hover cards show the name alone");
            continue;
        }
        size_t length = count_code_points(e->summary);
        if (length > L->max_summary)
            add_warning(L, W_LONG_SUMMARY, (uint32_t)i, L->summary_at[i],
                        "summary is %zu characters long, more than the %u a hover card holds well",
                        length, L->max_summary);
    }
}

static void check_sees(struct lint *L)
{
    for (size_t i = 0; i < L->nsees; i++) {
        const struct see *s = &L->sees[i];
        if (s->from == s->to)
            continue;
        /* An entry's see links are together: named twice, one warning. */
        size_t k = i;
        while (k > 0 && L->sees[k - 1].from == s->from && L->sees[k - 1].to != s->to)
            k--;
        if (k > 0 && L->sees[k - 1].from == s->from)
            continue;
        const struct entry *t = &L->g->entries[s->to];
        for (k = 0; k < t->nsee && t->see[k] != s->from; k++)
            ;
        if (k == t->nsee)
            add_warning(L, W_ONE_WAY_SEE, s->from, s->at,
                        "see ref=\"%s\" is one-way: entry \"%s\" has no see back to \"%s\"",
                        t->id, t->id, entry_id(L, s->from));
    }
}

/* ---- pages ---- */

static char *read_file(const char *path, size_t *len, int *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    char *data = NULL;
    size_t n = 0, cap = 0;
    *len = 0;
    if (!f) {
        *err = errno;
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            char *p = grow(data, &cap, n + 64 * 1024, 1);
            if (!p) {
                *err = ENOMEM;
                break;
            }
            data = p;
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (!*err && ferror(f))
        *err = errno ? errno : EIO;
    if (!is_stdin)
        fclose(f);
    if (*err) {
        free(data);
        return NULL;
    }
    if (!data)
        data = malloc(1);
    *len = n;
    return data;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The primary subtag of the lang (or else xml:lang) attribute of the page's
 * <html> start tag, when that is its first element; NULL otherwise. */
static char *page_language(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (p[i] != '<') {
            i++;
            continue;
        }
        if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
            const unsigned char *end = memmem(p + i + 4, n - i - 4, "-->", 3);
            if (!end)
                return NULL;
            i = (size_t)(end - p) + 3;
            continue;
        }
        if (i + 1 < n && (p[i + 1] == '!' || p[i + 1] == '?' || p[i + 1] == '/')) {
            const unsigned char *end = memchr(p + i, '>', n - i);
            if (!end)
                return NULL;
            i = (size_t)(end - p) + 1;
            continue;
        }
        if (i + 1 >= n || !is_alpha(p[i + 1])) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && !is_space(p[j]) && p[j] != '>' && p[j] != '/')
            j++;
        if (j - i - 1 != 4 || strncasecmp((const char *)p + i + 1, "html", 4) != 0)
            return NULL;
        char *lang = NULL, *xml_lang = NULL;
        while (j < n && p[j] != '>') {
            if (is_space(p[j]) || p[j] == '/') {
                j++;
                continue;
            }
            size_t name = j;
            while (j < n && !is_space(p[j]) && p[j] != '=' && p[j] != '>' && p[j] != '/')
                j++;
            size_t name_len = j - name;
            while (j < n && is_space(p[j]))
                j++;
            size_t value = j, value_len = 0;
            if (j < n && p[j] == '=') {
                j++;
                while (j < n && is_space(p[j]))
                    j++;
                if (j < n && (p[j] == '"' || p[j] == '\'')) {
                    unsigned char q = p[j++];
                    value = j;
                    while (j < n && p[j] != q)
                        j++;
                    value_len = j - value;
                    if (j < n)
                        j++;
                } else {
                    value = j;
                    while (j < n && !is_space(p[j]) && p[j] != '>')
                        j++;
                    value_len = j - value;
                }
            }
            char **slot = name_len == 4 && strncasecmp((const char *)p + name, "lang", 4) == 0
                              ? &lang
                          : name_len == 8 && strncasecmp((const char *)p + name, "xml:lang", 8) == 0
                              ? &xml_lang
                              : NULL;
            if (slot && !*slot)
                *slot = primary_language((const char *)p + value, value_len);
        }
        if (lang) {
            free(xml_lang);
            return lang;
        }
        return xml_lang;
    }
    return NULL;
}

static int to_strbuf(void *ctx, const char *data, size_t len)
{
    struct strbuf *b = ctx;
    sb_add(b, data, len);
    return b->failed ? -1 : 0;
}

typedef void (*mention_fn)(void *ctx, uint32_t entry, size_t start, size_t end);

enum scan_result { SCAN_OK, SCAN_CHARSET, SCAN_FAILED };

/* Annotates the page with every mention linked and reports each mention's
 * entry and bytes in the page, in page order. */
static enum scan_result scan_page(const struct glossary *g, const struct page *pg,
                                  mention_fn fn, void *ctx)
{
    char marker[32];
    for (unsigned k = 0;; k++) {
        snprintf(marker, sizeof(marker), "\001briefing-lint-%u", k);
        if (!memmem(pg->data, pg->len, marker, strlen(marker)))
            break;
    }
    size_t mlen = strlen(marker);
    struct annotate_options o = {.mentions = MENTIONS_ALL, .sniff_charset = 1, .link_base = marker};
    char err[256];
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    struct strbuf out;
    sb_init(&out);
    struct annotator *a = c ? annotator_new(g, c, to_strbuf, &out) : NULL;
    enum scan_result result = SCAN_FAILED;
    if (!a || annotator_write(a, (const char *)pg->data, pg->len) || annotator_finish(a) ||
        out.failed)
        goto done;
    if (annotator_stats(a)->passed_through) {
        result = SCAN_CHARSET;
        goto done;
    }
    /* The output is the page with links inserted: read them back, and
     * check that everything else is the page. */
    static const char open[] = "<a class=\"briefing briefing-", href[] = "\" href=\"";
    const char *page_out = out.data ? out.data : "";
    size_t olen = out.len, from = 0, in = 0;
    const char *m;
    while ((m = memmem(page_out + from, olen - from, marker, mlen))) {
        size_t mpos = (size_t)(m - page_out), id = mpos + mlen + 1;
        const char *quote = id <= olen ? memchr(page_out + id, '"', olen - id) : NULL;
        const struct entry *e = quote ? glossary_find(g, page_out + id, (size_t)(quote - page_out) - id) : NULL;
        if (!e)
            goto done;
        const char *type = entry_type_names[e->type];
        size_t pre = strlen(open) + strlen(type) + strlen(href);
        if (mpos < from + pre)
            goto done;
        size_t tag = mpos - pre, copy = tag - from;
        if (memcmp(page_out + tag, open, strlen(open)) != 0 || in + copy > pg->len ||
            memcmp(page_out + from, pg->data + in, copy) != 0)
            goto done;
        in += copy;
        const char *gt = memchr(quote, '>', olen - (size_t)(quote - page_out));
        const char *close = gt ? memmem(gt + 1, olen - (size_t)(gt + 1 - page_out), "</a>", 4) : NULL;
        size_t text = gt ? (size_t)(gt + 1 - page_out) : 0, text_len = close ? (size_t)(close - page_out) - text : 0;
        if (!close || in + text_len > pg->len || memcmp(page_out + text, pg->data + in, text_len) != 0)
            goto done;
        fn(ctx, (uint32_t)(e - g->entries), in, in + text_len);
        in += text_len;
        from = (size_t)(close - page_out) + 4;
    }
    if (olen - from == pg->len - in && memcmp(page_out + from, pg->data + in, olen - from) == 0)
        result = SCAN_OK;
done:
    annotator_free(a);
    annotate_config_free(c);
    sb_release(&out);
    return result;
}

/* The single-byte charset the annotator reads the page in, or NULL. */
static const struct charset_table *page_table(const struct page *pg)
{
    char label[CHARSET_LABEL_MAX];
    size_t n = pg->len < CHARSET_PRESCAN_BYTES ? pg->len : CHARSET_PRESCAN_BYTES;
    if (n && charset_sniff(pg->data, n, label, sizeof(label)) && !charset_is_utf8(label))
        return charset_table_find(label);
    return NULL;
}

/* A mention's bytes as the matcher saw them: references decoded, the
 * page's charset read, whitespace folded (case-folded when asked). */
static char *decode_mention(const unsigned char *p, size_t n, const struct charset_table *t,
                            int fold_case)
{
    struct folder f = {malloc(n * 4 + 8), 0, 0, fold_case};
    if (!f.out)
        return NULL;
    for (size_t i = 0; i < n;) {
        if (p[i] == '&') {
            struct charref r;
            charref_start(&r);
            size_t j = i + 1;
            while (j < n) {
                enum charref_step step = charref_push(&r, p[j]);
                if (step == CHARREF_STOP)
                    break;
                j++;
                if (step == CHARREF_DONE)
                    break;
            }
            uint32_t cp[2];
            int ncp = 0;
            size_t covered = charref_resolve(&r, 0, j < n ? p[j] : -1, cp, &ncp);
            if (!covered) {
                fold_cp(&f, '&');
                i++;
                continue;
            }
            for (int k = 0; k < ncp; k++)
                fold_cp(&f, cp[k]);
            i += 1 + covered;   /* what the reference read but did not use is text */
        } else if (p[i] < 0x80) {
            fold_cp(&f, p[i++]);
        } else if (t) {
            uint32_t cp = t->high[p[i++] - 0x80];
            fold_cp(&f, cp ? cp : 0xFFFD);
        } else {
            uint32_t cp;
            int len = utf8_decode(p + i, n - i, &cp);
            if (len <= 0) {
                cp = 0xFFFD;
                len = 1;
            }
            fold_cp(&f, cp);
            i += (size_t)len;
        }
    }
    f.out[f.len] = '\0';
    return f.out;
}

struct match_ctx {
    struct lint *L;
    const struct page *pg;
    const struct charset_table *table;
};

/* Which of the entry's patterns the mention is: every one its text equals. */
static void on_mention(void *ctx, uint32_t entry, size_t start, size_t end)
{
    struct match_ctx *m = ctx;
    struct lint *L = m->L;
    char *exact = decode_mention(m->pg->data + start, end - start, m->table, 0);
    char *folded = decode_mention(m->pg->data + start, end - start, m->table, 1);
    if (!exact || !folded) {
        L->out_of_memory = 1;
    } else {
        const struct entry *e = &L->g->entries[entry];
        for (size_t k = 0; k <= e->naliases; k++) {
            struct pattern *p = &L->pats[L->first[entry] + k];
            if (strcmp(p->insensitive ? folded : exact, p->insensitive ? p->folded : p->text) == 0)
                p->matches++;
        }
        /* A case form made by inflect="ru-person" counts for its name or
         * alias. */
        for (size_t i = 0; i < e->ninflections; i++) {
            const struct entry_inflection *inf = &e->inflections[i];
            struct pattern *p = NULL;
            for (size_t k = 0; k <= e->naliases && !p; k++)
                if (strcmp(L->pats[L->first[entry] + k].text, inf->text) == 0)
                    p = &L->pats[L->first[entry] + k];
            for (size_t j = 0; p && j < inf->nforms; j++) {
                char *form = p->insensitive ? casefold(inf->forms[j]) : NULL;
                if (p->insensitive && !form) {
                    L->out_of_memory = 1;
                    break;
                }
                int same = strcmp(p->insensitive ? folded : exact, form ? form : inf->forms[j]) == 0;
                free(form);
                if (same) {
                    p->matches++;
                    break;
                }
            }
        }
    }
    free(exact);
    free(folded);
}

/* ---- lowercase-acronym ---- */

/* Capitals (and ASCII digits and punctuation), no space, one capital at
 * least: EEU, UN, U.N., ООН. */
static int is_acronym(const struct pattern *p)
{
    if (p->insensitive)
        return 0;
    int capitals = 0;
    size_t n = strlen(p->text);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int len = utf8_decode((const unsigned char *)p->text + i, n - i, &cp);
        if (len <= 0)
            return 0;
        i += (size_t)len;
        enum uc_class c = uc_classify(cp);
        if (c == UC_SPACE)
            return 0;
        if (uc_fold(cp) != cp)
            capitals++;
        else if (c == UC_WORD && !(cp >= '0' && cp <= '9'))
            return 0;
    }
    return capitals > 0;
}

struct probe {
    const char *lower;          /* the acronym's case folding */
    unsigned long count;
    size_t pages;               /* pages it occurs in */
    size_t first_page;
    long first_line;
    size_t last_page_seen;      /* + 1 */
};

struct probe_ctx {
    struct probe *probes;
    size_t page;
    const struct page *pg;
    size_t line_offset;         /* lines counted up to here */
    long line;
};

static void on_probe(void *ctx, uint32_t entry, size_t start, size_t end)
{
    struct probe_ctx *c = ctx;
    struct probe *p = &c->probes[entry];
    (void)end;
    for (; c->line_offset < start; c->line_offset++)
        c->line += c->pg->data[c->line_offset] == '\n';
    if (!p->count) {
        p->first_page = c->page;
        p->first_line = c->line;
    }
    p->count++;
    if (p->last_page_seen != c->page + 1) {
        p->last_page_seen = c->page + 1;
        p->pages++;
    }
}

static int compare_probe_text(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sort_ctx->pats[x].folded, sort_ctx->pats[y].folded);
    return c ? c : (x > y) - (x < y);
}

static void xml_text(struct strbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        default: sb_add(b, s, 1);
        }
    }
}

/* The acronyms' lower-case forms become the names of a glossary of their
 * own, and the pages are read with it: a mention is the lower-case word
 * where the module would look for a mention. */
static void check_acronyms(struct lint *L)
{
    size_t n = 0, *acr = malloc((L->npats ? L->npats : 1) * sizeof(size_t));
    size_t *probe_of = NULL;
    struct probe *probes = NULL;
    size_t nprobes = 0;
    struct glossary *pg = NULL;
    struct strbuf xml;
    sb_init(&xml);
    if (!acr)
        goto oom;
    for (size_t i = 0; i < L->npats; i++)
        if (is_acronym(&L->pats[i]))
            acr[n++] = i;
    if (!n)
        goto done;
    sort_ctx = L;
    qsort(acr, n, sizeof(*acr), compare_probe_text);
    probe_of = malloc(n * sizeof(*probe_of));
    probes = calloc(n, sizeof(*probes));
    if (!probe_of || !probes)
        goto oom;
    sb_puts(&xml, "<glossary xmlns=\"" GLOSSARY_NS "\">\n");
    for (size_t i = 0; i < n; i++) {
        const char *lower = L->pats[acr[i]].folded;
        if (!nprobes || strcmp(lower, probes[nprobes - 1].lower) != 0) {
            probes[nprobes].lower = lower;
            sb_printf(&xml, "<entry id=\"p%zu\" type=\"term\"><name>", nprobes);
            xml_text(&xml, lower);
            sb_puts(&xml, "</name></entry>\n");
            nprobes++;
        }
        probe_of[i] = nprobes - 1;
    }
    sb_puts(&xml, "</glossary>\n");
    if (xml.failed)
        goto oom;
    char err[GLOSSARY_ERROR_MAX];
    pg = glossary_load_memory(xml.data, xml.len, "lint", err, sizeof(err));
    if (!pg) {
        add_error(L, L->path, 0, 0, "cannot check acronyms: internal glossary does not load");
        goto done;
    }
    for (size_t k = 0; k < L->npages; k++) {
        if (!L->pages[k].read)
            continue;
        struct probe_ctx c = {probes, k, &L->pages[k], 0, 1};
        if (scan_page(pg, &L->pages[k], on_probe, &c) != SCAN_OK)
            add_error(L, L->pages[k].path, 0, 0, "cannot check acronyms in this page");
    }
    for (size_t i = 0; i < n; i++) {
        const struct probe *p = &probes[probe_of[i]];
        const struct pattern *a = &L->pats[acr[i]];
        if (!p->count)
            continue;
        char where[64] = "";
        if (p->pages > 1)
            snprintf(where, sizeof(where), " in %zu pages", p->pages);
        add_warning(L, W_LOWERCASE_ACRONYM, a->entry, pattern_at(a),
                    "acronym \"%s\" is also an ordinary word, \"%s\", in %s:%ld (%lu time%s%s): "
                    "in capitals it would be linked",
                    a->text, p->lower, L->pages[p->first_page].path, p->first_line, p->count,
                    p->count == 1 ? "" : "s", where);
    }
    goto done;
oom:
    L->out_of_memory = 1;
done:
    glossary_free(pg);
    sb_release(&xml);
    free(acr);
    free(probe_of);
    free(probes);
}

/* ---- never-matched ---- */

static void check_pages(struct lint *L)
{
    for (size_t k = 0; k < L->npages; k++) {
        struct page *pg = &L->pages[k];
        if (!pg->read)
            continue;
        struct match_ctx m = {L, pg, page_table(pg)};
        enum scan_result r = scan_page(L->g, pg, on_mention, &m);
        if (r == SCAN_OK)
            continue;
        pg->read = 0;
        if (r == SCAN_CHARSET) {
            char label[CHARSET_LABEL_MAX] = "";
            size_t n = pg->len < CHARSET_PRESCAN_BYTES ? pg->len : CHARSET_PRESCAN_BYTES;
            charset_sniff(pg->data, n, label, sizeof(label));
            char message[128];
            snprintf(message, sizeof(message), "its charset (%s) is not one that briefing reads", label);
            add_error(L, pg->path, 0, 0, message);
        } else {
            add_error(L, pg->path, 0, 0, "could not be read through the annotator (out of memory?)");
        }
    }
    size_t read = 0;
    for (size_t k = 0; k < L->npages; k++)
        read += L->pages[k].read;
    if (!read)
        return;
    check_acronyms(L);
    for (size_t i = 0; i < L->npats; i++) {
        const struct pattern *p = &L->pats[i];
        if (p->matches)
            continue;
        /* Only pages in the pattern's language (or of none) count. */
        size_t eligible = 0;
        for (size_t k = 0; k < L->npages; k++)
            eligible += L->pages[k].read &&
                        (!p->lang || !L->pages[k].lang || same_language(p->lang, L->pages[k].lang));
        if (!eligible)
            continue;
        if (eligible == read && read == 1)
            add_warning(L, W_NEVER_MATCHED, p->entry, pattern_at(p),
                        "%s \"%s\" never matched in the page given", pattern_kind(p), p->text);
        else if (eligible == read)
            add_warning(L, W_NEVER_MATCHED, p->entry, pattern_at(p),
                        "%s \"%s\" never matched in the %zu pages given", pattern_kind(p), p->text,
                        read);
        else if (eligible == 1)
            add_warning(L, W_NEVER_MATCHED, p->entry, pattern_at(p),
                        "%s \"%s\" never matched in the page in its language (%s)",
                        pattern_kind(p), p->text, p->lang);
        else
            add_warning(L, W_NEVER_MATCHED, p->entry, pattern_at(p),
                        "%s \"%s\" never matched in the %zu pages in its language (%s)",
                        pattern_kind(p), p->text, eligible, p->lang);
    }
}

/* ---- output ---- */

static int compare_warnings(const void *a, const void *b)
{
    const struct warning *x = a, *y = b;
    if (x->at.line != y->at.line)
        return x->at.line < y->at.line ? -1 : 1;
    if (x->at.col != y->at.col)
        return x->at.col < y->at.col ? -1 : 1;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void json_number(struct strbuf *b, long n)
{
    if (n > 0)
        sb_printf(b, "%ld", n);
    else
        sb_puts(b, "null");
}

static int print_json(const struct lint *L)
{
    struct strbuf b;
    sb_init(&b);
    sb_puts(&b, "{\n  \"glossary\": ");
    sb_json(&b, L->path);
    sb_puts(&b, ",\n  \"pages\": [");
    for (size_t k = 0; k < L->npages; k++) {
        sb_puts(&b, k ? ", " : "");
        sb_json(&b, L->pages[k].path);
    }
    sb_puts(&b, "],\n  \"warnings\": [");
    for (size_t i = 0; i < L->nwarnings; i++) {
        const struct warning *w = &L->warnings[i];
        sb_puts(&b, i ? ",\n    {\"code\": " : "\n    {\"code\": ");
        sb_json(&b, code_names[w->code]);
        sb_puts(&b, ", \"entry\": ");
        sb_json(&b, entry_id(L, w->entry));
        sb_puts(&b, ", \"line\": ");
        json_number(&b, w->at.line);
        sb_puts(&b, ", \"col\": ");
        json_number(&b, w->at.col);
        sb_puts(&b, ", \"message\": ");
        sb_json(&b, w->message);
        sb_puts(&b, "}");
    }
    sb_puts(&b, L->nwarnings ? "\n  ],\n  \"errors\": [" : "],\n  \"errors\": [");
    for (size_t i = 0; i < L->nerrors; i++) {
        const struct error *e = &L->errors[i];
        sb_puts(&b, i ? ",\n    {\"file\": " : "\n    {\"file\": ");
        sb_json(&b, e->file);
        sb_puts(&b, ", \"line\": ");
        json_number(&b, e->line);
        sb_puts(&b, ", \"col\": ");
        json_number(&b, e->col);
        sb_puts(&b, ", \"message\": ");
        sb_json(&b, e->message);
        sb_puts(&b, "}");
    }
    sb_puts(&b, L->nerrors ? "\n  ]\n}\n" : "]\n}\n");
    int ok = !b.failed && fwrite(b.data, 1, b.len, stdout) == b.len;
    sb_release(&b);
    return ok ? 0 : -1;
}

static int print_text(const struct lint *L)
{
    for (size_t i = 0; i < L->nwarnings; i++) {
        const struct warning *w = &L->warnings[i];
        if (w->at.line > 0)
            printf("%s:%ld:%ld: ", L->path, w->at.line, w->at.col);
        else
            printf("%s: ", L->path);
        printf("warning: %s: %s [entry %s]\n", code_names[w->code], w->message,
               entry_id(L, w->entry));
    }
    return 0;
}

/* "FILE:LINE:COL: message" or "FILE: message", as the loader writes. */
static void add_load_error(struct lint *L, const char *err)
{
    size_t n = strlen(L->path);
    long line = 0, col = 0;
    const char *message = err;
    if (strncmp(err, L->path, n) == 0 && err[n] == ':') {
        const char *rest = err + n + 1;
        char *end;
        long l = strtol(rest, &end, 10);
        if (end > rest && *end == ':' && l > 0) {
            long c = strtol(end + 1, &end, 10);
            if (*end == ':' && c > 0) {
                line = l;
                col = c;
                rest = end + 1;
            }
        }
        message = rest[0] == ' ' ? rest + 1 : rest;
    }
    add_error(L, L->path, line, col, message);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "briefing: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'briefing --help'.\n");
    return EXIT_USAGE;
}

int lint_main(int argc, char **argv, const char *usage)
{
    enum { OPT_JSON = 256, OPT_MAX_SUMMARY };
    static const struct option options[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"max-summary", required_argument, NULL, OPT_MAX_SUMMARY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}
    };
    struct lint L = {.max_summary = LINT_SUMMARY_MAX};
    int json = 0, opt;
    optind = 1;
    argv[0] = "briefing lint";   /* how getopt names us in its messages */
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        char *end;
        switch (opt) {
        case OPT_JSON:
            json = 1;
            break;
        case OPT_MAX_SUMMARY:
            errno = 0;
            unsigned long n = strtoul(optarg, &end, 10);
            if (errno || *end || !*optarg || optarg[0] == '-' || n > 1000000000ul)
                return usage_error("--max-summary takes a whole number, not '%s'", optarg);
            L.max_summary = (unsigned)n;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fprintf(stderr, "Try 'briefing --help'.\n");
            return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return usage_error("lint needs a glossary file: lint GLOSSARY [PAGE...]%s", "");
    L.path = argv[optind];
    L.npages = (size_t)(argc - optind - 1);
    L.pages = calloc(L.npages ? L.npages : 1, sizeof(*L.pages));
    if (!L.pages) {
        fprintf(stderr, "briefing: out of memory\n");
        return EXIT_INVALID;
    }
    int stdin_used = 0;
    for (size_t k = 0; k < L.npages; k++) {
        L.pages[k].path = argv[optind + 1 + (int)k];
        if (strcmp(L.pages[k].path, "-") == 0 && stdin_used++) {
            free(L.pages);
            return usage_error("lint reads standard input ('-') once%s", "");
        }
    }

    char err[GLOSSARY_ERROR_MAX];
    L.g = glossary_load_file(L.path, err, sizeof(err));
    if (!L.g) {
        fprintf(stderr, "%s\n", err);
        add_load_error(&L, err);
    } else if (collect_patterns(&L) || read_positions(&L)) {
        L.out_of_memory = 1;
    } else {
        for (size_t k = 0; k < L.npages; k++) {
            struct page *pg = &L.pages[k];
            int e = 0;
            pg->data = (unsigned char *)read_file(pg->path, &pg->len, &e);
            if (!pg->data) {
                fprintf(stderr, "briefing: %s: %s\n", pg->path, strerror(e));
                add_error(&L, pg->path, 0, 0, strerror(e));
                continue;
            }
            pg->read = 1;
            pg->lang = page_language(pg->data, pg->len);
        }
        check_words(&L);
        check_contained(&L);
        check_summaries(&L);
        check_sees(&L);
        size_t before = L.nerrors;
        check_pages(&L);
        for (size_t i = before; i < L.nerrors; i++)
            fprintf(stderr, "briefing: %s: %s\n", L.errors[i].file, L.errors[i].message);
        if (L.nwarnings)
            qsort(L.warnings, L.nwarnings, sizeof(*L.warnings), compare_warnings);
    }
    int status = L.nerrors ? EXIT_INVALID : 0;
    if (L.out_of_memory) {
        fprintf(stderr, "briefing: out of memory\n");
        status = EXIT_INVALID;
    } else if ((json ? print_json(&L) : print_text(&L)) || fflush(stdout) != 0) {
        fprintf(stderr, "briefing: cannot write the output: %s\n", strerror(errno));
        status = EXIT_INVALID;
    }

    for (size_t i = 0; i < L.npats; i++) {
        free(L.pats[i].folded);
        free(L.pats[i].lang);
    }
    for (size_t i = 0; i < L.nwarnings; i++)
        free(L.warnings[i].message);
    for (size_t i = 0; i < L.nerrors; i++) {
        free(L.errors[i].file);
        free(L.errors[i].message);
    }
    for (size_t k = 0; k < L.npages; k++) {
        free(L.pages[k].data);
        free(L.pages[k].lang);
    }
    free(L.pats);
    free(L.first);
    free(L.entry_at);
    free(L.summary_at);
    free(L.sees);
    free(L.warnings);
    free(L.errors);
    free(L.pages);
    glossary_free(L.g);
    return status;
}
