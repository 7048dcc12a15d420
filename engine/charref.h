/* HTML character references (&amp; &nbsp; &#1051; &#x41b;), read one byte
 * at a time so that a reference may be split across network chunks. */
#ifndef BRIEFING_CHARREF_H
#define BRIEFING_CHARREF_H

#include <stddef.h>
#include <stdint.h>

#define CHARREF_NAME_MAX 32
/* The longest reference the annotator holds back; a longer one (zeros
 * before a number) is not read as a reference. */
#define CHARREF_HOLD_MAX 64

enum charref_step {
    CHARREF_MORE,      /* the byte belongs to the reference; go on */
    CHARREF_DONE,      /* the byte (';') ended and belongs to the reference */
    CHARREF_STOP       /* the reference ended before this byte */
};

/* A reference being read; the bytes after its '&'. */
struct charref {
    unsigned char name[CHARREF_NAME_MAX + 1];
    uint8_t state;
    uint8_t name_len;
    uint8_t has_semicolon;
    uint32_t value;      /* numeric references, saturated past U+10FFFF */
    size_t raw_len;      /* bytes after '&' read so far */
};

void charref_start(struct charref *r);
enum charref_step charref_push(struct charref *r, unsigned char b);

/* What the reference decodes to once it has ended.  Returns how many of the
 * bytes after '&' it covers (0: the '&' is literal text) and fills cp/ncp.
 * The bytes read but not covered are literal ASCII text.  `next` is the
 * byte that stopped it (or -1), for the attribute-value rule on legacy
 * names without ';'. */
size_t charref_resolve(const struct charref *r, int in_attribute, int next,
                       uint32_t cp[2], int *ncp);

/* Decodes the references in a whole attribute value into UTF-8.  Returns
 * the decoded length, or (size_t)-1 when it does not fit in cap. */
size_t charref_decode_attribute(const char *in, size_t n, char *out, size_t cap);

#endif
