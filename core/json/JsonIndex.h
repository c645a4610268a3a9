#pragma once

#include <QByteArray>
#include <QString>

#include <vector>

namespace keyway::json {

enum class JsonType : quint8 { Object, Array, String, Number, Bool, Null };

// One value inside a JSON document, described by byte ranges into the document's text so that
// nothing is copied or decoded until someone looks at it. Keys are raw (still escaped, no quotes).
struct JsonEntry
{
    quint64 valueOffset = 0;
    quint64 keyOffset = 0;
    quint32 valueLength = 0;
    quint32 keyLength = 0;
    quint32 childCount = 0; // objects and arrays only
    JsonType type = JsonType::Null;
    bool hasKey = false; // members of an object have a key, array elements do not
};

// The value at [offset, offset + length) and its immediate children, or why it is not JSON.
struct JsonIndexResult
{
    bool ok = false;
    QString error; // parser's words, set when !ok
    quint64 errorOffset = 0;
    JsonEntry value; // the indexed value itself (for the document: the root)
    std::vector<JsonEntry> children;
};

// Indexes one value of `document` (the whole document when length is -1): its type, exact byte range,
// and, for objects and arrays, each child's range and child count. Grandchildren are skipped, not
// decoded. Costs one simdjson pass over the range (~1 ms per MB); run it off the UI thread for big ranges.
// Documents of 4 GiB or more are refused.
JsonIndexResult indexValue(const QByteArray& document, quint64 offset = 0, qint64 length = -1);

QString typeName(JsonType type);

} // namespace keyway::json
