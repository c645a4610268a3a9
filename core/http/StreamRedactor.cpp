#include "core/http/StreamRedactor.h"

#include <algorithm>

namespace keyway {

StreamRedactor::StreamRedactor(const Redactor& redactor, Output output)
    : m_redactor(redactor)
    , m_output(std::move(output))
    , m_lookahead(std::max<qsizetype>(redactor.longestSecretBytes(), 4))
{
}

bool StreamRedactor::write(const QByteArray& bytes)
{
    m_pending += bytes;
    while (m_pending.size() >= WindowBytes + m_lookahead) {
        // The last separator before the lookahead: a window never ends inside a secret or a token that the
        // bytes after it could still complete.
        const qsizetype limit = m_pending.size() - m_lookahead;
        qsizetype cut = -1;
        for (qsizetype i = limit - 1; i >= 0 && cut < 0; --i) {
            const char c = m_pending.at(i);
            if (c == '\n' || c == ',' || c == '}' || c == ']') {
                cut = i + 1;
            }
        }
        if (cut < 0) {
            if (m_pending.size() < MaxWindowBytes) {
                return true; // wait for a separator
            }
            cut = limit;
            while (cut > 0 && (static_cast<unsigned char>(m_pending.at(cut)) & 0xC0) == 0x80) {
                --cut; // never between the bytes of one UTF-8 character
            }
        }
        if (!emit(cut)) {
            return false;
        }
    }
    return true;
}

bool StreamRedactor::finish()
{
    return emit(m_pending.size());
}

bool StreamRedactor::emit(qsizetype length)
{
    if (length <= 0) {
        return true;
    }
    const QByteArray window = m_pending.left(length);
    m_pending.remove(0, length);
    if (!m_redactor.mayRedact(window)) {
        return m_output(window);
    }
    // As for a whole body: unchanged bytes when nothing was redacted, else the redacted text.
    const QString redacted = m_redactor.redact(window);
    return m_output(redacted == QString::fromUtf8(window) ? window : redacted.toUtf8());
}

} // namespace keyway
