#include "ntstatus.h"

#include <stddef.h>

static const struct {
    uint32_t error;
    uint32_t status;
} ntstatus_table[] = {
    {997u, NTSTATUS_PENDING},      /* ERROR_IO_PENDING */
    {995u, 0xc0000120u},           /* WSA_OPERATION_ABORTED: STATUS_CANCELLED */
    {10004u, 0xc0000240u},         /* WSAEINTR: STATUS_REQUEST_ABORTED */
    {10013u, 0xc0000022u},         /* WSAEACCES: STATUS_ACCESS_DENIED */
    {10014u, 0xc0000005u},         /* WSAEFAULT: STATUS_ACCESS_VIOLATION */
    {10022u, 0xc000000du},         /* WSAEINVAL: STATUS_INVALID_PARAMETER */
    {10035u, 0xc00000a3u},         /* WSAEWOULDBLOCK: STATUS_DEVICE_NOT_READY */
    {10038u, 0xc0000008u},         /* WSAENOTSOCK: STATUS_INVALID_HANDLE */
    {10040u, 0x80000005u},         /* WSAEMSGSIZE: STATUS_BUFFER_OVERFLOW */
    {10045u, 0xc00000bbu},         /* WSAEOPNOTSUPP: STATUS_NOT_SUPPORTED */
    {10048u, 0xc000020au},         /* WSAEADDRINUSE: STATUS_ADDRESS_ALREADY_EXISTS */
    {10049u, 0xc0000207u},         /* WSAEADDRNOTAVAIL: STATUS_INVALID_ADDRESS_COMPONENT */
    {10050u, 0xc00000c4u},         /* WSAENETDOWN: STATUS_UNEXPECTED_NETWORK_ERROR */
    {10051u, 0xc000023cu},         /* WSAENETUNREACH: STATUS_NETWORK_UNREACHABLE */
    {10053u, 0xc0000241u},         /* WSAECONNABORTED: STATUS_CONNECTION_ABORTED */
    {10054u, 0xc000020du},         /* WSAECONNRESET: STATUS_CONNECTION_RESET */
    {10055u, 0xc000009au},         /* WSAENOBUFS: STATUS_INSUFFICIENT_RESOURCES */
    {10056u, 0xc000023bu},         /* WSAEISCONN: STATUS_CONNECTION_ACTIVE */
    {10057u, 0xc0000140u},         /* WSAENOTCONN: STATUS_INVALID_CONNECTION */
    {10058u, 0xc00000b0u},         /* WSAESHUTDOWN: STATUS_PIPE_DISCONNECTED */
    {10060u, 0xc00000b5u},         /* WSAETIMEDOUT: STATUS_IO_TIMEOUT */
    {10061u, 0xc0000236u},         /* WSAECONNREFUSED: STATUS_CONNECTION_REFUSED */
    {10064u, 0xc0000350u},         /* WSAEHOSTDOWN: STATUS_HOST_DOWN */
    {10065u, 0xc000023du},         /* WSAEHOSTUNREACH: STATUS_HOST_UNREACHABLE */
    {10101u, 0xc0000237u},         /* WSAEDISCON: STATUS_GRACEFUL_DISCONNECT */
};

uint32_t ntstatus_from_wsa_error(uint32_t error)
{
    if (error == 0)
        return NTSTATUS_SUCCESS;
    for (size_t i = 0; i < sizeof ntstatus_table / sizeof ntstatus_table[0]; i++) {
        if (ntstatus_table[i].error == error)
            return ntstatus_table[i].status;
    }
    return NTSTATUS_FROM_ERROR(error);
}
