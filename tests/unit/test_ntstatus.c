/* Winsock errors to the NTSTATUS an overlapped request's Internal holds. */
#include "unit.h"

#include "ntstatus.h"

static void success_and_pending(void **state)
{
    (void)state;
    assert_int_equal(ntstatus_from_wsa_error(0), 0);
    assert_int_equal(ntstatus_from_wsa_error(997), 0x103); /* ERROR_IO_PENDING: STATUS_PENDING */
}

static void errors_wine_maps_back(void **state)
{
    (void)state;
    assert_int_equal(ntstatus_from_wsa_error(995), 0xc0000120);   /* STATUS_CANCELLED */
    assert_int_equal(ntstatus_from_wsa_error(10054), 0xc000020d); /* STATUS_CONNECTION_RESET */
    assert_int_equal(ntstatus_from_wsa_error(10040), 0x80000005); /* STATUS_BUFFER_OVERFLOW */
    assert_int_equal(ntstatus_from_wsa_error(10061), 0xc0000236); /* STATUS_CONNECTION_REFUSED */
    assert_int_equal(ntstatus_from_wsa_error(10038), 0xc0000008); /* STATUS_INVALID_HANDLE */
}

static void others_keep_their_code(void **state)
{
    (void)state;
    /* WSAEPROTOTYPE has no NTSTATUS: the Win32 facility carries it. */
    assert_int_equal(ntstatus_from_wsa_error(10041), 0xc0070000 | 10041);
    assert_int_equal(ntstatus_from_wsa_error(0x12345), 0xc0070000 | 0x2345);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(success_and_pending),
        cmocka_unit_test(errors_wine_maps_back),
        cmocka_unit_test(others_keep_their_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
