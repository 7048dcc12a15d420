/* The glossary: loaded from XML, validated, then immutable, so that one
 * copy serves every thread. */
#ifndef BRIEFING_GLOSSARY_H
#define BRIEFING_GLOSSARY_H

#include <stddef.h>
#include <stdint.h>

#include "matcher.h"

enum entry_type {
    ENTRY_PERSON, ENTRY_ORGANIZATION, ENTRY_AGREEMENT, ENTRY_PLACE, ENTRY_TERM,
    ENTRY_TYPE_COUNT
};

extern const char *const entry_type_names[ENTRY_TYPE_COUNT];
/* Returns the type named by s[0..n), or -1. */
int entry_type_from_name(const char *s, size_t n);

#define GLOSSARY_MAX_BYTES (256u * 1024 * 1024)
/* An entry id is 1 to this many of a-z, 0-9 and '-'. */
#define GLOSSARY_ID_MAX 64
#define GLOSSARY_ERROR_MAX 1024

struct entry_alias {
    const char *text;
    const char *lang;       /* its xml:lang or inherited; NULL when none */
    int insensitive;
    /* from="..." and until="...": the days (glossary_parse_date) the alias
     * means this entry, both included; GLOSSARY_DAY_MIN / GLOSSARY_DAY_MAX
     * when open. */
    int32_t from, until;
};

/* Dates are days since 1970-01-01 (which is day 0). */
#define GLOSSARY_DAY_MIN INT32_MIN
#define GLOSSARY_DAY_MAX INT32_MAX

/* A dated pattern: a text that several entries may share, each over its
 * own days.  A mention's `entry` with GLOSSARY_DATED set is the index of
 * one of these in the glossary's `dated`; glossary_resolve() says which
 * entry it means on a day. */
#define GLOSSARY_DATED 0x80000000u
struct dated_meaning {
    int32_t from, until;    /* both included */
    uint32_t entry;
};
struct dated_pattern {
    const struct dated_meaning *meanings;   /* sorted by from, disjoint */
    size_t n;
};

struct entry_fact {
    const char *label, *value;
};

struct entry_link {
    const char *href, *text;
};

/* A name or alias with inflect="ru-person" and the case forms made from it
 * (engine/inflect_ru.h), which are patterns of the entry too. */
struct entry_inflection {
    const char *text;       /* as written, whitespace folded */
    const char **forms;     /* the forms added, `text` not among them */
    size_t nforms;
};

/* 100,000 of these make a large glossary: pointers first, then the counts
 * (32 bits: a glossary file is at most GLOSSARY_MAX_BYTES), then the
 * bytes, so that little pads. */
struct entry {
    const char *id;
    const char *lang;       /* the entry's xml:lang or inherited; NULL when none */
    const char *name;
    /* Whitespace folded; NULL when absent or blank.  It is the end of the
     * link title, kept once (glossary_entry_title). */
    const char *summary;
    const char **paragraphs;
    struct entry_alias *aliases;
    struct entry_fact *facts;
    uint32_t *see;          /* indexes into the glossary's entries */
    uint32_t *seen_by;      /* entries whose `see` names this one */
    /* Name and aliases, case-folded, separated by '|': for filtering. */
    const char *search_names;
    struct entry_link *links;
    struct entry_inflection *inflections;   /* in file order */
    uint32_t nparagraphs, naliases, nfacts, nsee, nseen_by, nlinks, ninflections;
    /* Lengths, for the start tag of every link: measuring them there was
     * several per cent of annotating text with a mention every 100 bytes. */
    uint32_t title_len;
    uint16_t name_len;      /* a name is a pattern: at most 4 * MATCH_PATTERN_MAX bytes */
    uint8_t id_len;         /* at most GLOSSARY_ID_MAX */
    uint8_t type;           /* an enum entry_type */
    uint8_t title_escapes;  /* the link title has a character of HTML_SPECIAL */
};

#define GLOSSARY_TITLE_SEPARATOR " \xE2\x80\x94 "

/* The entry's link title, "Name — Summary" or "Name" when it has no
 * summary (e->title_len bytes): a link's title attribute. */
static inline const char *glossary_entry_title(const struct entry *e)
{
    return e->summary ? e->summary - (sizeof(GLOSSARY_TITLE_SEPARATOR) - 1) - e->name_len
                      : e->name;
}

struct glossary {
    struct arena *arena;
    const char *path;
    struct entry *entries;          /* in file order */
    size_t nentries;
    uint32_t *by_id;                /* entry indexes sorted by id */
    uint32_t *by_name;              /* entry indexes sorted by folded name */
    const char *lang;               /* the root's xml:lang, or NULL */
    size_t count_by_type[ENTRY_TYPE_COUNT];
    size_t patterns_by_type[ENTRY_TYPE_COUNT];
    size_t npatterns;
    struct matcher *matcher;
    uint64_t content_hash;          /* of the file's bytes: the version */
    struct dated_pattern *dated;    /* see GLOSSARY_DATED */
    size_t ndated;
};

/* Loads and validates; on failure returns NULL and writes
 * "FILE:LINE:COL: what is wrong" (or "FILE: ...") into err. */
struct glossary *glossary_load_file(const char *path, char *err, size_t errlen);
struct glossary *glossary_load_memory(const char *data, size_t size, const char *name,
                                      char *err, size_t errlen);
void glossary_free(struct glossary *g);
const struct entry *glossary_find(const struct glossary *g, const char *id, size_t idlen);
/* Bytes held by the loaded glossary. */
size_t glossary_memory(const struct glossary *g);

/* The entry that a mention's `entry` (from the matcher) means on `day`:
 * itself when undated; UINT32_MAX when a dated pattern means no entry
 * then. */
uint32_t glossary_resolve(const struct glossary *g, uint32_t entry, int32_t day);

/* Reads "YYYY-MM-DD" (a valid Gregorian date, years 0001-9999) at the
 * start of s[0..n), followed by the end or a character that is no digit
 * ("2019-05-01T10:00:00Z" reads as 2019-05-01), into days since
 * 1970-01-01.  Returns 0, or -1 when there is no such date. */
int glossary_parse_date(const char *s, size_t n, int32_t *day);
/* Writes a day as "YYYY-MM-DD" (11 bytes with the NUL). */
void glossary_format_date(int32_t day, char out[11]);

/* Case-folds and whitespace-folds UTF-8 text into a malloc'd string. */
char *glossary_fold(const char *s);

/* The characters that html_escape replaces. */
#define HTML_SPECIAL "&<>\""
/* Writes s[0..n) with & < > " escaped into out (which must hold 6 * n
 * bytes); returns the length written. */
size_t html_escape(const char *s, size_t n, char *out);

#endif
