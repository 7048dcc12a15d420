/* The case forms of Russian personal names, for <alias inflect="ru-person">.
 *
 * Given a name as written in the nominative ("Нурсултан Назарбаев"), makes
 * the whole name in each of the six cases, every word in the same case
 * ("Нурсултана Назарбаева", "Нурсултану Назарбаеву", ...), so that the
 * loader can add them as ordinary patterns and matching stays one pass of
 * one automaton.  UTF-8 in and out; plain C.
 *
 * Shapes understood (words separated by single spaces, as the loader folds
 * them; the particles фон ван де дер ди да ибн бен аль эль ла ле оглы кызы
 * улы written in lower case stand anywhere and are never changed):
 *   Last                      "Назарбаев", "Ахматова", "Лукашенко"
 *   First Last                "Нурсултан Назарбаев"
 *   First Patronymic Last     "Владимир Владимирович Путин" (the middle
 *                             word ends in -ич, -на)
 * Any other shape is left as written: no forms are made.  Which ending
 * gets which forms is in docs/glossary.md. */
#ifndef BRIEFING_INFLECT_RU_H
#define BRIEFING_INFLECT_RU_H

#include <stddef.h>

enum ru_case {
    RU_NOMINATIVE, RU_GENITIVE, RU_DATIVE, RU_ACCUSATIVE, RU_INSTRUMENTAL,
    RU_PREPOSITIONAL, RU_CASES
};

/* Longest name (bytes) that is inflected; longer ones are left as written. */
#define INFLECT_RU_MAX_BYTES 1024

/* A list of malloc'd UTF-8 strings. */
struct ru_forms {
    char **form;
    size_t n, cap;
};

/* Appends the forms of `name` in case `c` to `out`: usually one, two where
 * the ending depends on a stress the spelling does not show (instrumental
 * of a surname in -ш, -ж, -ч, -щ, -ц: "Лукашом" and "Лукашем"), at most
 * four.  The nominative is `name` itself.  Returns 0, or -1 when out of
 * memory. */
int inflect_ru_case(const char *name, enum ru_case c, struct ru_forms *out);

/* Appends every distinct form of `name` to `out`: `name` itself first, then
 * the genitive, dative, accusative, instrumental and prepositional forms
 * that differ from every form before them.  Returns 0, or -1 when out of
 * memory. */
int inflect_ru_person(const char *name, struct ru_forms *out);

void ru_forms_free(struct ru_forms *f);

#endif
