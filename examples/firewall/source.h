/* Where the firewall's rules come from, and keeping them current. */
#ifndef FIREWALL_SOURCE_H
#define FIREWALL_SOURCE_H

#include "rules.h"

/* Whether the rules in force deny the connection (rules.h). The file is
 * looked at on every call and read again when its time or size changed. A
 * file that is malformed changes nothing: the rules in force stay (none at
 * first, which allows everything), and each bad line is said in the
 * diagnostics. */
bool firewall_source_deny(firewall_direction direction, const struct sockaddr *address, int length, uint16_t port);

#endif
