/* A bump allocator: many small allocations, one free.  The glossary lives in
 * one arena so that a loaded version is immutable and released at once. */
#ifndef BRIEFING_ARENA_H
#define BRIEFING_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);
/* Returns zeroed memory aligned for any type, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
/* Copies of strings, unaligned: they take only their bytes and the NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* Bytes obtained from the system so far. */
size_t arena_footprint(const struct arena *a);

#endif
