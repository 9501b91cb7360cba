#include "proctable.h"

const char *const proctable_names[PROCTABLE_ENTRIES] = {
    "WSPAccept",        "WSPAddressToString", "WSPAsyncSelect",         "WSPBind",
    "WSPCancelBlockingCall", "WSPCleanup",    "WSPCloseSocket",         "WSPConnect",
    "WSPDuplicateSocket", "WSPEnumNetworkEvents", "WSPEventSelect",     "WSPGetOverlappedResult",
    "WSPGetPeerName",   "WSPGetSockName",     "WSPGetSockOpt",          "WSPGetQOSByName",
    "WSPIoctl",         "WSPJoinLeaf",        "WSPListen",              "WSPRecv",
    "WSPRecvDisconnect", "WSPRecvFrom",       "WSPSelect",              "WSPSend",
    "WSPSendDisconnect", "WSPSendTo",         "WSPSetSockOpt",          "WSPShutdown",
    "WSPSocket",        "WSPStringToAddress"};

const char *proctable_first_missing(const void *table)
{
    void (*const *slots)(void) = table;
    for (size_t i = 0; i < PROCTABLE_ENTRIES; i++) {
        if (slots[i] == NULL)
            return proctable_names[i];
    }
    return NULL;
}
