// SPDX-License-Identifier: AGPL-3.0-or-later
/// Configuration: one key table (keys.def), loaded from defaults, then config.yml, then VIKUNJA_* variables.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vicugna::config {

enum class Type { String, Int, Bool, List, Size };

struct KeyInfo {
    const char* key;  ///< dotted name, e.g. "database.type"
    Type type;
    const char* default_value;
    bool secret;
    const char* doc;
};

/// Every key, in table order.
const std::vector<KeyInfo>& keys();
/// "database.type" → "VIKUNJA_DATABASE_TYPE".
std::string env_name(std::string_view key);

namespace detail {
using String = std::string;
using Int = std::int64_t;
using Bool = bool;
using List = std::vector<std::string>;
using Size = std::int64_t;  ///< bytes
}  // namespace detail

/// The immutable, validated configuration handed to the rest of the program.
struct Config {
#define VICUGNA_CONFIG_KEY(member, key, type, def, secret, doc) detail::type member{};
#include "config/keys.def"
#undef VICUGNA_CONFIG_KEY

    std::string config_file;  ///< the file that was read ("" when none)
    std::string listen_host;  ///< from service.interface ("" = all interfaces)
    std::uint16_t listen_port = 3456;

    /// service.secret, or the deprecated service.jwtsecret.
    const std::string& jwt_secret() const { return service_secret.empty() ? service_jwtsecret : service_secret; }
    /// outgoingrequests.*, or their deprecated webhooks.* aliases.
    bool allow_nonroutable_ips() const { return outgoingrequests_allownonroutableips || webhooks_allownonroutableips; }
    const std::string& proxy_url() const { return outgoingrequests_proxyurl.empty() ? webhooks_proxyurl : outgoingrequests_proxyurl; }
    const std::string& proxy_password() const {
        return outgoingrequests_proxypassword.empty() ? webhooks_proxypassword : outgoingrequests_proxypassword;
    }
    /// The value of a key as text (secrets masked), for diagnostics.
    std::string describe(std::string_view key) const;
};

/// A bad configuration: the message names the key and the problem in one line.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

/// Loads the configuration. `explicit_file` (from --config) must exist when given; otherwise config.yml/.yaml
/// is searched in rootpath, /etc/vikunja, ~/.config/vikunja and the working directory.
/// `env` defaults to the process environment. Throws ConfigError.
Config load(const std::string& explicit_file = {}, const EnvLookup& env = {});

}  // namespace vicugna::config
