/* Writes the seed corpora of the fuzz targets into DIR/<target>/: small
 * valid inputs made by the real encoders (token_encode, block_init and the
 * block's writers, catalog_format, the base entries wsphost starts a catalog
 * with), and a few edge cases beside them. Run from the native-fuzz build:
 *   build/native-fuzz/tests/fuzz/fuzz_seeds tests/fuzz/corpus */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "block.h"
#include "catalog.h"
#include "fuzz_inputs.h"
#include "install.h"
#include "planner.h"
#include "slot.h"
#include "token.h"

static const char *root;

static void put(const char *target, const char *name, const void *bytes, size_t size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, target);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/%s", root, target, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(bytes, 1, size, f) != size || fclose(f) != 0) {
        fprintf(stderr, "fuzz_seeds: cannot write %s\n", path);
        exit(1);
    }
}

/* A byte of selector or mode, then the bytes. */
static void put_after(const char *target, const char *name, uint8_t first, const void *bytes, size_t size)
{
    uint8_t *buf = malloc(size + 1);
    buf[0] = first;
    memcpy(buf + 1, bytes, size);
    put(target, name, buf, size + 1);
    free(buf);
}

static const dup_token cross = {.shared_id = 0x0000123400000005ull, .source_pid = 0x1234, .target_pid = 0x5678,
                                .section = 0x2c4, .nonce = 0x8899aabbccddeeffull, .catalog_entry = 1007};

static void token_seeds(void)
{
    uint8_t buf[TOKEN_SIZE + 16];
    memset(buf, 0, sizeof buf);
    token_encode(&cross, buf, sizeof buf);
    put("fuzz_token", "cross_process", buf, TOKEN_SIZE);
    put("fuzz_token", "longer_buffer", buf, sizeof buf);
    put("fuzz_token", "one_short", buf, TOKEN_SIZE - 1);
    dup_token same = cross;
    same.target_pid = same.source_pid;
    same.section = 0;
    token_encode(&same, buf, sizeof buf);
    put("fuzz_token", "same_process", buf, TOKEN_SIZE);
    memset(buf, 0, sizeof buf);
    put("fuzz_token", "zeros", buf, TOKEN_SIZE);
}

/* The same seeds from every run: registrations name a fixed owner, not
 * this process. */
static void fixed_owner(shared_block *block)
{
    for (int i = 0; i < BLOCK_RECORDS; i++)
        block->slots[i].owner_pid = block->slots[i].owner_pid ? 0x1234 : 0;
}

static void block_seeds(void)
{
    static shared_block block;
    block_init(&block, 0x0000123400000005ull);
    put_after("fuzz_block", "block_fresh", 0, &block, sizeof block);
    put_after("fuzz_block", "block_half_mapped", 0, &block, sizeof block / 2);
    block_descriptor_added(&block);
    block_descriptor_added(&block);
    block_set_tag(&block, "a tag", 5);
    block_count_send(&block, 100);
    slot_registration async = {.kind = SLOT_ASYNC, .event_mask = 0x23, .descriptor = 0x104, .window = 0x10044,
                               .message = 0x401, .notice = 0x8001};
    slot_register(&block, &async, NULL, NULL);
    fixed_owner(&block);
    put_after("fuzz_block", "block_async", 0, &block, sizeof block);
    slot_registration event = {.kind = SLOT_EVENT, .event_mask = 0x1, .descriptor = 0x108, .event = 0x2a8};
    slot_register(&block, &event, NULL, NULL);
    block_set_tag(&block, "a longer tag, published again", 29);
    fixed_owner(&block);
    put_after("fuzz_block", "block_event", 0, &block, sizeof block);
    /* Found by fuzz_block (test_block): counters beyond 60 bits. */
    block.tag.sequence = block.slot.sequence = 0x1234000000050000ull;
    put_after("fuzz_block", "block_sequence_beyond_60_bits", 0, &block, sizeof block);

    ticket_input in;
    memset(&in, 0, sizeof in);
    in.header.magic = TICKET_MAGIC;
    in.header.version = TICKET_VERSION;
    in.header.size = in.ticket_size = 760;
    token_encode(&cross, in.header.token, sizeof in.header.token);
    in.pid = cross.target_pid;
    in.section = cross.section;
    in.nonce = cross.nonce;
    in.catalog_entry = cross.catalog_entry;
    put_after("fuzz_block", "ticket_ours", 1, &in, sizeof in);
    in.pid++;
    put_after("fuzz_block", "ticket_other_process", 1, &in, sizeof in);
}

static void pending_seeds(void)
{
    /* op (0 add, 1 take, 2 take any), reference, nonce */
    static const uint8_t add_take[] = {0, 5, 1, 0, 6, 2, 1, 5, 1, 1, 6, 3, 2, 0, 0};
    static const uint8_t collide[] = {0, 5, 1, 0, 5, 2, 1, 5, 2, 1, 5, 1, 0, 0, 1, 0, 7, 0};
    put("fuzz_pending", "add_take", add_take, sizeof add_take);
    put("fuzz_pending", "collide", collide, sizeof collide);
}

/* The planner target's entry (fuzz_planner.c: entry_from). */
static void planner_entry(uint8_t *b, uint8_t id, uint8_t guid, int8_t chain_len, const uint8_t chain[7],
                          uint8_t kind)
{
    memset(b, 0, PLANNER_ENTRY_BYTES);
    b[0] = id;
    b[1] = guid;
    b[2] = (uint8_t)chain_len;
    if (chain != NULL)
        memcpy(b + 3, chain, 7);
    b[10] = kind;
    b[11] = 5 << 2; /* a name of 20 letters */
}

static void planner_seeds(void)
{
    enum { E = PLANNER_ENTRY_BYTES };
    /* kind bits: 1 IPv6, 4 stream/TCP (else datagram/UDP), 8 protocol 0 */
    uint8_t buf[1 + E * 8];
    uint8_t *e = buf + 1;
    buf[0] = 0x0f; /* tcp, udp, tcp6, udp6 */
    planner_entry(e + 0 * E, 10, 2, 1, NULL, 4);
    planner_entry(e + 1 * E, 11, 2, 1, NULL, 0);
    planner_entry(e + 2 * E, 12, 2, 1, NULL, 8);
    planner_entry(e + 3 * E, 13, 2, 1, NULL, 5);
    planner_entry(e + 4 * E, 14, 2, 1, NULL, 1);
    put("fuzz_planner", "windows_bases", buf, 1 + 5 * E);
    /* ShareLSP installed: its layered entry 20 and chains over 10 and 11. */
    static const uint8_t over10[7] = {20, 10}, over11[7] = {20, 11};
    planner_entry(e + 5 * E, 20, 0, 0, NULL, 4);
    planner_entry(e + 6 * E, 21, 1, 2, over10, 4);
    planner_entry(e + 7 * E, 22, 1, 2, over11, 0);
    buf[0] = 0x03;
    put("fuzz_planner", "sharelsp_installed", buf, sizeof buf);
    /* Another LSP (30, 31) over ShareLSP's chain: repaired on removal. */
    uint8_t more[sizeof buf + 2 * E];
    memcpy(more, buf, sizeof buf);
    static const uint8_t other[7] = {30, 20, 10};
    planner_entry(more + sizeof buf, 30, 3, 0, NULL, 4);
    planner_entry(more + sizeof buf + E, 31, 3, 3, other, 4);
    put("fuzz_planner", "lsp_over_sharelsp", more, sizeof more);
    /* Found by fuzz_planner (test_planner): that chain claiming 8 links. */
    more[sizeof buf + E + 2] = 8;
    put("fuzz_planner", "chain_of_eight_links", more, sizeof more);
    /* The protocols as --over names them. */
    static const char text[] = "\x80tcp,udp6\n";
    uint8_t named[sizeof text - 1 + 5 * E];
    memcpy(named, text, sizeof text - 1);
    memcpy(named + sizeof text - 1, e, 5 * E);
    put("fuzz_planner", "protocols_named", named, sizeof named);
}

/* The base entries a fresh wsphost catalog holds, then ShareLSP's layered
 * entry and a chain over the first, as sharelsp-install adds them. */
static void sample_catalog(catalog *cat)
{
    catalog_init(cat);
    DWORD id;
    catalog_add_base_entries(cat, L"C:\\windows\\system32\\wspbase.dll");
    WSAPROTOCOL_INFOW layered = cat->entries[0].info;
    memcpy(&layered.ProviderId, &install_layered_guid, sizeof layered.ProviderId);
    layered.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    layered.dwProviderFlags = PFL_HIDDEN;
    wcscpy(layered.szProtocol, L"ShareLSP");
    catalog_append(cat, &layered, L"%SystemRoot%\\system32\\sharelsp.dll", &id);
    WSAPROTOCOL_INFOW chain = cat->entries[0].info;
    memcpy(&chain.ProviderId, &install_chain_guid, sizeof chain.ProviderId);
    chain.ProtocolChain.ChainLen = 2;
    chain.ProtocolChain.ChainEntries[0] = id;
    chain.ProtocolChain.ChainEntries[1] = cat->entries[0].info.dwCatalogEntryId;
    wcscpy(chain.szProtocol, L"ShareLSP over [wspbase Tcpip [TCP/IP]] \x00e9\x4e2d");
    catalog_append(cat, &chain, L"%SystemRoot%\\system32\\sharelsp.dll", &id);
}

static void catalog_seeds(void)
{
    catalog cat;
    catalog_init(&cat);
    catalog_add_base_entries(&cat, L"C:\\windows\\system32\\wspbase.dll");
    size_t length;
    char *text = catalog_format(&cat, &length);
    put("fuzz_catalog_file", "fresh", text, length);
    free(text);
    catalog_free(&cat);
    sample_catalog(&cat);
    text = catalog_format(&cat, &length);
    put("fuzz_catalog_file", "sharelsp_installed", text, length);
    /* The same with CRLF line ends, as an editor on Windows may save it. */
    char *crlf = malloc(length * 2);
    size_t n = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '\n')
            crlf[n++] = '\r';
        crlf[n++] = text[i];
    }
    put("fuzz_catalog_file", "crlf", crlf, n);
    free(crlf);
    free(text);
    static const char empty[] = "wsphost-catalog 1\nnext-id\t1001\n";
    put("fuzz_catalog_file", "no_entries", empty, sizeof empty - 1);

    /* The same catalog as WSCEnumProtocols lists it, for the installer's
     * reader; mode 0x0f plans for tcp, udp, tcp6 and udp6. */
    WSAPROTOCOL_INFOW infos[8];
    size_t count = cat.count < 8 ? cat.count : 8;
    for (size_t i = 0; i < count; i++)
        infos[i] = cat.entries[i].info;
    put_after("fuzz_install_catalog", "sharelsp_installed", 0x0f, infos, count * sizeof *infos);
    put_after("fuzz_install_catalog", "bases", 0x0f, infos, 4 * sizeof *infos);
    put_after("fuzz_install_catalog", "grows_between_calls", 0x2f, infos, 4 * sizeof *infos);
    /* Found by fuzz_install_catalog (test_install_catalog): a name with no
     * NUL in the last entry, and one longer in UTF-8 than a plan entry holds. */
    for (size_t k = 0; k <= WSAPROTOCOL_LEN; k++) {
        infos[0].szProtocol[k] = 0x4e2d;
        infos[3].szProtocol[k] = L'x';
    }
    put_after("fuzz_install_catalog", "names_too_long", 0x0f, infos, 4 * sizeof *infos);
    catalog_free(&cat);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz_seeds DIR\n");
        return 2;
    }
    root = argv[1];
    mkdir(root, 0755);
    token_seeds();
    block_seeds();
    pending_seeds();
    planner_seeds();
    catalog_seeds();
    return 0;
}
