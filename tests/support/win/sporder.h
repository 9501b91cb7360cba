/* Everything the native build needs of <sporder.h> is in <winsock2.h>. */
#include <winsock2.h>
