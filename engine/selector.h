/* Scope selectors: compound simple selectors without combinators
 * (`article`, `.story-body`, `#content`, `main.article`, `.a.b`, `*`). */
#ifndef BRIEFING_SELECTOR_H
#define BRIEFING_SELECTOR_H

#include <stddef.h>
#include <stdint.h>

#define SELECTOR_CLASSES_MAX 8

struct selector {
    uint64_t tag_hash;          /* 0: any tag */
    char *id;                   /* NULL: any */
    char *classes[SELECTOR_CLASSES_MAX];
    size_t nclasses;
};

/* Parses one selector; returns 0, or -1 with a message in err. */
int selector_parse(const char *text, struct selector *out, char *err, size_t errlen);
void selector_release(struct selector *s);
/* Does an element with this tag, id and class attribute match?  id and
 * classes are decoded attribute values (NULL when absent). */
int selector_matches(const struct selector *s, uint64_t tag_hash, const char *id,
                     const char *classes, size_t classes_len);

#endif
