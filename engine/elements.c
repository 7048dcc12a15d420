#include "elements.h"

#include <assert.h>
#include <pthread.h>
#include <string.h>

#include "tokenizer.h"

#define V EL_VOID
#define R EL_RAWTEXT
#define P EL_CLOSES_P
#define F EL_FORMATTING
#define S EL_SCOPE
#define TS EL_TABLE_SCOPE
#define H EL_IN_HEAD
#define TT EL_TABLE_TEXT
#define M EL_MARKER
#define TP EL_TABLE_PART

/* Sorted by name.  Sources: the HTML standard's tree construction rules
 * (void elements, special and formatting elements, scopes, in-head start
 * tags, implied end tags). */
static const struct element_info elements[] = {
    {"a", F, 0},
    {"address", P, 0},
    {"applet", S | M, 0},
    {"area", V, 0},
    {"article", P, 0},
    {"aside", P, 0},
    {"b", F, 0},
    {"base", V | H, 0},
    {"basefont", V | H, 0},
    {"bgsound", V | H, 0},
    {"big", F, 0},
    {"blockquote", P, 0},
    {"body", 0, EL_BODY},
    {"br", V, EL_BR},
    {"button", 0, EL_BUTTON},
    {"caption", S | M | TP, 0},
    {"center", P, 0},
    {"code", F, 0},
    {"col", V, 0},
    {"dd", P, EL_DD},
    {"details", P, 0},
    {"dialog", P, 0},
    {"dir", P, 0},
    {"div", P, 0},
    {"dl", P | EL_LIST, 0},
    {"dt", P, EL_DT},
    {"em", F, 0},
    {"embed", V, 0},
    {"fieldset", P, 0},
    {"figcaption", P, 0},
    {"figure", P, 0},
    {"font", F, 0},
    {"footer", P, 0},
    {"form", P, 0},
    {"frame", V, 0},
    {"frameset", TT, 0},
    {"h1", P, 0},
    {"h2", P, 0},
    {"h3", P, 0},
    {"h4", P, 0},
    {"h5", P, 0},
    {"h6", P, 0},
    {"head", 0, EL_HEAD},
    {"header", P, 0},
    {"hgroup", P, 0},
    {"hr", V | P, 0},
    {"html", S | TS, EL_HTML},
    {"i", F, 0},
    {"iframe", R, 0},
    {"img", V, 0},
    {"input", V, 0},
    {"keygen", V, 0},
    {"li", P, EL_LI},
    {"link", V | H, 0},
    {"listing", P, 0},
    {"main", P, 0},
    {"marquee", S | M, 0},
    {"math", EL_FOREIGN, 0},
    {"menu", P, 0},
    {"meta", V | H, 0},
    {"nav", P, 0},
    {"nobr", F, 0},
    {"noembed", R, 0},
    {"noframes", R | H, 0},
    {"noscript", R | H, 0},
    {"object", S | M, 0},
    {"ol", P | EL_LIST, EL_OL},
    {"optgroup", 0, EL_OPTGROUP},
    {"option", 0, EL_OPTION},
    {"p", P, EL_P},
    {"param", V, 0},
    {"plaintext", EL_PLAINTEXT | P, 0},
    {"pre", P, 0},
    {"s", F, 0},
    {"script", EL_SCRIPT | H, 0},
    {"search", P, 0},
    {"section", P, 0},
    {"small", F, 0},
    {"source", V, 0},
    {"strike", F, 0},
    {"strong", F, 0},
    {"style", R | H, 0},
    {"summary", P, 0},
    {"svg", EL_FOREIGN, 0},
    {"table", P | S | TS | TT | TP, EL_TABLE},
    {"tbody", TT | TP, EL_TBODY},
    {"td", S | M | TP, EL_TD},
    {"template", S | TS | M | H, 0},
    {"textarea", R, 0},
    {"tfoot", TT | TP, EL_TFOOT},
    {"th", S | M | TP, EL_TH},
    {"thead", TT | TP, EL_THEAD},
    {"title", R | H, 0},
    {"tr", TT | TP, EL_TR},
    {"track", V, 0},
    {"tt", F, 0},
    {"u", F, 0},
    {"ul", P | EL_LIST, EL_UL},
    {"wbr", V, 0},
    {"xmp", R | P, 0},
};

static const struct element_info unknown = {"", 0, EL_UNKNOWN};

/* A hash table over the names, built once, indexed by the tokenizer's
 * hash of a name: a tag costs a few instructions rather than a binary
 * search of string compares.  A slot keeps its name padded as a tag's is,
 * so that names are compared as two words. */
#define SLOTS 256
#define NAME_SIZE (TAG_NAME_KEEP + 1)
static struct {
    uint64_t hash;
    char name[NAME_SIZE];
    uint8_t len;              /* a name may hold NULs: lengths differ too */
    uint8_t element;          /* index into elements + 1; 0: empty */
} slots[SLOTS];
static pthread_once_t slots_built = PTHREAD_ONCE_INIT;

static unsigned slot_of(uint64_t hash)
{
    return (unsigned)((hash ^ hash >> 29) & (SLOTS - 1));
}

static void build_slots(void)
{
    _Static_assert(sizeof(elements) / sizeof(elements[0]) < SLOTS / 2, "slots");
    for (size_t i = 0; i < sizeof(elements) / sizeof(elements[0]); i++) {
        size_t len = strlen(elements[i].name);
        assert(len < NAME_SIZE);
        uint64_t hash = tag_name_hash(elements[i].name, len);
        unsigned k = slot_of(hash);
        while (slots[k].element)
            k = (k + 1) % SLOTS;
        slots[k].hash = hash;
        memcpy(slots[k].name, elements[i].name, len);
        slots[k].len = (uint8_t)len;
        slots[k].element = (uint8_t)(i + 1);
    }
}

const struct element_info *element_lookup(const char *name, size_t len, uint64_t hash)
{
    if (len == 0 || len >= NAME_SIZE)
        return &unknown;
    for (unsigned k = slot_of(hash); slots[k].element; k = (k + 1) % SLOTS)
        if (slots[k].hash == hash && slots[k].len == len &&
            memcmp(slots[k].name, name, NAME_SIZE) == 0)
            return &elements[slots[k].element - 1];
    return &unknown;
}

const struct element_info *element_unknown(void)
{
    return &unknown;
}

void elements_init(void)
{
    pthread_once(&slots_built, build_slots);
}
