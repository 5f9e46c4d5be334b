// SPDX-License-Identifier: AGPL-3.0-or-later
/// Matches a method and path against route templates like "/api/v1/projects/{project}/tasks".
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace vicugna::http {

/// Route table over any route payload T (the API layer stores its handler and flags there).
template <class T>
class Router {
public:
    struct Match {
        const T* route = nullptr;
        std::map<std::string, std::string> params;
        bool path_known = false;     ///< some route has this path, maybe with another method (→ 405)
        std::vector<Verb> allowed;   ///< methods registered for the path
    };

    /// Registers `value` for `method` on `path_template`; "{name}" segments capture a parameter.
    /// Routes may name the parameter at the same position differently (`/tasks/{projecttask}` and
    /// `/tasks/{task}/labels`, as Vikunja does): names belong to the route, not to the tree.
    void add(Verb method, std::string_view path_template, T value) {
        Node* node = &root_;
        std::vector<std::string> names;
        for (auto segment : split(path_template)) {
            if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
                if (!node->param) node->param = std::make_unique<Node>();
                names.emplace_back(segment.substr(1, segment.size() - 2));
                node = node->param.get();
            } else {
                auto& child = node->children[std::string(segment)];
                if (!child) child = std::make_unique<Node>();
                node = child.get();
            }
        }
        node->routes[method] = Entry{std::make_unique<T>(std::move(value)), std::move(names)};
    }

    /// Literal segments win over parameters (so "/tasks/all" is not task "all").
    Match match(Verb method, std::string_view path) const {
        Match m;
        std::vector<std::string_view> segments = split(path);
        std::vector<std::string_view> values;
        const Node* node = find(&root_, segments, 0, values);
        if (!node || node->routes.empty()) return m;
        m.path_known = true;
        for (const auto& [verb, entry] : node->routes) m.allowed.push_back(verb);
        auto it = node->routes.find(method);
        if (it == node->routes.end() && method == Verb::head) it = node->routes.find(Verb::get);
        if (it == node->routes.end()) return m;
        m.route = it->second.value.get();
        // `find` collects values innermost first.
        for (std::size_t i = 0; i < values.size(); ++i) {
            m.params[it->second.names[i]] = std::string(values[values.size() - 1 - i]);
        }
        return m;
    }

private:
    struct Entry {
        std::unique_ptr<T> value;
        std::vector<std::string> names;  ///< parameter names, in path order
    };
    struct Node {
        std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
        std::unique_ptr<Node> param;
        std::map<Verb, Entry> routes;
    };

    static std::vector<std::string_view> split(std::string_view path) {
        std::vector<std::string_view> out;
        while (!path.empty()) {
            auto slash = path.find('/');
            if (slash != 0) out.push_back(path.substr(0, slash));
            if (slash == std::string_view::npos) break;
            path = path.substr(slash + 1);
        }
        return out;
    }

    static const Node* find(const Node* node, const std::vector<std::string_view>& segments, std::size_t i,
                            std::vector<std::string_view>& values) {
        if (i == segments.size()) return node;
        if (auto it = node->children.find(segments[i]); it != node->children.end()) {
            if (const Node* found = find(it->second.get(), segments, i + 1, values); found && !found->routes.empty()) {
                return found;
            }
        }
        if (node->param) {
            if (const Node* found = find(node->param.get(), segments, i + 1, values); found && !found->routes.empty()) {
                values.push_back(segments[i]);
                return found;
            }
        }
        return nullptr;
    }

    Node root_;
};

}  // namespace vicugna::http
