/* The block classifier: the vector path and the byte-by-byte path give the
 * same masks, and the masks say what each byte is. */
#include "testing.h"

#include <ctype.h>

#include "byte_blocks.h"

static void init_classes(struct byte_classes *c, const char *starts_with)
{
    unsigned char word[128] = {0}, starts[128] = {0};
    for (unsigned b = 0; b < 128; b++)
        word[b] = (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                  b == '_';
    for (const char *s = starts_with; *s; s++)
        starts[(unsigned char)*s] = 1;
    byte_classes_init(c, word, starts);
}

static void masks_say_what_each_byte_is(void **state)
{
    (void)state;
    struct byte_classes c;
    init_classes(&c, "KN(");
    const char *text = "Kazakhstan & \xd0\x9d (N_9) ~kN";
    size_t len = strlen(text);
    struct byte_block b[1];
    assert_int_equal(byte_blocks_classify(&c, (const unsigned char *)text, len, b), 1);
    uint64_t word = 0, decode = 0, starts = 0;
    for (size_t k = 0; k < len; k++) {
        unsigned char ch = (unsigned char)text[k];
        word |= (uint64_t)(ch < 0x80 && (isalnum(ch) || ch == '_')) << k;
        decode |= (uint64_t)(ch >= 0x80 || ch == '&') << k;
        starts |= (uint64_t)(ch == 'K' || ch == 'N' || ch == '(') << k;
    }
    assert_true(word == b[0].word);
    assert_true(decode == b[0].decode);
    assert_true(starts == b[0].starts);
    /* K, N and ( at 0, 24, 17 and 16; the lower-case k at 23 is not a start. */
    assert_true(starts == (1ull << 0 | 1ull << 16 | 1ull << 17 | 1ull << 24));
}

/* Every length from 0 to three blocks and a bit, random bytes: the two
 * paths agree, and no bit is set past the end. */
static void vector_and_bytewise_agree(void **state)
{
    (void)state;
    struct byte_classes c;
    init_classes(&c, "ABEKNUbit&(\x7f");
    unsigned char text[3 * BYTE_BLOCK + 7];
    srand(7);
    for (int round = 0; round < 50; round++) {
        for (size_t k = 0; k < sizeof(text); k++)
            text[k] = (unsigned char)(round % 2 ? rand() : "aB &\xc3 9_K"[rand() % 10]);
        for (size_t len = 0; len <= sizeof(text); len++) {
            struct byte_block v[4], w[4];
            size_t nv = byte_blocks_classify(&c, text, len, v);
            size_t nw = byte_blocks_classify_bytewise(&c, text, len, w);
            assert_int_equal(nv, (len + BYTE_BLOCK - 1) / BYTE_BLOCK);
            assert_int_equal(nv, nw);
            for (size_t k = 0; k < nv; k++) {
                assert_true(v[k].word == w[k].word);
                assert_true(v[k].decode == w[k].decode);
                assert_true(v[k].starts == w[k].starts);
            }
            if (len % BYTE_BLOCK) {
                uint64_t past = ~0ull << (len % BYTE_BLOCK);
                assert_true(!((v[nv - 1].word | v[nv - 1].decode | v[nv - 1].starts) & past));
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(masks_say_what_each_byte_is),
        cmocka_unit_test(vector_and_bytewise_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
