/* A growing string for rendering pages: appends never fail loudly, they
 * mark the buffer failed and the caller checks once at the end. */
#ifndef BRIEFING_STRBUF_H
#define BRIEFING_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *data;
    size_t len, cap;
    int failed;
};

void sb_init(struct strbuf *b);
void sb_release(struct strbuf *b);
void sb_add(struct strbuf *b, const char *s, size_t n);
void sb_puts(struct strbuf *b, const char *s);
void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s with & < > " escaped, for text and attribute values alike. */
void sb_html(struct strbuf *b, const char *s);
/* s as a JSON string, quotes included. */
void sb_json(struct strbuf *b, const char *s);

#endif
