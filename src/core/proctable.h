/* The provider proc table (WSPPROC_TABLE) as the core sees it: 30 function
 * pointers in the order ws2spi.h declares them. sharelsp.dll checks the
 * lower provider's table with it, wsphost every provider's. */
#ifndef SHARELSP_CORE_PROCTABLE_H
#define SHARELSP_CORE_PROCTABLE_H

#include <stddef.h>

#define PROCTABLE_ENTRIES 30u

/* The entry names, "WSPAccept" .. "WSPStringToAddress", in table order. */
extern const char *const proctable_names[PROCTABLE_ENTRIES];

/* The name of the first entry of table that is NULL, or NULL when every
 * entry is set. table points at PROCTABLE_ENTRIES function pointers. */
const char *proctable_first_missing(const void *table);

#endif
