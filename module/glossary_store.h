/* Loaded glossaries, one slot per file path, shared by every request of a
 * process.  A request holds a reference to one version from start to end;
 * a changed file is loaded off to the side by each process's watcher
 * thread and swapped in, and the old version is freed when its last
 * request ends. */
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
/* Once per child process, before threads serve: creates the lock, reloads
 * what changed since the parent looked and, unless `interval` is 0, starts
 * the thread that looks at the files every `interval` until pchild dies. */
apr_status_t glossary_store_child_init(apr_pool_t *pchild, apr_interval_time_t interval,
                                       server_rec *s);
/* The current version, referenced until `pool` is cleared. */
struct glossary_version *glossary_store_acquire(struct glossary_slot *slot, apr_pool_t *pool);
const char *glossary_store_path(const struct glossary_slot *slot);
/* Whether any glossary is configured. */
int glossary_store_in_use(void);
/* When this process last failed to reload the file (0: never), and why. */
apr_time_t glossary_store_last_error(struct glossary_slot *slot, char *buf, size_t cap);
/* Outside requests (the parent between forks, a child's watcher): reloads
 * the files that changed and were not looked at for `interval`.
 * GLOSSARY_CHECK_NOW checks whatever the interval. */
#define GLOSSARY_CHECK_NOW ((apr_interval_time_t)-1)
void glossary_store_refresh(apr_interval_time_t interval, server_rec *s);

#endif
