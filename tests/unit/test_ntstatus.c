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

static void statuses_to_errors_as_wine_maps_them(void **state)
{
    (void)state;
    uint32_t error = 0;
    assert_true(ntstatus_to_wsa_error(0xc0000120, &error)); /* STATUS_CANCELLED */
    assert_int_equal(error, 995);
    assert_true(ntstatus_to_wsa_error(0xc000013c, &error)); /* STATUS_REMOTE_DISCONNECT */
    assert_int_equal(error, 10054);
    assert_true(ntstatus_to_wsa_error(0x80000005, &error)); /* STATUS_BUFFER_OVERFLOW */
    assert_int_equal(error, 10040);
    assert_true(ntstatus_to_wsa_error(0xc00703e4, &error)); /* ERROR_IO_INCOMPLETE as a status */
    assert_int_equal(error, 996);
    /* Another error status: WSAEINVAL, even in the Win32 facility. */
    assert_true(ntstatus_to_wsa_error(0xc0070005, &error));
    assert_int_equal(error, 10022);
    assert_true(ntstatus_to_wsa_error(0xd0000001, &error));
    assert_int_equal(error, 10022);
    /* Success and informational statuses are the caller's. */
    error = 7;
    assert_false(ntstatus_to_wsa_error(0, &error));
    assert_false(ntstatus_to_wsa_error(0x40000001, &error));
    assert_int_equal(error, 7);
}

static void every_error_survives_the_round_trip(void **state)
{
    (void)state;
    const uint32_t errors[] = {995, 10004, 10013, 10014, 10022, 10035, 10038, 10040, 10045, 10048, 10049,
                               10050, 10051, 10053, 10054, 10055, 10056, 10057, 10058, 10060, 10061, 10064,
                               10065, 10101};
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        uint32_t back = 0;
        assert_true(ntstatus_to_wsa_error(ntstatus_from_wsa_error(errors[i]), &back));
        assert_int_equal(back, errors[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(success_and_pending),
        cmocka_unit_test(errors_wine_maps_back),
        cmocka_unit_test(others_keep_their_code),
        cmocka_unit_test(statuses_to_errors_as_wine_maps_them),
        cmocka_unit_test(every_error_survives_the_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
