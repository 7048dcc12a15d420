#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_MIN (64 * 1024)
#define ARENA_ALIGN 16

struct arena_block {
    struct arena_block *prev;
    size_t size, used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
    struct arena_block *top;
    size_t footprint;
};

struct arena *arena_new(void)
{
    return calloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    while (a->top) {
        struct arena_block *prev = a->top->prev;
        free(a->top);
        a->top = prev;
    }
    free(a);
}

/* Aligns where an allocation starts rather than rounding its size, so that
 * strings, which need no alignment, take only their bytes. */
static void *arena_take(struct arena *a, size_t size, size_t align)
{
    size_t at = a->top ? (a->top->used + align - 1) & ~(align - 1) : 0;
    if (!a->top || at > a->top->size || a->top->size - at < size) {
        size_t block = size > ARENA_BLOCK_MIN ? size : ARENA_BLOCK_MIN;
        struct arena_block *b = malloc(sizeof(*b) + block);
        if (!b)
            return NULL;
        b->prev = a->top;
        b->size = block;
        b->used = 0;
        a->top = b;
        a->footprint += sizeof(*b) + block;
        at = 0;
    }
    a->top->used = at + size;
    return a->top->data + at;
}

void *arena_alloc(struct arena *a, size_t size)
{
    void *p = arena_take(a, size, ARENA_ALIGN);
    if (p)
        memset(p, 0, size);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_take(a, n + 1, 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

size_t arena_footprint(const struct arena *a)
{
    return a->footprint;
}
