/* engine_pass: one page through the engine, for callgrind.
 *
 *   engine_pass GLOSSARY PAGE
 *
 * Loads the glossary and the page, then runs two passes over the page in
 * 64 KiB chunks into a sink that only counts bytes (as engine_bench does):
 *   annotate_pass  what mod_briefing does per response: annotate_config_new
 *                  (mentions first, charset sniffing on), annotator_new,
 *                  annotator_write per chunk, annotator_finish,
 *                  annotator_free, annotate_config_free;
 *   identity_pass  each chunk memcpy'd into a buffer and handed to the
 *                  same sink.
 * Each pass is its own function (noipa: neither inlined nor cloned), so that
 *   valgrind --tool=callgrind --toggle-collect=annotate_pass engine_pass ...
 * counts the instructions of exactly one pass (loading, reading the file
 * and process start-up excluded).  Prints the byte counts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotator.h"
#include "glossary.h"

#define CHUNK (64 * 1024)

struct count {
    size_t bytes;
    unsigned char check;
};

static int count_sink(void *ctx, const char *data, size_t len)
{
    struct count *s = ctx;
    s->bytes += len;
    if (len)
        s->check ^= (unsigned char)(data[0] ^ data[len - 1]);
    return 0;
}

static annotate_sink volatile the_sink = count_sink;

__attribute__((noipa)) static int annotate_pass(const struct glossary *g, const char *page,
                                                   size_t len, struct count *s)
{
    /* What mod_briefing does per request. */
    struct annotate_options o = {.mentions = MENTIONS_FIRST, .sniff_charset = 1};
    char err[256];
    struct annotate_config *c = annotate_config_new(&o, err, sizeof(err));
    struct annotator *a = c ? annotator_new(g, c, the_sink, s) : NULL;
    if (!a) {
        annotate_config_free(c);
        return -1;
    }
    int rv = 0;
    for (size_t off = 0; off < len && !rv; off += CHUNK)
        rv = annotator_write(a, page + off, len - off < CHUNK ? len - off : CHUNK);
    if (!rv)
        rv = annotator_finish(a);
    annotator_free(a);
    annotate_config_free(c);
    return rv;
}

__attribute__((noipa)) static int identity_pass(const char *page, size_t len, char *buf,
                                                   struct count *s)
{
    for (size_t off = 0; off < len; off += CHUNK) {
        size_t n = len - off < CHUNK ? len - off : CHUNK;
        memcpy(buf, page + off, n);
        if (the_sink(s, buf, n))
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: engine_pass GLOSSARY PAGE\n");
        return 2;
    }
    char err[GLOSSARY_ERROR_MAX];
    struct glossary *g = glossary_load_file(argv[1], err, sizeof(err));
    if (!g) {
        fprintf(stderr, "engine_pass: %s\n", err);
        return 1;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        fprintf(stderr, "engine_pass: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *page = malloc(size > 0 ? (size_t)size : 1), *buf = malloc(CHUNK);
    if (!page || !buf || size < 0 || fread(page, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "engine_pass: %s: cannot read\n", argv[2]);
        return 1;
    }
    fclose(f);
    struct count an = {0, 0}, id = {0, 0};
    if (annotate_pass(g, page, (size_t)size, &an) || identity_pass(page, (size_t)size, buf, &id)) {
        fprintf(stderr, "engine_pass: a pass failed\n");
        return 1;
    }
    printf("input %ld bytes, annotated output %zu bytes, identity output %zu bytes\n", size,
           an.bytes, id.bytes);
    glossary_free(g);
    free(page);
    free(buf);
    return 0;
}
