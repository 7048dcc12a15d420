#include "glossary_store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "apr_file_info.h"
#include "apr_strings.h"
#include "apr_thread_mutex.h"
#include "http_log.h"

APLOG_USE_MODULE(briefing);

#define BRLOGNO(n) "BR" #n ": "

/* What identifies one state of the file: admins replace glossaries with
 * mv (new inode), cp -p (same mtime, new ctime) and rsync (new inode). */
struct file_state {
    apr_ino_t inode;
    apr_off_t size;
    apr_time_t mtime, ctime;
};

struct glossary_slot {
    char *path;
    struct glossary_version *current;
    struct file_state seen;          /* of the last file loaded or tried */
    apr_time_t checked;
    int loading;
    server_rec *server;              /* for the reload thread's log lines */
    struct glossary_slot *next;
};

static struct glossary_slot *slots;
static apr_thread_mutex_t *lock;     /* NULL until child_init: no threads yet */

static void store_lock(void)
{
    if (lock)
        apr_thread_mutex_lock(lock);
}

static void store_unlock(void)
{
    if (lock)
        apr_thread_mutex_unlock(lock);
}

static int file_state_of(const char *path, struct file_state *st)
{
    apr_finfo_t info;
    apr_pool_t *p;
    if (apr_pool_create(&p, NULL) != APR_SUCCESS)
        return -1;
    apr_status_t rv = apr_stat(&info, path, APR_FINFO_INODE | APR_FINFO_SIZE |
                               APR_FINFO_MTIME | APR_FINFO_CTIME, p);
    apr_pool_destroy(p);
    if (rv != APR_SUCCESS && rv != APR_INCOMPLETE)
        return -1;
    *st = (struct file_state){info.inode, info.size, info.mtime, info.ctime};
    return 0;
}

static int same_state(const struct file_state *a, const struct file_state *b)
{
    return a->inode == b->inode && a->size == b->size && a->mtime == b->mtime &&
           a->ctime == b->ctime;
}

static struct glossary_version *new_version(struct glossary *g, apr_time_t mtime)
{
    struct glossary_version *v = calloc(1, sizeof(*v));
    if (!v)
        return NULL;
    v->glossary = g;
    v->refs = 1;
    v->loaded = apr_time_now();
    v->mtime = mtime;
    return v;
}

/* Called with the lock held. */
static void unref(struct glossary_version *v)
{
    if (--v->refs == 0) {
        glossary_free(v->glossary);
        free(v);
    }
}

/* Installs a freshly loaded glossary as the slot's current version. */
static int install(struct glossary_slot *slot, struct glossary *g, apr_time_t mtime)
{
    struct glossary_version *v = new_version(g, mtime);
    if (!v)
        return -1;
    struct glossary_version *old = slot->current;
    slot->current = v;
    if (old)
        unref(old);
    return 0;
}

struct glossary_slot *glossary_store_open(const char *path, char *err, size_t errlen)
{
    struct glossary_slot *slot;
    struct file_state st = {0};
    for (slot = slots; slot; slot = slot->next)
        if (strcmp(slot->path, path) == 0)
            break;
    int have_state = file_state_of(path, &st) == 0;
    if (slot && slot->current && have_state && same_state(&st, &slot->seen))
        return slot;
    struct glossary *g = glossary_load_file(path, err, errlen);
    if (!g)
        return NULL;
    if (!slot) {
        slot = calloc(1, sizeof(*slot));
        if (!slot || !(slot->path = strdup(path))) {
            free(slot);
            glossary_free(g);
            snprintf(err, errlen, "%s: out of memory", path);
            return NULL;
        }
        slot->next = slots;
        slots = slot;
    }
    if (install(slot, g, st.mtime)) {
        glossary_free(g);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    slot->seen = st;
    slot->checked = apr_time_now();
    return slot;
}

apr_status_t glossary_store_child_init(apr_pool_t *pchild)
{
    return apr_thread_mutex_create(&lock, APR_THREAD_MUTEX_DEFAULT, pchild);
}

const char *glossary_store_path(const struct glossary_slot *slot)
{
    return slot->path;
}

/* Loads the changed file and installs it, or logs why the previous
 * version stays.  Runs without the lock held, off any request. */
static void reload(struct glossary_slot *slot, const struct file_state *st)
{
    char err[GLOSSARY_ERROR_MAX];
    struct glossary *g = glossary_load_file(slot->path, err, sizeof(err));
    store_lock();
    int installed = g && install(slot, g, st->mtime) == 0;
    apr_size_t entries = installed ? g->nentries : 0;
    slot->loading = 0;
    store_unlock();
    if (installed) {
        ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, slot->server, BRLOGNO(0101)
                     "glossary %s reloaded: %" APR_SIZE_T_FMT " entries", slot->path, entries);
        return;
    }
    if (g)
        snprintf(err, sizeof(err), "%s: out of memory", slot->path);
    glossary_free(g);
    ap_log_error(APLOG_MARK, APLOG_ERR, 0, slot->server,
                 BRLOGNO(0102) "glossary reload failed, the previous version stays: %s", err);
}

struct reload_job {
    struct glossary_slot *slot;
    struct file_state st;
};

static void *reload_thread(void *arg)
{
    struct reload_job *job = arg;
    reload(job->slot, &job->st);
    free(job);
    return NULL;
}

/* Called with the lock held.  Returns 1, with the new state, when the file
 * changed since it was last loaded or tried. */
static int file_changed(struct glossary_slot *slot, server_rec *s, struct file_state *st)
{
    slot->server = s;
    if (file_state_of(slot->path, st) != 0) {
        /* Gone or unreadable: say so once; the loaded version serves on. */
        if (slot->seen.inode || slot->seen.mtime)
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, BRLOGNO(0104)
                         "glossary %s cannot be read; the previous version stays", slot->path);
        memset(&slot->seen, 0, sizeof(slot->seen));
        return 0;
    }
    if (same_state(st, &slot->seen))
        return 0;
    slot->seen = *st;
    slot->loading = 1;
    return 1;
}

/* Called with the lock held: starts a reload when the file changed. */
static void check_file(struct glossary_slot *slot, server_rec *s)
{
    struct reload_job *job = malloc(sizeof(*job));
    pthread_attr_t attr;
    pthread_t thread;
    if (!job || !file_changed(slot, s, &job->st)) {
        free(job);
        return;
    }
    job->slot = slot;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attr, reload_thread, job) != 0) {
        slot->loading = 0;
        free(job);
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     BRLOGNO(0103) "cannot start a thread to reload %s", slot->path);
    }
    pthread_attr_destroy(&attr);
}

void glossary_store_refresh(apr_interval_time_t interval, server_rec *s)
{
    apr_time_t now = apr_time_now();
    for (struct glossary_slot *slot = slots; slot && interval != 0; slot = slot->next) {
        struct file_state st;
        if (interval != GLOSSARY_CHECK_NOW && now - slot->checked < interval)
            continue;
        slot->checked = now;
        if (file_changed(slot, s, &st))
            reload(slot, &st);
    }
}

static apr_status_t release(void *data)
{
    store_lock();
    unref(data);
    store_unlock();
    return APR_SUCCESS;
}

struct glossary_version *glossary_store_acquire(struct glossary_slot *slot,
                                                apr_interval_time_t interval,
                                                apr_pool_t *pool, server_rec *s)
{
    apr_time_t now = apr_time_now();
    store_lock();
    if (interval > 0 && !slot->loading && now - slot->checked >= interval) {
        slot->checked = now;
        check_file(slot, s);
    }
    struct glossary_version *v = slot->current;
    v->refs++;
    store_unlock();
    apr_pool_cleanup_register(pool, v, release, apr_pool_cleanup_null);
    return v;
}
