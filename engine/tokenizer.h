/* An HTML5 tokenizer that reads a page in chunks of any size and keeps no
 * more than a tag name and a few attribute values: it reports where text
 * and markup are, never copies the page. */
#ifndef BRIEFING_TOKENIZER_H
#define BRIEFING_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

#define TAG_NAME_KEEP 15          /* longer names are known by hash only */
#define ATTR_VALUE_KEEP 1024      /* longer values are marked truncated */

enum tag_attribute {
    ATTR_DATA_BRIEFING, ATTR_ID, ATTR_CLASS,
    /* Kept while capture_date is set: where a page says its date. */
    ATTR_PROPERTY, ATTR_NAME, ATTR_CONTENT, ATTR_DATETIME,
    ATTR_COUNT
};

struct tag_attribute_value {
    char raw[ATTR_VALUE_KEEP];   /* as written, references not decoded */
    size_t len;
    uint8_t present, truncated;
};

struct html_tag {
    uint64_t hash;               /* of the lower-cased name, any length */
    char name[TAG_NAME_KEEP + 1];  /* padded with NULs to the end */
    size_t name_len;
    uint8_t is_end, self_closing;
    struct tag_attribute_value attr[ATTR_COUNT];
};

/* How the content after a start tag is tokenized. */
enum html_content { CONTENT_DATA, CONTENT_RAWTEXT, CONTENT_SCRIPT, CONTENT_PLAINTEXT };

struct html_handler {
    /* Text bytes p[0..n) at stream offset `offset`. */
    void (*text)(void *ctx, const unsigned char *p, size_t n, uint64_t offset);
    /* Markup (tag, comment, doctype, ...) starts at `offset`. */
    void (*markup)(void *ctx, uint64_t offset);
    /* A complete tag; for a start tag, returns how its content is read. */
    enum html_content (*tag)(void *ctx, const struct html_tag *tag);
};

struct html_tokenizer {
    const struct html_handler *handler;
    void *ctx;
    int state;
    int return_state;
    uint64_t offset;             /* stream offset of the next byte */
    uint64_t lt_offset;          /* of a '<' not yet known to be markup */
    int foreign;                 /* set by the caller: inside svg or math */
    int capture_scope;           /* set by the caller: keep id and class */
    int capture_date;            /* set by the caller: keep property, name,
                                  * content and datetime */
    struct html_tag tag;
    int attrs_kept;              /* some attribute of the tag is kept */
    char attr_name[16];
    size_t attr_name_len;
    int attr_slot;               /* ATTR_COUNT when not kept */
    size_t match;                /* chars of a keyword or end tag matched */
    int temp_ok;                 /* the name being read is still "script" */
    char raw_end[TAG_NAME_KEEP + 1];  /* element whose end tag ends raw text */
    size_t raw_end_len;
};

void tokenizer_init(struct html_tokenizer *t, const struct html_handler *h, void *ctx);
void tokenizer_feed(struct html_tokenizer *t, const unsigned char *p, size_t n);
/* End of page: a '<' still undecided is text. */
void tokenizer_finish(struct html_tokenizer *t);
/* The offset of a '<' whose meaning the next byte will decide, or UINT64_MAX. */
uint64_t tokenizer_hold_from(const struct html_tokenizer *t);

uint64_t tag_name_hash(const char *name, size_t n);

#endif
