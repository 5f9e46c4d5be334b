// SPDX-License-Identifier: AGPL-3.0-or-later
#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace vicugna::app {
namespace {

/// %j: the message as a JSON string body (quotes, backslashes and control characters escaped).
class JsonMessageFlag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
            switch (c) {
                case '"': dest.append(std::string_view("\\\"")); break;
                case '\\': dest.append(std::string_view("\\\\")); break;
                case '\n': dest.append(std::string_view("\\n")); break;
                case '\t': dest.append(std::string_view("\\t")); break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20) {
                        fmt::format_to(std::back_inserter(dest), "\\u{:04x}", static_cast<int>(c));
                    } else {
                        dest.push_back(c);
                    }
            }
        }
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessageFlag>(); }
};

/// %U: the level in capitals (ERROR, WARNING, INFO), which operators grep for.
class UpperLevelFlag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        static constexpr std::string_view kNames[] = {"TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "OFF"};
        dest.append(kNames[static_cast<int>(msg.level)]);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<UpperLevelFlag>(); }
};

spdlog::level::level_enum to_level(const std::string& level) {
    if (level == "critical") return spdlog::level::critical;
    if (level == "error") return spdlog::level::err;
    if (level == "warning") return spdlog::level::warn;
    if (level == "debug") return spdlog::level::debug;
    return spdlog::level::info;  // info and notice
}

}  // namespace

void setup_logging(const config::Config& config) {
    spdlog::sink_ptr sink;
    if (!config.log_enabled || config.log_standard == "off") {
        sink = std::make_shared<spdlog::sinks::null_sink_mt>();
    } else if (config.log_standard == "stderr") {
        sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    } else {
        sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    }
    auto logger = std::make_shared<spdlog::logger>("vicugna", sink);
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<UpperLevelFlag>('U');
    if (config.log_format == "json") {
        formatter->add_flag<JsonMessageFlag>('j').set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%U","message":"%j"})");
    } else {
        formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %U %v");
    }
    logger->set_formatter(std::move(formatter));
    logger->set_level(to_level(config.log_level));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

}  // namespace vicugna::app
