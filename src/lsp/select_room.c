#include "select_room.h"

#include <stdlib.h>

#include <windows.h>

/* Two threads selecting at once keep one room each, with room to spare for
 * a third; a larger room than SELECT_ROOM_KEEP_BYTES (about 10,000 sockets)
 * is freed, so what is kept stays below 1 MB. */
enum { SELECT_ROOM_SLOTS = 4, SELECT_ROOM_KEEP_BYTES = 256 * 1024 };

static select_room *volatile select_room_slots[SELECT_ROOM_SLOTS];

select_room *select_room_take(size_t bytes)
{
    for (int i = 0; i < SELECT_ROOM_SLOTS; i++) {
        /* Read before the exchange: an empty slot costs no write. */
        if (select_room_slots[i] == NULL)
            continue;
        select_room *room = InterlockedExchangePointer((PVOID volatile *)&select_room_slots[i], NULL);
        if (room == NULL)
            continue;
        if (room->bytes >= bytes)
            return room;
        /* Too small for this call: a larger one takes its place. */
        free(room);
        break;
    }
    if (bytes > SIZE_MAX - sizeof(select_room))
        return NULL;
    select_room *room = malloc(sizeof(select_room) + bytes);
    if (room != NULL)
        room->bytes = bytes;
    return room;
}

void select_room_give(select_room *room)
{
    if (room->bytes <= SELECT_ROOM_KEEP_BYTES) {
        for (int i = 0; i < SELECT_ROOM_SLOTS; i++) {
            if (select_room_slots[i] == NULL &&
                InterlockedCompareExchangePointer((PVOID volatile *)&select_room_slots[i], room, NULL) == NULL)
                return;
        }
    }
    free(room);
}

void select_room_release_all(void)
{
    for (int i = 0; i < SELECT_ROOM_SLOTS; i++)
        free(InterlockedExchangePointer((PVOID volatile *)&select_room_slots[i], NULL));
}
