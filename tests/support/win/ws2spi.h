/* Everything the native build needs of <ws2spi.h> is in <winsock2.h>. */
#include <winsock2.h>
