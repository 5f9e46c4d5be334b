// SPDX-License-Identifier: AGPL-3.0-or-later
/// Runs a blocking function on another executor (a worker thread) and resumes the awaiting coroutine
/// on its own executor with the result or the exception.
#pragma once
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <utility>

namespace vicugna::util {

/// Not a coroutine itself, and `fn` is taken by reference and moved once into the operation: GCC 12
/// mishandles by-value temporaries that live inside a co_await expression.
template <class R, class Executor, class F>
boost::asio::awaitable<R> run_on(Executor worker, F&& fn) {
    namespace asio = boost::asio;
    return asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr, R)>(
        [worker, fn = std::forward<F>(fn)](auto handler) mutable {
            // The guard keeps the caller's loop alive while the work runs elsewhere.
            auto work = asio::make_work_guard(asio::get_associated_executor(handler));
            asio::post(worker, [fn = std::move(fn), handler = std::move(handler), work = std::move(work)]() mutable {
                std::exception_ptr error;
                R result{};
                try {
                    result = fn();
                } catch (...) {
                    error = std::current_exception();
                }
                auto ex = work.get_executor();
                asio::post(ex, [handler = std::move(handler), error, result = std::move(result)]() mutable {
                    std::move(handler)(error, std::move(result));
                });
            });
        },
        asio::use_awaitable);
}

}  // namespace vicugna::util
