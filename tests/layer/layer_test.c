/* What the tests of tests/layer share (layer_test.h). */
#include "layer_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static WCHAR log_path[MAX_PATH];
char layer_log_lines[LINES_MAX][LINE_MAX_CHARS];

void layer_log_reset(void)
{
    DeleteFileW(log_path);
}

int layer_log_read(void)
{
    HANDLE f = CreateFileW(log_path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return 0;
    static char text[LINES_MAX * LINE_MAX_CHARS];
    DWORD got = 0;
    assert_true(ReadFile(f, text, sizeof text - 1, &got, NULL));
    CloseHandle(f);
    text[got] = '\0';
    int n = 0;
    for (char *line = strtok(text, "\n"); line != NULL && n < LINES_MAX; line = strtok(NULL, "\n"))
        snprintf(layer_log_lines[n++], LINE_MAX_CHARS, "%s", line);
    return n;
}

void layer_log_expect(const char *const *expected, int count)
{
    int n = layer_log_read();
    for (int i = 0; i < n && i < count; i++)
        assert_string_equal(layer_log_lines[i], expected[i]);
    assert_int_equal(n, count);
    layer_log_reset();
}

unsigned long long layer_log_line_id(int line)
{
    const char *at = strstr(layer_log_lines[line], " id=");
    assert_non_null(at);
    return strtoull(at + 4, NULL, 10);
}

bool layer_log_has(int n, const char *line)
{
    for (int i = 0; i < n; i++)
        if (strcmp(layer_log_lines[i], line) == 0)
            return true;
    return false;
}

int layer_test_start(void **state)
{
    (void)state;
    return layer_test_start_provider(L"probe.dll");
}

int layer_test_start_provider(const WCHAR *dll)
{
    WCHAR dir[MAX_PATH];
    GetTempPathW(MAX_PATH, dir);
    _snwprintf(log_path, MAX_PATH, L"%lsprobe-%lu.log", dir, (unsigned long)GetCurrentProcessId());
    SetEnvironmentVariableW(L"PROBE_LOG", log_path);
    layer_log_reset();
    return spi_start_provider(dll);
}

int layer_test_stop(void **state)
{
    layer_log_reset();
    return spi_stop(state);
}

DWORD layer_overlapped_bytes(SOCKET s, WSAOVERLAPPED *ov)
{
    assert_int_equal(WaitForSingleObject(ov->hEvent, 5000), WAIT_OBJECT_0);
    DWORD bytes = 0, flags = 0;
    assert_true(WSAGetOverlappedResult(s, ov, &bytes, FALSE, &flags));
    return bytes;
}
