// SPDX-License-Identifier: AGPL-3.0-or-later
#include "models/task_attachments.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "util/crypto.hpp"

namespace vicugna::models {
namespace {

namespace fs = std::filesystem;

class StagedFilesTest : public ::testing::Test {
protected:
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::size_t entries() const {
        return fs::exists(dir_) ? static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), {})) : 0;
    }
    static std::string read(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    fs::path dir_ = fs::temp_directory_path() / ("vicugna-files-" + util::random_hex(6));
    FileStore store_{dir_};
};

TEST_F(StagedFilesTest, StoreNamesFilesByIdInItsDirectory) {
    EXPECT_EQ(store_.dir(), dir_);
    EXPECT_EQ(store_.path(41), dir_ / "41");
    FileStore other("elsewhere");  // each store has its own directory: nothing is process-wide
    EXPECT_EQ(other.path(41), fs::path("elsewhere") / "41");
    EXPECT_EQ(store_.path(41), dir_ / "41");
}

TEST_F(StagedFilesTest, RollbackRemovesTemporaryAndPublishedFiles) {
    {
        StagedFiles staged(store_);
        auto a = staged.write_temp("first");
        auto b = staged.write_temp(std::string("sec\0nd", 6));
        EXPECT_EQ(a.parent_path(), dir_);
        EXPECT_EQ(read(b), std::string("sec\0nd", 6));
        staged.publish(a, 41);
        EXPECT_EQ(read(store_.path(41)), "first");
        EXPECT_EQ(entries(), 2u);
    }  // no keep(): the transaction did not commit
    EXPECT_EQ(entries(), 0u);
}

TEST_F(StagedFilesTest, KeepAfterCommitLeavesPublishedFiles) {
    {
        StagedFiles staged(store_);
        staged.publish(staged.write_temp("kept"), 7);
        staged.keep();
    }
    EXPECT_EQ(read(store_.path(7)), "kept");
    EXPECT_EQ(entries(), 1u);
}

}  // namespace
}  // namespace vicugna::models
