/* mod_bench_identity: the benchmark's reference output filter.
 *
 * BENCH_IDENTITY copies every byte of each data bucket into fresh heap
 * buckets (of at most APR_BUCKET_BUFF_SIZE bytes, the size that
 * apr_brigade_write and most content filters produce) and passes them on,
 * every PASS_EVERY bytes and at the end of each brigade it is given;
 * metadata buckets (flush, EOS) are moved along as they are.  Like any
 * filter that may change the body, it drops Content-Length.  It is the
 * floor for a filter that reads the body: whatever a real filter does on
 * top of this is its own cost.  (Handing on every 64 KiB is the cheapest
 * rhythm measured here: every 8 KB costs a write to the socket each, and
 * a whole 5 MB page at once leaves the copy out of the CPU caches.)
 *
 *   LoadModule bench_identity_module .../mod_bench_identity.so
 *   <Location "/identity/">
 *       SetOutputFilter BENCH_IDENTITY
 *   </Location>
 */
#include "httpd.h"
#include "http_config.h"
#include "util_filter.h"
#include "apr_buckets.h"
#include "apr_strings.h"

module AP_MODULE_DECLARE_DATA bench_identity_module;

#ifndef PASS_EVERY
#define PASS_EVERY (64 * 1024)
#endif

static apr_status_t identity_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    apr_bucket_brigade *out = f->ctx;
    if (!out) {
        out = f->ctx = apr_brigade_create(f->r->pool, f->c->bucket_alloc);
        apr_table_unset(f->r->headers_out, "Content-Length");
    }
    apr_size_t held = 0;
    while (!APR_BRIGADE_EMPTY(bb)) {
        apr_bucket *e = APR_BRIGADE_FIRST(bb);
        if (APR_BUCKET_IS_METADATA(e)) {
            APR_BUCKET_REMOVE(e);
            APR_BRIGADE_INSERT_TAIL(out, e);
            continue;
        }
        const char *data;
        apr_size_t len;
        apr_status_t rv = apr_bucket_read(e, &data, &len, APR_BLOCK_READ);
        if (rv != APR_SUCCESS)
            return rv;
        for (apr_size_t off = 0; off < len; off += APR_BUCKET_BUFF_SIZE) {
            apr_size_t n = len - off < APR_BUCKET_BUFF_SIZE ? len - off : APR_BUCKET_BUFF_SIZE;
            /* No free function: the heap bucket makes its own copy. */
            APR_BRIGADE_INSERT_TAIL(out, apr_bucket_heap_create(data + off, n, NULL,
                                                                f->c->bucket_alloc));
            if ((held += n) >= PASS_EVERY) {
                /* A big page is handed on as it is copied, never held whole. */
                rv = ap_pass_brigade(f->next, out);
                apr_brigade_cleanup(out);
                if (rv != APR_SUCCESS)
                    return rv;
                held = 0;
            }
        }
        apr_bucket_delete(e);
    }
    apr_status_t rv = ap_pass_brigade(f->next, out);
    apr_brigade_cleanup(out);
    return rv;
}

static void register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_register_output_filter("BENCH_IDENTITY", identity_filter, NULL, AP_FTYPE_RESOURCE);
}

AP_DECLARE_MODULE(bench_identity) = {
    STANDARD20_MODULE_STUFF,
    NULL,                       /* per-directory config */
    NULL,
    NULL,                       /* per-server config */
    NULL,
    NULL,                       /* no directives */
    register_hooks,
    AP_MODULE_FLAG_NONE
};
