// SPDX-License-Identifier: AGPL-3.0-or-later
#include "util/json.hpp"

#include <cmath>

namespace vicugna::util::json {

namespace {
[[noreturn]] void wrong_type(const char* key, const char* expected) {
    throw BadInput(std::string("field ") + key + " must be " + expected);
}
}  // namespace

const rapidjson::Value* Object::get(const char* key) const {
    if (!v_ || !v_->IsObject()) return nullptr;
    auto it = v_->FindMember(key);
    if (it == v_->MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
}

bool Object::has(const char* key) const { return get(key) != nullptr; }

std::optional<std::string> Object::string(const char* key) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->IsString()) wrong_type(key, "a string");
    return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::int64_t> Object::integer(const char* key) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (v->IsInt64()) return v->GetInt64();
    // JSON numbers like 3.0 are integers to JavaScript clients.
    if (v->IsDouble() && std::floor(v->GetDouble()) == v->GetDouble() && std::abs(v->GetDouble()) < 9.0e15) {
        return static_cast<std::int64_t>(v->GetDouble());
    }
    wrong_type(key, "an integer");
}

std::optional<double> Object::number(const char* key) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->IsNumber()) wrong_type(key, "a number");
    return v->GetDouble();
}

std::optional<bool> Object::boolean(const char* key) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->IsBool()) wrong_type(key, "a boolean");
    return v->GetBool();
}

std::optional<std::optional<Timestamp>> Object::time(const char* key) const {
    auto text = string(key);
    if (!text) return std::nullopt;
    if (text->empty()) return std::optional<Timestamp>{};
    auto t = parse_time(*text);
    if (!t) wrong_type(key, "an RFC 3339 date");
    if (is_zero_time(*t)) return std::optional<Timestamp>{};
    return std::optional<Timestamp>{*t};
}

std::optional<std::string> Object::raw(const char* key) const {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    return stringify(*v);
}

Body::Body(std::string_view text) {
    auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        doc_.SetObject();
        return;
    }
    doc_.Parse(text.data(), text.size());
    if (doc_.HasParseError()) throw BadInput("the body is not valid JSON");
    if (!doc_.IsObject()) throw BadInput("the body must be a JSON object");
}

std::string stringify(const rapidjson::Value& v) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    v.Accept(w);
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace vicugna::util::json
