#include "wsversion.h"

/* Major in the high byte, so that versions compare as numbers. */
static unsigned wsversion_rank(uint16_t v) { return (unsigned)(v & 0xff) << 8 | (v >> 8); }

bool wsversion_negotiate(uint16_t requested, uint16_t lowest, uint16_t highest, uint16_t *agreed)
{
    if (wsversion_rank(requested) < wsversion_rank(lowest)) {
        *agreed = 0;
        return false;
    }
    *agreed = wsversion_rank(requested) < wsversion_rank(highest) ? requested : highest;
    return true;
}
