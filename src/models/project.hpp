// SPDX-License-Identifier: AGPL-3.0-or-later
/// Projects (table `projects`) with their default views and buckets. Only creation exists so far.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>

#include "db/database.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

/// Creates a project owned by `owner_id` with Vikunja's four default views (List with `done = false`, Gantt,
/// Table, Kanban in manual mode) and the kanban buckets To-Do, Doing, Done. Returns the project id.
asio::awaitable<std::int64_t> create_project_with_defaults(db::Tx& tx, std::int64_t owner_id, const std::string& title);

/// The "My Open Tasks" saved filter every new user gets (Vikunja 2.4+).
asio::awaitable<void> create_my_open_tasks_filter(db::Tx& tx, std::int64_t owner_id, const std::string& username);

}  // namespace vicugna::models
