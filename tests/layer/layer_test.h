/* What the tests of tests/layer share: probe.dll's log (probe.c), read
 * back line by line. */
#ifndef SHARELSP_TESTS_LAYER_TEST_H
#define SHARELSP_TESTS_LAYER_TEST_H

#include "spi.h"

#include <stdbool.h>

enum { LINE_MAX_CHARS = 200, LINES_MAX = 64 };

/* The lines layer_log_read read, in the order they were appended. */
extern char layer_log_lines[LINES_MAX][LINE_MAX_CHARS];

void layer_log_reset(void);
/* Reads the log into layer_log_lines; the count. */
int layer_log_read(void);
/* The log holds exactly these lines, in this order; then it is reset. */
void layer_log_expect(const char *const *expected, int count);
/* The socket id a line names. */
unsigned long long layer_log_line_id(int line);
/* Whether one of the first n lines equals line (lines of a pool thread and
 * of the program's thread may come in either order). */
bool layer_log_has(int n, const char *line);

/* Group setup: probe.dll (or dll, a build of probe.c) installed over
 * wspbase, its log in the temp folder. */
int layer_test_start(void **state);
int layer_test_start_provider(const WCHAR *dll);
int layer_test_stop(void **state);

/* Waits for an overlapped request on s; its bytes. */
DWORD layer_overlapped_bytes(SOCKET s, WSAOVERLAPPED *ov);

#endif
