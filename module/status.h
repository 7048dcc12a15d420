/* What an admin sees of mod_briefing at work: SetHandler briefing-status
 * (HTML, or JSON with ?json) and a section of mod_status's server-status.
 * Counters live in shared memory, so they add up every server process;
 * they start again with the server (and at a graceful restart). */
#ifndef BRIEFING_STATUS_H
#define BRIEFING_STATUS_H

#include "httpd.h"

#include "glossary_store.h"

/* Why a response was not annotated, as counted. */
enum pass_reason {
    PASS_OFF,            /* no glossary or BriefingAnnotate Off here */
    PASS_SUBREQUEST,
    PASS_GLOSSARY_PAGE,
    PASS_HEAD,
    PASS_STATUS,
    PASS_CONTENT_TYPE,
    PASS_ENCODING,
    PASS_NO_TRANSFORM,
    PASS_CHARSET,
    PASS_ERROR,          /* out of memory, or the client went away */
    PASS_REASON_COUNT
};

/* Once per (re)start, in the parent: the shared counters, a set per
 * virtual host. */
apr_status_t status_post_config(apr_pool_t *pconf, server_rec *main_server);
void status_count_annotated(server_rec *s, unsigned links);
void status_count_passed(server_rec *s, enum pass_reason why);

/* The glossary a virtual host annotates with by default, or NULL. */
typedef struct glossary_slot *(*status_glossary_of)(server_rec *s);

/* The briefing-status page; `json` for ?json. */
int status_page(request_rec *r, int json, status_glossary_of glossary_of);
/* mod_status's hook: the same figures in server-status. */
int status_section(request_rec *r, int flags, status_glossary_of glossary_of);

#endif
