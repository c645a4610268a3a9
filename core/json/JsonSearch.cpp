#include "core/json/JsonSearch.h"

#include "core/json/JsonIndex.h"
#include "core/json/JsonText.h"

#include <QByteArrayMatcher>

#include <algorithm>

namespace keyway::json {

namespace {

// Slices small enough that cancelling answers within a frame or two, big enough that progress reports
// stay rare.
constexpr qsizetype SliceBytes = 4 * 1024 * 1024;

} // namespace

BodySearchResult searchBody(const QByteArray& body,
                            const QByteArray& needle,
                            qint64 from,
                            const std::function<bool(int percent)>& progress)
{
    BodySearchResult result;
    if (needle.isEmpty() || body.size() < needle.size()) {
        return result;
    }
    const QByteArray lowered = needle.toLower();
    const QByteArrayMatcher matcher(lowered);
    qint64 firstAny = -1;
    // Slices overlap by the needle's length minus one so a match across a slice border is found once.
    for (qsizetype start = 0; start < body.size(); start += SliceBytes) {
        const qsizetype end = std::min(body.size(), start + SliceBytes + lowered.size() - 1);
        const QByteArray slice = QByteArray::fromRawData(body.constData() + start, end - start).toLower();
        for (qsizetype at = matcher.indexIn(slice); at >= 0; at = matcher.indexIn(slice, at + 1)) {
            if (at >= SliceBytes) {
                break; // starts in the next slice: counted there
            }
            const qint64 offset = start + at;
            ++result.matches;
            if (firstAny < 0) {
                firstAny = offset;
            }
            if (result.firstOffset < 0 && offset >= from) {
                result.firstOffset = offset;
            }
        }
        const qsizetype done = std::min(body.size(), start + SliceBytes);
        if (progress && !progress(static_cast<int>(done * 100 / body.size()))) {
            result.cancelled = true;
            return result;
        }
    }
    if (result.firstOffset < 0) {
        result.firstOffset = firstAny; // wrap round to the first match in the body
    }
    return result;
}

QString pointerAt(const QByteArray& document, quint64 offset, const std::function<bool()>& keepGoing)
{
    QString pointer;
    quint64 rangeOffset = 0;
    qint64 rangeLength = -1;
    for (;;) {
        if (keepGoing && !keepGoing()) {
            return pointer;
        }
        const JsonIndexResult level = indexValue(document, rangeOffset, rangeLength);
        if (!level.ok || level.children.empty()) {
            return pointer;
        }
        // Children are in document order: the last one starting at or before `offset` is the candidate.
        // A key's text starts at its opening quote, one byte before the raw key.
        const auto startOf
            = [](const JsonEntry& entry) { return entry.hasKey ? entry.keyOffset - 1 : entry.valueOffset; };
        auto after = std::upper_bound(level.children.begin(),
                                      level.children.end(),
                                      offset,
                                      [&](quint64 value, const JsonEntry& entry) { return value < startOf(entry); });
        if (after == level.children.begin()) {
            return pointer;
        }
        const JsonEntry& child = *(after - 1);
        const bool inKey = child.hasKey && offset <= child.keyOffset + child.keyLength; // up to its closing quote
        const bool inValue = offset >= child.valueOffset && offset < child.valueOffset + child.valueLength;
        if (!inKey && !inValue) {
            return pointer;
        }
        const auto row = static_cast<qint64>(after - 1 - level.children.begin());
        pointer += QLatin1Char('/')
            + (child.hasKey ? pointerToken(unescapeString(document.constData() + child.keyOffset, child.keyLength))
                            : QString::number(row));
        if (inKey || (child.type != JsonType::Object && child.type != JsonType::Array)) {
            return pointer;
        }
        rangeOffset = child.valueOffset;
        rangeLength = child.valueLength;
    }
}

} // namespace keyway::json
