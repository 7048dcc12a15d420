/* Shared by the unit tests: cmocka, and helpers to annotate a string. */
#ifndef BRIEFING_TESTING_H
#define BRIEFING_TESTING_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotator.h"
#include "glossary.h"

#ifndef SOURCE_DIR
#define SOURCE_DIR "."
#endif

/* A growing output buffer for the annotator's sink. */
struct output {
    char *data;
    size_t len, cap;
};

static inline int output_sink(void *ctx, const char *p, size_t n)
{
    struct output *o = ctx;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + n + 1)
            cap *= 2;
        char *d = realloc(o->data, cap);
        if (!d)
            return -1;
        o->data = d;
        o->cap = cap;
    }
    memcpy(o->data + o->len, p, n);
    o->len += n;
    o->data[o->len] = '\0';
    return 0;
}

static inline struct glossary *load_glossary_text(const char *xml)
{
    char err[GLOSSARY_ERROR_MAX];
    struct glossary *g = glossary_load_memory(xml, strlen(xml), "test.xml", err, sizeof(err));
    if (!g)
        fail_msg("glossary rejected: %s", err);
    return g;
}

/* Annotates `len` bytes of `page` in chunks of `chunk` bytes (0: whole),
 * flushing after every chunk when `flush`; returns malloc'd output. */
static inline char *annotate_chunked(const struct glossary *g, const struct annotate_config *c,
                                     const char *page, size_t len, size_t chunk, int flush,
                                     size_t *out_len)
{
    struct output o = {0};
    struct annotator *a = annotator_new(g, c, output_sink, &o);
    assert_non_null(a);
    if (!chunk)
        chunk = len ? len : 1;
    for (size_t at = 0; at < len; at += chunk) {
        size_t n = len - at < chunk ? len - at : chunk;
        assert_int_equal(annotator_write(a, page + at, n), 0);
        if (flush)
            assert_int_equal(annotator_flush(a), 0);
    }
    assert_int_equal(annotator_finish(a), 0);
    annotator_free(a);
    output_sink(&o, "", 0);
    if (out_len)
        *out_len = o.len;
    return o.data;
}

static inline char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    data[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return data;
}

#endif
