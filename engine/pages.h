/* The glossary's own pages: the index, one page per entry, a helpful 404,
 * and their JSON.  One template, semantic HTML5; every glossary string is
 * escaped. */
#ifndef BRIEFING_PAGES_H
#define BRIEFING_PAGES_H

#include "glossary.h"
#include "strbuf.h"

/* `base` is the link base with its trailing '/'. */
void page_index(const struct glossary *g, const char *base, const char *query, struct strbuf *out);
void page_entry(const struct glossary *g, const struct entry *e, const char *base, struct strbuf *out);
void page_not_found(const struct glossary *g, const char *id, const char *base, struct strbuf *out);
void json_index(const struct glossary *g, const char *base, struct strbuf *out);
void json_entry(const struct glossary *g, const struct entry *e, const char *base, struct strbuf *out);

extern const char *const entry_type_labels[ENTRY_TYPE_COUNT];    /* "Person" */
extern const char *const entry_type_plurals[ENTRY_TYPE_COUNT];   /* "People" */

#endif
