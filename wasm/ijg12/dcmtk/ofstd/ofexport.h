/* libijg12 is linked statically into one module: no symbol export attributes. */
#define DCMTK_DECL_EXPORT
#define DCMTK_DECL_IMPORT
