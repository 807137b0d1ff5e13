/* jmemmgr.c includes this macro as a header to silence one compiler warning;
   any harmless header will do. */
#define DCMTK_DIAGNOSTIC_IGNORE_CONST_EXPRESSION_WARNING <stddef.h>
