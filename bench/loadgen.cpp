// SPDX-License-Identifier: AGPL-3.0-or-later
// vicugna_loadgen: a small HTTP/1.1 keep-alive load generator that reports latency PER ENDPOINT for a weighted
// request mix (wrk only reports one histogram for the whole run). Usage:
//     vicugna_loadgen WORKLOAD.json > result.json        (progress and errors on stderr; bad workload: exit 2)
//
// Workload (JSON; every key but "endpoints" has the default shown):
// {
//   "host": "127.0.0.1", "port": 3456,
//   "connections": 64,      // keep-alive connections, all opened before the clock starts
//   "threads": 1,           // event-loop threads; the connections are spread over them
//   "duration_s": 10, "warmup_s": 1,   // warm-up requests are sent but not recorded
//   "rate": 0,              // 0: closed loop, each connection sends its next request as soon as the answer came.
//                           // >0: total requests/s on a fixed schedule spread evenly over the connections; latency
//                           // counts from the INTENDED send time, so a stalled server is not hidden (as wrk2 does)
//   "seed": 1,              // connection i draws from an RNG seeded with seed * 1000003 + i: repeatable runs
//   "endpoints": [          // one request: an endpoint by weight, then one of its "requests" uniformly
//     {"name": "GET /tasks/{id}", "weight": 65, "requests": [
//        {"method": "GET", "path": "/api/v1/tasks/17", "auth": "Bearer eyJ...", "body": null}]},
//     {"name": "POST /tasks/{id}", "weight": 2, "requests": [
//        {"method": "POST", "path": "/api/v1/tasks/9", "auth": "Bearer tk_...", "body": "{\"title\":\"x\"}"}]}]
// }
// An endpoint with "once": true sends each of its requests at most once, in order (one-time credentials such as
// refresh tokens); when they are used up it is no longer drawn.
// "auth" and "cookie" (optional) are sent as the Authorization and Cookie headers when non-empty; "body" (optional) is sent as-is with
// Content-Type: application/json. 2xx counts as ok, any other status as an error (per status code); a reset, EOF
// or the 30 s timeout counts as a transport error and the connection reconnects.
//
// Result (stdout): {"connections","threads","duration_s","rate",
//   "total": {"requests","errors","transport_errors","statuses":{"200":N,...},"rps","p50_ms","p95_ms","p99_ms",
//             "max_ms"},
//   "endpoints": [{"name", then the same keys as "total"}, ...]}   (endpoints in workload order)
// "requests" counts answered requests (any status); percentiles are exact (nearest rank) over all of them;
// "transport_errors" counts failed attempts, including each failed reconnect (closed loop retries every 10 ms).
// Exit codes: 0 ok, 1 a connection could not be opened before the start, 2 invalid workload or usage.
// Unknown workload keys (such as "_comment") are ignored.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace rj = rapidjson;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTimeout = std::chrono::seconds(30);
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct BadWorkload : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Request {
    std::string wire;  // the whole request, serialized once up front
    bool head = false;  // a HEAD answer has a Content-Length but no body
};
struct Endpoint {
    std::string name;
    double weight = 0;
    std::vector<Request> requests;
    bool once = false;  // each request at most once (one-time credentials such as refresh tokens)
    std::shared_ptr<std::atomic<std::size_t>> used = std::make_shared<std::atomic<std::size_t>>(0);

    // The next request to send; nullptr once a "once" endpoint has used up its requests.
    const Request* take(std::mt19937_64& rng) const {
        if (!once) return &requests[rng() % requests.size()];
        std::size_t i = used->fetch_add(1);
        return i < requests.size() ? &requests[i] : nullptr;
    }
};
struct Workload {
    std::string host = "127.0.0.1";
    unsigned short port = 3456;
    int connections = 64, threads = 1;
    double duration_s = 10, warmup_s = 1, rate = 0;
    std::uint64_t seed = 1;
    std::vector<Endpoint> endpoints;
};

// --- workload parsing -------------------------------------------------------------------------------------------

double number(const rj::Value& obj, const char* key, double fallback, int min, const std::string& where) {
    if (!obj.HasMember(key)) return fallback;
    const auto& v = obj[key];
    if (!v.IsNumber() || v.GetDouble() < min)
        throw BadWorkload(where + "\"" + key + "\" must be a number >= " + std::to_string(min));
    return v.GetDouble();
}

// Missing and null both give "": auth and body are optional.
std::string text(const rj::Value& obj, const char* key, const std::string& where) {
    if (!obj.HasMember(key) || obj[key].IsNull()) return {};
    if (!obj[key].IsString()) throw BadWorkload(where + "\"" + key + "\" must be a string or null");
    return {obj[key].GetString(), obj[key].GetStringLength()};
}

void no_newlines(const std::string& s, const std::string& what) {
    // A CR or LF would inject a header or split the request: refuse instead of sending garbage.
    if (s.find_first_of("\r\n") != std::string::npos) throw BadWorkload(what + " contains a line break");
}

Request make_request(const rj::Value& r, const Workload& w, const std::string& where) {
    if (!r.IsObject()) throw BadWorkload(where + "must be an object");
    std::string method = text(r, "method", where), path = text(r, "path", where), auth = text(r, "auth", where);
    std::string cookie = text(r, "cookie", where);
    if (method.empty() || method.find(' ') != std::string::npos) throw BadWorkload(where + "needs a \"method\"");
    if (path.empty() || path[0] != '/' || path.find(' ') != std::string::npos)
        throw BadWorkload(where + "\"path\" must start with / and contain no spaces");
    no_newlines(method + path + auth + cookie, where + "method/path/auth/cookie");
    bool has_body = r.HasMember("body") && !r["body"].IsNull();
    std::string body = text(r, "body", where);
    std::string wire = method + " " + path + " HTTP/1.1\r\nHost: " + w.host + ":" + std::to_string(w.port) + "\r\n";
    if (!auth.empty()) wire += "Authorization: " + auth + "\r\n";
    if (!cookie.empty()) wire += "Cookie: " + cookie + "\r\n";
    wire += "Connection: keep-alive\r\n";
    if (has_body) wire += "Content-Type: application/json\r\n";
    if (has_body || method == "POST" || method == "PUT" || method == "PATCH")
        wire += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    wire += "\r\n" + body;
    return {std::move(wire), method == "HEAD"};
}

Workload parse_workload(const std::string& json) {
    rj::Document doc;
    doc.Parse(json.c_str(), json.size());
    if (doc.HasParseError())
        throw BadWorkload(std::string("invalid JSON at offset ") + std::to_string(doc.GetErrorOffset()) + ": " +
                          rj::GetParseError_En(doc.GetParseError()));
    if (!doc.IsObject()) throw BadWorkload("the workload must be a JSON object");
    Workload w;
    w.host = doc.HasMember("host") ? text(doc, "host", "") : w.host;
    no_newlines(w.host, "host");
    double port = number(doc, "port", w.port, 1, ""), conns = number(doc, "connections", w.connections, 1, "");
    double threads = number(doc, "threads", w.threads, 1, "");
    w.duration_s = number(doc, "duration_s", w.duration_s, 0, "");
    if (w.host.empty() || port > 65535 || conns > 1e6 || threads > 1024 || w.duration_s <= 0)
        throw BadWorkload("bad host, port, connections, threads or duration_s");
    w.port = static_cast<unsigned short>(port);
    w.connections = static_cast<int>(conns);
    w.threads = std::min(w.connections, static_cast<int>(threads));
    w.warmup_s = number(doc, "warmup_s", w.warmup_s, 0, "");
    w.rate = number(doc, "rate", w.rate, 0, "");
    w.seed = static_cast<std::uint64_t>(number(doc, "seed", 1, 0, ""));
    if (!doc.HasMember("endpoints") || !doc["endpoints"].IsArray() || doc["endpoints"].Empty())
        throw BadWorkload("\"endpoints\" must be a non-empty array");
    double total_weight = 0;
    for (const auto& e : doc["endpoints"].GetArray()) {
        std::string where = "endpoint " + std::to_string(w.endpoints.size()) + ": ";
        if (!e.IsObject()) throw BadWorkload(where + "must be an object");
        Endpoint ep{text(e, "name", where), number(e, "weight", -1, 0, where), {}};
        if (e.HasMember("once")) {
            if (!e["once"].IsBool()) throw BadWorkload(where + "\"once\" must be true or false");
            ep.once = e["once"].GetBool();
        }
        if (ep.name.empty() || ep.weight < 0) throw BadWorkload(where + "needs a \"name\" and a \"weight\"");
        if (!e.HasMember("requests") || !e["requests"].IsArray() || e["requests"].Empty())
            throw BadWorkload(where + "\"requests\" must be a non-empty array");
        for (const auto& r : e["requests"].GetArray())
            ep.requests.push_back(make_request(r, w, where + "request " + std::to_string(ep.requests.size()) + ": "));
        total_weight += ep.weight;
        w.endpoints.push_back(std::move(ep));
    }
    if (total_weight <= 0) throw BadWorkload("the endpoint weights add up to 0");
    return w;
}

// --- load -------------------------------------------------------------------------------------------------------

struct Tally {  // one per endpoint per thread; merged at the end
    std::vector<std::uint32_t> latency_us;
    std::map<int, std::uint64_t> statuses;
    std::uint64_t transport_errors = 0;
};

struct Schedule {
    Clock::time_point start, warm_end, end;
};

struct Conn {
    Conn(asio::io_context& io, int index, std::uint64_t seed) : stream(io), number(index), rng(seed) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    int number;
    std::mt19937_64 rng;
    bool open = false;
    std::string last_error;
};

struct Worker {
    asio::io_context io{1};
    std::vector<std::unique_ptr<Conn>> conns;
    std::vector<Tally> tallies;
};

asio::awaitable<bool> connect(Conn& c, tcp::endpoint to) {
    c.stream.close();
    c.buffer.clear();
    c.stream.expires_after(kTimeout);
    auto [ec] = co_await c.stream.async_connect(to, kTuple);
    c.open = !ec;
    if (ec) c.last_error = ec.message();
    else c.stream.socket().set_option(tcp::no_delay(true));
    co_return c.open;
}

// One request and its full answer. Returns the HTTP status, or 0 on a transport error (the connection is closed).
asio::awaitable<int> exchange(Conn& c, const Request& r) {
    c.stream.expires_after(kTimeout);
    auto [write_ec, written] = co_await asio::async_write(c.stream, asio::buffer(r.wire), kTuple);
    http::response_parser<http::string_body> parser;  // the body is read in full, then dropped
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    parser.skip(r.head);
    if (!write_ec) {
        auto [read_ec, read] = co_await http::async_read(c.stream, c.buffer, parser, kTuple);
        if (!read_ec) {
            if (!parser.keep_alive()) c.open = false;  // the server said Connection: close
            co_return parser.get().result_int();
        }
    }
    c.open = false;
    co_return 0;
}

// Drives one connection from start to end. Closed loop: back to back. Fixed rate: connection i owns the slots
// start + (i + k * connections) / rate, so all slots together are evenly spaced at `rate` per second.
asio::awaitable<void> drive(Conn& c, const Workload& w, const Schedule& s, tcp::endpoint to,
                            std::vector<Tally>& tallies) {
    std::vector<double> weights;
    for (const auto& e : w.endpoints) weights.push_back(e.weight);
    std::discrete_distribution<std::size_t> pick_endpoint(weights.begin(), weights.end());
    asio::steady_timer timer(c.stream.get_executor());
    for (std::uint64_t k = 0;; ++k) {
        Clock::time_point intended = Clock::now();
        if (w.rate > 0) {
            double at_s = (static_cast<double>(c.number) + static_cast<double>(k) * w.connections) / w.rate;
            intended = s.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(at_s));
            if (intended >= s.end) break;
            timer.expires_at(intended);
            co_await timer.async_wait(kTuple);
        }
        if (Clock::now() >= s.end) break;
        bool record = intended >= s.warm_end;
        std::size_t e = 0;
        const Request* request = nullptr;
        for (int attempt = 0; !request && attempt < 1000; ++attempt) {
            e = pick_endpoint(c.rng);
            request = w.endpoints[e].take(c.rng);
        }
        if (!request) break;  // only used-up "once" endpoints are left
        const Request& r = *request;
        bool connected = c.open || co_await connect(c, to);
        int status = connected ? co_await exchange(c, r) : 0;
        if (status == 0) {
            if (record) ++tallies[e].transport_errors;
            if (!connected && w.rate <= 0) {  // do not spin on a refusing server
                timer.expires_after(std::chrono::milliseconds(10));
                co_await timer.async_wait(kTuple);
            }
            continue;
        }
        if (!record) continue;
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - intended).count();
        tallies[e].latency_us.push_back(static_cast<std::uint32_t>(std::min<std::int64_t>(us, UINT32_MAX)));
        ++tallies[e].statuses[status];
    }
}

void run_all(std::vector<std::unique_ptr<Worker>>& workers) {
    std::vector<std::thread> threads;
    for (auto& wk : workers) threads.emplace_back([&io = wk->io] { io.restart(); io.run(); });
    for (auto& t : threads) t.join();
}

void raise_fd_limit(int connections) {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < static_cast<rlim_t>(connections) + 32)
        throw BadWorkload(std::to_string(connections) + " connections need more than the open-file limit of " +
                          std::to_string(rl.rlim_cur));
}

// --- report -----------------------------------------------------------------------------------------------------

using Writer = rj::PrettyWriter<rj::StringBuffer>;

void merge(Tally& into, const Tally& from) {
    into.latency_us.insert(into.latency_us.end(), from.latency_us.begin(), from.latency_us.end());
    for (auto [status, n] : from.statuses) into.statuses[status] += n;
    into.transport_errors += from.transport_errors;
}

// Counts, statuses, rate and exact (nearest-rank) percentiles of one tally; sorts its latencies.
void write_tally(Writer& out, Tally& t, double duration_s) {
    std::uint64_t errors = 0;
    for (auto [status, n] : t.statuses) errors += status < 200 || status > 299 ? n : 0;
    out.Key("requests"), out.Uint64(t.latency_us.size());
    out.Key("errors"), out.Uint64(errors);
    out.Key("transport_errors"), out.Uint64(t.transport_errors);
    out.Key("statuses");
    out.StartObject();
    for (auto [status, n] : t.statuses) out.Key(std::to_string(status).c_str()), out.Uint64(n);
    out.EndObject();
    out.Key("rps"), out.Double(static_cast<double>(t.latency_us.size()) / duration_s);
    auto& us = t.latency_us;
    std::sort(us.begin(), us.end());
    for (auto [key, p] : {std::pair{"p50_ms", 50.0}, {"p95_ms", 95.0}, {"p99_ms", 99.0}, {"max_ms", 100.0}}) {
        out.Key(key);
        auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(us.size())));
        us.empty() ? out.Null() : out.Double(us[std::max<std::size_t>(rank, 1) - 1] / 1000.0);
    }
}

std::string report(const Workload& w, const std::vector<std::unique_ptr<Worker>>& workers) {
    std::vector<Tally> merged(w.endpoints.size());
    Tally total;
    for (std::size_t e = 0; e < merged.size(); ++e) {
        for (const auto& wk : workers) merge(merged[e], wk->tallies[e]);
        merge(total, merged[e]);
    }
    rj::StringBuffer buf;
    Writer out(buf);
    out.SetMaxDecimalPlaces(3);
    out.StartObject();
    out.Key("connections"), out.Int(w.connections), out.Key("threads"), out.Int(w.threads);
    out.Key("duration_s"), out.Double(w.duration_s), out.Key("rate"), out.Double(w.rate);
    out.Key("total");
    out.StartObject();
    write_tally(out, total, w.duration_s);
    out.EndObject();
    out.Key("endpoints");
    out.StartArray();
    for (std::size_t e = 0; e < merged.size(); ++e) {
        out.StartObject();
        out.Key("name"), out.String(w.endpoints[e].name.data(), static_cast<rj::SizeType>(w.endpoints[e].name.size()));
        write_tally(out, merged[e], w.duration_s);
        out.EndObject();
    }
    out.EndArray();
    out.EndObject();
    return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace

int main(int argc, char** argv) {
    Workload w;
    tcp::endpoint to;
    try {
        if (argc != 2) throw BadWorkload("usage: vicugna_loadgen WORKLOAD.json");
        std::ifstream in(argv[1]);
        if (!in) throw BadWorkload(std::string("cannot read ") + argv[1]);
        std::stringstream json;
        json << in.rdbuf();
        w = parse_workload(json.str());
        raise_fd_limit(w.connections);
        asio::io_context io;
        to = *tcp::resolver(io).resolve(w.host, std::to_string(w.port)).begin();
    } catch (const std::exception& e) {  // a bad workload, a limit, or a host that does not resolve
        std::cerr << "vicugna_loadgen: " << e.what() << "\n";
        return 2;
    }
    std::vector<std::unique_ptr<Worker>> workers;
    for (int t = 0; t < w.threads; ++t) {
        workers.push_back(std::make_unique<Worker>());
        workers.back()->tallies.resize(w.endpoints.size());
    }
    // Open every connection before the clock starts, so connection set-up never shows up as request latency.
    for (int i = 0; i < w.connections; ++i) {
        auto& wk = *workers[static_cast<std::size_t>(i % w.threads)];
        wk.conns.push_back(std::make_unique<Conn>(wk.io, i, w.seed * 1000003 + static_cast<std::uint64_t>(i)));
        asio::co_spawn(wk.io, connect(*wk.conns.back(), to), asio::detached);
    }
    std::cerr << "connecting " << w.connections << " connections to " << to << "\n";
    run_all(workers);
    for (auto& wk : workers)
        for (auto& c : wk->conns)
            if (!c->open) {
                std::cerr << "vicugna_loadgen: connection " << c->number << " failed: " << c->last_error << "\n";
                return 1;
            }
    auto start = Clock::now();
    auto to_clock = [](double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); };
    Schedule sched{start, start + to_clock(w.warmup_s), start + to_clock(w.warmup_s + w.duration_s)};
    std::cerr << "running " << w.warmup_s << " s warm-up + " << w.duration_s << " s on " << w.threads << " thread(s)\n";
    for (auto& wk : workers)
        for (auto& c : wk->conns) asio::co_spawn(wk->io, drive(*c, w, sched, to, wk->tallies), asio::detached);
    run_all(workers);
    std::cout << report(w, workers);
    std::cerr << "done\n";
}
