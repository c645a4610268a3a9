#pragma once

#include <QString>

#include <nlohmann/json.hpp>

namespace keyway::json {

// Lenient readers for Keyway's own JSON files (history, health results): a missing key or a value of
// another type reads as empty, zero or false, so a file from an older or newer version still loads.

inline QString stringField(const nlohmann::json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

inline qint64 integerField(const nlohmann::json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<qint64>() : 0;
}

inline bool boolField(const nlohmann::json& object, const char* key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_boolean() && it->get<bool>();
}

} // namespace keyway::json
