/* What every cmocka unit test includes, in the order cmocka needs. */
#ifndef SHARELSP_TESTS_UNIT_H
#define SHARELSP_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
