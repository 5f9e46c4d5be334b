// SPDX-License-Identifier: AGPL-3.0-or-later
#include "api/route_table.hpp"

#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <set>

namespace vicugna::api {
namespace {

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        if (slash > start) out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::size_t from, char sep) {
    std::string out;
    for (std::size_t i = from; i < parts.size(); ++i) out += (i > from ? std::string(1, sep) : "") + parts[i];
    return out;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Resource groups whose routes follow the generic CRUD verbs (Vikunja's api_routes.go list).
const std::set<std::string> kCrudGroups = {
    "projects", "tasks", "teams", "labels", "filters", "notifications", "webhooks", "reactions", "shares",
    "buckets", "views", "assignees", "comments", "relations", "attachments", "projects_views", "projects_teams",
    "projects_users", "projects_shares", "projects_webhooks", "projects_buckets", "tasks_attachments",
    "tasks_assignees", "tasks_labels", "tasks_comments", "tasks_relations", "teams_members", "projects_views_tasks"};

/// "/api/v1/tasks/{projecttask}" → "/api/v1/tasks/:projecttask".
std::string vikunja_pattern(std::string_view path) {
    std::string out;
    for (char c : path) {
        if (c == '{') {
            out += ':';
        } else if (c != '}') {
            out += c;
        }
    }
    return out;
}

Route make_route(http::Verb method, std::string_view path, Handler handler, Access access) {
    Route r;
    r.handler = handler;
    r.access = access;
    r.method = r.token_method = method;
    r.pattern = r.token_pattern = vikunja_pattern(path);
    return r;
}

std::string crud_permission(const std::string& method, const std::string& path) {
    bool ends_with_param = path.rfind('/') != std::string::npos && path[path.rfind('/') + 1] == ':';
    if (method == "GET") return ends_with_param ? "read_one" : "read_all";
    if (method == "PUT") return "create";
    if (method == "POST" || method == "PATCH") return "update";
    if (method == "DELETE") return "delete";
    return {};
}

}  // namespace

void RouteTable::add(http::Verb method, std::string_view path, Handler handler, Access access, bool upload) {
    Route r = make_route(method, path, handler, access);
    r.upload = upload;
    router_.add(method, path, r);
    routes_.push_back(std::move(r));
}

void RouteTable::add_alias(http::Verb method, std::string_view path, Handler handler, Access access,
                           http::Verb v1_method, std::string_view v1_path) {
    Route r = make_route(method, path, handler, access);
    r.token_method = v1_method;
    r.token_pattern = vikunja_pattern(v1_path);
    router_.add(method, path, r);
    routes_.push_back(std::move(r));
}

TokenRoutes::TokenRoutes(const RouteTable& table) {
    for (const auto& route : table.routes()) {
        if (route.access != Access::User && route.access != Access::Shared) continue;
        if (route.token_method != route.method || route.token_pattern != route.pattern) continue;  // an alias
        std::string method(boost::beast::http::to_string(route.method));
        std::string stripped = route.pattern.rfind("/api/v1/", 0) == 0 ? route.pattern.substr(8) : route.pattern;
        std::vector<std::string> parts;
        for (auto& part : split(stripped)) {
            if (part[0] != ':') parts.push_back(part);
        }
        std::string group = join(parts, 0, '_');
        if (group == "projects_tasks" || group == "tasks_all") {
            group = "tasks";
            parts = {"tasks"};
        }
        // Account management stays out of reach of API tokens (`/user` itself is "other.user").
        if (group == "token_test" || group == "subscriptions" || group == "tokens" || group.rfind("user_", 0) == 0) {
            continue;
        }
        std::replace(group.begin(), group.end(), '-', '_');
        Detail detail{route.pattern, method};
        bool crud = kCrudGroups.count(group) ||
                    (group.ends_with("_bulk") && kCrudGroups.count(group.substr(0, group.size() - 5))) ||
                    (parts.size() == 1 && kCrudGroups.count(parts[0]));
        if (!crud) {
            if (parts.size() == 1) {
                if (group == "notifications" && method == "POST") {
                    groups_["notifications"]["mark_all_as_read"] = detail;
                    continue;
                }
                std::string key = group;
                if (groups_["other"].count(key)) key += "_" + lower(method);
                groups_["other"][key] = detail;
                continue;
            }
            std::string key = join(parts, 1, '_');
            std::replace(key.begin(), key.end(), '-', '_');
            if (groups_[parts[0]].count(key)) key += "_" + lower(method);
            groups_[parts[0]][key] = detail;
            continue;
        }
        std::string permission = crud_permission(method, route.pattern);
        if (group.ends_with("_bulk")) {
            groups_[group.substr(0, group.size() - 5)][permission + "_bulk"] = detail;
        } else if (!permission.empty()) {
            groups_[group][permission] = detail;
        }
    }
}

bool TokenRoutes::valid(const rapidjson::Value& permissions) const {
    if (!permissions.IsObject()) return false;
    for (const auto& m : permissions.GetObject()) {
        auto g = groups_.find(m.name.GetString());
        if (g == groups_.end() || !m.value.IsArray()) return false;
        for (const auto& p : m.value.GetArray()) {
            if (!p.IsString() || !g->second.count(p.GetString())) return false;
        }
    }
    return true;
}

bool TokenRoutes::allows(const std::string& permissions_json, http::Verb verb, const std::string& pattern) const {
    rapidjson::Document doc;
    doc.Parse(permissions_json.data(), permissions_json.size());
    if (doc.HasParseError() || !doc.IsObject()) return false;
    std::string method(boost::beast::http::to_string(verb));
    for (const auto& m : doc.GetObject()) {
        auto g = groups_.find(m.name.GetString());
        if (g == groups_.end() || !m.value.IsArray()) continue;
        for (const auto& p : m.value.GetArray()) {
            if (!p.IsString()) continue;
            std::string_view perm = p.GetString();
            if (auto d = g->second.find(std::string(perm)); d != g->second.end()) {
                if (d->second.method == method && d->second.path == pattern) return true;
            }
            // Two list routes share tasks.read_all (Vikunja keeps only one in its table, allows both).
            if (g->first == "tasks" && perm == "read_all" && method == "GET" &&
                (pattern == "/api/v1/tasks" || pattern == "/api/v1/projects/:project/tasks")) {
                return true;
            }
        }
    }
    return false;
}

std::string TokenRoutes::to_json() const {
    util::json::Writer w;
    w.start_object();
    for (const auto& [group, perms] : groups_) {
        w.key(group).start_object();
        for (const auto& [perm, d] : perms) {
            w.key(perm).start_object().key("path").string(d.path).key("method").string(d.method).end_object();
        }
        w.end_object();
    }
    w.end_object();
    return w.take();
}

}  // namespace vicugna::api
