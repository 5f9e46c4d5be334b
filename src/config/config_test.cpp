// SPDX-License-Identifier: AGPL-3.0-or-later
#include "config/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "util/crypto.hpp"

namespace vicugna::config {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

/// A private temporary directory, removed at the end of the test.
class TempDir {
public:
    TempDir() : path_(fs::temp_directory_path() / ("vicugna-config-test-" + util::random_hex(8))) {
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// Writes `text` to `name` inside the directory and returns the full path.
    std::string write(const std::string& name, const std::string& text) const {
        fs::path p = path_ / name;
        std::ofstream(p) << text;
        return p.string();
    }
    std::string path() const { return path_.string(); }

private:
    fs::path path_;
};

/// An environment made of the given variables only: the process environment is never read.
EnvLookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

class ConfigTest : public ::testing::Test {
protected:
    /// Loads `yaml` (written to config.yml) with the given environment.
    Config load_yaml(const std::string& yaml, std::map<std::string, std::string> vars = {}) {
        return load(dir_.write("config.yml", yaml), env_of(std::move(vars)));
    }
    /// The ConfigError message of loading `yaml` with the given environment ("" and a failure if it loads).
    std::string error_of(const std::string& yaml, std::map<std::string, std::string> vars = {}) {
        try {
            load_yaml(yaml, std::move(vars));
        } catch (const ConfigError& e) {
            EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "not one line: " << e.what();
            return e.what();
        }
        ADD_FAILURE() << "no ConfigError for:\n" << yaml;
        return {};
    }

    TempDir dir_;
};

TEST(ConfigKeys, EnvNameIsDerivedFromTheKey) {
    EXPECT_EQ(env_name("database.type"), "VIKUNJA_DATABASE_TYPE");
    EXPECT_EQ(env_name("service.jwtsecret"), "VIKUNJA_SERVICE_JWTSECRET");
    EXPECT_EQ(env_name("defaultsettings.discoverable_by_name"), "VIKUNJA_DEFAULTSETTINGS_DISCOVERABLE_BY_NAME");
    EXPECT_EQ(env_name("backgrounds.providers.upload.enabled"), "VIKUNJA_BACKGROUNDS_PROVIDERS_UPLOAD_ENABLED");
}

TEST(ConfigKeys, TableHasUniqueDocumentedKeys) {
    const auto& all = keys();
    ASSERT_GT(all.size(), 50u);
    std::set<std::string> seen;
    for (const auto& k : all) {
        EXPECT_TRUE(seen.insert(k.key).second) << "duplicate key " << k.key;
        EXPECT_GT(std::string_view(k.doc).size(), 0u) << k.key;
        EXPECT_EQ(std::string_view(k.key).find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string_view::npos)
            << "keys are lower case: " << k.key;
    }
}

TEST_F(ConfigTest, DefaultsWithAnEmptyFile) {
    const std::string file = dir_.write("empty.yml", "");
    Config c = load(file, env_of({}));
    EXPECT_EQ(c.config_file, file);
    EXPECT_EQ(c.service_interface, ":3456");
    EXPECT_EQ(c.listen_host, "");
    EXPECT_EQ(c.listen_port, 3456);
    EXPECT_EQ(c.database_type, "sqlite");
    EXPECT_EQ(c.database_path, "vikunja.db");
    EXPECT_EQ(c.database_schema, "public");
    EXPECT_EQ(c.service_maxitemsperpage, 50);
    EXPECT_EQ(c.files_maxsize, 20971520);  // 20MB, 1024-based
    EXPECT_EQ(c.service_maxbodybytes, 1048576);
    EXPECT_EQ(c.service_jwtttl, 259200);
    EXPECT_EQ(c.service_jwtttlshort, 600);
    EXPECT_EQ(c.service_publicurl, "");
    EXPECT_TRUE(c.service_enableregistration);
    EXPECT_FALSE(c.service_enablepublicteams);
    EXPECT_FALSE(c.redis_enabled);
    EXPECT_EQ(c.keyvalue_type, "memory");
    EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"http://127.0.0.1:*", "http://localhost:*"}));
    EXPECT_TRUE(c.service_trustedproxies.empty());
    EXPECT_EQ(c.log_level, "info");  // normalised to lower case
    EXPECT_EQ(c.log_format, "text");
    EXPECT_EQ(c.service_secret, "");
    EXPECT_EQ(c.jwt_secret(), "");
    EXPECT_EQ(c.defaultsettings_avatar_provider, "initials");
}

TEST_F(ConfigTest, DescribeMasksSecrets) {
    Config c = load_yaml("service:\n  secret: hunter2\ndatabase:\n  password: pw\n");
    EXPECT_EQ(c.describe("service.secret"), "********");
    EXPECT_EQ(c.describe("database.password"), "********");
    EXPECT_EQ(c.describe("service.interface"), ":3456");
    EXPECT_EQ(c.describe("service.maxitemsperpage"), "50");
    EXPECT_EQ(c.describe("files.maxsize"), "20971520");
    EXPECT_EQ(c.describe("service.enableregistration"), "true");
    EXPECT_EQ(c.describe("cors.origins"), "http://127.0.0.1:*,http://localhost:*");
    EXPECT_EQ(c.describe("no.such.key"), "");
}

TEST_F(ConfigTest, FileSearchStartsInRootpath) {
    // No explicit file: config.yml in VIKUNJA_SERVICE_ROOTPATH comes before /etc/vikunja and ~/.config/vikunja.
    TempDir root;
    const std::string file = root.write("config.yml", "service:\n  maxitemsperpage: 17\n");
    Config c = load({}, env_of({{"VIKUNJA_SERVICE_ROOTPATH", root.path()}}));
    EXPECT_EQ(c.config_file, file);
    EXPECT_EQ(c.service_maxitemsperpage, 17);
    EXPECT_EQ(c.service_rootpath, root.path());  // the variable is also the key's value
}

TEST_F(ConfigTest, FileSearchAcceptsYamlExtension) {
    TempDir root;
    const std::string file = root.write("config.yaml", "service:\n  maxitemsperpage: 18\n");
    Config c = load({}, env_of({{"VIKUNJA_SERVICE_ROOTPATH", root.path()}}));
    EXPECT_EQ(c.config_file, file);
    EXPECT_EQ(c.service_maxitemsperpage, 18);
}

TEST_F(ConfigTest, NoFileAnywhereGivesDefaults) {
    TempDir root;  // empty
    const char* home = std::getenv("HOME");
    for (fs::path dir : {fs::path("/etc/vikunja"), home ? fs::path(home) / ".config" / "vikunja" : fs::path(),
                         fs::current_path()}) {
        if (dir.empty()) continue;
        for (const char* name : {"config.yml", "config.yaml"}) {
            if (fs::exists(dir / name)) GTEST_SKIP() << "a config file exists at " << (dir / name);
        }
    }
    Config c = load({}, env_of({{"VIKUNJA_SERVICE_ROOTPATH", root.path()}}));
    EXPECT_EQ(c.config_file, "");
    EXPECT_EQ(c.listen_port, 3456);
    EXPECT_EQ(c.database_type, "sqlite");
}

TEST_F(ConfigTest, ReadsNestedKeysAndLists) {
    Config c = load_yaml(R"(
service:
  interface: "127.0.0.1:8080"
  publicurl: https://tasks.example.com
  maxitemsperpage: 20
  enableregistration: false
  enablepublicteams: yes
  jwtttl: 3600
  motd: "hello: world"
database:
  type: postgres
  host: db.internal:5433
  user: vk
  password: s3cret
files:
  maxsize: 5 MB
cors:
  origins:
    - https://a.example
    - https://b.example:8443
auth:
  local:
    enabled: false
backgrounds:
  providers:
    unsplash:
      enabled: true
defaultsettings:
  discoverable_by_name: true
  week_start: 1
unknown:
  section: ignored
)");
    EXPECT_EQ(c.listen_host, "127.0.0.1");
    EXPECT_EQ(c.listen_port, 8080);
    EXPECT_EQ(c.service_publicurl, "https://tasks.example.com/");
    EXPECT_EQ(c.service_maxitemsperpage, 20);
    EXPECT_FALSE(c.service_enableregistration);
    EXPECT_TRUE(c.service_enablepublicteams);
    EXPECT_EQ(c.service_jwtttl, 3600);
    EXPECT_EQ(c.service_motd, "hello: world");
    EXPECT_EQ(c.database_type, "postgres");
    EXPECT_EQ(c.database_host, "db.internal:5433");
    EXPECT_EQ(c.database_user, "vk");
    EXPECT_EQ(c.database_password, "s3cret");
    EXPECT_EQ(c.files_maxsize, 5 * 1048576);
    EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example:8443"}));
    EXPECT_FALSE(c.auth_local_enabled);
    EXPECT_TRUE(c.backgrounds_providers_unsplash_enabled);
    EXPECT_TRUE(c.backgrounds_providers_upload_enabled);  // untouched default
    EXPECT_TRUE(c.defaultsettings_discoverable_by_name);
    EXPECT_EQ(c.defaultsettings_week_start, 1);
}

TEST_F(ConfigTest, KeysAreCaseInsensitiveInTheFile) {
    Config c = load_yaml("Service:\n  MaxItemsPerPage: 33\nDATABASE:\n  Type: Postgres\n");
    EXPECT_EQ(c.service_maxitemsperpage, 33);
    EXPECT_EQ(c.database_type, "postgres");  // the value is normalised too
}

TEST_F(ConfigTest, SizesInEveryUnit) {
    auto size_of = [&](const std::string& text) {
        return load_yaml("files:\n  maxsize: \"" + text + "\"\n").files_maxsize;
    };
    EXPECT_EQ(size_of("1048576"), 1048576);
    EXPECT_EQ(size_of("100B"), 100);
    EXPECT_EQ(size_of("512 KB"), 512 * 1024);
    EXPECT_EQ(size_of("3k"), 3 * 1024);
    EXPECT_EQ(size_of("20mb"), 20971520);
    EXPECT_EQ(size_of("2G"), std::int64_t{2} << 30);
    EXPECT_EQ(size_of("1TB"), std::int64_t{1} << 40);
}

TEST_F(ConfigTest, FileIndirectionReadsSecretsFromFiles) {
    const std::string password_file = dir_.write("db_password", "from-file\n");
    const std::string secret_file = dir_.write("secret", "  jwt-from-file  \n");
    Config c = load_yaml("database:\n  password:\n    file: " + password_file + "\nservice:\n  secret.file: " +
                         secret_file + "\n");
    EXPECT_EQ(c.database_password, "from-file");  // surrounding whitespace and the newline are trimmed
    EXPECT_EQ(c.service_secret, "jwt-from-file");
}

TEST_F(ConfigTest, MissingIndirectFileNamesTheKey) {
    const std::string missing = dir_.path() + "/no-such-file";
    std::string e = error_of("database:\n  password:\n    file: " + missing + "\n");
    EXPECT_THAT(e, HasSubstr("database.password"));
    EXPECT_THAT(e, HasSubstr(missing));
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
    Config c = load_yaml("service:\n  maxitemsperpage: 20\n  interface: \":8080\"\ndatabase:\n  type: sqlite\n",
                         {{"VIKUNJA_SERVICE_MAXITEMSPERPAGE", " 7 "},
                          {"VIKUNJA_DATABASE_TYPE", "postgres"},
                          {"VIKUNJA_SERVICE_ENABLEREGISTRATION", "0"},
                          {"VIKUNJA_CORS_ORIGINS", "https://x.example, https://y.example,,"},
                          {"VIKUNJA_FILES_MAXSIZE", "1GB"},
                          {"VIKUNJA_DEFAULTSETTINGS_DISCOVERABLE_BY_EMAIL", "on"}});
    EXPECT_EQ(c.service_maxitemsperpage, 7);
    EXPECT_EQ(c.listen_port, 8080);  // not overridden: the file's value stays
    EXPECT_EQ(c.database_type, "postgres");
    EXPECT_FALSE(c.service_enableregistration);
    EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"https://x.example", "https://y.example"}));
    EXPECT_EQ(c.files_maxsize, std::int64_t{1} << 30);
    EXPECT_TRUE(c.defaultsettings_discoverable_by_email);
}

TEST_F(ConfigTest, EnvironmentFileVariableReadsTheFile) {
    const std::string password_file = dir_.write("pw", "env-file-password\n");
    Config c = load_yaml("database:\n  password: from-yaml\n",
                         {{"VIKUNJA_DATABASE_PASSWORD_FILE", password_file}});
    EXPECT_EQ(c.database_password, "env-file-password");
    // _FILE is read after the plain variable, so it wins when both are set.
    c = load_yaml("", {{"VIKUNJA_DATABASE_PASSWORD", "plain"}, {"VIKUNJA_DATABASE_PASSWORD_FILE", password_file}});
    EXPECT_EQ(c.database_password, "env-file-password");
}

TEST_F(ConfigTest, EnvironmentFileVariableThatIsMissingNamesTheKey) {
    std::string e = error_of("", {{"VIKUNJA_DATABASE_PASSWORD_FILE", dir_.path() + "/absent"}});
    EXPECT_THAT(e, HasSubstr("database.password"));
}

TEST_F(ConfigTest, JwtSecretFallsBackToDeprecatedAlias) {
    Config alias_only = load_yaml("service:\n  jwtsecret: old-secret\n");
    EXPECT_EQ(alias_only.jwt_secret(), "old-secret");
    Config both = load_yaml("service:\n  jwtsecret: old-secret\n  secret: new-secret\n");
    EXPECT_EQ(both.jwt_secret(), "new-secret");
    Config env = load_yaml("", {{"VIKUNJA_SERVICE_JWTSECRET", "env-secret"}});
    EXPECT_EQ(env.jwt_secret(), "env-secret");
}

TEST_F(ConfigTest, PublicUrlGetsATrailingSlashOnce) {
    EXPECT_EQ(load_yaml("service:\n  publicurl: http://localhost:8080\n").service_publicurl, "http://localhost:8080/");
    EXPECT_EQ(load_yaml("service:\n  publicurl: https://x.example/vikunja/\n").service_publicurl,
              "https://x.example/vikunja/");
    EXPECT_EQ(load_yaml("", {{"VIKUNJA_SERVICE_PUBLICURL", "https://e.example"}}).service_publicurl,
              "https://e.example/");
}

TEST_F(ConfigTest, InterfaceForms) {
    Config v6 = load_yaml("service:\n  interface: \"[::1]:9000\"\n");
    EXPECT_EQ(v6.listen_host, "::1");
    EXPECT_EQ(v6.listen_port, 9000);
    Config named = load_yaml("service:\n  interface: \"localhost:80\"\n");
    EXPECT_EQ(named.listen_host, "localhost");
    EXPECT_EQ(named.listen_port, 80);
    Config edge = load_yaml("service:\n  interface: \":65535\"\n");
    EXPECT_EQ(edge.listen_port, 65535);
}

TEST_F(ConfigTest, LogLevelIsNormalised) {
    EXPECT_EQ(load_yaml("log:\n  level: DEBUG\n").log_level, "debug");
    EXPECT_EQ(load_yaml("log:\n  level: warn\n").log_level, "warning");
    EXPECT_EQ(load_yaml("log:\n  level: Critical\n").log_level, "critical");
    EXPECT_EQ(load_yaml("log:\n  format: JSON\n").log_format, "json");
}

TEST_F(ConfigTest, RedisKeyValueNeedsRedisEnabled) {
    EXPECT_THAT(error_of("keyvalue:\n  type: redis\n"), HasSubstr("keyvalue.type"));
    Config c = load_yaml("keyvalue:\n  type: redis\nredis:\n  enabled: true\n");
    EXPECT_EQ(c.keyvalue_type, "redis");
    EXPECT_TRUE(c.redis_enabled);
}

struct BadValue {
    const char* yaml;
    const char* key;    ///< the key the message must name
    const char* extra;  ///< another piece the message must contain
};

class ConfigValidation : public ConfigTest, public ::testing::WithParamInterface<BadValue> {};

TEST_P(ConfigValidation, ErrorNamesTheKeyInOneLine) {
    const BadValue& p = GetParam();
    std::string e = error_of(p.yaml);
    EXPECT_THAT(e, HasSubstr(std::string("config: ") + p.key + ":"));
    EXPECT_THAT(e, HasSubstr(p.extra));
}

INSTANTIATE_TEST_SUITE_P(
    BadValues, ConfigValidation,
    ::testing::Values(
        BadValue{"service:\n  maxitemsperpage: abc\n", "service.maxitemsperpage", "'abc' is not an integer"},
        BadValue{"service:\n  maxitemsperpage: 12x\n", "service.maxitemsperpage", "not an integer"},
        BadValue{"service:\n  maxitemsperpage: 0\n", "service.maxitemsperpage", "at least 1"},
        BadValue{"service:\n  jwtttl: 1.5\n", "service.jwtttl", "not an integer"},
        BadValue{"service:\n  enableregistration: maybe\n", "service.enableregistration", "not a boolean"},
        BadValue{"files:\n  maxsize: 20XB\n", "files.maxsize", "unknown size unit 'xb'"},
        BadValue{"files:\n  maxsize: MB\n", "files.maxsize", "not a size"},
        BadValue{"files:\n  maxsize: 0\n", "files.maxsize", "must be positive"},
        BadValue{"database:\n  type: oracle\n", "database.type", "'oracle' is not sqlite or postgres"},
        BadValue{"database:\n  type: mysql\n", "database.type", "mysql is not supported"},
        BadValue{"database:\n  maxopenconnections: 0\n", "database.maxopenconnections", "at least 1"},
        BadValue{"log:\n  level: LOUD\n", "log.level", "'LOUD'"},
        BadValue{"log:\n  format: xml\n", "log.format", "'xml' is not text or json"},
        BadValue{"service:\n  interface: \":70000\"\n", "service.interface", "port 70000 is out of range"},
        BadValue{"service:\n  interface: \":-1\"\n", "service.interface", "out of range"},
        BadValue{"service:\n  interface: \"3456\"\n", "service.interface", "host:port"},
        BadValue{"service:\n  interface: \"localhost:http\"\n", "service.interface", "not an integer"},
        BadValue{"service:\n  publicurl: ftp://files.example\n", "service.publicurl", "http:// or https://"},
        BadValue{"service:\n  publicurl: tasks.example.com\n", "service.publicurl", "http:// or https://"},
        BadValue{"service:\n  bcryptrounds: 3\n", "service.bcryptrounds", "between 4 and 31"},
        BadValue{"service:\n  ipextractionmethod: magic\n", "service.ipextractionmethod", "'magic'"},
        BadValue{"keyvalue:\n  type: redis\n", "keyvalue.type", "redis.enabled"},
        BadValue{"keyvalue:\n  type: etcd\n", "keyvalue.type", "memory or redis"},
        BadValue{"redis:\n  enabled: true\n  host: localhost:abc\n", "redis.host", "not an integer"},
        BadValue{"redis:\n  enabled: true\n  host: localhost:0\n", "redis.host", "out of range"}));

TEST_F(ConfigTest, BadEnvironmentValueNamesTheKey) {
    EXPECT_THAT(error_of("", {{"VIKUNJA_SERVICE_JWTTTL", "soon"}}), HasSubstr("config: service.jwtttl: 'soon'"));
    EXPECT_THAT(error_of("", {{"VIKUNJA_REDIS_ENABLED", "sure"}}), HasSubstr("config: redis.enabled: 'sure'"));
    EXPECT_THAT(error_of("", {{"VIKUNJA_DATABASE_TYPE", "mysql"}}), HasSubstr("config: database.type:"));
}

TEST_F(ConfigTest, ExplicitConfigFileMustExist) {
    const std::string missing = dir_.path() + "/missing.yml";
    try {
        load(missing, env_of({}));
        FAIL() << "no ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_THAT(e.what(), HasSubstr("--config"));
        EXPECT_THAT(e.what(), HasSubstr(missing));
    }
    // A directory is not a file either.
    EXPECT_THROW(load(dir_.path(), env_of({})), ConfigError);
}

TEST_F(ConfigTest, MalformedYamlNamesTheFile) {
    const std::string file = dir_.write("broken.yml", "service:\n  interface: [unclosed\n");
    try {
        load(file, env_of({}));
        FAIL() << "no ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_THAT(e.what(), HasSubstr(file));
    }
}

}  // namespace
}  // namespace vicugna::config
