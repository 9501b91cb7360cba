/* The firewall's rules: parsed from text, matched against an address.
 *
 * One rule a line, first match wins, no match allows:
 *     ACTION DIRECTION ADDRESS[/PREFIX] [PORT | LOW-HIGH | *]
 * ACTION allow or deny; DIRECTION out (connect, ConnectEx, sendto: the
 * destination's address and port) or in (accept: the peer's address and
 * the listening socket's port); ADDRESS an IPv4 or IPv6 address, or any;
 * PORT absent or * for every port. '#' starts a comment. */
#ifndef FIREWALL_RULES_H
#define FIREWALL_RULES_H

#include <winsock2.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { FIREWALL_MAX_RULES = 1024, FIREWALL_MAX_LINE = 256 };

typedef enum firewall_direction { FIREWALL_OUT = 1, FIREWALL_IN = 2 } firewall_direction;

typedef struct firewall_rule {
    bool deny;
    firewall_direction direction;
    int family;          /* AF_INET, AF_INET6, or AF_UNSPEC for any */
    uint8_t address[16]; /* network order; the first 4 bytes for IPv4 */
    int prefix;          /* bits that must match */
    uint16_t port_low, port_high;
} firewall_rule;

typedef struct firewall_rules {
    size_t count;
    firewall_rule rules[];
} firewall_rules;

/* Called for each malformed line, with its number (from 1) and why. */
typedef void (*firewall_report)(void *context, unsigned line, const char *why);

/* Parses text (length bytes, not necessarily terminated). Returns the rules
 * (free with free), or NULL when any line is malformed: each is reported,
 * and none of the file is taken. An empty file gives no rules. */
firewall_rules *firewall_rules_parse(const char *text, size_t length, firewall_report report, void *context);

/* Whether the rules deny a connection with address (its port included) in
 * direction; for FIREWALL_IN, port is the local one and the address the
 * peer's. */
bool firewall_rules_deny(const firewall_rules *rules, firewall_direction direction, const struct sockaddr *address,
                         int length, uint16_t port);

#endif
