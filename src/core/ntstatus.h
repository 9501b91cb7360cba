/* The NTSTATUS a Winsock error stands for, as Windows and Wine keep it in
 * an overlapped request's Internal field: GetOverlappedResult and
 * WSAGetOverlappedResult (and programs that read the field, as Wine's own
 * tests do) expect STATUS_PENDING while a request runs and an NTSTATUS
 * after, never a Winsock error. The table is the inverse of the mapping
 * Wine's ws2_32 applies the other way (its NtStatusToWSAError), one NTSTATUS
 * per error. */
#ifndef SHARELSP_CORE_NTSTATUS_H
#define SHARELSP_CORE_NTSTATUS_H

#include <stdbool.h>
#include <stdint.h>

#define NTSTATUS_SUCCESS 0x00000000u
#define NTSTATUS_PENDING 0x00000103u
/* An error with no NTSTATUS of its own: the Win32 facility, which
 * RtlNtStatusToDosError turns back into the error itself. */
#define NTSTATUS_FROM_ERROR(error) (0xc0070000u | ((uint32_t)(error) & 0xffffu))

uint32_t ntstatus_from_wsa_error(uint32_t error);

/* The Winsock error WSAGetOverlappedResult reports for a status, as Wine's
 * ws2_32 reports it: its table, WSAEINVAL for another error status; false
 * for another success or informational status, which Windows turns into an
 * error with RtlNtStatusToDosError (a platform call, left to the caller). */
bool ntstatus_to_wsa_error(uint32_t status, uint32_t *error);

#endif
