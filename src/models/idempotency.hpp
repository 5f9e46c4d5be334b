// SPDX-License-Identifier: AGPL-3.0-or-later
/// Idempotency keys (table `idempotency_keys`, ours; migrations/0009): the first answer to a write request, kept
/// 24 h per caller and key, so that a retried request gets it again instead of repeating the change. The request
/// pipeline (api/dispatch.cpp) looks a key up, claims it inside the handler's own write transaction, and stores the
/// answer after the commit.
#pragma once
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "db/database.hpp"

namespace vicugna::models {

namespace asio = boost::asio;

inline constexpr std::chrono::hours kIdempotencyKeyLifetime{24};

/// One write request carrying an Idempotency-Key.
struct IdempotentRequest {
    std::int64_t user_id = 0;        ///< the user, also behind an API token; 0 for a link share
    std::int64_t api_token_id = 0;   ///< the token, when the request came with one (its own scope)
    std::int64_t link_share_id = 0;  ///< the share, for a link share
    std::string key;
    std::string request_hash;  ///< hex SHA-256 of method, path and body
};

/// A stored answer: status, headers as a JSON object, body.
struct IdempotentResponse {
    int status = 0;
    std::string headers_json;
    std::string body;
};

/// What a live (unexpired) key holds.
struct IdempotencyRecord {
    bool same_request = false;                   ///< its request hash equals this request's
    std::optional<IdempotentResponse> response;  ///< nullopt while the first request is still answering
};

/// The live record of the request's key, if any.
asio::awaitable<std::optional<IdempotencyRecord>> find_idempotency_key(db::Tx& tx, const IdempotentRequest& request);

/// Claims the key in `tx`, the request's write transaction, taking over an expired record; false when a live
/// record exists (another request with this key committed first). On PostgreSQL a concurrent claim of the same key
/// waits for the first transaction and then answers false, or takes the key if that one rolled back.
asio::awaitable<bool> claim_idempotency_key(db::Tx& tx, const IdempotentRequest& request);

/// Stores the answer of a key this request claimed (no-op when it claimed none), then deletes expired records.
asio::awaitable<void> store_idempotent_response(db::Tx& tx, const IdempotentRequest& request,
                                                const IdempotentResponse& response);

}  // namespace vicugna::models
