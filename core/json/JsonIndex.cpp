#include "core/json/JsonIndex.h"

#include "core/http/HttpMessage.h"

#include <QCoreApplication>

#include <simdjson.h>

#include <limits>

namespace keyway::json {

namespace {

namespace od = simdjson::ondemand;

static_assert(ReplyBodySpareBytes >= simdjson::SIMDJSON_PADDING,
              "reply bodies must carry simdjson's padding, or every big reply is copied before it is indexed");

// Where the bytes simdjson sees sit inside the caller's document.
struct Span
{
    const char* begin = nullptr;
    const char* end = nullptr;
    quint64 documentOffset = 0;

    quint64 offsetOf(const char* p) const { return documentOffset + static_cast<quint64>(p - begin); }
};

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// A raw key starts right after its opening quote; it ends at the first quote that is not escaped.
quint32 rawKeyLength(const char* key, const char* end)
{
    const char* p = key;
    while (p < end && *p != '"') {
        p += (*p == '\\') ? 2 : 1;
    }
    return static_cast<quint32>(std::min(p, end) - key);
}

std::string_view trimmedToken(std::string_view token)
{
    while (!token.empty() && isJsonSpace(token.back())) {
        token.remove_suffix(1);
    }
    return token;
}

// value::raw_json_token() cannot fail; document::raw_json_token() can.
simdjson::error_code rawToken(od::value& value, std::string_view& token)
{
    token = value.raw_json_token();
    return simdjson::SUCCESS;
}

simdjson::error_code rawToken(od::document& doc, std::string_view& token)
{
    return doc.raw_json_token().get(token);
}

template <typename Value>
simdjson::error_code describeScalar(Value& value, od::json_type type, const Span& span, JsonEntry& entry)
{
    std::string_view token;
    if (auto error = rawToken(value, token)) {
        return error;
    }
    token = trimmedToken(token);
    entry.valueOffset = span.offsetOf(token.data());
    entry.valueLength = static_cast<quint32>(token.size());
    // Decoding the scalar is what validates it (a truncated `tru` or `1.2.3` is caught here).
    switch (type) {
    case od::json_type::string: {
        entry.type = JsonType::String;
        std::string_view ignored;
        return value.get_string().get(ignored);
    }
    case od::json_type::number: {
        entry.type = JsonType::Number;
        od::number ignored;
        return value.get_number().get(ignored);
    }
    case od::json_type::boolean: {
        entry.type = JsonType::Bool;
        bool ignored = false;
        return value.get_bool().get(ignored);
    }
    case od::json_type::null: {
        entry.type = JsonType::Null;
        bool isNull = false;
        if (auto error = value.is_null().get(isNull)) {
            return error;
        }
        return isNull ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    default:
        return simdjson::INCORRECT_TYPE;
    }
}

// A child: its type, byte range and (for containers) how many children it has, without descending further.
// A container is walked once: its members are counted, and where the walk stops (the token after its
// closing bracket) gives its end, so it is never skipped a second time for its raw text.
simdjson::error_code describeChild(od::value& value, const Span& span, JsonEntry& entry)
{
    od::json_type type;
    if (auto error = value.type().get(type)) {
        return error;
    }
    if (type != od::json_type::object && type != od::json_type::array) {
        return describeScalar(value, type, span, entry);
    }
    const char* open = value.raw_json_token().data();
    size_t count = 0;
    if (type == od::json_type::object) {
        od::object object;
        if (auto error = value.get_object().get(object)) {
            return error;
        }
        for (auto member : object) {
            od::field field;
            if (auto error = std::move(member).get(field)) {
                return error;
            }
            ++count;
        }
        entry.type = JsonType::Object;
    } else {
        od::array array;
        if (auto error = value.get_array().get(array)) {
            return error;
        }
        for (auto element : array) {
            od::value ignored;
            if (auto error = std::move(element).get(ignored)) {
                return error;
            }
            ++count;
        }
        entry.type = JsonType::Array;
    }
    const char* next = nullptr;
    if (auto error = value.current_location().get(next)) {
        return error;
    }
    const char* close = next;
    while (close > open && isJsonSpace(*(close - 1))) {
        --close;
    }
    entry.valueOffset = span.offsetOf(open);
    entry.valueLength = static_cast<quint32>(close - open);
    entry.childCount = static_cast<quint32>(count);
    return simdjson::SUCCESS;
}

simdjson::error_code indexObject(od::object& object, const Span& span, JsonIndexResult& result)
{
    for (auto member : object) {
        od::field field;
        if (auto error = std::move(member).get(field)) {
            return error;
        }
        JsonEntry entry;
        entry.hasKey = true;
        const char* key = field.key().raw();
        entry.keyOffset = span.offsetOf(key);
        entry.keyLength = rawKeyLength(key, span.end);
        if (auto error = describeChild(field.value(), span, entry)) {
            return error;
        }
        result.children.push_back(entry);
    }
    return simdjson::SUCCESS;
}

simdjson::error_code indexArray(od::array& array, const Span& span, JsonIndexResult& result)
{
    for (auto element : array) {
        od::value value;
        if (auto error = std::move(element).get(value)) {
            return error;
        }
        JsonEntry entry;
        if (auto error = describeChild(value, span, entry)) {
            return error;
        }
        result.children.push_back(entry);
    }
    return simdjson::SUCCESS;
}

simdjson::error_code indexDocument(od::document& doc, const Span& span, JsonIndexResult& result)
{
    od::json_type type;
    if (auto error = doc.type().get(type)) {
        return error;
    }
    if (type == od::json_type::object) {
        od::object object;
        if (auto error = doc.get_object().get(object)) {
            return error;
        }
        result.value.type = JsonType::Object;
        if (auto error = indexObject(object, span, result)) {
            return error;
        }
    } else if (type == od::json_type::array) {
        od::array array;
        if (auto error = doc.get_array().get(array)) {
            return error;
        }
        result.value.type = JsonType::Array;
        if (auto error = indexArray(array, span, result)) {
            return error;
        }
    } else {
        if (auto error = describeScalar(doc, type, span, result.value)) {
            return error;
        }
    }
    // Anything left after the root value (`{} {}`) means the body is not one JSON document.
    const char* rest = nullptr;
    return doc.current_location().get(rest) == simdjson::SUCCESS ? simdjson::TRAILING_CONTENT : simdjson::SUCCESS;
}

QString describeError(simdjson::error_code error)
{
    switch (error) {
    case simdjson::EMPTY:
        return QCoreApplication::translate("keyway::json", "the body is empty");
    case simdjson::TAPE_ERROR:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
        return QCoreApplication::translate("keyway::json", "brackets do not match or the document is cut short");
    case simdjson::UNCLOSED_STRING:
        return QCoreApplication::translate("keyway::json", "a string is not closed");
    case simdjson::UTF8_ERROR:
        return QCoreApplication::translate("keyway::json", "the body is not valid UTF-8");
    case simdjson::TRAILING_CONTENT:
        return QCoreApplication::translate("keyway::json", "there is more text after the JSON value");
    default:
        return QCoreApplication::translate("keyway::json", "not valid JSON (%1)")
            .arg(QString::fromLatin1(simdjson::error_message(error)));
    }
}

} // namespace

JsonIndexResult indexValue(const QByteArray& document, quint64 offset, qint64 length)
{
    JsonIndexResult result;
    const auto size = static_cast<quint64>(document.size());
    offset = std::min(offset, size);
    const quint64 available = size - offset;
    const quint64 len = length < 0 ? available : std::min(available, static_cast<quint64>(length));
    if (len >= std::numeric_limits<quint32>::max()) {
        result.error
            = QCoreApplication::translate("keyway::json", "the document is too large to index (4 GiB or more)");
        return result;
    }

    // simdjson reads up to SIMDJSON_PADDING bytes past the end. A QByteArray that already has that much
    // spare capacity is read in place; otherwise the range is copied once into a padded buffer.
    const char* data = document.constData() + offset;
    simdjson::padded_string padded;
    const auto spare = static_cast<quint64>(document.capacity() - document.size());
    const bool inPlace = offset + len == size && spare >= simdjson::SIMDJSON_PADDING;
    if (!inPlace) {
        padded = simdjson::padded_string(data, len);
        data = padded.data();
    }
    const Span span {data, data + len, offset};

    // Whole-range trim so the root's range excludes surrounding whitespace.
    const char* first = data;
    const char* last = data + len;
    while (first < last && isJsonSpace(*first)) {
        ++first;
    }
    while (last > first && isJsonSpace(*(last - 1))) {
        --last;
    }
    result.value.valueOffset = span.offsetOf(first);
    result.value.valueLength = static_cast<quint32>(last - first);

    od::parser parser;
    od::document doc;
    simdjson::error_code error = parser.iterate(data, len, len + simdjson::SIMDJSON_PADDING).get(doc);
    const bool iterating = !error; // a document that failed to start has no location to ask for
    if (!error) {
        error = indexDocument(doc, span, result);
    }
    if (error) {
        result.error = describeError(error);
        const char* location = nullptr;
        if (iterating && !doc.current_location().get(location) && location) {
            result.errorOffset = span.offsetOf(location);
        }
        result.children.clear();
        result.children.shrink_to_fit();
        return result;
    }
    if (result.value.type == JsonType::Object || result.value.type == JsonType::Array) {
        result.value.childCount = static_cast<quint32>(result.children.size());
    }
    result.ok = true;
    return result;
}

QString typeName(JsonType type)
{
    switch (type) {
    case JsonType::Object:
        return QStringLiteral("object");
    case JsonType::Array:
        return QStringLiteral("array");
    case JsonType::String:
        return QStringLiteral("string");
    case JsonType::Number:
        return QStringLiteral("number");
    case JsonType::Bool:
        return QStringLiteral("boolean");
    case JsonType::Null:
        return QStringLiteral("null");
    }
    return {};
}

} // namespace keyway::json
