#include "lower_io.h"

#include <stdlib.h>

struct lower_io {
    PTP_IO io;
    bool skips;         /* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS is set on the socket */
    volatile LONG refs; /* the object's, and one per request started on it */
};

/* object->lower_io once binding was refused, or after the lower close. */
#define LOWER_IO_NONE ((lower_io *)(uintptr_t)1)

/* Guards the objects' lower_io fields: taken shared by every request (to
 * take a reference), exclusive to bind or detach. */
static SRWLOCK bind_lock = SRWLOCK_INIT;

static lower_io *lower_io_bind(sock_object *object, PTP_WIN32_IO_CALLBACK callback)
{
    lower_io *io = calloc(1, sizeof *io);
    if (io == NULL)
        return LOWER_IO_NONE;
    io->refs = 1;
    HANDLE socket = (HANDLE)lsp_lower_socket(object);
    io->io = CreateThreadpoolIo(socket, callback, io, NULL);
    if (io->io == NULL) {
        free(io);
        return LOWER_IO_NONE;
    }
    /* A request done in its call is finished by the call itself: its packet
     * would only wake a pool thread to let go of it. Only a base provider's
     * handle (XP1_IFS_HANDLES) completes by the system's rules, which the
     * flag relies on; a layer's upcall handle may post every completion
     * (wsphost's do), as Windows documents. Set once the binding is ours,
     * so it never changes how another process's binding posts. */
    io->skips = (lsp_socket_entry(object)->lower_info.dwServiceFlags1 & XP1_IFS_HANDLES) != 0 &&
                SetFileCompletionNotificationModes(socket, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
    return io;
}

lower_io *lower_io_get(sock_object *object, PTP_WIN32_IO_CALLBACK callback)
{
    AcquireSRWLockShared(&bind_lock);
    lower_io *io = object->lower_io;
    if (io != NULL && io != LOWER_IO_NONE)
        InterlockedIncrement(&io->refs);
    ReleaseSRWLockShared(&bind_lock);
    if (io != NULL)
        return io == LOWER_IO_NONE ? NULL : io;
    AcquireSRWLockExclusive(&bind_lock);
    io = object->lower_io;
    if (io == NULL) {
        io = lower_io_bind(object, callback);
        object->lower_io = io;
    }
    if (io != LOWER_IO_NONE)
        InterlockedIncrement(&io->refs);
    ReleaseSRWLockExclusive(&bind_lock);
    return io == LOWER_IO_NONE ? NULL : io;
}

bool lower_io_skips(const lower_io *io) { return io->skips; }

void lower_io_expect(lower_io *io) { StartThreadpoolIo(io->io); }

void lower_io_unexpect(lower_io *io) { CancelThreadpoolIo(io->io); }

void lower_io_release(lower_io *io)
{
    if (InterlockedDecrement(&io->refs) != 0)
        return;
    /* No request of ours is outstanding on it: nothing more reaches the
     * callback. The file stays bound to the port until it is closed. */
    CloseThreadpoolIo(io->io);
    free(io);
}

void lower_io_detach(sock_object *object)
{
    AcquireSRWLockExclusive(&bind_lock);
    lower_io *io = object->lower_io;
    object->lower_io = LOWER_IO_NONE;
    ReleaseSRWLockExclusive(&bind_lock);
    if (io != NULL && io != LOWER_IO_NONE)
        lower_io_release(io);
}
