/* Loaded glossaries, one slot per file path, shared by every request of a
 * process.  A request holds a reference to one version from start to end;
 * a changed file is loaded off to the side by a background thread and
 * swapped in, and the old version is freed when its last request ends. */
#ifndef BRIEFING_GLOSSARY_STORE_H
#define BRIEFING_GLOSSARY_STORE_H

#include "httpd.h"

#include "glossary.h"

struct glossary_version {
    struct glossary *glossary;
    unsigned refs;               /* the slot's own, plus one per request */
    apr_time_t loaded;
    apr_time_t mtime;            /* of the file it was loaded from */
};

struct glossary_slot;

/* Loads `path` now (at configuration time) unless the same file is loaded
 * and unchanged.  Returns the slot, or NULL with "FILE:LINE:COL: ..." in
 * err. */
struct glossary_slot *glossary_store_open(const char *path, char *err, size_t errlen);
/* Creates the lock; once per child process, before threads serve. */
apr_status_t glossary_store_child_init(apr_pool_t *pchild);
/* The current version, referenced until `pool` is cleared.  At most every
 * `interval` (0: never) it looks at the file and, when it changed, starts a
 * reload that this request does not wait for. */
struct glossary_version *glossary_store_acquire(struct glossary_slot *slot,
                                                apr_interval_time_t interval,
                                                apr_pool_t *pool, server_rec *s);
const char *glossary_store_path(const struct glossary_slot *slot);
/* Outside requests (the parent between forks, a child before it serves):
 * reloads changed files at once, so that no child starts with an old
 * version.  GLOSSARY_CHECK_NOW checks whatever the interval. */
#define GLOSSARY_CHECK_NOW ((apr_interval_time_t)-1)
void glossary_store_refresh(apr_interval_time_t interval, server_rec *s);

#endif
