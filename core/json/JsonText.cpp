#include "core/json/JsonText.h"

namespace keyway::json {

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Reads 4 hex digits at raw[i]; -1 when they are not there.
int readHex4(const char* raw, qsizetype i, qsizetype length)
{
    if (i + 4 > length) {
        return -1;
    }
    int value = 0;
    for (qsizetype k = i; k < i + 4; ++k) {
        const int digit = hexValue(raw[k]);
        if (digit < 0) {
            return -1;
        }
        value = value * 16 + digit;
    }
    return value;
}

} // namespace

QString unescapeString(const char* raw, qsizetype length, qsizetype maxChars, bool* truncated)
{
    if (truncated) {
        *truncated = false;
    }
    QString out;
    QByteArray pendingUtf8; // runs of plain bytes are decoded together so multi-byte UTF-8 stays intact
    auto flush = [&] {
        if (!pendingUtf8.isEmpty()) {
            out += QString::fromUtf8(pendingUtf8);
            pendingUtf8.clear();
        }
    };
    qsizetype i = 0;
    while (i < length) {
        if (maxChars >= 0 && out.size() + pendingUtf8.size() >= maxChars) {
            flush();
            if (out.size() >= maxChars) {
                out.truncate(maxChars);
                if (truncated) {
                    *truncated = true;
                }
                return out;
            }
        }
        const char c = raw[i];
        if (c != '\\' || i + 1 >= length) {
            pendingUtf8.append(c);
            ++i;
            continue;
        }
        flush();
        const char e = raw[i + 1];
        i += 2;
        switch (e) {
        case 'n':
            out += QLatin1Char('\n');
            break;
        case 't':
            out += QLatin1Char('\t');
            break;
        case 'r':
            out += QLatin1Char('\r');
            break;
        case 'b':
            out += QLatin1Char('\b');
            break;
        case 'f':
            out += QLatin1Char('\f');
            break;
        case 'u': {
            const int unit = readHex4(raw, i, length);
            if (unit < 0) {
                out += QStringLiteral("\\u");
                break;
            }
            i += 4;
            out += QChar(static_cast<char16_t>(unit));
            break;
        }
        default: // \" \\ \/ and anything unknown: the character itself
            out += QLatin1Char(e);
            break;
        }
    }
    flush();
    if (maxChars >= 0 && out.size() > maxChars) {
        out.truncate(maxChars);
        if (truncated) {
            *truncated = true;
        }
    }
    return out;
}

QString pointerToken(const QString& key)
{
    QString token = key;
    token.replace(QLatin1Char('~'), QLatin1String("~0"));
    token.replace(QLatin1Char('/'), QLatin1String("~1"));
    return token;
}

QByteArray prettyPrint(const QByteArray& json, qsizetype maxOutputBytes, bool* truncated, int indent)
{
    if (truncated) {
        *truncated = false;
    }
    QByteArray out;
    out.reserve(std::min<qsizetype>(maxOutputBytes + 1024, json.size() * 2 + 16));
    int depth = 0;
    bool inString = false;
    bool afterOpen = false; // just opened a container: an immediate close stays on the same line ({} / [])
    auto newline = [&](int level) {
        out.append('\n');
        out.append(QByteArray(static_cast<qsizetype>(level) * indent, ' '));
    };
    const char* p = json.constData();
    const qsizetype n = json.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (out.size() >= maxOutputBytes + 4096) { // a single huge token (a 50 MB string): stop anyway
            if (truncated) {
                *truncated = true;
            }
            return out;
        }
        const char c = p[i];
        if (inString) {
            out.append(c);
            if (c == '\\' && i + 1 < n) {
                out.append(p[++i]);
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        }
        if (afterOpen && c != '}' && c != ']') {
            newline(depth);
        }
        const bool wasAfterOpen = afterOpen;
        afterOpen = false;
        switch (c) {
        case '{':
        case '[':
            out.append(c);
            ++depth;
            afterOpen = true;
            break;
        case '}':
        case ']':
            depth = std::max(0, depth - 1);
            if (!wasAfterOpen) {
                newline(depth);
            }
            out.append(c);
            break;
        case ',':
            out.append(c);
            if (out.size() >= maxOutputBytes) {
                if (truncated) {
                    *truncated = true;
                }
                return out;
            }
            newline(depth);
            break;
        case ':':
            out.append(": ");
            break;
        case '"':
            inString = true;
            out.append(c);
            break;
        default:
            out.append(c);
            break;
        }
    }
    return out;
}

} // namespace keyway::json
