/* Everything the native build needs of <ws2tcpip.h> is in <winsock2.h>. */
#include <winsock2.h>
