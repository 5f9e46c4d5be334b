// SPDX-License-Identifier: AGPL-3.0-or-later
// vicugna_sqlite_ceiling: SQLite's own ceiling for the two queries behind the hot read endpoints, on a dataset
// loaded by bench/dataset.py, so the benchmark can say how close `vicugna serve` gets to the database itself.
// Usage:
//     vicugna_sqlite_ceiling DB_FILE [--seconds 5] [--threads 1] [--warmup 1] [--seed 1] [--cache-mib 0] > out.json
//
//   point_select: SELECT <every task column> FROM tasks WHERE id = ?          (a random existing task id)
//   list50:       the first 50 undone tasks of a project's list view in view position order (a random project
//                 with its list view): tasks JOIN task_positions ... ORDER BY tp.position LIMIT 50
//
// Fair comparison with the server: every iteration is what one request costs the server's SQLite layer, i.e. its
// own read transaction (prepared BEGIN, the prepared statement stepped to the end, prepared COMMIT; the server ends
// reads with ROLLBACK, the same work for a read-only transaction), not many statements batched inside one
// transaction, which would hide the per-request transaction cost (a lock and a WAL snapshot per BEGIN). Every
// column of every row is read with sqlite3_column_* (as the server copies them out), so no work is skipped.
// Connections are opened like the server's readers (read-only, NOMUTEX, its busy timeout and pragmas, SQLite's
// default 2 MiB page cache; --cache-mib N sets cache_size to show what a bigger cache would give). Each thread has
// its own connection; all threads run the same query at the same time for --seconds after an unmeasured --warmup.
// Ids are drawn from a seeded RNG per thread (uniform over every task / every project's list view): repeatable.
//
// Output (stdout): {"point_select": {"ops": N, "per_s": F, "threads": T, "rows": R},
//                   "list50": {...same keys...}, "tasks": N, "list_views": N, "seconds": S, "cache_mib": M}
// Exit codes: 0 ok, 1 database error, 2 usage.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <latch>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kBusyTimeoutMs = 5000;
constexpr int kListViewKind = 0;  // models::ViewKind::List
// Clock reads are cheap but not free next to a ~10 µs point select: look at it every few iterations.
constexpr int kClockEvery = 16;

constexpr const char* kTaskColumns =
    "t.id, t.title, t.description, t.done, t.done_at, t.due_date, t.project_id, t.repeat_after, t.repeat_mode, "
    "t.priority, t.start_date, t.end_date, t.hex_color, t.percent_done, t.\"index\", t.uid, "
    "t.cover_image_attachment_id, t.created, t.updated, t.deleted_at, t.created_by_id";

struct Options {
    std::string db_file;
    double seconds = 5;
    double warmup = 1;
    int threads = 1;
    unsigned seed = 1;
    int cache_mib = 0;  // 0: SQLite's default page cache (2 MiB), as the server has
};

struct DbError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// One read-only connection with the three prepared statements of an iteration.
class Connection {
public:
    explicit Connection(const std::string& path, int cache_mib = 0) {
        if (int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
            rc != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            throw DbError("cannot open " + path + ": " + msg);
        }
        sqlite3_busy_timeout(db_, kBusyTimeoutMs);
        exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON");  // what the server's readers set
        if (cache_mib > 0) exec(("PRAGMA cache_size=-" + std::to_string(cache_mib * 1024)).c_str());
    }
    ~Connection() { sqlite3_close(db_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* handle() const { return db_; }

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errmsg(db_);
            sqlite3_free(err);
            throw DbError(std::string(sql) + ": " + msg);
        }
    }

private:
    sqlite3* db_ = nullptr;
};

/// A prepared statement, finalized with its owner.
class Statement {
public:
    Statement(Connection& conn, const std::string& sql) : db_(conn.handle()) {
        if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
            throw DbError("cannot prepare " + sql + ": " + sqlite3_errmsg(db_));
        }
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }

    /// Steps to the end, reading every column of every row; returns the rows and adds to the checksum.
    std::int64_t run(std::uint64_t& checksum) {
        std::int64_t rows = 0;
        const int columns = sqlite3_column_count(stmt_);
        for (;;) {
            int rc = sqlite3_step(stmt_);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) {
                sqlite3_reset(stmt_);
                throw DbError(std::string("step failed: ") + sqlite3_errmsg(db_));
            }
            ++rows;
            for (int c = 0; c < columns; ++c) checksum += read_column(c);
        }
        sqlite3_reset(stmt_);
        return rows;
    }

private:
    // Each value is read in its stored type and folded into the checksum, the way the server copies it out.
    std::uint64_t read_column(int c) {
        switch (sqlite3_column_type(stmt_, c)) {
            case SQLITE_INTEGER: return static_cast<std::uint64_t>(sqlite3_column_int64(stmt_, c));
            case SQLITE_FLOAT: return static_cast<std::uint64_t>(sqlite3_column_double(stmt_, c));
            case SQLITE_TEXT: {
                const unsigned char* text = sqlite3_column_text(stmt_, c);
                int n = sqlite3_column_bytes(stmt_, c);
                return n > 0 ? static_cast<std::uint64_t>(n) + text[n - 1] : 0;
            }
            case SQLITE_BLOB: return static_cast<std::uint64_t>(sqlite3_column_bytes(stmt_, c));
            default: return 0;  // NULL
        }
    }

    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

struct ListView {
    std::int64_t project_id;
    std::int64_t view_id;
};

/// The ids the queries draw from, read once: every task id and every real project's list view.
struct Ids {
    std::vector<std::int64_t> tasks;
    std::vector<ListView> list_views;
};

/// Runs a setup query outside any measurement, handing each row to `row`.
template <typename F>
void for_each_row(Connection& conn, const std::string& sql, F&& row) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(conn.handle(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        throw DbError("cannot prepare " + sql + ": " + sqlite3_errmsg(conn.handle()));
    }
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) row(raw);
    sqlite3_finalize(raw);
    if (rc != SQLITE_DONE) throw DbError(sql + ": " + sqlite3_errmsg(conn.handle()));
}

Ids load_ids(const std::string& path) {
    Connection conn(path);
    Ids ids;
    for_each_row(conn, "SELECT id FROM tasks ORDER BY id",
                 [&](sqlite3_stmt* s) { ids.tasks.push_back(sqlite3_column_int64(s, 0)); });
    // Saved filters' views have negative project ids and no task_positions of their own: real projects only,
    // and one list view per project (the first), as the list endpoint of the benchmark requests.
    std::int64_t last_project = 0;
    for_each_row(conn,
                 "SELECT project_id, id FROM project_views WHERE view_kind = " + std::to_string(kListViewKind) +
                     " AND project_id > 0 ORDER BY project_id, id",
                 [&](sqlite3_stmt* s) {
                     std::int64_t project = sqlite3_column_int64(s, 0);
                     if (project == last_project) return;
                     ids.list_views.push_back({project, sqlite3_column_int64(s, 1)});
                     last_project = project;
                 });
    return ids;
}

enum class Query { PointSelect, List50 };

std::string query_sql(Query q) {
    std::string cols = kTaskColumns;
    if (q == Query::PointSelect) return "SELECT " + cols + " FROM tasks t WHERE t.id = ?";
    // done is stored as 0/1 on SQLite (the server binds bool as an integer).
    return "SELECT " + cols +
           " FROM tasks t JOIN task_positions tp ON tp.task_id = t.id AND tp.project_view_id = ?"
           " WHERE t.project_id = ? AND t.deleted_at IS NULL AND t.done = 0 ORDER BY tp.position LIMIT 50";
}

struct Tally {
    std::int64_t ops = 0;
    std::int64_t rows = 0;
    std::uint64_t checksum = 0;
    double elapsed = 0;
};

/// One thread: its own connection and statements; iterations until `seconds` have passed.
class Worker {
public:
    Worker(const Options& opt, Query q, const Ids& ids, unsigned seed)
        : conn_(opt.db_file, opt.cache_mib), begin_(conn_, "BEGIN"), commit_(conn_, "COMMIT"),
          query_(conn_, query_sql(q)), q_(q), ids_(ids), rng_(seed) {}

    Tally run_for(double seconds) {
        Tally t;
        const auto start = Clock::now();
        const auto until = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
        for (auto now = start; now < until;) {
            for (int i = 0; i < kClockEvery; ++i) iteration(t);
            now = Clock::now();
            t.elapsed = std::chrono::duration<double>(now - start).count();
        }
        return t;
    }

private:
    // What one request costs the server's SQLite layer: a read transaction around one statement.
    void iteration(Tally& t) {
        if (q_ == Query::PointSelect) {
            std::uniform_int_distribution<std::size_t> pick(0, ids_.tasks.size() - 1);
            query_.bind(1, ids_.tasks[pick(rng_)]);
        } else {
            std::uniform_int_distribution<std::size_t> pick(0, ids_.list_views.size() - 1);
            const ListView& v = ids_.list_views[pick(rng_)];
            query_.bind(1, v.view_id);
            query_.bind(2, v.project_id);
        }
        begin_.run(t.checksum);
        t.rows += query_.run(t.checksum);
        commit_.run(t.checksum);
        ++t.ops;
    }

    Connection conn_;
    Statement begin_, commit_, query_;
    Query q_;
    const Ids& ids_;
    std::mt19937_64 rng_;
};

/// All threads run the query at once (after a common warm-up); the rate is total ops over the longest thread.
Tally measure(const Options& opt, Query q, const Ids& ids) {
    std::vector<Tally> tallies(static_cast<std::size_t>(opt.threads));
    std::vector<std::string> errors(tallies.size());
    std::latch ready(opt.threads);
    std::vector<std::thread> pool;
    for (int i = 0; i < opt.threads; ++i) {
        pool.emplace_back([&, i] {
            auto idx = static_cast<std::size_t>(i);
            bool arrived = false;
            try {
                Worker w(opt, q, ids, opt.seed * 1000003u + static_cast<unsigned>(i));
                w.run_for(opt.warmup);
                arrived = true;
                ready.arrive_and_wait();
                tallies[idx] = w.run_for(opt.seconds);
            } catch (const std::exception& e) {
                errors[idx] = e.what();
                if (!arrived) ready.count_down();  // the others must not wait forever for a failed thread
            }
        });
    }
    for (auto& t : pool) t.join();
    Tally total;
    for (std::size_t i = 0; i < tallies.size(); ++i) {
        if (!errors[i].empty()) throw DbError(errors[i]);
        total.ops += tallies[i].ops;
        total.rows += tallies[i].rows;
        total.checksum += tallies[i].checksum;
        total.elapsed = std::max(total.elapsed, tallies[i].elapsed);
    }
    return total;
}

void write_result(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* name, const Tally& t, int threads) {
    w.Key(name);
    w.StartObject();
    w.Key("ops");
    w.Int64(t.ops);
    w.Key("per_s");
    w.Double(t.elapsed > 0 ? static_cast<double>(t.ops) / t.elapsed : 0.0);
    w.Key("threads");
    w.Int(threads);
    w.Key("rows");
    w.Int64(t.rows);
    w.EndObject();
}

[[noreturn]] void usage(const char* why) {
    std::cerr << "vicugna_sqlite_ceiling: " << why
              << "\nusage: vicugna_sqlite_ceiling DB_FILE [--seconds 5] [--threads 1] [--warmup 1] [--seed 1] "
                 "[--cache-mib 0]\n";
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options opt;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value for " + arg).c_str());
            return argv[++i];
        };
        try {
            if (arg == "--seconds") opt.seconds = std::stod(value());
            else if (arg == "--threads") opt.threads = std::stoi(value());
            else if (arg == "--warmup") opt.warmup = std::stod(value());
            else if (arg == "--cache-mib") opt.cache_mib = std::stoi(value());
            else if (arg == "--seed") opt.seed = static_cast<unsigned>(std::stoul(value()));
            else if (!arg.empty() && arg[0] != '-' && opt.db_file.empty()) opt.db_file = arg;
            else usage(("unknown argument " + arg).c_str());
        } catch (const std::logic_error&) {
            usage(("bad value for " + arg).c_str());
        }
    }
    if (opt.db_file.empty()) usage("DB_FILE is required");
    if (opt.seconds <= 0 || opt.warmup < 0 || opt.threads < 1 || opt.cache_mib < 0) {
        usage("--seconds > 0, --warmup >= 0, --threads >= 1, --cache-mib >= 0");
    }
    return opt;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt = parse(argc, argv);
    try {
        Ids ids = load_ids(opt.db_file);
        if (ids.tasks.empty() || ids.list_views.empty()) throw DbError("no tasks or no list views: load a dataset");
        Tally point = measure(opt, Query::PointSelect, ids);
        Tally list = measure(opt, Query::List50, ids);
        rapidjson::StringBuffer out;
        rapidjson::Writer<rapidjson::StringBuffer> w(out);
        w.StartObject();
        write_result(w, "point_select", point, opt.threads);
        write_result(w, "list50", list, opt.threads);
        w.Key("tasks");
        w.Uint64(ids.tasks.size());
        w.Key("list_views");
        w.Uint64(ids.list_views.size());
        w.Key("seconds");
        w.Double(opt.seconds);
        w.Key("cache_mib");
        w.Int(opt.cache_mib);
        w.EndObject();
        std::cout << out.GetString() << "\n";
        // The checksum only keeps the reads observable; it goes to stderr so stdout stays one JSON object.
        std::cerr << "checksum " << (point.checksum ^ list.checksum) << "\n";
    } catch (const DbError& e) {
        std::cerr << "vicugna_sqlite_ceiling: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
