/* A DLL that does what many DLLs do: starts Winsock, makes a socket with an
 * async-select registration, and in DLL_PROCESS_DETACH closes the socket and
 * calls WSACleanup — under the loader lock. test_lifetimes loads and frees it. */
#include <winsock2.h>
#include <windows.h>

static SOCKET registered = INVALID_SOCKET;

__declspec(dllexport) int detach_start(HWND window, UINT message);
__declspec(dllexport) int detach_start(HWND window, UINT message)
{
    WSADATA data;
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return 1;
    registered = socket(AF_INET, SOCK_STREAM, 0);
    if (registered == INVALID_SOCKET)
        return 2;
    if (WSAAsyncSelect(registered, window, message, FD_READ | FD_CLOSE) != 0)
        return 3;
    return 0;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    /* reserved is NULL for FreeLibrary, non-NULL at process exit. */
    if (reason == DLL_PROCESS_DETACH && reserved == NULL && registered != INVALID_SOCKET) {
        closesocket(registered);
        WSACleanup();
    }
    return TRUE;
}
