# Writes OUT: `extern const char* const SYMBOL` in NAMESPACE holding the text of FILE.
file(READ ${FILE} text)
file(WRITE ${OUT} "namespace ${NAMESPACE} {\nextern const char* const ${SYMBOL};\n"
                  "const char* const ${SYMBOL} = R\"chainhub_file(${text})chainhub_file\";\n}\n")
