// SPDX-License-Identifier: AGPL-3.0-or-later
/// JSON on RapidJSON: a compact streaming writer for responses and a checked reader for request bodies.
#pragma once
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "util/time.hpp"

namespace vicugna::util::json {

/// Chainable writer: w.start_object().key("id").integer(1).end_object().
class Writer {
public:
    Writer() : w_(buffer_) {}
    Writer& start_object() { w_.StartObject(); return *this; }
    Writer& end_object() { w_.EndObject(); return *this; }
    Writer& start_array() { w_.StartArray(); return *this; }
    Writer& end_array() { w_.EndArray(); return *this; }
    Writer& key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); return *this; }
    Writer& string(std::string_view s) { w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); return *this; }
    Writer& integer(std::int64_t v) { w_.Int64(v); return *this; }
    /// Like Go's encoding/json: integral values have no ".0" (65536, not 65536.0).
    Writer& number(double v) {
        if (std::isfinite(v) && v == std::trunc(v) && std::abs(v) < 1e15) {
            auto text = std::to_string(static_cast<std::int64_t>(v));
            w_.RawValue(text.data(), text.size(), rapidjson::kNumberType);
        } else {
            w_.Double(v);
        }
        return *this;
    }
    Writer& boolean(bool v) { w_.Bool(v); return *this; }
    Writer& null() { w_.Null(); return *this; }
    /// RFC 3339 UTC, or Vikunja's zero time for "unset".
    Writer& time(const std::optional<Timestamp>& t) { return string(to_rfc3339(t)); }
    /// Already-serialised JSON (stored JSON columns), written verbatim; "" becomes null.
    Writer& raw(std::string_view json) {
        if (json.empty()) return null();
        w_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
        return *this;
    }
    std::string take() { return std::string(buffer_.GetString(), buffer_.GetSize()); }

private:
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> w_;
};

/// A body that is not JSON, or a field of the wrong type. Mapped to Vikunja's 400 code 2004 by the API layer.
class BadInput : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Reads fields from a parsed JSON object, accepting null (or absence) as "not given".
/// Wrong types throw BadInput naming the field.
class Object {
public:
    explicit Object(const rapidjson::Value* v) : v_(v) {}
    bool has(const char* key) const;
    std::optional<std::string> string(const char* key) const;
    std::optional<std::int64_t> integer(const char* key) const;
    std::optional<double> number(const char* key) const;
    std::optional<bool> boolean(const char* key) const;
    /// RFC 3339 text; the zero time and "" read as "unset" (nullopt inside an engaged optional).
    std::optional<std::optional<Timestamp>> time(const char* key) const;
    /// The raw JSON text of any value (objects stored verbatim).
    std::optional<std::string> raw(const char* key) const;
    const rapidjson::Value* get(const char* key) const;

private:
    const rapidjson::Value* v_;
};

/// Parses a request body. An empty body counts as {} (clients send empty POSTs with a JSON content type).
/// Throws BadInput for anything that is not a JSON object.
class Body {
public:
    explicit Body(std::string_view text);
    Object object() const { return Object(&doc_); }
    const rapidjson::Document& document() const { return doc_; }

private:
    rapidjson::Document doc_;
};

/// Serialises any RapidJSON value compactly.
std::string stringify(const rapidjson::Value& v);

}  // namespace vicugna::util::json
