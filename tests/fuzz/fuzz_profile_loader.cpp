// Any bytes as a provider profile: the loader answers a profile or errors, never crashes or hangs.
#include "core/profile/ProfileLoader.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char*>(data), qsizetype(size));
    QList<keyway::ProfileError> errors;
    const auto profile = keyway::ProfileLoader::parse(json, QStringLiteral("fuzz.json"), &errors);
    if (!profile && errors.isEmpty()) {
        __builtin_trap(); // a refusal always says why
    }
    for (const auto& e : std::as_const(errors)) {
        (void)e.toString();
    }
    return 0;
}
