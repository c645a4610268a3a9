#include "core/http/StreamRedactor.h"

#include <algorithm>
#include <cstring>

namespace keyway {

StreamRedactor::StreamRedactor(const Redactor& redactor, Output output)
    : m_redactor(redactor), m_output(std::move(output)), m_needles(redactor.byteNeedles())
{
    m_lookahead = 4;
    for (const QByteArray& needle : std::as_const(m_needles)) {
        m_lookahead = std::max(m_lookahead, needle.size());
    }
}

bool StreamRedactor::mayRedact(const char* data, qsizetype length) const
{
    // glibc's memmem, once per needle over a window that is still in the cache.
    return std::any_of(m_needles.cbegin(), m_needles.cend(), [&](const QByteArray& needle) {
        return memmem(data, size_t(length), needle.constData(), size_t(needle.size())) != nullptr;
    });
}

bool StreamRedactor::write(const QByteArray& bytes)
{
    if (m_pending.isEmpty()) {
        m_pending = bytes; // shared, not copied
    } else {
        m_pending += bytes;
    }
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
    bool ok = true;
    if (!mayRedact(m_pending.constData(), length)) {
        ok = m_output(QByteArray::fromRawData(m_pending.constData(), length)); // no copy: written out at once
    } else {
        // As for a whole body: unchanged bytes when nothing was redacted, else the redacted text.
        const QByteArray window = m_pending.left(length);
        const QString redacted = m_redactor.redact(window);
        ok = m_output(redacted == QString::fromUtf8(window) ? window : redacted.toUtf8());
    }
    if (length == m_pending.size()) {
        m_pending.clear();
    } else {
        m_pending.remove(0, length);
    }
    return ok;
}

} // namespace keyway
