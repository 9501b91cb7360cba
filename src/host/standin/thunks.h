/* Exports the stand-ins pass to Wine's builtin DLL as they are: an export
 * standin_fwd_NAME is a jump through standin_ptr_NAME, which builtin.c
 * points at the builtin's function of that name when the stand-in loads.
 * A jump, not a call: arguments, return value and error reach the
 * builtin's function and the caller untouched, whatever its signature. A
 * PE forwarder cannot do it: it names a DLL by base name, and that would
 * be the stand-in itself. */
#ifndef SHARELSP_STANDIN_THUNKS_H
#define SHARELSP_STANDIN_THUNKS_H

#include <windows.h>

#include <stdbool.h>

/* Where a pointer points until it is resolved: fails loudly. */
void standin_unresolved(void);

#if defined(__x86_64__)
#define STANDIN_THUNK(name)                                                                                            \
    extern void *standin_ptr_##name;                                                                                   \
    void *standin_ptr_##name = (void *)standin_unresolved;                                                             \
    __asm__(".text\n\t.globl standin_fwd_" #name "\nstandin_fwd_" #name ":\n\tjmp *standin_ptr_" #name "(%rip)\n");
#elif defined(__i386__)
/* C names carry a leading underscore on i386; the thunk is no __stdcall
 * function (it takes nothing of its own), so its name is undecorated. */
#define STANDIN_THUNK(name)                                                                                            \
    extern void *standin_ptr_##name;                                                                                   \
    void *standin_ptr_##name = (void *)standin_unresolved;                                                             \
    __asm__(".text\n\t.globl _standin_fwd_" #name "\n_standin_fwd_" #name ":\n\tjmp *_standin_ptr_" #name "\n");
#else
#error "the stand-in's thunks are written for x86_64 and i386 only"
#endif

/* One forwarded export, for the table builtin.c fills. */
typedef struct standin_forward {
    const char *name;
    void **target;
} standin_forward;

/* Loads Wine's builtin DLL by full path (the system folder's, so never a
 * stand-in), renames its loader entry (builtin.c says why) and points every
 * forward at its function: true, or false with a line on stderr naming
 * what is missing. In the stand-in's DLL_PROCESS_ATTACH. */
bool standin_bind_builtin(const WCHAR *dll, const WCHAR *renamed, const standin_forward *forwards, size_t count,
                          HMODULE *builtin);

#endif
