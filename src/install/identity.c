/* Which provider the installer installs: ShareLSP, or a layer's DLL built
 * with sharelsp_add_layer under its own GUID and name (--guid, --name). */
#include "install.h"

#include <stdio.h>
#include <string.h>

bool install_identity_set(const char *guid, const char *name)
{
    if (guid != NULL) {
        unsigned int d1, d2, d3, d4[8];
        char end = 0;
        if (strlen(guid) != 38 ||
            sscanf(guid, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}%c", &d1, &d2, &d3, &d4[0], &d4[1], &d4[2], &d4[3],
                   &d4[4], &d4[5], &d4[6], &d4[7], &end) != 11)
            return false;
        GUID g = {d1, (unsigned short)d2, (unsigned short)d3, {0}};
        for (int i = 0; i < 8; i++)
            g.Data4[i] = (unsigned char)d4[i];
        install_layered_guid = g;
        g.Data4[7]++;
        install_chain_guid = g;
    }
    if (name != NULL) {
        size_t n = strlen(name);
        if (n == 0 || n > INSTALL_NAME_MAX ||
            MultiByteToWideChar(CP_ACP, 0, name, -1, install_name, INSTALL_NAME_MAX + 1) == 0)
            return false;
    }
    return true;
}

void install_identity_rename(char *plan_name, size_t capacity)
{
    static const char ours[] = "ShareLSP";
    if (strncmp(plan_name, ours, sizeof ours - 1) != 0)
        return;
    char renamed[256];
    snprintf(renamed, sizeof renamed, "%ls%s", install_name, plan_name + sizeof ours - 1);
    snprintf(plan_name, capacity, "%s", renamed);
}
