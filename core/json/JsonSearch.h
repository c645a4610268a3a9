#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace keyway::json {

// A search over a whole reply body of any size, for the inspector's find bar (its text views show only the
// first megabytes). Runs on a worker thread: the body is scanned a slice at a time and `progress` is
// called after each slice with the percentage done; it returns false to cancel.
struct BodySearchResult
{
    bool cancelled = false;
    qint64 matches = 0;
    qint64 firstOffset = -1; // byte offset of the first match at or after `from` (wrapping round), -1 if none
    QString pointer; // JSON pointer of the value (or key) holding that match; empty when not JSON or between values
};

// Counts the occurrences of `needle` (UTF-8; ASCII letters match either case, like the text views' find).
BodySearchResult searchBody(const QByteArray& body,
                            const QByteArray& needle,
                            qint64 from = 0,
                            const std::function<bool(int percent)>& progress = {});

// The JSON pointer of the innermost value whose text (or key) covers `offset`: "/data/bins/812/brand".
// Indexes only the containers on the way down. Empty for the root itself, a non-JSON body, or an offset
// between values. `keepGoing` is asked between levels and stops the descent when it returns false.
QString pointerAt(const QByteArray& document, quint64 offset, const std::function<bool()>& keepGoing = {});

} // namespace keyway::json
