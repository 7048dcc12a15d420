/* The case forms of Russian personal names: see inflect_ru.h, and
 * docs/glossary.md for the table in prose.
 *
 * A name is split into words at spaces and each word into parts at
 * hyphens.  Each word gets a role (first name, patronymic, surname) from its
 * place, the person a gender from the words' endings, and each part the
 * first rule below that fits its role, the gender and its ending; the rule
 * says how many letters to drop and what to put in their place in each
 * case.  The whole name in one case is its words in that case. */
#include "inflect_ru.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unicode.h"

enum { R_FIRST = 1, R_PATRONYMIC = 2, R_LAST = 4 };
enum { G_M = 1, G_F = 2, G_MF = 3 };
/* Classes of the letter before a rule's ending. */
enum { L_VOWEL = 1, L_CONS = 2, L_VELAR = 4, L_HUSH = 8, L_TSE = 16 };
/* WHOLE: the ending is the whole word (exceptions).  SYLLABLE: a vowel
 * stands before the ending (Путин, not Шин; Толстой, not Цой). */
enum { WHOLE = 1, SYLLABLE = 2 };

struct rule {
    unsigned char roles, genders;
    const char *ending;         /* lower case, at the end of the word */
    unsigned char before;       /* the letter before the ending is one of these (0: any) */
    unsigned char flags;
    unsigned char cut;          /* letters dropped from the end */
    /* What replaces them in the genitive, dative, accusative, instrumental
     * and prepositional; "ом|ем": two forms.  NULL: indeclinable. */
    const char *forms[5];
};

#define KEEP {NULL, NULL, NULL, NULL, NULL}
#define SIB (L_HUSH | L_TSE)

/* First match wins: exceptions and narrow endings before broad ones. */
static const struct rule rules[] = {
    /* Patronymics. */
    {R_PATRONYMIC, G_M, "ильич", 0, WHOLE, 0, {"а", "у", "а", "ом", "е"}},
    {R_PATRONYMIC, G_M, "кузьмич", 0, WHOLE, 0, {"а", "у", "а", "ом", "е"}},
    {R_PATRONYMIC, G_M, "лукич", 0, WHOLE, 0, {"а", "у", "а", "ом", "е"}},
    {R_PATRONYMIC, G_M, "фомич", 0, WHOLE, 0, {"а", "у", "а", "ом", "е"}},
    {R_PATRONYMIC, G_M, "ич", 0, 0, 0, {"а", "у", "а", "ем", "е"}},
    {R_PATRONYMIC, G_F, "на", 0, 0, 1, {"ы", "е", "у", "ой", "е"}},

    /* First names: fleeting vowels and a stressed ending. */
    {R_FIRST, G_M, "лев", 0, WHOLE, 2, {"ьва", "ьву", "ьва", "ьвом", "ьве"}},
    {R_FIRST, G_M, "павел", 0, WHOLE, 2, {"ла", "лу", "ла", "лом", "ле"}},
    {R_FIRST, G_M, "пётр", 0, WHOLE, 3, {"етра", "етру", "етра", "етром", "етре"}},
    {R_FIRST, G_MF, "илья", 0, WHOLE, 1, {"и", "е", "ю", "ёй|ей", "е"}},
    /* Masculine first names ending in a consonant, -й, -ь. */
    {R_FIRST, G_M, "ий", 0, 0, 1, {"я", "ю", "я", "ем", "и"}},
    {R_FIRST, G_M, "й", L_VOWEL, 0, 1, {"я", "ю", "я", "ем", "е"}},
    {R_FIRST, G_M, "ь", 0, 0, 1, {"я", "ю", "я", "ем", "е"}},
    {R_FIRST, G_M, "", SIB, 0, 0, {"а", "у", "а", "ем", "е"}},
    {R_FIRST, G_M, "", L_CONS, 0, 0, {"а", "у", "а", "ом", "е"}},
    /* Feminine first names in -ь (Любовь); in a consonant: indeclinable. */
    {R_FIRST, G_F, "ь", 0, 0, 1, {"и", "и", "ь", "ью", "и"}},
    /* First names in -а, -я, of either gender. */
    {R_FIRST, G_MF, "а", L_VOWEL, 0, 0, KEEP},
    {R_FIRST, G_MF, "а", L_VELAR, 0, 1, {"и", "е", "у", "ой", "е"}},
    {R_FIRST, G_MF, "а", L_HUSH, 0, 1, {"и", "е", "у", "ей", "е"}},
    {R_FIRST, G_MF, "а", L_TSE, 0, 1, {"ы", "е", "у", "ей", "е"}},
    {R_FIRST, G_MF, "а", L_CONS, 0, 1, {"ы", "е", "у", "ой", "е"}},
    {R_FIRST, G_MF, "ия", 0, 0, 1, {"и", "и", "ю", "ей", "и"}},
    {R_FIRST, G_MF, "я", 0, 0, 1, {"и", "е", "ю", "ей", "е"}},

    /* Surnames that never change. */
    {R_LAST, G_MF, "ых", 0, 0, 0, KEEP},
    {R_LAST, G_MF, "их", 0, 0, 0, KEEP},
    /* Feminine surnames. */
    {R_LAST, G_F, "ова", 0, SYLLABLE, 1, {"ой", "ой", "у", "ой", "ой"}},
    {R_LAST, G_F, "ева", 0, SYLLABLE, 1, {"ой", "ой", "у", "ой", "ой"}},
    {R_LAST, G_F, "ёва", 0, SYLLABLE, 1, {"ой", "ой", "у", "ой", "ой"}},
    {R_LAST, G_F, "ина", 0, SYLLABLE, 1, {"ой", "ой", "у", "ой", "ой"}},
    {R_LAST, G_F, "ына", 0, SYLLABLE, 1, {"ой", "ой", "у", "ой", "ой"}},
    {R_LAST, G_F, "ая", L_HUSH, 0, 2, {"ой|ей", "ой|ей", "ую", "ой|ей", "ой|ей"}},
    {R_LAST, G_F, "ая", 0, 0, 2, {"ой", "ой", "ую", "ой", "ой"}},
    {R_LAST, G_F, "яя", 0, 0, 2, {"ей", "ей", "юю", "ей", "ей"}},
    /* Masculine adjectival surnames. */
    {R_LAST, G_M, "ий", L_VELAR, 0, 2, {"ого", "ому", "ого", "им", "ом"}},
    {R_LAST, G_M, "ий", L_HUSH, 0, 2, {"его", "ему", "его", "им", "ем"}},
    {R_LAST, G_M, "ний", 0, 0, 2, {"его", "ему", "его", "им", "ем"}},
    {R_LAST, G_M, "ий", 0, 0, 1, {"я", "ю", "я", "ем", "и"}},
    {R_LAST, G_M, "ый", 0, 0, 2, {"ого", "ому", "ого", "ым", "ом"}},
    {R_LAST, G_M, "ой", L_VELAR | L_HUSH, SYLLABLE, 2, {"ого", "ому", "ого", "им", "ом"}},
    {R_LAST, G_M, "ой", 0, SYLLABLE, 2, {"ого", "ому", "ого", "ым", "ом"}},
    {R_LAST, G_M, "й", L_VOWEL, 0, 1, {"я", "ю", "я", "ем", "е"}},
    /* Masculine -ов, -ев, -ин: the Russian possessive type. */
    {R_LAST, G_M, "ов", 0, SYLLABLE, 0, {"а", "у", "а", "ым", "е"}},
    {R_LAST, G_M, "ев", 0, SYLLABLE, 0, {"а", "у", "а", "ым", "е"}},
    {R_LAST, G_M, "ёв", 0, SYLLABLE, 0, {"а", "у", "а", "ым", "е"}},
    {R_LAST, G_M, "ин", 0, SYLLABLE, 0, {"а", "у", "а", "ым", "е"}},
    {R_LAST, G_M, "ын", 0, SYLLABLE, 0, {"а", "у", "а", "ым", "е"}},
    /* Masculine surnames ending in another consonant or -ь. */
    {R_LAST, G_M, "ич", 0, 0, 0, {"а", "у", "а", "ем", "е"}},
    {R_LAST, G_M, "ь", 0, 0, 1, {"я", "ю", "я", "ем", "е"}},
    {R_LAST, G_M, "", SIB, 0, 0, {"а", "у", "а", "ом|ем", "е"}},
    {R_LAST, G_M, "", L_CONS, 0, 0, {"а", "у", "а", "ом", "е"}},
    /* Surnames in -а, -я of either gender decline like nouns. */
    {R_LAST, G_MF, "а", L_VOWEL, 0, 0, KEEP},
    {R_LAST, G_MF, "а", L_VELAR, 0, 1, {"и", "е", "у", "ой", "е"}},
    {R_LAST, G_MF, "а", L_HUSH, 0, 1, {"и", "е", "у", "ой|ей", "е"}},
    {R_LAST, G_MF, "а", L_TSE, 0, 1, {"ы", "е", "у", "ой|ей", "е"}},
    {R_LAST, G_MF, "а", L_CONS, 0, 1, {"ы", "е", "у", "ой", "е"}},
    {R_LAST, G_MF, "ия", 0, 0, 1, {"и", "и", "ю", "ей", "и"}},
    {R_LAST, G_MF, "я", 0, 0, 1, {"и", "е", "ю", "ей", "е"}},
    /* Everything else (-о -е -и -ы -у -ю -э, feminine surnames in a
     * consonant, -й or -ь, foreign letters) stays as written. */
};

/* Masculine names: in -а, -я, whose ending says otherwise, and common ones
 * in a consonant, which outweigh a surname that looks feminine (Борис
 * Щербина); other names in a consonant give way to it (Гульнар Ахметова). */
static const char *const masculine_names[] = {
    "никита", "илья", "кузьма", "фома", "лука", "савва", "данила", "гаврила", "иона",
    "добрыня", "миша", "гриша", "паша", "ваня", "петя", "вова", "володя", "дима", "лёша",
    "алёша", "серёжа", "федя", "коля", "толя", "юра", "боря", "гоша", "стёпа", "лёва",
    "слава", "сеня", "вася", "лев", "павел", "пётр", "петр",
    "александр", "антон", "артём", "артем", "богдан", "борис", "вадим", "валентин",
    "виктор", "владимир", "владислав", "всеволод", "вячеслав", "глеб", "давид", "даниил",
    "денис", "егор", "иван", "игорь", "кирилл", "константин", "леонид", "максим", "марк",
    "михаил", "олег", "роман", "руслан", "святослав", "семён", "семен", "станислав",
    "степан", "тарас", "тимофей", "тимур", "фёдор", "федор", "эдуард", "юлиан", "ян",
    "ярослав", NULL
};
static const char *const feminine_soft_names[] = {
    "любовь", "нинель", "адель", "эсфирь", "руфь", "юдифь", "рахиль", "ассоль", "асель",
    "айгуль", "гузель", "изабель", NULL
};
static const char *const unisex_names[] = {"саша", "женя", "валя", "шура", "сима", NULL};
/* Written in lower case, these stand between the names and never change. */
static const char *const particles[] = {
    "фон", "ван", "де", "дер", "ди", "да", "дю", "ибн", "бен", "бин", "аль", "эль", "ла",
    "ле", "оглы", "кызы", "улы", NULL
};

#define PART_MAX 64          /* letters in one word */
#define PARTS_MAX 4          /* hyphenated parts of one word */
#define WORDS_MAX 8
#define VARIANTS_MAX 4
#define FORM_BYTES (INFLECT_RU_MAX_BYTES + 512)

/* ---- letters ---- */

static uint32_t lower(uint32_t cp)
{
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20;
    return cp == 0x401 ? 0x451 : cp;
}

static int is_upper(uint32_t cp)
{
    return (cp >= 0x410 && cp <= 0x42F) || cp == 0x401;
}

static uint32_t upper(uint32_t cp)
{
    if (cp >= 0x430 && cp <= 0x44F)
        return cp - 0x20;
    return cp == 0x451 ? 0x401 : cp;
}

static int is_russian(uint32_t lc)
{
    return (lc >= 0x430 && lc <= 0x44F) || lc == 0x451;
}

/* Decodes UTF-8 s[0..n) into at most max code points; (size_t)-1 when it
 * does not fit or is not valid. */
static size_t decode(const char *s, size_t n, uint32_t *cp, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        int len = utf8_decode((const unsigned char *)s + i, n - i, &c);
        if (len <= 0 || k == max)
            return (size_t)-1;
        cp[k++] = c;
        i += (size_t)len;
    }
    return k;
}

static int in_set(uint32_t lc, const char *set)
{
    uint32_t cp[16];
    size_t n = decode(set, strlen(set), cp, 16);
    for (size_t i = 0; i < n && n != (size_t)-1; i++)
        if (cp[i] == lc)
            return 1;
    return 0;
}

static unsigned letter_class(uint32_t lc)
{
    if (in_set(lc, "аеёиоуыэюя"))
        return L_VOWEL;
    if (in_set(lc, "гкх"))
        return L_CONS | L_VELAR;
    if (in_set(lc, "жшчщ"))
        return L_CONS | L_HUSH;
    if (in_set(lc, "ц"))
        return L_CONS | L_TSE;
    if (in_set(lc, "йьъ") || !is_russian(lc))
        return 0;
    return L_CONS;
}

/* One word or one hyphenated part of it. */
struct part {
    uint32_t cp[PART_MAX], lc[PART_MAX];
    size_t n;
    int russian;        /* all letters Russian */
};

static int read_part(const char *s, size_t len, struct part *p)
{
    p->n = decode(s, len, p->cp, PART_MAX);
    if (p->n == (size_t)-1 || p->n == 0)
        return -1;
    p->russian = 1;
    for (size_t i = 0; i < p->n; i++) {
        p->lc[i] = lower(p->cp[i]);
        p->russian &= is_russian(p->lc[i]);
    }
    return 0;
}

static int equals(const struct part *p, const char *word)
{
    uint32_t cp[PART_MAX];
    size_t n = decode(word, strlen(word), cp, PART_MAX);
    return n == p->n && memcmp(cp, p->lc, n * sizeof(*cp)) == 0;
}

static int in_list(const struct part *p, const char *const *list)
{
    for (; *list; list++)
        if (equals(p, *list))
            return 1;
    return 0;
}

/* The part ends in `ending`; with SYLLABLE, a vowel comes before it; with
 * `before`, the letter before it is of that class. */
static int ends_with(const struct part *p, const char *ending, unsigned before, unsigned flags)
{
    uint32_t e[8];
    size_t n = decode(ending, strlen(ending), e, 8);
    if (n == (size_t)-1 || n > p->n || memcmp(e, p->lc + p->n - n, n * sizeof(*e)) != 0)
        return 0;
    if ((flags & WHOLE) && n != p->n)
        return 0;
    if (before && (n == p->n || !(letter_class(p->lc[p->n - n - 1]) & before)))
        return 0;
    if (flags & SYLLABLE) {
        size_t i = 0;
        while (i < p->n - n && !(letter_class(p->lc[i]) & L_VOWEL))
            i++;
        if (i == p->n - n)
            return 0;
    }
    return 1;
}

static const struct rule *find_rule(const struct part *p, int role, int gender)
{
    if (!p->russian)
        return NULL;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        const struct rule *r = &rules[i];
        if ((r->roles & role) && (r->genders & gender) && ends_with(p, r->ending, r->before, r->flags))
            return r;
    }
    return NULL;
}

/* ---- forms ---- */

struct variants {
    size_t n;
    size_t len[VARIANTS_MAX];
    char s[VARIANTS_MAX][FORM_BYTES];
};

static void set_one(struct variants *v, const char *s, size_t len)
{
    v->n = 1;
    v->len[0] = len < FORM_BYTES ? len : 0;
    memcpy(v->s[0], s, v->len[0]);
}

/* Every variant of `a` followed by `sep` and every variant of `b`, at most
 * VARIANTS_MAX of them, into `out`.  Returns -1 when one is too long. */
static int product(const struct variants *a, const char *sep, const struct variants *b,
                   struct variants *out)
{
    size_t seplen = strlen(sep);
    out->n = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n && out->n < VARIANTS_MAX; j++) {
            size_t len = a->len[i] + seplen + b->len[j];
            if (len >= FORM_BYTES)
                return -1;
            char *s = out->s[out->n];
            memcpy(s, a->s[i], a->len[i]);
            memcpy(s + a->len[i], sep, seplen);
            memcpy(s + a->len[i] + seplen, b->s[j], b->len[j]);
            out->len[out->n++] = len;
        }
    return 0;
}

/* A part in case c (not the nominative) by rule r, or as written. */
static void decline_part(const struct part *p, const char *raw, size_t rawlen,
                         const struct rule *r, enum ru_case c, struct variants *out)
{
    const char *forms = r ? r->forms[c - 1] : NULL;
    if (!forms) {
        set_one(out, raw, rawlen);
        return;
    }
    /* Endings follow the case of the word's last letter (НАЗАРБАЕВЫМ). */
    int caps = is_upper(p->cp[p->n - 1]);
    out->n = 0;
    for (const char *f = forms; out->n < VARIANTS_MAX;) {
        const char *bar = strchr(f, '|');
        size_t flen = bar ? (size_t)(bar - f) : strlen(f);
        uint32_t e[8];
        size_t en = decode(f, flen, e, 8);
        char *s = out->s[out->n];
        size_t len = 0;
        for (size_t i = 0; i + r->cut < p->n; i++)
            len += utf8_encode(p->cp[i], (unsigned char *)s + len);
        for (size_t i = 0; i < en && en != (size_t)-1; i++)
            len += utf8_encode(caps ? upper(e[i]) : e[i], (unsigned char *)s + len);
        out->len[out->n++] = len;
        if (!bar)
            break;
        f = bar + 1;
    }
}

/* ---- the name ---- */

struct word {
    const char *s;
    size_t len;
    int role;           /* 0: a particle or an initial, as written */
};

struct name {
    struct word w[WORDS_MAX];
    size_t n;
    int gender;
};

/* The last hyphenated part of a word. */
static int last_part(const struct word *w, struct part *p)
{
    const char *s = w->s;
    for (const char *h = memchr(s, '-', w->len); h; h = memchr(h + 1, '-', w->len - (size_t)(h + 1 - w->s)))
        s = h + 1;
    return read_part(s, w->len - (size_t)(s - w->s), p);
}

enum { S_NONE, S_M_WEAK, S_F_WEAK, S_M, S_F };

static int first_name_says(const struct part *p)
{
    if (in_list(p, feminine_soft_names))
        return S_F;
    if (in_list(p, masculine_names))
        return S_M;
    if (in_list(p, unisex_names))
        return S_F_WEAK;
    if (!p->russian)
        return S_NONE;
    uint32_t last = p->lc[p->n - 1];
    if (in_set(last, "ая"))
        return S_F;
    if (in_set(last, "й"))          /* Андрей, Дмитрий, Николай */
        return S_M;
    if ((letter_class(last) & L_CONS) || in_set(last, "ь"))
        return S_M_WEAK;
    return S_NONE;
}

static int surname_says(const struct part *p)
{
    static const char *const feminine[] = {"ова", "ева", "ёва", "ина", "ына"};
    static const char *const masculine[] = {"ов", "ев", "ёв", "ин", "ын", "ой"};
    for (size_t i = 0; i < 5; i++)
        if (ends_with(p, feminine[i], 0, SYLLABLE))
            return S_F;
    if (ends_with(p, "ая", 0, 0) || ends_with(p, "яя", 0, 0))
        return S_F;
    for (size_t i = 0; i < 6; i++)
        if (ends_with(p, masculine[i], 0, SYLLABLE))
            return S_M;
    if (ends_with(p, "ий", 0, 0) || ends_with(p, "ый", 0, 0))
        return S_M;
    return S_NONE;
}

static int is_patronymic(const struct part *p)
{
    return p->russian && (ends_with(p, "ич", 0, 0) || ends_with(p, "вна", 0, 0) ||
                          ends_with(p, "чна", 0, 0));
}

static int is_particle(const char *s, size_t len)
{
    if (len && s[len - 1] == '.')
        return 1;       /* an initial: "В." */
    for (const char *const *p = particles; *p; p++)
        if (strlen(*p) == len && memcmp(*p, s, len) == 0)
            return 1;
    return 0;
}

/* Splits the name into words and gives each its role and the person a
 * gender.  Returns -1 for a shape that is left as written. */
static int analyse(const char *text, struct name *nm)
{
    size_t len = strlen(text);
    struct word *named[WORDS_MAX];
    size_t k = 0;
    struct part p;
    nm->n = 0;
    if (len > INFLECT_RU_MAX_BYTES)
        return -1;
    for (size_t i = 0; i < len;) {
        while (i < len && text[i] == ' ')
            i++;
        if (i == len)
            break;
        size_t j = i;
        while (j < len && text[j] != ' ')
            j++;
        if (nm->n == WORDS_MAX)
            return -1;
        struct word *w = &nm->w[nm->n++];
        *w = (struct word){text + i, j - i, 0};
        if (!is_particle(w->s, w->len))
            named[k++] = w;
        i = j;
    }
    int first = S_NONE, last = S_NONE, middle = S_NONE;
    if (k == 1) {
        /* A surname alone, unless it is a first name the rules know. */
        if (last_part(named[0], &p))
            return -1;
        if (in_list(&p, masculine_names) || in_list(&p, feminine_soft_names)) {
            named[0]->role = R_FIRST;
            first = first_name_says(&p);
        } else {
            named[0]->role = R_LAST;
            last = surname_says(&p);
        }
    } else if (k == 2 || k == 3) {
        named[0]->role = R_FIRST;
        named[k - 1]->role = R_LAST;
        if (last_part(named[0], &p))
            return -1;
        first = first_name_says(&p);
        if (last_part(named[k - 1], &p))
            return -1;
        last = surname_says(&p);
        if (k == 3) {
            if (last_part(named[1], &p) || !is_patronymic(&p))
                return -1;
            named[1]->role = R_PATRONYMIC;
            middle = ends_with(&p, "ич", 0, 0) ? S_M : S_F;
        }
    } else {
        return -1;
    }
    /* The patronymic and a first name of known gender decide; then the
     * surname's ending; then the first name's; else masculine. */
    int says = middle != S_NONE ? middle
             : (first == S_M || first == S_F) ? first
             : last != S_NONE ? last
             : first;
    nm->gender = (says == S_F || says == S_F_WEAK) ? G_F : G_M;
    return 0;
}

/* One word in case c. */
static int decline_word(const struct word *w, int gender, enum ru_case c, struct variants *out,
                        struct variants *part, struct variants *tmp)
{
    const char *starts[PARTS_MAX];
    size_t lens[PARTS_MAX], nparts = 0;
    if (!w->role) {
        set_one(out, w->s, w->len);
        return 0;
    }
    for (const char *s = w->s, *end = w->s + w->len; s <= end;) {
        const char *h = memchr(s, '-', (size_t)(end - s));
        if (nparts == PARTS_MAX) {
            set_one(out, w->s, w->len);   /* too many parts: as written */
            return 0;
        }
        starts[nparts] = s;
        lens[nparts++] = h ? (size_t)(h - s) : (size_t)(end - s);
        if (!h)
            break;
        s = h + 1;
    }
    for (size_t i = 0; i < nparts; i++) {
        struct part p;
        const struct rule *r = NULL;
        if (read_part(starts[i], lens[i], &p) == 0) {
            r = find_rule(&p, w->role, gender);
            /* In a hyphenated first name only the last part and parts in
             * -а, -я change: Касым-Жомарта, Анны-Марии. */
            if (w->role != R_LAST && i + 1 < nparts && !in_set(p.lc[p.n - 1], "ая"))
                r = NULL;
            decline_part(&p, starts[i], lens[i], r, c, part);
        } else {
            set_one(part, starts[i], lens[i]);
        }
        if (i == 0) {
            *out = *part;
        } else {
            if (product(out, "-", part, tmp))
                return -1;
            *out = *tmp;
        }
    }
    return 0;
}

/* Appends s[0..len) to f; with `unique`, only when not there yet. */
static int push(struct ru_forms *f, const char *s, size_t len, int unique)
{
    for (size_t i = 0; unique && i < f->n; i++)
        if (strlen(f->form[i]) == len && memcmp(f->form[i], s, len) == 0)
            return 0;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        char **form = realloc(f->form, cap * sizeof(*form));
        if (!form)
            return -1;
        f->form = form;
        f->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, len);
    copy[len] = '\0';
    f->form[f->n++] = copy;
    return 0;
}

struct scratch {
    struct variants phrase, word, part, tmp;
};

/* The forms of the analysed name in case c, appended to `out`. */
static int add_case(const char *text, const struct name *nm, enum ru_case c,
                    struct scratch *sc, struct ru_forms *out, int unique)
{
    if (c == RU_NOMINATIVE || nm->n == 0)
        return push(out, text, strlen(text), unique);
    for (size_t i = 0; i < nm->n; i++) {
        if (decline_word(&nm->w[i], nm->gender, c, &sc->word, &sc->part, &sc->tmp))
            return push(out, text, strlen(text), unique);     /* too long: as written */
        if (i == 0) {
            sc->phrase = sc->word;
        } else {
            if (product(&sc->phrase, " ", &sc->word, &sc->tmp))
                return push(out, text, strlen(text), unique);
            sc->phrase = sc->tmp;
        }
    }
    for (size_t i = 0; i < sc->phrase.n; i++)
        if (push(out, sc->phrase.s[i], sc->phrase.len[i], unique))
            return -1;
    return 0;
}

/* Cases [from, to] of `name`, appended to `out`. */
static int inflect(const char *name, enum ru_case from, enum ru_case to, struct ru_forms *out,
                   int unique)
{
    struct name nm;
    struct scratch *sc = malloc(sizeof(*sc));   /* some 25 KB: not on a thread's stack */
    if (!sc)
        return -1;
    if (analyse(name, &nm))
        nm.n = 0;       /* left as written */
    int status = 0;
    for (int c = (int)from; c <= (int)to && !status; c++)
        status = add_case(name, &nm, (enum ru_case)c, sc, out, unique);
    free(sc);
    return status;
}

int inflect_ru_case(const char *name, enum ru_case c, struct ru_forms *out)
{
    if ((int)c < 0 || c >= RU_CASES)
        return 0;
    return inflect(name, c, c, out, 0);
}

int inflect_ru_person(const char *name, struct ru_forms *out)
{
    return inflect(name, RU_NOMINATIVE, RU_PREPOSITIONAL, out, 1);
}

void ru_forms_free(struct ru_forms *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->form[i]);
    free(f->form);
    f->form = NULL;
    f->n = f->cap = 0;
}
