/*
 * A stand-in for libklarna_om.so in the launcher's tests (launcher_test.c): it answers om_abi_version() with FAKE_ABI
 * and om_version() with "9.9.9", and has no operations. Built twice by scripts/test-c: with another C ABI than the
 * header's, and with the header's (then the launcher finds no om_<operation>).
 */
#include "klarna_om.h"

int32_t om_abi_version(void) { return FAKE_ABI; }

const char *om_version(void) { return "9.9.9"; }
