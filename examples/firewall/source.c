/* The rule file: the registry value Rules (REG_SZ) under
 * HKEY_LOCAL_MACHINE\SOFTWARE\ShareLSP\firewall, else the DLL's own name
 * with .rules for .dll, beside it. Its time and size are looked at on every
 * decision, so a change is in force from the next call on, in every process. */
#include "source.h"

#include <windows.h>

#include <stdlib.h>

#include <sharelsp/layer.h>

static SRWLOCK source_lock = SRWLOCK_INIT;
static firewall_rules *source_rules;  /* under source_lock */
static FILETIME source_time;          /* of the file last read, good or bad */
static ULONGLONG source_size;
static bool source_seen;              /* a file was there when last looked at */

static void source_path(WCHAR *path)
{
    DWORD size = MAX_PATH * sizeof(WCHAR);
    if (RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ShareLSP\\firewall", L"Rules", RRF_RT_REG_SZ, NULL, path,
                     &size) == ERROR_SUCCESS && path[0] != L'\0')
        return;
    DWORD n = GetModuleFileNameW(sharelsp_layer_module(), path, MAX_PATH);
    WCHAR *dot = n > 0 && n < MAX_PATH ? wcsrchr(path, L'.') : NULL;
    if (dot != NULL && (size_t)(dot - path) + 7 < MAX_PATH)
        wcscpy(dot, L".rules");
    else
        path[0] = L'\0';
}

typedef struct source_report_context {
    const WCHAR *path;
} source_report_context;

static void source_report(void *context, unsigned line, const char *why)
{
    const source_report_context *c = context;
    sharelsp_diagnostic("firewall: %ls:%u: %s", c->path, line, why);
}

/* Reads the file; the rules, or NULL when it is malformed or unreadable. */
static firewall_rules *source_read(const WCHAR *path, ULONGLONG size)
{
    source_report_context c = {path};
    if (size > (ULONGLONG)FIREWALL_MAX_RULES * (FIREWALL_MAX_LINE + 2)) {
        sharelsp_diagnostic("firewall: %ls: larger than any file of %d rules; refused", path, FIREWALL_MAX_RULES);
        return NULL;
    }
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, 0, NULL);
    char *text = malloc((size_t)size + 1);
    DWORD got = 0;
    bool read = f != INVALID_HANDLE_VALUE && text != NULL && ReadFile(f, text, (DWORD)size, &got, NULL);
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    firewall_rules *rules = NULL;
    if (!read)
        sharelsp_diagnostic("firewall: %ls: cannot be read (error %lu); refused", path, GetLastError());
    else
        rules = firewall_rules_parse(text, got, source_report, &c);
    if (read && rules == NULL)
        sharelsp_diagnostic("firewall: %ls: refused; the rules in force stay", path);
    free(text);
    return rules;
}

/* Reads the file again if it changed since it was last read. */
static void source_refresh(void)
{
    WCHAR path[MAX_PATH];
    source_path(path);
    WIN32_FILE_ATTRIBUTE_DATA a;
    bool there = path[0] != L'\0' && GetFileAttributesExW(path, GetFileExInfoStandard, &a);
    ULONGLONG size = there ? ((ULONGLONG)a.nFileSizeHigh << 32) | a.nFileSizeLow : 0;
    AcquireSRWLockShared(&source_lock);
    bool same = there == source_seen && (!there || (CompareFileTime(&a.ftLastWriteTime, &source_time) == 0 &&
                                                    size == source_size));
    ReleaseSRWLockShared(&source_lock);
    if (same)
        return;
    /* A file taken away takes its rules with it: no file, no rules. */
    firewall_rules *next = there ? source_read(path, size) : NULL;
    AcquireSRWLockExclusive(&source_lock);
    firewall_rules *old = NULL;
    if (!there || next != NULL) {
        old = source_rules;
        source_rules = next;
    }
    source_seen = there;
    if (there) {
        source_time = a.ftLastWriteTime;
        source_size = size;
    }
    ReleaseSRWLockExclusive(&source_lock);
    free(old);
    if (next != NULL)
        sharelsp_diagnostic("firewall: %ls: %u rules in force", path, (unsigned)next->count);
}

bool firewall_source_deny(firewall_direction direction, const struct sockaddr *address, int length, uint16_t port)
{
    source_refresh();
    AcquireSRWLockShared(&source_lock);
    bool deny = firewall_rules_deny(source_rules, direction, address, length, port);
    ReleaseSRWLockShared(&source_lock);
    return deny;
}
