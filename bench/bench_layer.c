/* bench_layer.dll: a layer with a hook on close only, for bench_chain's
 * figure of what a layer costs on the paths of the hooks it leaves NULL
 * (send, recv): it should cost what sharelsp.dll, the layer with no hooks,
 * costs there. */
#include <sharelsp/layer.h>

/* Counts the socket's closes in its storage: work a real layer might do,
 * on a path the figure does not measure. */
static void bench_layer_close(const sharelsp_socket *s, sharelsp_close_kind kind)
{
    if (kind == SHARELSP_CLOSE_LAST_IN_PROCESS)
        InterlockedIncrement64(&s->storage[0]);
}

SHARELSP_LAYER = {
    .name = "bench_layer",
    .close = bench_layer_close,
};
