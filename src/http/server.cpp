// SPDX-License-Identifier: AGPL-3.0-or-later
#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <mutex>
#include <unordered_map>

namespace vicugna::http {

namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Server::State : std::enable_shared_from_this<State> {
    struct Connection {
        asio::strand<asio::io_context::executor_type> strand;
        beast::tcp_stream* stream;
        bool busy = false;
    };

    State(asio::io_context& io_, ServerOptions o, Handler h, BodyLimit b)
        : io(io_), options(std::move(o)), handler(std::move(h)), body_limit(std::move(b)), acceptor(io_) {}

    asio::io_context& io;
    ServerOptions options;
    Handler handler;
    BodyLimit body_limit;
    tcp::acceptor acceptor;
    std::atomic<bool> stopping{false};
    mutable std::mutex mutex;
    std::unordered_map<std::uint64_t, Connection> connections;
    std::uint64_t next_id = 0;

    asio::awaitable<void> accept_loop();
    asio::awaitable<void> session(tcp::socket socket, asio::strand<asio::io_context::executor_type> strand);
    void set_busy(std::uint64_t id, bool busy) {
        std::lock_guard guard(mutex);
        if (auto it = connections.find(id); it != connections.end()) it->second.busy = busy;
    }
};

namespace {

Request to_request(bhttp::request<bhttp::string_body>&& msg, const std::string& remote_ip) {
    Request req;
    req.method = msg.method();
    std::string_view target(msg.target().data(), msg.target().size());
    auto q = target.find('?');
    req.path = percent_decode(target.substr(0, q), false).value_or(std::string(target.substr(0, q)));
    if (q != std::string_view::npos) req.query = parse_query(target.substr(q + 1));
    req.body = std::move(msg.body());
    req.headers = std::move(msg.base());
    req.remote_ip = remote_ip;
    req.received = std::chrono::steady_clock::now();
    return req;
}

bhttp::response<bhttp::string_body> to_message(Response&& res, bool head, unsigned version, bool keep_alive) {
    bhttp::response<bhttp::string_body> msg{static_cast<bhttp::status>(res.status), version};
    msg.set(bhttp::field::server, "Vicugna");
    if (!res.content_type.empty()) msg.set(bhttp::field::content_type, res.content_type);
    for (auto& [name, value] : res.headers) msg.insert(name, value);
    msg.keep_alive(keep_alive);
    if (head) {
        // HEAD: advertise the length of the body a GET would get, send none.
        msg.set(bhttp::field::content_length, std::to_string(res.body.size()));
    } else {
        msg.body() = std::move(res.body);
        msg.prepare_payload();
    }
    return msg;
}

}  // namespace

asio::awaitable<void> Server::State::accept_loop() {
    auto self = shared_from_this();
    while (!stopping) {
        auto strand = asio::make_strand(io);
        auto [ec, socket] = co_await acceptor.async_accept(strand, asio::as_tuple(asio::use_awaitable));
        if (ec) {
            if (stopping || ec == asio::error::operation_aborted) break;
            // Out of file descriptors and similar: log and keep serving the connections we have.
            spdlog::warn("accept failed: {}", ec.message());
            continue;
        }
        asio::co_spawn(strand, session(std::move(socket), strand), asio::detached);
    }
}

asio::awaitable<void> Server::State::session(tcp::socket socket,
                                             asio::strand<asio::io_context::executor_type> strand) {
    auto self = shared_from_this();
    beast::error_code ec;
    // Listening on "::" accepts IPv4 clients as ::ffff:a.b.c.d; report them as plain IPv4 addresses.
    auto address = socket.remote_endpoint(ec).address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    std::string remote_ip = address.to_string();
    socket.set_option(tcp::no_delay(true), ec);
    beast::tcp_stream stream(std::move(socket));
    std::uint64_t id;
    {
        std::lock_guard guard(mutex);
        id = next_id++;
        connections.emplace(id, Connection{strand, &stream, false});
    }
    beast::flat_buffer buffer;
    for (;;) {
        if (stopping) break;
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(options.header_limit);
        parser.body_limit(boost::none);
        stream.expires_after(options.idle_timeout);
        auto [read_ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        if (read_ec) break;  // closed, timed out, cancelled by stop(), or a malformed header
        set_busy(id, true);
        // One deadline covers the body, the handler and the response write.
        stream.expires_after(options.read_timeout);
        auto& header = parser.get();
        std::string_view target(header.target().data(), header.target().size());
        std::uint64_t limit = body_limit(header.method(), target.substr(0, target.find('?')));
        bool too_large = parser.content_length() && *parser.content_length() > limit;
        if (!too_large) {
            parser.body_limit(limit);
            auto [body_ec, m] = co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
            if (body_ec == bhttp::error::body_limit) {
                too_large = true;
            } else if (body_ec) {
                break;
            }
        }
        bool head = header.method() == bhttp::verb::head;
        unsigned version = header.version();
        bool keep_alive = header.keep_alive();
        Request req = to_request(parser.release(), remote_ip);
        req.body_too_large = too_large;
        Response res = co_await handler(req);
        // An unread body leaves the stream out of step, so such a connection must close.
        keep_alive = keep_alive && !res.close && !too_large && !stopping;
        auto msg = to_message(std::move(res), head, version, keep_alive);
        auto [write_ec, w] = co_await bhttp::async_write(stream, msg, asio::as_tuple(asio::use_awaitable));
        set_busy(id, false);
        if (write_ec || !keep_alive) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.close();
    std::lock_guard guard(mutex);
    connections.erase(id);
}

Server::Server(asio::io_context& io, ServerOptions options, Handler handler, BodyLimit body_limit)
    : state_(std::make_shared<State>(io, std::move(options), std::move(handler), std::move(body_limit))) {}

Server::~Server() { stop(); }

void Server::start() {
    auto address = state_->options.host.empty() ? asio::ip::address(asio::ip::address_v6::any())
                                                : asio::ip::make_address(state_->options.host);
    tcp::endpoint endpoint(address, state_->options.port);
    auto& acceptor = state_->acceptor;
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    if (endpoint.address().is_v6()) acceptor.set_option(asio::ip::v6_only(false));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(acceptor.get_executor(), state_->accept_loop(), asio::detached);
}

void Server::stop() {
    if (state_->stopping.exchange(true)) return;
    asio::post(state_->acceptor.get_executor(), [s = state_] {
        beast::error_code ec;
        s->acceptor.close(ec);
    });
    std::lock_guard guard(state_->mutex);
    for (auto& [id, conn] : state_->connections) {
        if (conn.busy) continue;  // finishes its response, then sees `stopping` and closes
        asio::post(conn.strand, [s = state_, cid = id] {
            std::lock_guard g(s->mutex);
            if (auto it = s->connections.find(cid); it != s->connections.end() && !it->second.busy) {
                it->second.stream->cancel();
            }
        });
    }
}

std::size_t Server::open_connections() const {
    std::lock_guard guard(state_->mutex);
    return state_->connections.size();
}

}  // namespace vicugna::http
