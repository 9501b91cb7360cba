/* sharelsp.dll's layer: no hooks, so every path costs what it did before
 * layers existed (one test of a constant per hook site). */
#include <sharelsp/layer.h>

SHARELSP_LAYER = {.name = "sharelsp"};
