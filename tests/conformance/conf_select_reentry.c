/* select is re-entrant: a select waits alertably, so an APC queued to the
 * thread runs inside it, and that APC may call select too. The outer call
 * must still report its own socket, with sets of one socket and with sets
 * longer than 64 (which a layer may not keep on its stack: the inner call
 * must not take the room the outer one is using). */
#include "conformance.h"

typedef struct apc_select {
    SOCKET ready;   /* readable before the APC runs */
    SOCKET waiting; /* the outer select's socket, made readable by the APC */
    SOCKET sender;
    int inner_result;
    u_int inner_count;
    SOCKET inner_first;
    bool ran;
} apc_select;

static void send_to(SOCKET from, SOCKET to)
{
    struct sockaddr_storage addr;
    int addrlen = sizeof addr;
    assert_int_equal(getsockname(to, (struct sockaddr *)&addr, &addrlen), 0);
    assert_int_equal(sendto(from, "x", 1, 0, (struct sockaddr *)&addr, addrlen), 1);
}

static void CALLBACK select_in_apc(ULONG_PTR context)
{
    apc_select *call = (apc_select *)context;
    fd_set r;
    FD_ZERO(&r);
    FD_SET(call->ready, &r);
    struct timeval none = {0, 0};
    call->inner_result = select(0, &r, NULL, NULL, &none);
    call->inner_count = r.fd_count;
    call->inner_first = r.fd_array[0];
    call->ran = true;
    send_to(call->sender, call->waiting);
}

static void select_in_an_apc_during_select(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    apc_select call = {0};
    call.ready = conf_udp(AF_INET, &addr, &addrlen);
    call.waiting = conf_udp(AF_INET, &addr, &addrlen);
    call.sender = conf_udp(AF_INET, &addr, &addrlen);
    send_to(call.sender, call.ready);
    fd_set r;
    FD_ZERO(&r);
    FD_SET(call.ready, &r);
    struct timeval wait = {5, 0};
    assert_int_equal(select(0, &r, NULL, NULL, &wait), 1); /* the datagram is there */

    assert_int_not_equal(QueueUserAPC(select_in_apc, GetCurrentThread(), (ULONG_PTR)&call), 0);
    FD_ZERO(&r);
    FD_SET(call.waiting, &r);
    assert_int_equal(select(0, &r, NULL, NULL, &wait), 1);
    assert_true(call.ran);
    assert_int_equal(call.inner_result, 1);
    assert_int_equal(call.inner_count, 1);
    assert_true(call.inner_first == call.ready);
    assert_int_equal(r.fd_count, 1);
    assert_true(r.fd_array[0] == call.waiting);

    assert_int_equal(closesocket(call.ready), 0);
    assert_int_equal(closesocket(call.waiting), 0);
    assert_int_equal(closesocket(call.sender), 0);
}

enum { MANY = 72, MANY_READY = 40 };

/* An fd_set as a program built with FD_SETSIZE MANY declares it. */
typedef struct many_set {
    u_int fd_count;
    SOCKET fd_array[MANY];
} many_set;

typedef struct apc_select_many {
    SOCKET inner[MANY]; /* inner[MANY_READY] is readable before the APC runs */
    SOCKET outer[MANY]; /* outer[MANY_READY] is made readable by the APC */
    SOCKET sender;
    int inner_result;
    u_int inner_count;
    SOCKET inner_first;
    bool ran;
} apc_select_many;

static void many_set_fill(many_set *set, const SOCKET *socks)
{
    set->fd_count = MANY;
    for (int i = 0; i < MANY; i++)
        set->fd_array[i] = socks[i];
}

static void CALLBACK select_many_in_apc(ULONG_PTR context)
{
    apc_select_many *call = (apc_select_many *)context;
    many_set r;
    many_set_fill(&r, call->inner);
    struct timeval none = {0, 0};
    call->inner_result = select(0, (fd_set *)&r, NULL, NULL, &none);
    call->inner_count = r.fd_count;
    call->inner_first = r.fd_array[0];
    call->ran = true;
    send_to(call->sender, call->outer[MANY_READY]);
}

static void select_many_in_an_apc_during_select_of_many(void **state)
{
    (void)state;
    struct sockaddr_storage addr;
    int addrlen;
    apc_select_many call = {0};
    for (int i = 0; i < MANY; i++) {
        call.inner[i] = conf_udp(AF_INET, &addr, &addrlen);
        call.outer[i] = conf_udp(AF_INET, &addr, &addrlen);
    }
    call.sender = conf_udp(AF_INET, &addr, &addrlen);
    send_to(call.sender, call.inner[MANY_READY]);
    many_set r;
    many_set_fill(&r, call.inner);
    struct timeval wait = {5, 0};
    /* The datagram is there; and a layer that keeps room between calls has
     * some kept now, for the outer call to take. */
    assert_int_equal(select(0, (fd_set *)&r, NULL, NULL, &wait), 1);

    assert_int_not_equal(QueueUserAPC(select_many_in_apc, GetCurrentThread(), (ULONG_PTR)&call), 0);
    many_set_fill(&r, call.outer);
    assert_int_equal(select(0, (fd_set *)&r, NULL, NULL, &wait), 1);
    assert_true(call.ran);
    assert_int_equal(call.inner_result, 1);
    assert_int_equal(call.inner_count, 1);
    assert_true(call.inner_first == call.inner[MANY_READY]);
    assert_int_equal(r.fd_count, 1);
    assert_true(r.fd_array[0] == call.outer[MANY_READY]);

    for (int i = 0; i < MANY; i++) {
        assert_int_equal(closesocket(call.inner[i]), 0);
        assert_int_equal(closesocket(call.outer[i]), 0);
    }
    assert_int_equal(closesocket(call.sender), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(select_in_an_apc_during_select),
        cmocka_unit_test(select_many_in_an_apc_during_select_of_many),
    };
    return cmocka_run_group_tests(tests, conf_start, conf_stop);
}
