/* The DLL path of a program run through the stand-ins. */
#ifndef SHARELSP_STANDIN_DLLPATH_H
#define SHARELSP_STANDIN_DLLPATH_H

#include <windows.h>

#include <stdbool.h>

/* Gives a process created suspended (not yet started: its loader has not
 * run) the DLL path Wine's loader would give it, with the stand-ins' folder
 * put right after the program's own: its folder, standin_dir, the system
 * folders, the current folder, PATH. The process then binds to the
 * stand-ins wherever it imports ws2_32 or mswsock. False (the process left
 * as it was) if it could not be done, or the process is not of this one's
 * architecture. */
bool standin_give_dll_path(HANDLE process, const WCHAR *standin_dir);

#endif
