// SPDX-License-Identifier: AGPL-3.0-or-later
/// Request and Response values: what the transport hands to the API layer and gets back.
#pragma once
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vicugna::http {

namespace beast = boost::beast;
using Verb = beast::http::verb;

struct Request {
    Verb method = Verb::get;
    std::string path;                              ///< percent-decoded, without the query string
    std::multimap<std::string, std::string> query;  ///< decoded; "key[]" is stored as "key"
    beast::http::fields headers;
    std::string body;
    std::string remote_ip;     ///< the peer's address (the API layer applies trusted-proxy rules)
    bool body_too_large = false;  ///< the body went over the route's limit and was not read
    std::chrono::steady_clock::time_point received;

    std::string_view header(std::string_view name) const;
    /// The first value of a query parameter; nullopt when absent.
    std::optional<std::string> query_value(const std::string& key) const;
};

struct Response {
    unsigned status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    bool close = false;  ///< close the connection after this response

    void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

/// Splits "a=1&b[]=x+y" into decoded pairs (+ is a space; PHP-style "[]" suffixes are dropped).
std::multimap<std::string, std::string> parse_query(std::string_view query);
/// Percent-decodes; returns nullopt for malformed escapes.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace vicugna::http
