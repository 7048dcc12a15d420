/* Backlinks: which articles mention each glossary entry.  The filter notes
 * what an annotated page linked, and after the response has gone out the
 * page is recorded through mod_dbd (SQLite or PostgreSQL) in the table
 * briefing_backlinks, created on first use; the entry pages read it back.
 *
 * Never a write per request, never a page slowed by the database: each
 * process remembers what it last recorded for a URL (a bounded table) and
 * hands a write to its own writer thread only when the page's entries or
 * title changed or the record is older than BriefingBacklinksMaxAge.  A
 * database that fails is left alone for a while (5 s, doubling up to 60 s)
 * and what could not be written is dropped; failures are logged at most
 * once a minute per process. */
#ifndef BRIEFING_BACKLINKS_H
#define BRIEFING_BACKLINKS_H

#include "httpd.h"

#include "annotator.h"
#include "glossary.h"
#include "pages.h"

/* Entries per page of the list on an entry page. */
#define BACKLINKS_PAGE_SIZE 20

/* check_config, for a server where BriefingBacklinks On appears: why it
 * cannot record (no mod_dbd, no DBDriver, a driver not supported), or
 * NULL. */
const char *backlinks_check(apr_pool_t *p, server_rec *s);
/* optional_fn_retrieve: mod_dbd's functions, when it is loaded. */
void backlinks_retrieve(void);
/* child_init, when some server records: the memory of what was recorded
 * and the writer thread, stopped before pchild's subpools go. */
apr_status_t backlinks_child_init(apr_pool_t *pchild, server_rec *s);

/* The filter, at the end of a page it annotated: notes the entries the
 * page linked and its title, for the log_transaction hook.  `keep_query`:
 * the URL keeps its query string. */
void backlinks_note(request_rec *r, const struct glossary *g, const struct annotator *a,
                    int keep_query);
/* log_transaction: a noted page that was answered 200 is recorded, when
 * it changed or its record is older than max_age (0: every time); the
 * write is queued for the writer thread, never waited for.  At most
 * per_entry articles are kept per entry, the newest. */
void backlinks_log_transaction(request_rec *r, apr_interval_time_t max_age, unsigned per_entry);

/* The handler: page `page` (from 1) of the articles that mention `entry`,
 * newest first, allocated from r->pool.  `out->unavailable` is set when
 * the database could not be read (or failed a moment ago). */
void backlinks_read(request_rec *r, const char *entry, unsigned page, struct backlinks *out);

#endif
