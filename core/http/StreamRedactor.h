#pragma once

#include "core/http/Redactor.h"

#include <QByteArray>

#include <functional>

namespace keyway {

// Redacts a body that arrives in pieces (keyway-cli call streaming a reply to stdout) with the same rules as
// Redactor::redact on the whole: it holds bytes back until a window ends at a separator (a line break, or
// `,` `}` `]` of JSON), so a secret or a token is never cut in two between windows. A window with nothing
// to redact is passed on byte for byte (binary bodies arrive unchanged, as with a whole body); one that
// holds a secret is passed on redacted, as UTF-8 text.
class StreamRedactor
{
public:
    // Windows are about this long; a body without any separator is cut at MaxWindowBytes regardless.
    static constexpr qsizetype WindowBytes = 1024 * 1024;
    static constexpr qsizetype MaxWindowBytes = 16 * 1024 * 1024;

    using Output = std::function<bool(const QByteArray&)>;
    StreamRedactor(const Redactor& redactor, Output output);

    bool write(const QByteArray& bytes); // false once the output failed
    bool finish(); // passes on what is held back

private:
    bool emit(qsizetype length);
    bool mayRedact(const char* data, qsizetype length) const;

    const Redactor& m_redactor;
    Output m_output;
    QList<QByteArray> m_needles; // Redactor::byteNeedles(), taken once: a stream's secrets are known at its start
    QByteArray m_pending;
    qsizetype m_lookahead = 0;
};

} // namespace keyway
