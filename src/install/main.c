/* sharelsp-install: install, remove, list and verify ShareLSP in the Winsock
 * catalog. Built against ws2_32 for Windows, and against wsphost for tests. */
#include "install.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

static const char usage[] =
    "usage: sharelsp-install COMMAND [OPTIONS] [--guid GUID --name NAME]\n"
    "\n"
    "--guid, --name: the provider is a layer's DLL built on ShareLSP (sharelsp_add_layer),\n"
    "installed under its own provider GUID ({xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}; its chains\n"
    "take the GUID with the last byte plus one) and name (at most 40 characters); every\n"
    "command then works on that provider's entries. Default: ShareLSP's own.\n"
    "\n"
    "commands:\n"
    "  install [--over tcp,udp,tcp6,udp6 | --all] [--path DLL] [--path32 DLL] [--legacy-api]\n"
    "      add ShareLSP's hidden layered entry and one chain entry per base protocol it\n"
    "      layers over (default: tcp,udp,tcp6,udp6), first in the catalog order; on a\n"
    "      64-bit Windows into both catalogs, the 64-bit and the 32-bit one.\n"
    "      --path (or --dll): the provider DLL (default: sharelsp.dll beside this program).\n"
    "      --path32: the 32-bit one, for the 32-bit catalog (default: the --path given,\n"
    "      which redirection maps for 32-bit programs under %SystemRoot%\\System32, else\n"
    "      ..\\x86\\sharelsp.dll beside this program). Refused if it is not a 32-bit DLL.\n"
    "      --legacy-api: WSCInstallProvider + WSCWriteProviderOrder even where the chains\n"
    "      API exists (one catalog only). Installing twice changes nothing.\n"
    "  remove   take ShareLSP's entries out, repairing the chains of any LSP layered over it\n"
    "  list     the catalog in order, with ids, chains and flags; ShareLSP's entries marked *\n"
    "  verify [--installer32 EXE]\n"
    "           check ShareLSP's entries are consistent and its DLL loads; on a 64-bit\n"
    "           Windows the 32-bit catalog too, by the 32-bit sharelsp-install (default:\n"
    "           ..\\x86\\sharelsp-install.exe beside this program)\n"
    "\n"
    "exit codes: 0 done; 2 usage; 3 the catalog cannot be read; 4 refused (a base protocol\n"
    "is missing, or ShareLSP is partly installed); 5 a step failed and the catalog was\n"
    "restored; 6 a step failed and the catalog could not be restored; 7 the platform\n"
    "reported success but kept nothing; 8 verify found ShareLSP's entries inconsistent.\n"
    "Changing the catalog needs administrator rights on Windows.\n";

static int usage_error(const char *what)
{
    fprintf(stderr, "sharelsp-install: %s\n\n%s", what, usage);
    return EXIT_USAGE;
}

/* name in this program's folder; names may climb (..\\x86\\...). */
static void beside_self(WCHAR *path, const WCHAR *name)
{
    GetModuleFileNameW(NULL, path, MAX_PATH);
    WCHAR *slash = wcsrchr(path, L'\\');
    WCHAR *at = slash ? slash + 1 : path;
    if ((size_t)(at - path) + wcslen(name) < MAX_PATH)
        wcscpy(at, name);
}

static int parse_install(int argc, char **argv, install_options *o)
{
    memset(o, 0, sizeof *o);
    o->protocols = PLAN_TCP | PLAN_UDP | PLAN_TCP6 | PLAN_UDP6;
    beside_self(o->path, L"sharelsp.dll");
    beside_self(o->path32, L"..\\x86\\sharelsp.dll");
    bool over = false, all = false, path32 = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--over") == 0 && i + 1 < argc) {
            if (planner_parse_protocols(argv[++i], &o->protocols) != CORE_OK)
                return usage_error("--over takes a list of tcp, udp, tcp6, udp6");
            over = true;
        } else if (strcmp(argv[i], "--all") == 0) {
            o->protocols = PLAN_ALL_BASES;
            all = true;
        } else if ((strcmp(argv[i], "--path") == 0 || strcmp(argv[i], "--dll") == 0) && i + 1 < argc) {
            if (MultiByteToWideChar(CP_ACP, 0, argv[++i], -1, o->path, MAX_PATH) == 0)
                return usage_error("--path is too long");
            if (!path32)
                wcscpy(o->path32, o->path);
        } else if (strcmp(argv[i], "--path32") == 0 && i + 1 < argc) {
            if (MultiByteToWideChar(CP_ACP, 0, argv[++i], -1, o->path32, MAX_PATH) == 0)
                return usage_error("--path32 is too long");
            path32 = true;
        } else if (strcmp(argv[i], "--legacy-api") == 0) {
            o->legacy_api = true;
        } else {
            return usage_error("unknown option for install");
        }
    }
    if (over && all)
        return usage_error("--over and --all exclude each other");
    return EXIT_OK;
}

/* Takes --guid and --name out of argv, wherever they are, for every
 * command: they say which provider the command is about. */
static int parse_identity(int *argc, char **argv)
{
    const char *guid = NULL, *name = NULL;
    int kept = 1;
    for (int i = 1; i < *argc; i++) {
        if ((strcmp(argv[i], "--guid") == 0 || strcmp(argv[i], "--name") == 0) && i + 1 < *argc) {
            *(argv[i][2] == 'g' ? &guid : &name) = argv[i + 1];
            i++;
        } else {
            argv[kept++] = argv[i];
        }
    }
    *argc = kept;
    if (!install_identity_set(guid, name))
        return usage_error("--guid takes {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}, --name 1 to 40 characters");
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    int identity = parse_identity(&argc, argv);
    if (identity != EXIT_OK)
        return identity;
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *command = argv[1];
    if (strcmp(command, "install") == 0) {
        install_options o;
        int code = parse_install(argc, argv, &o);
        return code != EXIT_OK ? code : command_install(&o);
    }
    if (strcmp(command, "verify") == 0) {
        WCHAR installer32[MAX_PATH];
        beside_self(installer32, L"..\\x86\\sharelsp-install.exe");
        if (argc == 4 && strcmp(argv[2], "--installer32") == 0) {
            if (MultiByteToWideChar(CP_ACP, 0, argv[3], -1, installer32, MAX_PATH) == 0)
                return usage_error("--installer32 is too long");
        } else if (argc != 2) {
            return usage_error("verify takes only --installer32 EXE");
        }
        return command_verify(installer32);
    }
    if (argc > 2)
        return usage_error("this command takes no options");
    if (strcmp(command, "remove") == 0)
        return command_remove();
    if (strcmp(command, "list") == 0)
        return command_list();
    return usage_error("unknown command");
}
