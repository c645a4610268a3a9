#pragma once

#include <QByteArray>
#include <QString>

namespace keyway::json {

// Decodes the inside of a JSON string literal (no surrounding quotes): \n, \", \uXXXX with surrogate pairs.
// Stops after `maxChars` characters (set *truncated) so a 50 MB string can be previewed cheaply.
QString unescapeString(const char* raw, qsizetype length, qsizetype maxChars = -1, bool* truncated = nullptr);

// One reference token of a JSON pointer (RFC 6901): "~" becomes "~0" and "/" becomes "~1".
QString pointerToken(const QString& key);

// Re-indents JSON text token by token without parsing it, so it works on any size and on almost-JSON.
// Output stops at about `maxOutputBytes` (at a line end) and *truncated says so.
QByteArray prettyPrint(const QByteArray& json, qsizetype maxOutputBytes, bool* truncated = nullptr, int indent = 2);

} // namespace keyway::json
