// SPDX-License-Identifier: AGPL-3.0-or-later
// Stored files' bytes (Vikunja: pkg/files).
#include "models/file_store.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <iterator>

#include "util/offload.hpp"

namespace vicugna::models {

namespace fs = std::filesystem;

FileStore::FileStore(fs::path dir) : dir_(std::move(dir)) {}

asio::awaitable<std::optional<std::string>> FileStore::read(std::int64_t file_id) const {
    auto file = path(file_id);
    auto load = [&file]() -> std::optional<std::string> {
        std::ifstream in(file, std::ios::binary);
        if (!in) return std::nullopt;
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (in.bad()) return std::nullopt;
        return bytes;
    };
    auto worker = io_executor();
    co_return co_await util::run_on<std::optional<std::string>>(worker, load);
}

void FileStore::remove_after_commit(db::Tx& tx, std::vector<std::int64_t> file_ids) const {
    if (file_ids.empty()) return;
    tx.after_commit([this, ids = std::move(file_ids)] {
        for (auto id : ids) {
            std::error_code ec;
            fs::remove(path(id), ec);
            if (ec) spdlog::warn("could not remove stored file {}: {}", path(id).string(), ec.message());
        }
    });
}

void FileStore::link_after_commit(db::Tx& tx, std::vector<std::pair<std::int64_t, std::int64_t>> links) const {
    if (links.empty()) return;
    tx.after_commit([this, links = std::move(links)] {
        for (const auto& [from, to] : links) {
            std::error_code ec;
            fs::create_hard_link(path(from), path(to), ec);
            if (ec) fs::copy_file(path(from), path(to), fs::copy_options::overwrite_existing, ec);
            if (ec) spdlog::error("could not copy stored file {} to {}: {}", from, to, ec.message());
        }
    });
}

}  // namespace vicugna::models
