/* sharelsp.dll's own module, and the holds on it that keep our code mapped
 * while anything of ours can still run: a request's thread-pool wait, a
 * completion routine's APC, the hidden window's thread. ws2_32 frees the
 * module after the last WSPCleanup; with a hold outstanding it stays until
 * the hold is dropped, by code that does not return into it. DllMain only
 * remembers the module and tells the core how sockets hold our entries,
 * before any socket exists: no loader-lock work here. */
#include "lsp.h"

static HMODULE self_module;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) {
        self_module = instance;
        object_set_provider_hooks(&lsp_entry_hooks);
        DisableThreadLibraryCalls(instance);
    }
    return TRUE;
}

HMODULE lsp_module(void) { return self_module; }

bool lsp_module_hold(void)
{
    HMODULE held = NULL;
    return GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)(const void *)&self_module,
                              &held) != 0;
}

void lsp_module_drop_early(void) { FreeLibrary(self_module); }

void lsp_module_pin(void)
{
    HMODULE pinned = NULL;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                       (LPCWSTR)(const void *)&self_module, &pinned);
}

void lsp_module_drop_after_apc(void)
{
    /* FreeLibrary itself is the APC (one pointer-sized argument, as an APC
     * routine takes): it runs behind ours in the same alertable wait, and
     * nothing of ours runs after it. If it cannot be queued the hold is
     * kept: the module stays loaded, which is safe. */
    QueueUserAPC((PAPCFUNC)(void (*)(void))FreeLibrary, GetCurrentThread(), (ULONG_PTR)self_module);
}
