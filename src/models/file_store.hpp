// SPDX-License-Identifier: AGPL-3.0-or-later
/// The stored files' bytes (Vikunja: pkg/files): files.basepath/<file id>, plus the threads that read and write them.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/database.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

/// One per server: built by the App from files.basepath (already resolved against service.rootpath) and passed
/// explicitly to every model function that touches bytes (no process-wide state, design C.16). It must outlive
/// every transaction using it: the after-commit work refers to it.
class FileStore {
public:
    explicit FileStore(std::filesystem::path dir);
    FileStore(const FileStore&) = delete;
    FileStore& operator=(const FileStore&) = delete;

    /// The directory of stored files (created on the first upload).
    const std::filesystem::path& dir() const { return dir_; }
    /// Where the bytes of file `file_id` live.
    std::filesystem::path path(std::int64_t file_id) const { return dir_ / std::to_string(file_id); }
    /// Blocking file I/O (uploads up to files.maxsize, downloads) runs here, never on an I/O thread.
    asio::thread_pool::executor_type io_executor() const { return pool_.get_executor(); }

    /// Reads a stored file's bytes on the file I/O threads; nullopt when they are missing.
    asio::awaitable<std::optional<std::string>> read(std::int64_t file_id) const;
    /// Removes the bytes of these files once `tx` has committed (a rollback keeps them).
    void remove_after_commit(db::Tx& tx, std::vector<std::int64_t> file_ids) const;
    /// Once `tx` has committed, gives each new file id (second) the bytes of the old one (first). Stored files
    /// never change, so a hard link shares them; a real copy where the file system has none.
    void link_after_commit(db::Tx& tx, std::vector<std::pair<std::int64_t, std::int64_t>> links) const;

private:
    std::filesystem::path dir_;
    mutable asio::thread_pool pool_{2};
};

}  // namespace vicugna::models
