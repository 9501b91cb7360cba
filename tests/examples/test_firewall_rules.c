/* The firewall's rule parser and matcher (examples/firewall/rules.c). */
#include "unit.h"

#include <winsock2.h>
#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static char reported[8][128];
static int reports;

static void record(void *context, unsigned line, const char *why)
{
    (void)context;
    if (reports < 8)
        snprintf(reported[reports], sizeof reported[0], "%u: %s", line, why);
    reports++;
}

static firewall_rules *parse(const char *text)
{
    reports = 0;
    return firewall_rules_parse(text, strlen(text), record, NULL);
}

static struct sockaddr_in v4(const char *address, u_short port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    assert_int_equal(inet_pton(AF_INET, address, &a.sin_addr), 1);
    return a;
}

static bool denied(const firewall_rules *r, firewall_direction d, const char *address, u_short port)
{
    if (strchr(address, ':') != NULL) {
        struct sockaddr_in6 a;
        memset(&a, 0, sizeof a);
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(port);
        assert_int_equal(inet_pton(AF_INET6, address, &a.sin6_addr), 1);
        return firewall_rules_deny(r, d, (struct sockaddr *)&a, sizeof a, port);
    }
    struct sockaddr_in a = v4(address, port);
    return firewall_rules_deny(r, d, (struct sockaddr *)&a, sizeof a, port);
}

static void rules_parse_and_match_first_wins(void **state)
{
    (void)state;
    firewall_rules *r = parse("# comment line\r\n"
                              "allow out 192.0.2.7 80   # one host allowed first\r\n"
                              "deny  out 192.0.2.0/24 *\n"
                              "\n"
                              "deny out 2001:db8::/32 1000-2000\n"
                              "deny in 198.51.100.0/25 22\n"
                              "deny out any 25");
    assert_non_null(r);
    assert_int_equal(reports, 0);
    assert_int_equal(r->count, 5);
    assert_false(denied(r, FIREWALL_OUT, "192.0.2.7", 80));
    assert_true(denied(r, FIREWALL_OUT, "192.0.2.7", 81));
    assert_true(denied(r, FIREWALL_OUT, "192.0.2.255", 1));
    assert_false(denied(r, FIREWALL_OUT, "192.0.3.1", 80));
    assert_true(denied(r, FIREWALL_OUT, "2001:db8:1::5", 1500));
    assert_false(denied(r, FIREWALL_OUT, "2001:db8:1::5", 2001));
    assert_false(denied(r, FIREWALL_OUT, "2001:db9::5", 1500));
    assert_true(denied(r, FIREWALL_IN, "198.51.100.127", 22));
    assert_false(denied(r, FIREWALL_IN, "198.51.100.128", 22));
    assert_false(denied(r, FIREWALL_OUT, "198.51.100.1", 22)); /* in only */
    assert_true(denied(r, FIREWALL_OUT, "203.0.113.9", 25));
    assert_true(denied(r, FIREWALL_OUT, "::1", 25));
    /* A dual-stack socket's IPv4 peer, as an IPv4-mapped IPv6 address. */
    assert_true(denied(r, FIREWALL_OUT, "::ffff:192.0.2.9", 1));
    assert_false(denied(r, FIREWALL_OUT, "::ffff:192.0.2.7", 80));
    assert_true(denied(r, FIREWALL_IN, "::ffff:198.51.100.1", 22));
    assert_false(denied(NULL, FIREWALL_OUT, "203.0.113.9", 25)); /* no rules: allowed */
    free(r);
    r = parse("");
    assert_non_null(r);
    assert_int_equal(r->count, 0);
    free(r);
}

static void malformed_lines_are_each_reported_and_nothing_taken(void **state)
{
    (void)state;
    assert_null(parse("deny out 127.0.0.1 80\n"
                      "block out any\n"
                      "allow sideways any\n"
                      "deny out 300.1.1.1\n"
                      "deny out 10.0.0.0/33 *\n"
                      "deny out any 70000\n"
                      "deny out any 9-8\n"
                      "deny out any 1 extra\n"
                      "deny in\n"));
    assert_int_equal(reports, 8);
    assert_string_equal(reported[0], "2: the action is not allow or deny");
    assert_string_equal(reported[1], "3: the direction is not out or in");
    assert_string_equal(reported[2], "4: not an IPv4 or IPv6 address, nor any");
    assert_string_equal(reported[3], "5: the prefix length is not a number within the address's bits");
    assert_string_equal(reported[4], "6: the port is not a number from 0 to 65535, a range LOW-HIGH, or *");
    assert_string_equal(reported[5], "7: the port is not a number from 0 to 65535, a range LOW-HIGH, or *");
    assert_string_equal(reported[6], "8: more words than ACTION DIRECTION ADDRESS PORT");
    assert_string_equal(reported[7], "9: no address (an address, address/prefix, or any)");
    char longline[400];
    memset(longline, 'x', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    assert_null(parse(longline));
    assert_int_equal(reports, 1);
    assert_string_equal(reported[0], "1: longer than 256 characters");
    static const char nul[] = "deny out any\0 25\n";
    reports = 0;
    assert_null(firewall_rules_parse(nul, sizeof nul - 1, record, NULL));
    assert_string_equal(reported[0], "1: holds a NUL character");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules_parse_and_match_first_wins),
        cmocka_unit_test(malformed_lines_are_each_reported_and_nothing_taken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
