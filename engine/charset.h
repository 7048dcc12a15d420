/* Which charset a page declares, found the way browsers do before they
 * parse: a byte order mark, else the HTML5 prescan of the first 1024 bytes
 * for <meta charset> or <meta http-equiv="Content-Type" content=...>. */
#ifndef BRIEFING_CHARSET_H
#define BRIEFING_CHARSET_H

#include <stddef.h>
#include <stdint.h>

#define CHARSET_PRESCAN_BYTES 1024
#define CHARSET_LABEL_MAX 40

/* Writes the declared label (lower case, trimmed) into label and returns 1,
 * or returns 0 when the bytes declare nothing. */
int charset_sniff(const unsigned char *p, size_t n, char *label, size_t cap);
/* Is the label UTF-8 (or ASCII, its subset)? */
int charset_is_utf8(const char *label);

/* A single-byte charset, read through a table: bytes below 0x80 are ASCII,
 * a byte b from 0x80 up is the code point high[b - 0x80] (0: none). */
struct charset_table {
    const char *name;
    uint16_t high[128];
};

/* The table of a single-byte charset that pages may be annotated in
 * (windows-1251, KOI8-R, ISO-8859-5, windows-1252 and ISO-8859-1, which
 * browsers read as windows-1252, ISO-8859-15), or NULL. */
const struct charset_table *charset_table_find(const char *label);
/* Can pages in this charset be annotated as they are: UTF-8 or a table? */
int charset_is_supported(const char *label);
/* The byte that stands for code point cp (>= 0x80) in the table, or 0. */
unsigned char charset_encode(const struct charset_table *t, uint32_t cp);
/* The charset parameter of a Content-Type value, as charset_sniff. */
int charset_from_content_type(const char *value, char *label, size_t cap);

#endif
