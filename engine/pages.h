/* The glossary's own pages: the index, one page per entry, a helpful 404,
 * and their JSON.  One template, semantic HTML5; every glossary string is
 * escaped. */
#ifndef BRIEFING_PAGES_H
#define BRIEFING_PAGES_H

#include <stdint.h>

#include "glossary.h"
#include "strbuf.h"

/* `base` is the link base with its trailing '/'. */
void page_index(const struct glossary *g, const char *base, const char *query, struct strbuf *out);
void page_entry(const struct glossary *g, const struct entry *e, const char *base, struct strbuf *out);
void page_not_found(const struct glossary *g, const char *id, const char *base, struct strbuf *out);
void json_index(const struct glossary *g, const char *base, struct strbuf *out);
void json_entry(const struct glossary *g, const struct entry *e, const char *base, struct strbuf *out);

/* The articles that mention an entry (the module's backlinks), newest
 * first, one page of them.  Titles and URLs come from pages: they are
 * escaped, and a URL is a link only when it is a path or an http(s) URL. */
struct backlink {
    const char *url;
    const char *title;           /* "" when the page had none */
    int64_t date;                /* first seen, seconds since the epoch */
};
struct backlinks {
    const struct backlink *items;
    size_t count;
    unsigned page;               /* 1: the newest */
    int more;                    /* an older page follows */
    int unavailable;             /* the list could not be read */
};
/* page_entry and json_entry with a section (HTML) or the fields
 * "backlinks", "backlinks_page" and "backlinks_next" (JSON) for them;
 * with `backlinks` NULL, the same bytes as page_entry and json_entry. */
void page_entry_backlinks(const struct glossary *g, const struct entry *e, const char *base,
                          const struct backlinks *backlinks, struct strbuf *out);
void json_entry_backlinks(const struct glossary *g, const struct entry *e, const char *base,
                          const struct backlinks *backlinks, struct strbuf *out);

extern const char *const entry_type_labels[ENTRY_TYPE_COUNT];    /* "Person" */
extern const char *const entry_type_plurals[ENTRY_TYPE_COUNT];   /* "People" */

#endif
