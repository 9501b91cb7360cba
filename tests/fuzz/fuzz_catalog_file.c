/* The host's catalog file parser (catalog_parse in src/host/catalog.c, which
 * catalog_file_load hands the file's bytes) on arbitrary text, built
 * natively with the stand-ins of win/. A text it accepts formats
 * (catalog_format) into a text that parses again to the same catalog and
 * formats to the same bytes: the file wsphost writes is read back as it was
 * written. A text it refuses leaves the catalog empty and says why. */
#include "fuzz.h"

#include <string.h>

#include "catalog.h"

static bool same_catalog(const catalog *a, const catalog *b)
{
    return a->count == b->count && a->next_id == b->next_id &&
           (a->count == 0 || memcmp(a->entries, b->entries, a->count * sizeof *a->entries) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    catalog cat, again;
    catalog_error err;
    if (!catalog_parse(&cat, (const char *)data, size, &err)) {
        FUZZ_CHECK(cat.count == 0 && cat.entries == NULL);
        FUZZ_CHECK(err.text[0] != '\0' && memchr(err.text, '\0', sizeof err.text) != NULL);
        return 0;
    }
    size_t length = 0;
    char *text = catalog_format(&cat, &length);
    FUZZ_CHECK(text != NULL && strlen(text) == length);
    FUZZ_CHECK(catalog_parse(&again, text, length, &err));
    size_t length2 = 0;
    char *text2 = catalog_format(&again, &length2);
    FUZZ_CHECK(text2 != NULL && length2 == length && memcmp(text, text2, length) == 0);
    /* Names and paths with a tab, CR or LF cannot be written as they are
     * (catalog_format turns them into spaces); every other field can. */
    FUZZ_CHECK(again.count == cat.count && again.next_id == cat.next_id);
    catalog third;
    FUZZ_CHECK(catalog_parse(&third, text2, length2, &err));
    FUZZ_CHECK(same_catalog(&again, &third));
    catalog_free(&third);
    free(text2);
    free(text);
    catalog_free(&again);
    catalog_free(&cat);
    return 0;
}
