/* Which charset a page declares, found the way browsers do before they
 * parse: a byte order mark, else the HTML5 prescan of the first 1024 bytes
 * for <meta charset> or <meta http-equiv="Content-Type" content=...>. */
#ifndef BRIEFING_CHARSET_H
#define BRIEFING_CHARSET_H

#include <stddef.h>

#define CHARSET_PRESCAN_BYTES 1024
#define CHARSET_LABEL_MAX 40

/* Writes the declared label (lower case, trimmed) into label and returns 1,
 * or returns 0 when the bytes declare nothing. */
int charset_sniff(const unsigned char *p, size_t n, char *label, size_t cap);
/* Can pages in this charset be annotated as they are?  UTF-8 and ASCII. */
int charset_is_utf8(const char *label);
/* The charset parameter of a Content-Type value, as charset_sniff. */
int charset_from_content_type(const char *value, char *label, size_t cap);

#endif
