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
#define GLOSSARY_ERROR_MAX 1024

struct entry_alias {
    const char *text;
    const char *lang;       /* its xml:lang or inherited; NULL when none */
    int insensitive;
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

struct entry {
    const char *id;
    enum entry_type type;
    const char *lang;       /* the entry's xml:lang or inherited; NULL when none */
    const char *name;
    const char *summary;    /* whitespace folded; NULL when absent or blank */
    const char *title;      /* "Name — Summary" or "Name" */
    const char **paragraphs;
    size_t nparagraphs;
    struct entry_alias *aliases;
    size_t naliases;
    struct entry_fact *facts;
    size_t nfacts;
    uint32_t *see;          /* indexes into the glossary's entries */
    size_t nsee;
    uint32_t *seen_by;      /* entries whose `see` names this one */
    size_t nseen_by;
    /* Name and aliases, case-folded, separated by '|': for filtering. */
    const char *search_names;
    struct entry_link *links;
    size_t nlinks;
    struct entry_inflection *inflections;   /* in file order */
    size_t ninflections;
    /* The end of the link's start tag: `" data-briefing-id="ID" title="…">`,
     * escaped once at load time. */
    const char *tag_tail;
    size_t tag_tail_len;
};

struct glossary {
    struct arena *arena;
    const char *path;
    struct entry *entries;          /* in file order */
    size_t nentries;
    uint32_t *by_id;                /* entry indexes sorted by id */
    uint32_t *by_name;              /* entry indexes sorted by folded name */
    const char *lang;               /* the root's xml:lang, or NULL */
    size_t count_by_type[ENTRY_TYPE_COUNT];
    size_t npatterns;
    struct matcher *matcher;
    uint64_t content_hash;          /* of the file's bytes: the version */
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

/* Case-folds and whitespace-folds UTF-8 text into a malloc'd string. */
char *glossary_fold(const char *s);

/* Writes s[0..n) with & < > " escaped into out (which must hold 6 * n
 * bytes); returns the length written. */
size_t html_escape(const char *s, size_t n, char *out);

#endif
