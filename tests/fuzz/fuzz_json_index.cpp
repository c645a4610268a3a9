// The inspector's lazy index over any bytes, then over every child it reports: ranges stay inside the
// document and a broken document is an error, never a crash.
#include "core/json/JsonIndex.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray document(reinterpret_cast<const char*>(data), qsizetype(size));
    const auto root = keyway::json::indexValue(document);
    if (!root.ok) {
        return 0;
    }
    const quint64 total = quint64(document.size());
    for (const auto& child : root.children) {
        if (child.valueOffset + child.valueLength > total
            || (child.hasKey && child.keyOffset + child.keyLength > total)) {
            __builtin_trap(); // a range outside the document would be read by the tree model
        }
        const auto inner = keyway::json::indexValue(document, child.valueOffset, child.valueLength);
        (void)inner;
        (void)keyway::json::typeName(child.type);
    }
    return 0;
}
