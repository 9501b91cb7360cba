#include "ntstatus.h"

#include <stddef.h>

/* Error to NTSTATUS: one status per error. */
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

/* NTSTATUS to error, as Wine's ws2_32 maps it (NtStatusToWSAError). */
static const struct {
    uint32_t status;
    uint32_t error;
} wsa_error_table[] = {
    {0x00000103u, 997u}, /* STATUS_PENDING */
    {0x80000005u, 10040u}, /* STATUS_BUFFER_OVERFLOW */
    {0xc0000002u, 10045u}, /* STATUS_NOT_IMPLEMENTED */
    {0xc0000005u, 10014u}, /* STATUS_ACCESS_VIOLATION */
    {0xc0000007u, 10055u}, /* STATUS_PAGEFILE_QUOTA */
    {0xc0000008u, 10038u}, /* STATUS_INVALID_HANDLE */
    {0xc000000eu, 10050u}, /* STATUS_NO_SUCH_DEVICE */
    {0xc000000fu, 10050u}, /* STATUS_NO_SUCH_FILE */
    {0xc0000017u, 10055u}, /* STATUS_NO_MEMORY */
    {0xc0000018u, 10055u}, /* STATUS_CONFLICTING_ADDRESSES */
    {0xc0000022u, 10013u}, /* STATUS_ACCESS_DENIED */
    {0xc0000023u, 10014u}, /* STATUS_BUFFER_TOO_SMALL */
    {0xc0000024u, 10038u}, /* STATUS_OBJECT_TYPE_MISMATCH */
    {0xc0000034u, 10050u}, /* STATUS_OBJECT_NAME_NOT_FOUND */
    {0xc000003au, 10050u}, /* STATUS_OBJECT_PATH_NOT_FOUND */
    {0xc0000043u, 10048u}, /* STATUS_SHARING_VIOLATION */
    {0xc0000044u, 10055u}, /* STATUS_QUOTA_EXCEEDED */
    {0xc0000097u, 10055u}, /* STATUS_TOO_MANY_PAGING_FILES */
    {0xc000009au, 10055u}, /* STATUS_INSUFFICIENT_RESOURCES */
    {0xc00000a1u, 10055u}, /* STATUS_WORKING_SET_QUOTA */
    {0xc00000a3u, 10035u}, /* STATUS_DEVICE_NOT_READY */
    {0xc00000b0u, 10058u}, /* STATUS_PIPE_DISCONNECTED */
    {0xc00000b5u, 10060u}, /* STATUS_IO_TIMEOUT */
    {0xc00000bbu, 10045u}, /* STATUS_NOT_SUPPORTED */
    {0xc00000bcu, 10061u}, /* STATUS_REMOTE_NOT_LISTENING */
    {0xc00000beu, 10051u}, /* STATUS_BAD_NETWORK_PATH */
    {0xc00000bfu, 10050u}, /* STATUS_NETWORK_BUSY */
    {0xc00000c3u, 10050u}, /* STATUS_INVALID_NETWORK_RESPONSE */
    {0xc00000c4u, 10050u}, /* STATUS_UNEXPECTED_NETWORK_ERROR */
    {0xc00000d0u, 10035u}, /* STATUS_REQUEST_NOT_ACCEPTED */
    {0xc0000120u, 995u}, /* STATUS_CANCELLED */
    {0xc000012du, 10055u}, /* STATUS_COMMITMENT_LIMIT */
    {0xc000013bu, 10053u}, /* STATUS_LOCAL_DISCONNECT */
    {0xc000013cu, 10054u}, /* STATUS_REMOTE_DISCONNECT */
    {0xc000013du, 10055u}, /* STATUS_REMOTE_RESOURCES */
    {0xc000013eu, 10054u}, /* STATUS_LINK_FAILED */
    {0xc000013fu, 10060u}, /* STATUS_LINK_TIMEOUT */
    {0xc0000140u, 10057u}, /* STATUS_INVALID_CONNECTION */
    {0xc0000141u, 10049u}, /* STATUS_INVALID_ADDRESS */
    {0xc0000206u, 10040u}, /* STATUS_INVALID_BUFFER_SIZE */
    {0xc0000207u, 10049u}, /* STATUS_INVALID_ADDRESS_COMPONENT */
    {0xc0000209u, 10055u}, /* STATUS_TOO_MANY_ADDRESSES */
    {0xc000020au, 10048u}, /* STATUS_ADDRESS_ALREADY_EXISTS */
    {0xc000020cu, 10054u}, /* STATUS_CONNECTION_DISCONNECTED */
    {0xc000020du, 10054u}, /* STATUS_CONNECTION_RESET */
    {0xc000020fu, 10053u}, /* STATUS_TRANSACTION_ABORTED */
    {0xc0000236u, 10061u}, /* STATUS_CONNECTION_REFUSED */
    {0xc0000237u, 10101u}, /* STATUS_GRACEFUL_DISCONNECT */
    {0xc000023bu, 10056u}, /* STATUS_CONNECTION_ACTIVE */
    {0xc000023cu, 10051u}, /* STATUS_NETWORK_UNREACHABLE */
    {0xc000023du, 10065u}, /* STATUS_HOST_UNREACHABLE */
    {0xc000023eu, 10051u}, /* STATUS_PROTOCOL_UNREACHABLE */
    {0xc000023fu, 10054u}, /* STATUS_PORT_UNREACHABLE */
    {0xc0000240u, 10004u}, /* STATUS_REQUEST_ABORTED */
    {0xc0000241u, 10053u}, /* STATUS_CONNECTION_ABORTED */
    {0xc00002c5u, 10014u}, /* STATUS_DATATYPE_MISALIGNMENT_ERROR */
    {0xc0000350u, 10064u}, /* STATUS_HOST_DOWN */
    {0x80070000u | 996u, 996u}, /* ERROR_IO_INCOMPLETE, in three facilities */
    {0xc0010000u | 996u, 996u},
    {0xc0070000u | 996u, 996u},
};

bool ntstatus_to_wsa_error(uint32_t status, uint32_t *error)
{
    for (size_t i = 0; i < sizeof wsa_error_table / sizeof wsa_error_table[0]; i++) {
        if (wsa_error_table[i].status == status) {
            *error = wsa_error_table[i].error;
            return true;
        }
    }
    if ((status & 0x80000000u) != 0) {
        *error = 10022u; /* WSAEINVAL: an error status without a mapping */
        return true;
    }
    return false;
}

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
