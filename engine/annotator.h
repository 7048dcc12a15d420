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
    /* The page's date picks what a dated alias means (docs/glossary.md).
     * date_sources lists where it is read, first found first, ended by
     * DATE_SOURCE_END; all zero: meta, time, last-modified.  A page with
     * no date in them is read as of `today`. */
    unsigned char date_sources[4];
    int32_t last_modified;       /* days since 1970 (the Last-Modified
                                  * header, --date); 0: none */
    int32_t today;               /* days since 1970; 0: the clock's (UTC) */
};

enum date_source {
    DATE_SOURCE_END,
    DATE_SOURCE_META,            /* <meta property|name="article:published_time" content> */
    DATE_SOURCE_TIME,            /* <time datetime> */
    DATE_SOURCE_LAST_MODIFIED,   /* annotate_options.last_modified */
    DATE_SOURCE_NONE             /* alone: always today */
};
/* Reads a list like "meta time last-modified" (or "none") into sources;
 * returns 0, or -1 with the error in err. */
int annotate_parse_date_sources(const char *list, unsigned char sources[4],
                                char *err, size_t errlen);

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
    const char *charset;         /* the single-byte charset read; NULL: UTF-8 */
    int32_t date;                /* the page's date as used, once text came */
    int date_source;             /* enum date_source it came from; END: today */
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

/* What the page mentioned, for the module's backlinks.  The entries linked
 * so far, as indexes into the glossary's entries, in glossary order:
 * writes up to `cap` of them to `out` and returns how many there are. */
size_t annotator_linked_entries(const struct annotator *a, uint32_t *out, size_t cap);
/* The text of the page's first HTML <title> (not SVG's), looked for before
 * <body> in the page's first 64 KB: references decoded, in UTF-8 whatever the page's
 * charset, whitespace runs folded to one space and trimmed, controls
 * dropped, at most ANNOTATOR_TITLE_MAX bytes (cut at a character).  ""
 * when the page has none, or none that ended. */
#define ANNOTATOR_TITLE_MAX 300
const char *annotator_title(const struct annotator *a);
void annotator_free(struct annotator *a);

#endif
