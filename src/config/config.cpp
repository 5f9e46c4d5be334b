// SPDX-License-Identifier: AGPL-3.0-or-later
#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace vicugna::config {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

[[noreturn]] void bad(std::string_view key, const std::string& problem) {
    throw ConfigError("config: " + std::string(key) + ": " + problem);
}

std::int64_t parse_int(std::string_view key, const std::string& text) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size()) bad(key, "'" + text + "' is not an integer");
    return v;
}

bool parse_bool(std::string_view key, const std::string& text) {
    std::string t = lower(text);
    if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
    if (t == "false" || t == "0" || t == "no" || t == "off") return false;
    bad(key, "'" + text + "' is not a boolean (true or false)");
}

std::vector<std::string> parse_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        if (auto t = trim(item); !t.empty()) out.push_back(t);
    }
    return out;
}

/// "20MB", "512 KB", "1048576" → bytes (1024-based units, as Vikunja reads files.maxsize).
std::int64_t parse_size(std::string_view key, const std::string& text) {
    std::string t = lower(trim(text));
    std::size_t digits = 0;
    while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
    if (digits == 0) bad(key, "'" + text + "' is not a size like 20MB");
    std::int64_t n = parse_int(key, t.substr(0, digits));
    std::string unit = trim(t.substr(digits));
    static const std::map<std::string, std::int64_t> kUnits = {
        {"", 1}, {"b", 1}, {"k", 1 << 10}, {"kb", 1 << 10}, {"m", 1 << 20}, {"mb", 1 << 20},
        {"g", 1 << 30}, {"gb", 1 << 30}, {"t", std::int64_t{1} << 40}, {"tb", std::int64_t{1} << 40}};
    auto it = kUnits.find(unit);
    if (it == kUnits.end()) bad(key, "unknown size unit '" + unit + "' (use B, KB, MB, GB or TB)");
    if (n > std::numeric_limits<std::int64_t>::max() / it->second) bad(key, "'" + text + "' is too large");
    return n * it->second;
}

/// Sets one key from its text form. Returns false for an unknown key.
bool assign(Config& c, std::string_view key, const std::string& text) {
#define VICUGNA_ASSIGN_String(m) c.m = text;
#define VICUGNA_ASSIGN_Int(m) c.m = parse_int(key, trim(text));
#define VICUGNA_ASSIGN_Bool(m) c.m = parse_bool(key, trim(text));
#define VICUGNA_ASSIGN_List(m) c.m = parse_list(text);
#define VICUGNA_ASSIGN_Size(m) c.m = parse_size(key, text);
#define VICUGNA_CONFIG_KEY(member, k, type, def, secret, doc) \
    if (key == k) {                                           \
        VICUGNA_ASSIGN_##type(member) return true;            \
    }
#include "config/keys.def"
#undef VICUGNA_CONFIG_KEY
    return false;
}

/// Flattens a YAML mapping into dotted keys; sequences become comma lists.
void flatten(const YAML::Node& node, const std::string& prefix, std::map<std::string, std::string>& out) {
    if (node.IsMap()) {
        for (const auto& kv : node) {
            std::string k = lower(kv.first.as<std::string>());
            flatten(kv.second, prefix.empty() ? k : prefix + "." + k, out);
        }
    } else if (node.IsSequence()) {
        std::string joined;
        for (const auto& item : node) {
            if (!item.IsScalar()) bad(prefix, "list items must be plain values");
            joined += (joined.empty() ? "" : ",") + item.as<std::string>();
        }
        out[prefix] = joined;
    } else if (node.IsScalar()) {
        out[prefix] = node.as<std::string>();
    }
}

std::optional<std::string> process_env(const std::string& name) {
    if (const char* v = std::getenv(name.c_str())) return std::string(v);
    return std::nullopt;
}

std::string find_config_file(const std::string& rootpath) {
    // Vikunja's order: rootpath (default: the working directory), /etc/vikunja, ~/.config/vikunja, ".".
    std::vector<fs::path> dirs;
    dirs.emplace_back(rootpath.empty() ? fs::current_path() : fs::path(rootpath));
    dirs.emplace_back("/etc/vikunja");
    if (const char* home = std::getenv("HOME")) dirs.emplace_back(fs::path(home) / ".config" / "vikunja");
    dirs.emplace_back(".");
    for (const auto& dir : dirs) {
        for (const char* name : {"config.yml", "config.yaml"}) {
            std::error_code ec;
            if (fs::is_regular_file(dir / name, ec)) return (dir / name).string();
        }
    }
    return {};
}

std::string read_secret_file(std::string_view key, const std::string& path) {
    std::ifstream in(path);
    if (!in) bad(key, "cannot read the file " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return trim(ss.str());
}

void validate(Config& c) {
    // service.interface: "host:port" or ":port".
    auto colon = c.service_interface.rfind(':');
    if (colon == std::string::npos) bad("service.interface", "'" + c.service_interface + "' must be host:port or :port");
    std::string port = c.service_interface.substr(colon + 1);
    std::int64_t p = parse_int("service.interface", port);
    if (p < 0 || p > 65535) bad("service.interface", "port " + port + " is out of range");
    c.listen_port = static_cast<std::uint16_t>(p);
    c.listen_host = c.service_interface.substr(0, colon);
    if (c.listen_host.size() > 1 && c.listen_host.front() == '[') c.listen_host = c.listen_host.substr(1, c.listen_host.size() - 2);

    c.database_type = lower(c.database_type);
    if (c.database_type == "mysql") bad("database.type", "mysql is not supported; use sqlite or postgres");
    if (c.database_type != "sqlite" && c.database_type != "postgres") {
        bad("database.type", "'" + c.database_type + "' is not sqlite or postgres");
    }
    std::string level = lower(c.log_level);
    if (level == "warn") level = "warning";
    static const std::vector<std::string> kLevels = {"critical", "error", "warning", "notice", "info", "debug"};
    if (std::find(kLevels.begin(), kLevels.end(), level) == kLevels.end()) {
        bad("log.level", "'" + c.log_level + "' is not one of CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG");
    }
    c.log_level = level;
    c.log_format = lower(c.log_format);
    if (c.log_format != "text" && c.log_format != "json") bad("log.format", "'" + c.log_format + "' is not text or json");
    if (c.service_maxitemsperpage < 1) bad("service.maxitemsperpage", "must be at least 1");
    if (c.service_bcryptrounds < 4 || c.service_bcryptrounds > 31) bad("service.bcryptrounds", "must be between 4 and 31");
    if (c.service_jwtttlshort < 1 || c.service_jwtttl < 1 || c.service_jwtttllong < 1) {
        bad("service.jwtttl", "token lifetimes must be positive");
    }
    if (c.database_maxopenconnections < 1) bad("database.maxopenconnections", "must be at least 1");
    if (c.files_maxsize < 1) bad("files.maxsize", "must be positive");
    if (!c.service_publicurl.empty()) {
        if (c.service_publicurl.rfind("http://", 0) != 0 && c.service_publicurl.rfind("https://", 0) != 0) {
            bad("service.publicurl", "'" + c.service_publicurl + "' must start with http:// or https://");
        }
        if (c.service_publicurl.back() != '/') c.service_publicurl += '/';
    }
    std::string method = lower(c.service_ipextractionmethod);
    if (method != "direct" && method != "xff" && method != "realip") {
        bad("service.ipextractionmethod", "'" + method + "' is not direct, xff or realip");
    }
    c.service_ipextractionmethod = method;
    c.keyvalue_type = lower(c.keyvalue_type);
    if (c.keyvalue_type != "memory" && c.keyvalue_type != "redis") bad("keyvalue.type", "must be memory or redis");
    if (c.keyvalue_type == "redis" && !c.redis_enabled) bad("keyvalue.type", "redis needs redis.enabled: true");
    if (c.redis_enabled) {
        auto redis_colon = c.redis_host.rfind(':');
        if (redis_colon != std::string::npos) {
            std::int64_t redis_port = parse_int("redis.host", c.redis_host.substr(redis_colon + 1));
            if (redis_port < 1 || redis_port > 65535) {
                bad("redis.host", "port " + std::to_string(redis_port) + " is out of range");
            }
        }
    }
}

}  // namespace

const std::vector<KeyInfo>& keys() {
    static const std::vector<KeyInfo> table = {
#define VICUGNA_CONFIG_KEY(member, key, type, def, secret, doc) {key, Type::type, def, secret, doc},
#include "config/keys.def"
#undef VICUGNA_CONFIG_KEY
    };
    return table;
}

std::string env_name(std::string_view key) {
    std::string out = "VIKUNJA_";
    for (char c : key) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string Config::describe(std::string_view key) const {
    for (const auto& k : keys()) {
        if (key != k.key) continue;
        if (k.secret) return "********";
#define VICUGNA_DESCRIBE_String(m) return m;
#define VICUGNA_DESCRIBE_Int(m) return std::to_string(m);
#define VICUGNA_DESCRIBE_Size(m) return std::to_string(m);
#define VICUGNA_DESCRIBE_Bool(m) return m ? "true" : "false";
#define VICUGNA_DESCRIBE_List(m)                                                  \
    {                                                                             \
        std::string s;                                                            \
        for (const auto& item : m) s += (s.empty() ? "" : ",") + item;            \
        return s;                                                                 \
    }
#define VICUGNA_CONFIG_KEY(member, kk, type, def, secret, doc) \
    if (key == kk) VICUGNA_DESCRIBE_##type(member)
#include "config/keys.def"
#undef VICUGNA_CONFIG_KEY
    }
    return {};
}

Config load(const std::string& explicit_file, const EnvLookup& env_in) {
    EnvLookup env = env_in ? env_in : EnvLookup(process_env);
    Config c;
    for (const auto& k : keys()) assign(c, k.key, k.default_value);

    std::string rootpath = env(env_name("service.rootpath")).value_or("");
    std::string file = explicit_file;
    if (!file.empty() && !fs::is_regular_file(file)) bad("--config", "the file " + file + " does not exist");
    if (file.empty()) file = find_config_file(rootpath);
    if (!file.empty()) {
        std::map<std::string, std::string> values;
        try {
            flatten(YAML::LoadFile(file), "", values);
        } catch (const YAML::Exception& e) {
            throw ConfigError("config: " + file + ": " + e.what());
        }
        for (const auto& [key, value] : values) {
            std::string k = key;
            bool from_file = k.size() > 5 && k.ends_with(".file");
            if (from_file) k.resize(k.size() - 5);
            // Unknown keys are ignored, as Vikunja does: configs written for it keep working.
            assign(c, k, from_file ? read_secret_file(k, value) : value);
        }
        c.config_file = file;
    }
    for (const auto& k : keys()) {
        if (auto v = env(env_name(k.key))) assign(c, k.key, *v);
        if (auto f = env(env_name(k.key) + "_FILE")) assign(c, k.key, read_secret_file(k.key, *f));
    }
    validate(c);
    return c;
}

}  // namespace vicugna::config
