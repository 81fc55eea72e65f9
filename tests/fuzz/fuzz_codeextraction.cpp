// Fuzzes the paste-to-code extraction of the code input (extractCode()).
//
// Input: byte 0 bit 0 picks the encoding (UTF-8 or raw UTF-16), the rest is the clipboard.
#include "CodeExtraction.h"
#include "FuzzSupport.h"

using namespace waotp;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const QString text = fuzz::decodeText(data + 1, size - 1, data[0] & 1);
    const std::optional<QString> code = extractCode(text);
    if (!code)
        return 0;
    if (code->size() != 6)
        fuzz::fail("a code that is not six characters");
    for (const QChar c : *code) {
        if (c < u'0' || c > u'9')
            fuzz::fail("a code with a character that is not an ASCII digit");
    }
    if (extractCode(*code) != code)
        fuzz::fail("an extracted code does not extract to itself");
    return 0;
}
