/* What recorder.dll saw of its last WSPIoctl (tests/host/recorder.c). */
#ifndef SHARELSP_TESTS_RECORDER_H
#define SHARELSP_TESTS_RECORDER_H

#include <winsock2.h>
#include <ws2spi.h>

typedef struct recorder_call {
    int calls;
    SOCKET socket;
    DWORD code;
    void *in;
    DWORD in_length;
    void *out;
    DWORD out_length;
    LPDWORD returned;
    LPWSAOVERLAPPED overlapped;
    void *routine;
    LPWSATHREADID thread;
    BYTE in_copy[256];
} recorder_call;

#endif
