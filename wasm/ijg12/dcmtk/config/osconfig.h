/* What DCMTK's CMake configure step would find for a wasm32 build, limited to
   the symbols libijg12's jconfig12.h reads (it includes this file by name). */
#define HAVE_C_CONST 1
#define HAVE_STDDEF_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRING_H 1
#define HAVE_SYS_TYPES_H 1
#define C_INLINE inline
