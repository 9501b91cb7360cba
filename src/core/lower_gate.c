/* The lower gate (lower_gate.h). A call adds itself before it looks at the
 * shut bit, and the close sets the bit before it counts the calls: with
 * both in one word, either the call sees the bit or the close sees the
 * call, never neither. */
#include "lower_gate.h"

#include "platform.h"

#define LOWER_GATE_SHUT 0x80000000u

bool lower_gate_enter(sock_object *object)
{
    /* Looked at first so that calls on a shut gate leave the count alone:
     * a close waiting for it to reach 0 is not held up by them. */
    if ((plat_atomic_load32(&object->lower_calls) & LOWER_GATE_SHUT) != 0)
        return false;
    if ((plat_atomic_add32(&object->lower_calls, 1) & LOWER_GATE_SHUT) == 0)
        return true;
    plat_atomic_add32(&object->lower_calls, -1);
    return false;
}

void lower_gate_leave(sock_object *object) { plat_atomic_add32(&object->lower_calls, -1); }

uint32_t lower_gate_shut(sock_object *object)
{
    for (;;) {
        uint32_t v = plat_atomic_load32(&object->lower_calls);
        if ((v & LOWER_GATE_SHUT) != 0 || plat_atomic_cas32(&object->lower_calls, v, v | LOWER_GATE_SHUT))
            return v & ~LOWER_GATE_SHUT;
    }
}

uint32_t lower_gate_inside(sock_object *object)
{
    return plat_atomic_load32(&object->lower_calls) & ~LOWER_GATE_SHUT;
}

bool lower_gate_is_shut(sock_object *object)
{
    return (plat_atomic_load32(&object->lower_calls) & LOWER_GATE_SHUT) != 0;
}

void lower_gate_reopen(sock_object *object)
{
    for (;;) {
        uint32_t v = plat_atomic_load32(&object->lower_calls);
        if ((v & LOWER_GATE_SHUT) == 0 || plat_atomic_cas32(&object->lower_calls, v, v & ~LOWER_GATE_SHUT))
            return;
    }
}
