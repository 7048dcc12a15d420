/* libFuzzer target: the glossary loader (glossary.h, SPEC §2) and the
 * glossary's pages (pages.h, SPEC §5).
 *
 * The input is a glossary file.  When it is rejected, the message must be
 * one line, "fuzz.xml:LINE:COL: what" with LINE and COL from 1 (and LINE
 * within the file), or "fuzz.xml: what".  When it is accepted, the index,
 * the first entry's page, a 404 and their JSON are rendered (HTML valid
 * UTF-8, JSON well-formed), every id is found again, a short page made of
 * the entries' names is annotated, and everything is freed.  Any failure
 * abort()s.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotator.h"
#include "glossary.h"
#include "pages.h"
#include "strbuf.h"
#include "unicode.h"

#define NAME "fuzz.xml"
#define FAIL(...) do { fprintf(stderr, "fuzz_glossary: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads a decimal number of at most 12 digits with no leading zero. */
static const char *number(const char *p, long *v)
{
    if (!is_digit(*p) || *p == '0')
        return NULL;
    *v = 0;
    for (int n = 0; is_digit(*p); p++, n++) {
        if (n == 12)
            return NULL;
        *v = *v * 10 + (*p - '0');
    }
    return p;
}

static void check_message(const char *err, size_t errlen, const uint8_t *data, size_t size)
{
    if (!memchr(err, '\0', errlen))
        FAIL("the message is not terminated");
    if (strncmp(err, NAME ":", sizeof(NAME)) != 0)
        FAIL("the message does not start with \"" NAME ":\": \"%s\"", err);
    if (strchr(err, '\n') || strchr(err, '\r'))
        FAIL("the message is more than one line: \"%s\"", err);
    const char *p = err + sizeof(NAME);
    const char *text;
    if (*p == ' ') {
        text = p + 1;
    } else {
        long line, col;
        const char *q = number(p, &line);
        if (!q || *q != ':' || !(q = number(q + 1, &col)) || q[0] != ':' || q[1] != ' ')
            FAIL("the message is neither \"" NAME ":LINE:COL: ...\" nor \"" NAME ": ...\": \"%s\"", err);
        size_t lines = 1;
        for (size_t i = 0; i < size; i++)
            lines += data[i] == '\n';
        if ((size_t)line > lines)
            FAIL("the message names line %ld of a file of %zu lines: \"%s\"", line, lines, err);
        text = q + 2;
    }
    if (!*text || *text == ' ')
        FAIL("the message says nothing after its place: \"%s\"", err);
    size_t n = strlen(err);
    if (err[n - 1] == ' ')
        FAIL("the message ends with a space: \"%s\"", err);
}

static void valid_utf8(const struct strbuf *b, const char *what)
{
    const unsigned char *s = (const unsigned char *)b->data;
    for (size_t i = 0; i < b->len;) {
        uint32_t cp;
        int n = utf8_decode(s + i, b->len - i, &cp);
        if (n <= 0)
            FAIL("%s: invalid UTF-8 at byte %zu of %zu", what, i, b->len);
        if (cp == 0)
            FAIL("%s: a NUL at byte %zu", what, i);
        i += (size_t)n;
    }
}

/* ---- a small JSON checker ---- */

struct json {
    const char *p, *end;
    int depth;
};

static int json_value(struct json *j);

static void json_space(struct json *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
        j->p++;
}

static int json_string(struct json *j)
{
    if (j->p >= j->end || *j->p != '"')
        return 0;
    for (j->p++; j->p < j->end; j->p++) {
        unsigned char c = (unsigned char)*j->p;
        if (c == '"') {
            j->p++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            if (++j->p >= j->end)
                return 0;
            if (*j->p == 'u') {
                for (int k = 0; k < 4; k++) {
                    if (++j->p >= j->end)
                        return 0;
                    char h = *j->p;
                    if (!(is_digit(h) || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                        return 0;
                }
            } else if (!strchr("\"\\/bfnrt", *j->p)) {
                return 0;
            }
        }
    }
    return 0;
}

static int json_literal(struct json *j, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
        return 0;
    j->p += n;
    return 1;
}

static int json_number(struct json *j)
{
    const char *start = j->p;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    while (j->p < j->end && (is_digit(*j->p) || *j->p == '.' || *j->p == 'e' || *j->p == 'E' ||
                             *j->p == '+' || *j->p == '-'))
        j->p++;
    return j->p > start && is_digit(j->p[-1]);
}

static int json_items(struct json *j, char close, int object)
{
    j->p++;
    json_space(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return 1;
    }
    for (;;) {
        json_space(j);
        if (object) {
            if (!json_string(j))
                return 0;
            json_space(j);
            if (j->p >= j->end || *j->p++ != ':')
                return 0;
        }
        if (!json_value(j))
            return 0;
        json_space(j);
        if (j->p >= j->end)
            return 0;
        if (*j->p == close) {
            j->p++;
            return 1;
        }
        if (*j->p++ != ',')
            return 0;
    }
}

static int json_value(struct json *j)
{
    json_space(j);
    if (j->p >= j->end || ++j->depth > 64)
        return 0;
    int ok;
    switch (*j->p) {
    case '{': ok = json_items(j, '}', 1); break;
    case '[': ok = json_items(j, ']', 0); break;
    case '"': ok = json_string(j); break;
    case 't': ok = json_literal(j, "true"); break;
    case 'f': ok = json_literal(j, "false"); break;
    case 'n': ok = json_literal(j, "null"); break;
    default: ok = json_number(j); break;
    }
    j->depth--;
    return ok;
}

static void valid_json(const struct strbuf *b, const char *what)
{
    valid_utf8(b, what);
    struct json j = {b->data, b->data + b->len, 0};
    int ok = json_value(&j);
    json_space(&j);
    if (!ok || j.p != j.end)
        FAIL("%s: not JSON at byte %zu of %zu: %.*s", what, (size_t)(j.p - b->data), b->len,
             (int)(b->len < 2000 ? b->len : 2000), b->data);
}

/* ---- rendering ---- */

static void render(const struct glossary *g, int which, const char *what)
{
    struct strbuf b;
    sb_init(&b);
    const struct entry *first = g->nentries ? &g->entries[0] : NULL;
    switch (which) {
    case 0: page_index(g, "/glossary/", NULL, &b); break;
    case 1: page_index(g, "/glossary/", first ? first->name : "x", &b); break;
    case 2: page_not_found(g, first ? first->id : "nope", "/g/", &b); break;
    case 3: if (first) page_entry(g, first, "/glossary/", &b); break;
    case 4: json_index(g, "/glossary/", &b); break;
    case 5: if (first) json_entry(g, first, "/glossary/", &b); break;
    }
    if (b.failed)
        FAIL("%s: the strbuf failed", what);
    if (which >= 4) {
        if (which == 4 || first)
            valid_json(&b, what);
    } else {
        valid_utf8(&b, what);
    }
    sb_release(&b);
}

static int sink(void *ctx, const char *p, size_t n)
{
    (void)p;
    *(size_t *)ctx += n;
    return 0;
}

/* The entries' names and aliases in a paragraph each, annotated. */
static void annotate_names(const struct glossary *g)
{
    struct strbuf page;
    sb_init(&page);
    for (size_t i = 0; i < g->nentries && i < 64; i++) {
        const struct entry *e = &g->entries[i];
        sb_puts(&page, "<p>");
        sb_html(&page, e->name);
        for (size_t k = 0; k < e->naliases && k < 8; k++) {
            sb_puts(&page, ", ");
            sb_html(&page, e->aliases[k].text);
        }
        sb_puts(&page, ".</p>\n");
    }
    if (page.failed)
        FAIL("the page's strbuf failed");
    struct annotate_options o = {0};
    o.mentions = MENTIONS_ALL;
    char err[256];
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    if (!c)
        FAIL("annotate_config_new: %s", err);
    size_t written = 0;
    struct annotator *a = annotator_new(g, c, sink, &written);
    if (!a)
        abort();
    if (annotator_write(a, page.data ? page.data : "", page.len) || annotator_finish(a))
        FAIL("annotating the names failed");
    if (written < page.len)
        FAIL("annotating the names wrote %zu of %zu bytes", written, page.len);
    annotator_free(a);
    annotate_config_free(c);
    sb_release(&page);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[GLOSSARY_ERROR_MAX];
    memset(err, 'X', sizeof(err));
    err[0] = '\0';
    struct glossary *g = glossary_load_memory((const char *)data, size, NAME, err, sizeof(err));
    if (!g) {
        check_message(err, sizeof(err), data, size);
        return 0;
    }
    for (size_t i = 0; i < g->nentries; i++) {
        const struct entry *e = &g->entries[i];
        if (glossary_find(g, e->id, strlen(e->id)) != e)
            FAIL("entry \"%s\" is not found by its id", e->id);
        const char *title = e->name ? glossary_entry_title(e) : NULL;
        if (!title || strlen(title) != e->title_len || strlen(e->name) != e->name_len ||
            strlen(e->id) != e->id_len || strncmp(title, e->name, e->name_len) != 0)
            FAIL("entry \"%s\" is incomplete", e->id);
    }
    if (glossary_find(g, "", 0))
        FAIL("the empty id is found");
    static const char *const names[] = {"index", "index ?q=name", "404", "entry", "index.json",
                                        "entry.json"};
    for (int which = 0; which < 6; which++)
        render(g, which, names[which]);
    annotate_names(g);
    if (glossary_memory(g) == 0)
        FAIL("glossary_memory() is 0");
    glossary_free(g);
    return 0;
}
