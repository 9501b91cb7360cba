/* Installs ShareLSP over wspbase in the catalog WSPHOST_CATALOG names, so
 * that the conformance programs can run with ShareLSP in the chain. */
#include "spi.h"

#include <stdio.h>

int main(void)
{
    if (spi_install_sharelsp() != 0)
        return 1;
    printf("ShareLSP installed, layered entry %lu\n", (unsigned long)spi_layered_id);
    return 0;
}
