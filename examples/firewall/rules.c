/* Parsing and matching the firewall's rules (rules.h). */
#include "rules.h"

#include <ws2tcpip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The next blank-separated word of *at, NUL-terminated in place; NULL at
 * the end of the line. */
static char *rules_word(char **at)
{
    char *p = *at;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0')
        return NULL;
    char *start = p;
    while (*p != '\0' && *p != ' ' && *p != '\t')
        p++;
    if (*p != '\0')
        *p++ = '\0';
    *at = p;
    return start;
}

static bool rules_number(const char *text, unsigned long max, unsigned long *value)
{
    char *end = NULL;
    if (text[0] < '0' || text[0] > '9')
        return false;
    *value = strtoul(text, &end, 10);
    return *end == '\0' && *value <= max;
}

static const char *rules_address(char *text, firewall_rule *r)
{
    if (strcmp(text, "any") == 0) {
        r->family = AF_UNSPEC;
        r->prefix = 0;
        return NULL;
    }
    char *slash = strchr(text, '/');
    if (slash != NULL)
        *slash = '\0';
    if (inet_pton(AF_INET, text, r->address) == 1)
        r->family = AF_INET;
    else if (inet_pton(AF_INET6, text, r->address) == 1)
        r->family = AF_INET6;
    else
        return "not an IPv4 or IPv6 address, nor any";
    int bits = r->family == AF_INET ? 32 : 128;
    unsigned long prefix = (unsigned long)bits;
    if (slash != NULL && !rules_number(slash + 1, (unsigned long)bits, &prefix))
        return "the prefix length is not a number within the address's bits";
    r->prefix = (int)prefix;
    return NULL;
}

static const char *rules_port(const char *text, firewall_rule *r)
{
    r->port_low = 0;
    r->port_high = 65535;
    if (text == NULL || strcmp(text, "*") == 0)
        return NULL;
    char low[8], high[8];
    const char *dash = strchr(text, '-');
    size_t n = dash != NULL ? (size_t)(dash - text) : strlen(text);
    if (n >= sizeof low || (dash != NULL && strlen(dash + 1) >= sizeof high))
        return "the port is not a number from 0 to 65535, a range LOW-HIGH, or *";
    memcpy(low, text, n);
    low[n] = '\0';
    snprintf(high, sizeof high, "%s", dash != NULL ? dash + 1 : low);
    unsigned long lo, hi;
    if (!rules_number(low, 65535, &lo) || !rules_number(high, 65535, &hi) || lo > hi)
        return "the port is not a number from 0 to 65535, a range LOW-HIGH, or *";
    r->port_low = (uint16_t)lo;
    r->port_high = (uint16_t)hi;
    return NULL;
}

/* One line into r; NULL, or why it is malformed. *empty: nothing on it. */
static const char *rules_line(char *line, firewall_rule *r, bool *empty)
{
    char *hash = strchr(line, '#');
    if (hash != NULL)
        *hash = '\0';
    char *at = line;
    char *action = rules_word(&at);
    *empty = action == NULL;
    if (*empty)
        return NULL;
    char *direction = rules_word(&at), *address = rules_word(&at), *port = rules_word(&at);
    if (strcmp(action, "allow") != 0 && strcmp(action, "deny") != 0)
        return "the action is not allow or deny";
    r->deny = action[0] == 'd';
    if (direction == NULL || (strcmp(direction, "out") != 0 && strcmp(direction, "in") != 0))
        return "the direction is not out or in";
    r->direction = direction[0] == 'o' ? FIREWALL_OUT : FIREWALL_IN;
    if (address == NULL)
        return "no address (an address, address/prefix, or any)";
    const char *why = rules_address(address, r);
    if (why == NULL)
        why = rules_port(port, r);
    if (why == NULL && rules_word(&at) != NULL)
        why = "more words than ACTION DIRECTION ADDRESS PORT";
    return why;
}

firewall_rules *firewall_rules_parse(const char *text, size_t length, firewall_report report, void *context)
{
    firewall_rules *rules = malloc(sizeof *rules + FIREWALL_MAX_RULES * sizeof(firewall_rule));
    if (rules == NULL) {
        report(context, 0, "out of memory");
        return NULL;
    }
    rules->count = 0;
    unsigned number = 0, bad = 0;
    size_t at = 0;
    while (at < length) {
        size_t end = at;
        while (end < length && text[end] != '\n')
            end++;
        number++;
        size_t n = end - at;
        if (n > 0 && text[at + n - 1] == '\r')
            n--;
        char line[FIREWALL_MAX_LINE + 1];
        firewall_rule r;
        memset(&r, 0, sizeof r);
        bool empty = false;
        const char *why = NULL;
        if (n > FIREWALL_MAX_LINE) {
            why = "longer than 256 characters";
        } else {
            memcpy(line, text + at, n);
            line[n] = '\0';
            why = memchr(line, '\0', n) != NULL ? "holds a NUL character" : rules_line(line, &r, &empty);
        }
        if (why == NULL && !empty && rules->count == FIREWALL_MAX_RULES)
            why = "more than 1024 rules";
        if (why != NULL) {
            report(context, number, why);
            bad++;
        } else if (!empty) {
            rules->rules[rules->count++] = r;
        }
        at = end + 1;
    }
    if (bad != 0) {
        free(rules);
        return NULL;
    }
    return rules;
}

static bool rules_prefix_match(const uint8_t *a, const uint8_t *b, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, (size_t)whole) != 0)
        return false;
    uint8_t mask = (uint8_t)(0xff00u >> rest);
    return rest == 0 || ((a[whole] ^ b[whole]) & mask) == 0;
}

bool firewall_rules_deny(const firewall_rules *rules, firewall_direction direction, const struct sockaddr *address,
                         int length, uint16_t port)
{
    static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    const uint8_t *bytes = NULL;
    int family = address->sa_family;
    if (family == AF_INET && length >= (int)sizeof(struct sockaddr_in)) {
        bytes = (const uint8_t *)&((const struct sockaddr_in *)address)->sin_addr;
    } else if (family == AF_INET6 && length >= (int)sizeof(struct sockaddr_in6)) {
        bytes = ((const struct sockaddr_in6 *)address)->sin6_addr.s6_addr;
        /* ::ffff:a.b.c.d is a.b.c.d (a dual-stack socket's IPv4 peer): the
         * IPv4 rules hold for it, or they could be walked around. */
        if (memcmp(bytes, v4_mapped, sizeof v4_mapped) == 0) {
            bytes += sizeof v4_mapped;
            family = AF_INET;
        }
    }
    for (size_t i = 0; rules != NULL && i < rules->count; i++) {
        const firewall_rule *r = &rules->rules[i];
        if (r->direction != direction || port < r->port_low || port > r->port_high)
            continue;
        if (r->family != AF_UNSPEC &&
            (bytes == NULL || r->family != family || !rules_prefix_match(bytes, r->address, r->prefix)))
            continue;
        return r->deny;
    }
    return false;
}
