/* The catalog planner against realistic catalogs: what install adds and in
 * which order, idempotence, removal and the repair of other LSPs' chains. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "catalog_fixtures.h"

static const plan_guid layered_guid = GUID_SHARELSP, chain_guid = GUID_SHARELSP_CHAINS;
static const plan_guid other_guid = GUID_OTHER_LSP;
static plan_install install_plan;
static plan_remove remove_plan;

static void protocols_parse(void **state)
{
    (void)state;
    unsigned p = 0;
    assert_int_equal(planner_parse_protocols("tcp,udp,tcp6,udp6", &p), CORE_OK);
    assert_int_equal(p, PLAN_TCP | PLAN_UDP | PLAN_TCP6 | PLAN_UDP6);
    assert_int_equal(planner_parse_protocols("udp6", &p), CORE_OK);
    assert_int_equal(p, PLAN_UDP6);
    assert_int_equal(planner_parse_protocols("tcp,sctp", &p), CORE_ERR_INVALID);
    assert_int_equal(planner_parse_protocols("", &p), CORE_ERR_INVALID);
    assert_int_equal(planner_parse_protocols("tcp,", &p), CORE_ERR_INVALID);
    assert_int_equal(planner_parse_protocols("tcp6x", &p), CORE_ERR_INVALID);
}

static void install_over_a_fresh_windows_catalog(void **state)
{
    (void)state;
    plan_install *plan = &install_plan;
    assert_int_equal(planner_install(windows_base, COUNT(windows_base), &layered_guid, &chain_guid,
                                     PLAN_TCP | PLAN_UDP | PLAN_TCP6 | PLAN_UDP6, plan),
                     CORE_OK);
    assert_false(plan->already);
    assert_int_equal(plan->layered.chain_len, 0);
    assert_memory_equal(&plan->layered.provider, &layered_guid, sizeof layered_guid);
    assert_int_equal(plan->layered.provider_flags, PLAN_PFL_HIDDEN);
    assert_int_equal(plan->layered.flags1 & PLAN_XP1_IFS_HANDLES, 0);
    assert_string_equal(plan->layered.name, "ShareLSP");
    /* MSAFD's entries, not RSVP's or Hyper-V's: the first of each protocol. */
    const uint32_t over[] = {1001, 1002, 1004, 1005};
    assert_int_equal(plan->chain_count, 4);
    for (size_t i = 0; i < 4; i++) {
        const plan_entry *c = &plan->chains[i];
        assert_int_equal(c->chain_len, 2);
        assert_int_equal(c->chain[0], 0);
        assert_int_equal(c->chain[1], over[i]);
        assert_memory_equal(&c->provider, &chain_guid, sizeof chain_guid);
        assert_int_equal(c->flags1 & PLAN_XP1_IFS_HANDLES, 0);
        assert_int_equal(c->family, windows_base[over[i] - 1001].family);
        assert_int_equal(c->protocol, windows_base[over[i] - 1001].protocol);
    }
    assert_string_equal(plan->chains[0].name, "ShareLSP over [MSAFD Tcpip [TCP/IP]]");
    assert_string_equal(plan->chains[3].name, "ShareLSP over [MSAFD Tcpip [UDP/IPv6]]");
}

static void install_over_some_or_all(void **state)
{
    (void)state;
    plan_install *plan = &install_plan;
    assert_int_equal(planner_install(windows_base, COUNT(windows_base), &layered_guid, &chain_guid, PLAN_TCP6, plan),
                     CORE_OK);
    assert_int_equal(plan->chain_count, 1);
    assert_int_equal(plan->chains[0].chain[1], 1004);
    assert_int_equal(planner_install(windows_base, COUNT(windows_base), &layered_guid, &chain_guid, PLAN_ALL_BASES,
                                     plan),
                     CORE_OK);
    assert_int_equal(plan->chain_count, COUNT(windows_base)); /* every base entry, Hyper-V and RSVP too */
}

static void install_refuses_what_it_cannot_do(void **state)
{
    (void)state;
    plan_install *plan = &install_plan;
    /* No UDP/IPv6 base entry. */
    plan_entry small[2] = {windows_base[0], windows_base[1]};
    assert_int_equal(planner_install(small, 2, &layered_guid, &chain_guid, PLAN_TCP | PLAN_UDP6, plan),
                     CORE_ERR_INVALID);
    assert_non_null(strstr(plan->problem, "no base entry for udp6"));
    assert_int_equal(plan->chain_count, 0);
    /* A partial install (a chain was lost). */
    plan_entry partial[COUNT(windows_with_sharelsp)];
    memcpy(partial, windows_with_sharelsp, sizeof partial);
    memmove(&partial[0], &partial[1], (COUNT(partial) - 1) * sizeof partial[0]);
    assert_int_equal(planner_install(partial, COUNT(partial) - 1, &layered_guid, &chain_guid,
                                     PLAN_TCP | PLAN_UDP | PLAN_TCP6 | PLAN_UDP6, plan),
                     CORE_ERR_INVALID);
    assert_non_null(strstr(plan->problem, "partly installed"));
}

static void install_twice_changes_nothing(void **state)
{
    (void)state;
    plan_install *plan = &install_plan;
    assert_int_equal(planner_install(windows_with_sharelsp, COUNT(windows_with_sharelsp), &layered_guid, &chain_guid,
                                     PLAN_TCP | PLAN_UDP | PLAN_TCP6 | PLAN_UDP6, plan),
                     CORE_OK);
    assert_true(plan->already);
    assert_int_equal(plan->chain_count, 0);
}

static void install_beside_another_lsp(void **state)
{
    (void)state;
    plan_install *plan = &install_plan;
    assert_int_equal(planner_install(windows_with_other_lsp, COUNT(windows_with_other_lsp), &layered_guid,
                                     &chain_guid, PLAN_TCP, plan),
                     CORE_OK);
    /* Over the base entry, not over the other LSP's chain. */
    assert_int_equal(plan->chain_count, 1);
    assert_int_equal(plan->chains[0].chain[1], 1001);
}

static void order_puts_sharelsp_first(void **state)
{
    (void)state;
    uint32_t order[PLAN_MAX_ENTRIES];
    size_t n = planner_order(windows_with_sharelsp, COUNT(windows_with_sharelsp), 1012, order);
    assert_int_equal(n, COUNT(windows_with_sharelsp));
    const uint32_t expected[] = {1013, 1014, 1015, 1016, 1001, 1002, 1003, 1004,
                                 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012};
    assert_memory_equal(order, expected, sizeof expected);
}

static void remove_takes_out_all_of_sharelsp(void **state)
{
    (void)state;
    plan_remove *plan = &remove_plan;
    assert_int_equal(planner_remove(windows_with_sharelsp, COUNT(windows_with_sharelsp), &layered_guid, plan), CORE_OK);
    assert_true(plan->installed);
    const uint32_t expected[] = {1013, 1014, 1015, 1016, 1012};
    assert_int_equal(plan->remove_count, COUNT(expected));
    assert_memory_equal(plan->remove_ids, expected, sizeof expected);
    assert_int_equal(plan->repair_count, 0);
    /* Nothing of ours: nothing to do. */
    assert_int_equal(planner_remove(windows_base, COUNT(windows_base), &layered_guid, plan), CORE_OK);
    assert_false(plan->installed);
    assert_int_equal(plan->remove_count, 0);
}

static void remove_repairs_an_lsp_layered_over_sharelsp(void **state)
{
    (void)state;
    plan_remove *plan = &remove_plan;
    assert_int_equal(planner_remove(windows_other_over_sharelsp, COUNT(windows_other_over_sharelsp), &layered_guid,
                                    plan),
                     CORE_OK);
    assert_int_equal(plan->remove_count, 5);
    assert_int_equal(plan->repair_count, 1);
    const plan_entry *fixed = &plan->repairs[0];
    assert_int_equal(fixed->id, 1018);
    assert_memory_equal(&fixed->provider, &other_guid, sizeof other_guid);
    assert_int_equal(fixed->chain_len, 2);
    assert_int_equal(fixed->chain[0], 1017);
    assert_int_equal(fixed->chain[1], 1001); /* the other LSP now sits on MSAFD directly */
    assert_int_equal(fixed->chain[2], 0);
}

/* Found by fuzz_planner: a chain entry claiming more links than Winsock
 * holds (a damaged catalog) was read, and repaired, past its seventh link. */
static void remove_leaves_a_chain_longer_than_seven_links_alone(void **state)
{
    (void)state;
    plan_entry catalog[COUNT(windows_other_over_sharelsp)];
    memcpy(catalog, windows_other_over_sharelsp, sizeof catalog);
    catalog[0].chain_len = PLAN_MAX_CHAIN + 1; /* 1017, 1012 (ShareLSP), 1001, then nothing */
    plan_remove *plan = &remove_plan;
    assert_int_equal(planner_remove(catalog, COUNT(catalog), &layered_guid, plan), CORE_OK);
    assert_int_equal(plan->remove_count, 5); /* ShareLSP's own entries, as before */
    assert_int_equal(plan->repair_count, 0);
    catalog[0].chain_len = 0x7fffffff;
    assert_int_equal(planner_remove(catalog, COUNT(catalog), &layered_guid, plan), CORE_OK);
    assert_int_equal(plan->repair_count, 0);
}

static void verify_says_what_is_wrong(void **state)
{
    (void)state;
    char reason[200];
    assert_true(planner_verify(windows_with_sharelsp, COUNT(windows_with_sharelsp), &layered_guid, reason,
                               sizeof reason));
    assert_non_null(strstr(reason, "4 chains"));
    assert_false(planner_verify(windows_base, COUNT(windows_base), &layered_guid, reason, sizeof reason));
    assert_non_null(strstr(reason, "not in the catalog"));
    /* A chain naming a base entry that is gone. */
    plan_entry broken[COUNT(windows_with_sharelsp)];
    memcpy(broken, windows_with_sharelsp, sizeof broken);
    broken[0].chain[1] = 4242;
    assert_false(planner_verify(broken, COUNT(broken), &layered_guid, reason, sizeof reason));
    assert_non_null(strstr(reason, "names entry 4242"));
    /* The layered entry alone. */
    assert_false(planner_verify(&windows_with_sharelsp[COUNT(windows_with_sharelsp) - 1], 1, &layered_guid, reason,
                                sizeof reason));
    assert_non_null(strstr(reason, "no chain entry"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(protocols_parse),
        cmocka_unit_test(install_over_a_fresh_windows_catalog),
        cmocka_unit_test(install_over_some_or_all),
        cmocka_unit_test(install_refuses_what_it_cannot_do),
        cmocka_unit_test(install_twice_changes_nothing),
        cmocka_unit_test(install_beside_another_lsp),
        cmocka_unit_test(order_puts_sharelsp_first),
        cmocka_unit_test(remove_takes_out_all_of_sharelsp),
        cmocka_unit_test(remove_repairs_an_lsp_layered_over_sharelsp),
        cmocka_unit_test(remove_leaves_a_chain_longer_than_seven_links_alone),
        cmocka_unit_test(verify_says_what_is_wrong),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
