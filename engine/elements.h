/* What the annotator needs to know of HTML's elements: the tree-building
 * rules it follows are listed per element as flags. */
#ifndef BRIEFING_ELEMENTS_H
#define BRIEFING_ELEMENTS_H

#include <stddef.h>
#include <stdint.h>

enum element_flag {
    EL_VOID = 1 << 0,          /* never has content or an end tag */
    EL_RAWTEXT = 1 << 1,       /* content is raw text up to its end tag */
    EL_SCRIPT = 1 << 2,        /* script data, with its escape rules */
    EL_PLAINTEXT = 1 << 3,     /* everything after it is text */
    EL_CLOSES_P = 1 << 4,      /* its start tag ends an open p */
    EL_FORMATTING = 1 << 5,    /* browsers reopen it when closed implicitly */
    EL_SCOPE = 1 << 6,         /* end tags do not reach past it */
    EL_TABLE_SCOPE = 1 << 7,   /* table end tags do not reach past it */
    EL_IN_HEAD = 1 << 8,       /* may stand in head without ending it */
    EL_TABLE_TEXT = 1 << 9,    /* text directly inside it is moved out */
    EL_MARKER = 1 << 10,       /* reopening stops at it */
    EL_FOREIGN = 1 << 11,      /* svg, math */
    EL_TABLE_PART = 1 << 12,   /* its end tags look in table scope */
    EL_LIST = 1 << 13          /* li, dd and dt inside it stay open */
};

enum element_id {
    EL_UNKNOWN = 0,
    EL_BODY, EL_DD, EL_DT, EL_HEAD, EL_HTML, EL_LI, EL_OL, EL_OPTGROUP, EL_OPTION,
    EL_P, EL_TBODY, EL_TD, EL_TFOOT, EL_TH, EL_THEAD, EL_TR, EL_UL, EL_BUTTON,
    EL_TABLE, EL_BR,
    EL_KNOWN_IDS
};

struct element_info {
    const char *name;
    uint16_t flags;           /* enum element_flag */
    uint8_t id;               /* enum element_id, or EL_UNKNOWN */
};

/* Builds the table of names, once per process however often it is called
 * (from any thread): before the first element_lookup. */
void elements_init(void);

/* Looks up a lower-case tag name whose tag_name_hash is `hash`, given as
 * an html_tag's name is: len bytes padded with NULs to TAG_NAME_KEEP + 1
 * (tokenizer.h).  Unknown names, and names longer than that keeps, get
 * element_unknown(). */
const struct element_info *element_lookup(const char *name, size_t len, uint64_t hash);

/* The shared empty entry of every unknown name. */
const struct element_info *element_unknown(void);

#endif
