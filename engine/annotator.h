/* The streaming annotator: HTML in, the same HTML out with links around the
 * glossary's mentions.  Chunks may be of any size; the output does not
 * depend on how the page was split, and memory does not grow with it.
 *
 *   tokenizer -> tree state (skip, scope) -> text decoder -> matcher -> sink
 */
#ifndef BRIEFING_ANNOTATOR_H
#define BRIEFING_ANNOTATOR_H

#include <stddef.h>
#include <stdint.h>

#include "glossary.h"

enum mentions_mode { MENTIONS_FIRST, MENTIONS_ALL };

/* What an admin or the command line sets.  Lists are NULL-terminated. */
struct annotate_options {
    enum mentions_mode mentions;
    unsigned max_links;          /* 0: no cap */
    unsigned type_mask;          /* bits 1 << enum entry_type; 0: all */
    const char *const *skip;     /* NULL: the default skip list */
    const char *const *scope;    /* NULL or empty: the whole page */
    const char *link_base;       /* NULL: "/glossary/" */
    /* The page's charset when the Content-Type header names one; NULL:
     * read <meta charset> in the first 1024 bytes when sniff_charset is
     * set, else UTF-8.  UTF-8 and the charsets of charset_table_find()
     * are annotated; other pages pass through unchanged. */
    const char *charset;
    int sniff_charset;
    /* Markup written once, before a page's first link (the stylesheet and
     * script of the hover cards); pages without links stay unchanged. */
    const char *before_first_link;
};

extern const char *const annotate_default_skip[];

/* Options compiled once (selectors parsed, names hashed) and shared. */
struct annotate_config;

struct annotate_config *annotate_config_new(const struct annotate_options *o,
                                            char *err, size_t errlen);
void annotate_config_free(struct annotate_config *c);

/* Receives output; returns 0, or non-zero to stop the stream (the error is
 * returned by every later call). */
typedef int (*annotate_sink)(void *ctx, const char *data, size_t len);

struct annotator;

struct annotate_stats {
    unsigned links;              /* links inserted */
    unsigned mentions;           /* mentions found, linked or not */
    int passed_through;          /* the page was left alone (charset) */
};

struct annotator *annotator_new(const struct glossary *g, const struct annotate_config *c,
                                annotate_sink sink, void *sink_ctx);
/* Annotates the next chunk.  Returns 0 or the sink's error. */
int annotator_write(struct annotator *a, const char *data, size_t len);
/* Writes out everything that no later byte can change. */
int annotator_flush(struct annotator *a);
/* End of page: writes out the rest. */
int annotator_finish(struct annotator *a);
const struct annotate_stats *annotator_stats(const struct annotator *a);
/* Bytes the stream holds now (state and held-back text), for tests. */
size_t annotator_memory(const struct annotator *a);
void annotator_free(struct annotator *a);

#endif
