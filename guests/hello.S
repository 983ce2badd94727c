/*
 * hello: prints "Hello from popek\n" through the HTIF console and exits 0.
 */
#include "test.h"

  TEST_BEGIN

  PUTS("Hello from popek\n")
  TEST_PASS
