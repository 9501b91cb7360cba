/* The catalogs the tool manages and the bitness of the DLLs they name. */
#include "halves.h"

#include <stdio.h>
#include <wchar.h>

int install_halves(install_half halves[2])
{
    memset(halves, 0, 2 * sizeof *halves);
    install_half *own = &halves[0];
    own->enumerate = WSCEnumProtocols;
    own->deinstall = WSCDeinstallProvider;
    own->write_order = WSCWriteProviderOrder;
    own->get_path = WSCGetProviderPath;
    own->update = (update_fn)(void (*)(void))wsc_optional("WSCUpdateProvider");
    own->set_info = (set_info_fn)(void (*)(void))wsc_optional("WSCSetProviderInfo");
#ifdef _WIN64
    own->machine = IMAGE_FILE_MACHINE_AMD64;
    /* The 32-bit catalog, through the 32 forms a 64-bit ws2_32 exports
     * (looked up: Wine's ws2_32 has not all of them). */
    install_half *h32 = &halves[1];
    h32->name = "32-bit catalog";
    h32->machine = IMAGE_FILE_MACHINE_I386;
    h32->enumerate = (enum_protocols_fn)(void (*)(void))wsc_optional("WSCEnumProtocols32");
    h32->deinstall = (deinstall_fn)(void (*)(void))wsc_optional("WSCDeinstallProvider32");
    h32->write_order = (write_order_fn)(void (*)(void))wsc_optional("WSCWriteProviderOrder32");
    h32->get_path = (get_path_fn)(void (*)(void))wsc_optional("WSCGetProviderPath32");
    h32->update = (update_fn)(void (*)(void))wsc_optional("WSCUpdateProvider32");
    h32->set_info = (set_info_fn)(void (*)(void))wsc_optional("WSCSetProviderInfo32");
    if (h32->enumerate != NULL && h32->deinstall != NULL && h32->write_order != NULL && h32->get_path != NULL) {
        own->name = "64-bit catalog";
        return 2;
    }
    own->name = "catalog";
    return 1;
#else
    own->machine = IMAGE_FILE_MACHINE_I386;
    own->name = "catalog";
    return 1;
#endif
}

/* For the 32-bit half: %SystemRoot%\System32\x is SysWOW64\x to a 32-bit
 * process. (A 32-bit tool sees the redirected folder already.) */
static void redirect_for_32bit(WCHAR *path)
{
#ifdef _WIN64
    WCHAR system[MAX_PATH], wow[MAX_PATH];
    UINT n = GetSystemDirectoryW(system, MAX_PATH);
    UINT w = GetSystemWow64DirectoryW(wow, MAX_PATH);
    if (n == 0 || n >= MAX_PATH || w == 0 || w >= MAX_PATH || _wcsnicmp(path, system, n) != 0 ||
        (path[n] != L'\\' && path[n] != L'\0') || wcslen(path) - n + w >= MAX_PATH)
        return;
    WCHAR rest[MAX_PATH];
    wcscpy(rest, path + n);
    wcscpy(path, wow);
    wcscat(path, rest);
#else
    (void)path;
#endif
}

bool install_dll_is(const WCHAR *raw, WORD machine, char *why, size_t why_size)
{
    WCHAR path[MAX_PATH];
    DWORD n = ExpandEnvironmentStringsW(raw, path, MAX_PATH);
    if (n == 0 || n > MAX_PATH) {
        snprintf(why, why_size, "the path %ls is too long", raw);
        return false;
    }
    if (machine == IMAGE_FILE_MACHINE_I386)
        redirect_for_32bit(path);
    const char *bits = machine == IMAGE_FILE_MACHINE_I386 ? "32-bit (x86)" : "64-bit (x64)";
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        snprintf(why, why_size, "the %s DLL %ls cannot be opened (error %lu)", bits, path, GetLastError());
        return false;
    }
    IMAGE_DOS_HEADER dos;
    IMAGE_FILE_HEADER header;
    DWORD signature = 0, got = 0;
    bool ok = ReadFile(file, &dos, sizeof dos, &got, NULL) && got == sizeof dos && dos.e_magic == IMAGE_DOS_SIGNATURE &&
              SetFilePointer(file, dos.e_lfanew, NULL, FILE_BEGIN) != INVALID_SET_FILE_POINTER &&
              ReadFile(file, &signature, sizeof signature, &got, NULL) && got == sizeof signature &&
              signature == IMAGE_NT_SIGNATURE && ReadFile(file, &header, sizeof header, &got, NULL) &&
              got == sizeof header;
    CloseHandle(file);
    if (!ok) {
        snprintf(why, why_size, "%ls is not a Windows DLL", path);
        return false;
    }
    if (header.Machine != machine) {
        snprintf(why, why_size, "%ls is not a %s DLL (machine 0x%04x)", path, bits, header.Machine);
        return false;
    }
    return true;
}
