/* Winsock version negotiation. */
#include "unit.h"

#include "wsversion.h"

static void negotiates_like_winsock(void **state)
{
    (void)state;
    uint16_t v = 0xffff;
    const uint16_t v20 = WSVERSION(2, 0), v22 = WSVERSION(2, 2);
    assert_true(wsversion_negotiate(WSVERSION(2, 2), v20, v22, &v));
    assert_int_equal(v, v22);
    assert_true(wsversion_negotiate(WSVERSION(2, 1), v20, v22, &v));
    assert_int_equal(v, WSVERSION(2, 1));
    assert_true(wsversion_negotiate(WSVERSION(3, 0), v20, v22, &v)); /* newer: highest */
    assert_int_equal(v, v22);
    assert_true(wsversion_negotiate(WSVERSION(2, 9), v20, v22, &v));
    assert_int_equal(v, v22);
    assert_false(wsversion_negotiate(WSVERSION(1, 1), v20, v22, &v));
    assert_int_equal(v, 0);
    assert_true(wsversion_negotiate(WSVERSION(1, 1), WSVERSION(1, 0), v22, &v));
    assert_int_equal(v, WSVERSION(1, 1));
    assert_int_equal(WSVERSION(2, 2), 0x0202);
    assert_int_equal(WSVERSION(1, 2), 0x0201);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(negotiates_like_winsock)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
