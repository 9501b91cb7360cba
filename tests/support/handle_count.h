/* The handles open in this process, for tests that check nothing is left
 * open. Header only, Windows only. */
#ifndef SHARELSP_TESTS_HANDLE_COUNT_H
#define SHARELSP_TESTS_HANDLE_COUNT_H

#include <windows.h>

#include <stdint.h>

/* GetProcessHandleCount says 0 under Wine 8.0, so each possible value is
 * asked about. A thread the thread pool or the platform starts holds a
 * handle for a moment, so the count is the least of a few: a handle left
 * open is there every time. */
static inline DWORD handle_count(void)
{
    DWORD least = MAXDWORD, flags = 0;
    for (int i = 0; i < 3; i++) {
        DWORD n = 0;
        for (uintptr_t h = 4; h < 0x4000; h += 4)
            n += GetHandleInformation((HANDLE)h, &flags) ? 1 : 0;
        least = n < least ? n : least;
        Sleep(5);
    }
    return least;
}

#endif
