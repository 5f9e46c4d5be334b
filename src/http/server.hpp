// SPDX-License-Identifier: AGPL-3.0-or-later
/// The HTTP/1.1 listener: one coroutine per connection with keep-alive, limits, timeouts and a graceful stop.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace vicugna::http {

namespace asio = boost::asio;

struct ServerOptions {
    std::string host;  ///< "" = all interfaces
    unsigned short port = 3456;
    std::uint32_t header_limit = 16 * 1024;
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds idle_timeout{120};
};

using Handler = std::function<asio::awaitable<Response>(Request&)>;
/// The body limit for a request, decided from its method and path before the body is read.
using BodyLimit = std::function<std::uint64_t(Verb, std::string_view path)>;

class Server {
public:
    Server(asio::io_context& io, ServerOptions options, Handler handler, BodyLimit body_limit);
    ~Server();

    /// Binds and starts accepting. Throws std::system_error when the address is taken.
    void start();
    /// Stops accepting and closes idle connections; in-flight requests finish and their connections close.
    void stop();
    /// Connections still open.
    std::size_t open_connections() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace vicugna::http
