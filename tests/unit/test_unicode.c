/* Word, space and boundary classes (SPEC §3.1 rules 4 and 5), simple case
 * folding (SPEC §2) and UTF-8 coding. */
#include "testing.h"

#include "unicode.h"

struct class_case {
    uint32_t cp;
    enum uc_class cls;
    const char *what;
};

static void check_classes(const struct class_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        enum uc_class got = uc_classify(cases[i].cp);
        if (got != cases[i].cls)
            fail_msg("U+%04X (%s): class %d, expected %d", (unsigned)cases[i].cp, cases[i].what,
                     (int)got, (int)cases[i].cls);
    }
}

#define CHECK_CLASSES(a) check_classes(a, sizeof(a) / sizeof((a)[0]))

static void ascii_classes(void **state)
{
    (void)state;
    for (uint32_t c = 0; c < 0x80; c++) {
        enum uc_class expected = UC_BOUNDARY;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
            expected = UC_WORD;
        else if (c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r')
            expected = UC_SPACE;
        if (uc_classify(c) != expected)
            fail_msg("ASCII 0x%02X: class %d, expected %d", (unsigned)c, (int)uc_classify(c), (int)expected);
    }
    /* Vertical tab is not HTML whitespace. */
    assert_int_equal(uc_classify(0x0B), UC_BOUNDARY);
}

static void spaces(void **state)
{
    (void)state;
    static const struct class_case cases[] = {
        {0x0020, UC_SPACE, "space"},
        {0x0009, UC_SPACE, "tab"},
        {0x000A, UC_SPACE, "LF"},
        {0x000C, UC_SPACE, "FF"},
        {0x000D, UC_SPACE, "CR"},
        {0x00A0, UC_SPACE, "no-break space"},
        {0x1680, UC_SPACE, "ogham space mark"},
        {0x2000, UC_SPACE, "en quad"},
        {0x2007, UC_SPACE, "figure space"},
        {0x2009, UC_SPACE, "thin space"},
        {0x200A, UC_SPACE, "hair space"},
        {0x202F, UC_SPACE, "narrow no-break space"},
        {0x205F, UC_SPACE, "medium mathematical space"},
        {0x3000, UC_SPACE, "ideographic space"},
    };
    CHECK_CLASSES(cases);
}

static void words(void **state)
{
    (void)state;
    static const struct class_case cases[] = {
        {'a', UC_WORD, "a"}, {'Z', UC_WORD, "Z"}, {'0', UC_WORD, "0"}, {'9', UC_WORD, "9"},
        {'_', UC_WORD, "low line"},
        /* Cf: invisible format characters */
        {0x00AD, UC_WORD, "soft hyphen"},
        {0x200B, UC_WORD, "zero width space"},
        {0x200C, UC_WORD, "zero width non-joiner"},
        {0x200D, UC_WORD, "zero width joiner"},
        {0x2060, UC_WORD, "word joiner"},
        {0xFEFF, UC_WORD, "zero width no-break space"},
        /* letters */
        {0x041B, UC_WORD, "Cyrillic capital El"},
        {0x043B, UC_WORD, "Cyrillic small el"},
        {0x03BB, UC_WORD, "Greek small lamda"},
        {0x00E9, UC_WORD, "e acute"},
        {0x02B0, UC_WORD, "modifier letter small h (Lm)"},
        {0x4E2D, UC_WORD, "CJK (Lo)"},
        {0x1D400, UC_WORD, "mathematical bold capital A"},
        {0x00AA, UC_WORD, "feminine ordinal indicator (Lo)"},
        /* marks */
        {0x0301, UC_WORD, "combining acute accent (Mn)"},
        {0x0903, UC_WORD, "Devanagari sign visarga (Mc)"},
        {0x20DD, UC_WORD, "combining enclosing circle (Me)"},
        /* every number category */
        {0x00B2, UC_WORD, "superscript two (No)"},
        {0x00BD, UC_WORD, "vulgar fraction one half (No)"},
        {0x0663, UC_WORD, "Arabic-Indic digit three (Nd)"},
        {0x216B, UC_WORD, "Roman numeral twelve (Nl)"},
    };
    CHECK_CLASSES(cases);
}

static void boundaries(void **state)
{
    (void)state;
    static const struct class_case cases[] = {
        {'\'', UC_BOUNDARY, "apostrophe"}, {'(', UC_BOUNDARY, "("}, {')', UC_BOUNDARY, ")"},
        {'-', UC_BOUNDARY, "hyphen-minus"}, {'.', UC_BOUNDARY, "."}, {'$', UC_BOUNDARY, "$"},
        {0x00, UC_BOUNDARY, "NUL"}, {0x7F, UC_BOUNDARY, "DEL"},
        {0x0085, UC_BOUNDARY, "next line (Cc)"},
        {0x00A9, UC_BOUNDARY, "copyright sign"},
        {0x00AB, UC_BOUNDARY, "left guillemet"},
        {0x00BB, UC_BOUNDARY, "right guillemet"},
        {0x2014, UC_BOUNDARY, "em dash"},
        {0x2013, UC_BOUNDARY, "en dash"},
        {0x2019, UC_BOUNDARY, "right single quotation mark"},
        {0x201C, UC_BOUNDARY, "left double quotation mark"},
        {0x00B7, UC_BOUNDARY, "middle dot (Po)"},
        {0x20AC, UC_BOUNDARY, "euro sign"},
        {0xFFFD, UC_BOUNDARY, "replacement character"},
        {0x1F600, UC_BOUNDARY, "grinning face (So)"},
        {0x110000, UC_BOUNDARY, "past Unicode: an invalid byte"},
        {0xFFFFFFFF, UC_BOUNDARY, "far past Unicode"},
    };
    CHECK_CLASSES(cases);
}

static void case_folding(void **state)
{
    (void)state;
    static const struct { uint32_t from, to; const char *what; } cases[] = {
        {'A', 'a', "A"}, {'Z', 'z', "Z"}, {'a', 'a', "a"}, {'@', '@', "@"}, {'[', '[', "["},
        {'0', '0', "0"},
        {0x041B, 0x043B, "Л to л"},
        {0x043B, 0x043B, "л stays"},
        {0x0401, 0x0451, "Ё to ё"},
        {0x0415, 0x0435, "Е to е"},
        {0x0406, 0x0456, "Ukrainian І to і"},
        {0x03A3, 0x03C3, "Σ to σ"},
        {0x03C2, 0x03C3, "final ς to σ"},
        {0x039B, 0x03BB, "Λ to λ"},
        {0x00C9, 0x00E9, "É to é"},
        {0x0100, 0x0101, "Ā to ā (stride 2)"},
        {0x0101, 0x0101, "ā stays"},
        {0x212A, 'k', "Kelvin sign to k"},
        {0x00DF, 0x00DF, "ß stays (no simple folding)"},
        {0x0130, 0x0130, "İ stays (no simple folding)"},
        {0x00B5, 0x03BC, "micro sign to μ"},
        {0x017F, 's', "long s to s"},
        {0x1E9E, 0x00DF, "capital sharp s to ß"},
        {0x4E2D, 0x4E2D, "CJK stays"},
        {0x1D400, 0x1D400, "mathematical A stays"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (uc_fold(cases[i].from) != cases[i].to)
            fail_msg("fold U+%04X (%s) = U+%04X, expected U+%04X", (unsigned)cases[i].from,
                     cases[i].what, (unsigned)uc_fold(cases[i].from), (unsigned)cases[i].to);
    /* Folding is idempotent, keeps the class and stays a scalar value. */
    for (uint32_t c = 0; c < 0x30000; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        uint32_t f = uc_fold(c);
        if (uc_fold(f) != f || f > 0x10FFFF || (f >= 0xD800 && f <= 0xDFFF))
            fail_msg("fold U+%04X = U+%04X, folded again U+%04X", (unsigned)c, (unsigned)f,
                     (unsigned)uc_fold(f));
        if (uc_classify(f) != uc_classify(c))
            fail_msg("fold U+%04X = U+%04X changes the class", (unsigned)c, (unsigned)f);
    }
}

/* ---- UTF-8 ---- */

static int decode(const char *s, size_t n, uint32_t *cp)
{
    *cp = 0xDEADBEEF;
    return utf8_decode((const unsigned char *)s, n, cp);
}

static void decode_valid(void **state)
{
    (void)state;
    static const struct { const char *s; int len; uint32_t cp; } cases[] = {
        {"A", 1, 0x41},
        {"\x7F", 1, 0x7F},
        {"\xC2\x80", 2, 0x80},
        {"\xD0\x9B", 2, 0x041B},
        {"\xDF\xBF", 2, 0x07FF},
        {"\xE0\xA0\x80", 3, 0x0800},
        {"\xE2\x80\x94", 3, 0x2014},
        {"\xED\x9F\xBF", 3, 0xD7FF},
        {"\xEE\x80\x80", 3, 0xE000},
        {"\xEF\xBF\xBD", 3, 0xFFFD},
        {"\xEF\xBF\xBF", 3, 0xFFFF},
        {"\xF0\x90\x80\x80", 4, 0x10000},
        {"\xF0\x9F\x98\x80", 4, 0x1F600},
        {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint32_t cp;
        size_t n = strlen(cases[i].s);
        assert_int_equal(decode(cases[i].s, n, &cp), cases[i].len);
        assert_int_equal(cp, cases[i].cp);
        /* Bytes after the sequence do not matter. */
        char buf[8];
        memcpy(buf, cases[i].s, n);
        memcpy(buf + n, "\x80x", 2);
        assert_int_equal(decode(buf, n + 2, &cp), cases[i].len);
        assert_int_equal(cp, cases[i].cp);
    }
    uint32_t cp;
    /* NUL is one byte too. */
    assert_int_equal(decode("\0", 1, &cp), 1);
    assert_int_equal(cp, 0);
}

static void decode_incomplete(void **state)
{
    (void)state;
    static const char *const prefixes[] = {
        "\xC2", "\xD0", "\xDF", "\xE0", "\xE0\xA0", "\xE2", "\xE2\x80", "\xED", "\xED\x9F",
        "\xEF\xBF", "\xF0", "\xF0\x90", "\xF0\x9F\x98", "\xF4", "\xF4\x8F\xBF",
    };
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        uint32_t cp;
        int got = decode(prefixes[i], strlen(prefixes[i]), &cp);
        if (got != 0)
            fail_msg("prefix %zu (%zu bytes): %d, expected 0", i, strlen(prefixes[i]), got);
    }
}

static void decode_invalid(void **state)
{
    (void)state;
    static const struct { const char *s; size_t n; const char *what; } cases[] = {
        {"\x80", 1, "stray continuation"},
        {"\xBF\x80", 2, "stray continuation"},
        {"\xFF", 1, "FF"},
        {"\xFE", 1, "FE"},
        {"\xC0\x80", 2, "overlong NUL"},
        {"\xC1\xBF", 2, "overlong 7F"},
        {"\xC0", 1, "C0 alone"},
        {"\xE0\x80\x80", 3, "overlong 3 bytes"},
        {"\xE0\x9F\xBF", 3, "overlong 3 bytes (7FF)"},
        {"\xF0\x80\x80\x80", 4, "overlong 4 bytes"},
        {"\xF0\x8F\xBF\xBF", 4, "overlong 4 bytes (FFFF)"},
        {"\xED\xA0\x80", 3, "surrogate D800"},
        {"\xED\xBF\xBF", 3, "surrogate DFFF"},
        {"\xF4\x90\x80\x80", 4, "past U+10FFFF"},
        {"\xF5\x80\x80\x80", 4, "F5"},
        {"\xF8\x88\x80\x80\x80", 5, "five bytes"},
        {"\xC3\x41", 2, "second byte not a continuation"},
        {"\xE2\x80\x41", 3, "third byte not a continuation"},
        {"\xF0\x9F\x98\x41", 4, "fourth byte not a continuation"},
        {"\xE2\xC3\xA9", 3, "a new start inside"},
        /* Incomplete, but already invalid: said at once. */
        {"\xE0\x80", 2, "E0 80"},
        {"\xE0\x9F", 2, "E0 9F"},
        {"\xED\xA0", 2, "ED A0"},
        {"\xF0\x80", 2, "F0 80"},
        {"\xF0\x8F", 2, "F0 8F"},
        {"\xF4\x90", 2, "F4 90"},
        {"\xE2\x41", 2, "E2 41"},
        {"\xF0\x9F\x41", 3, "F0 9F 41"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint32_t cp;
        int got = decode(cases[i].s, cases[i].n, &cp);
        if (got != -1)
            fail_msg("%s: %d, expected -1", cases[i].what, got);
    }
}

static void encode_round_trip(void **state)
{
    (void)state;
    unsigned char out[4];
    assert_int_equal(utf8_encode(0x41, out), 1);
    assert_memory_equal(out, "A", 1);
    assert_int_equal(utf8_encode(0x041B, out), 2);
    assert_memory_equal(out, "\xD0\x9B", 2);
    assert_int_equal(utf8_encode(0x2014, out), 3);
    assert_memory_equal(out, "\xE2\x80\x94", 3);
    assert_int_equal(utf8_encode(0x1F600, out), 4);
    assert_memory_equal(out, "\xF0\x9F\x98\x80", 4);
    assert_int_equal(utf8_encode(0x10FFFF, out), 4);
    assert_memory_equal(out, "\xF4\x8F\xBF\xBF", 4);

    for (uint32_t c = 0; c <= 0x10FFFF; c++) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        size_t n = utf8_encode(c, out);
        size_t expected = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        uint32_t back = 0xDEADBEEF;
        if (n != expected || utf8_decode(out, n, &back) != (int)n || back != c)
            fail_msg("U+%04X: %zu bytes, decodes to U+%04X", (unsigned)c, n, (unsigned)back);
        /* Every proper prefix is incomplete, not invalid. */
        for (size_t k = 1; k < n; k++)
            if (utf8_decode(out, k, &back) != 0)
                fail_msg("U+%04X: a %zu-byte prefix is not incomplete", (unsigned)c, k);
    }
}

/* Every 1- and 2-byte input, against the rules written out longhand. */
static void decode_exhaustive_two_bytes(void **state)
{
    (void)state;
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            unsigned char s[2] = {(unsigned char)a, (unsigned char)b};
            uint32_t cp;
            int got = utf8_decode(s, 2, &cp);
            int expected;
            if (a < 0x80)
                expected = 1;
            else if (a < 0xC2 || a > 0xF4)
                expected = -1;
            else if ((b & 0xC0) != 0x80)
                expected = -1;
            else if (a <= 0xDF)
                expected = 2;
            else if ((a == 0xE0 && b < 0xA0) || (a == 0xED && b > 0x9F) ||
                     (a == 0xF0 && b < 0x90) || (a == 0xF4 && b > 0x8F))
                expected = -1;
            else
                expected = 0;
            if (got != expected)
                fail_msg("%02X %02X: %d, expected %d", a, b, got, expected);
            if (expected == 2)
                assert_int_equal(cp, ((a & 0x1Fu) << 6) | (b & 0x3Fu));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascii_classes),
        cmocka_unit_test(spaces),
        cmocka_unit_test(words),
        cmocka_unit_test(boundaries),
        cmocka_unit_test(case_folding),
        cmocka_unit_test(decode_valid),
        cmocka_unit_test(decode_incomplete),
        cmocka_unit_test(decode_invalid),
        cmocka_unit_test(encode_round_trip),
        cmocka_unit_test(decode_exhaustive_two_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
