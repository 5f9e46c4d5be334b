// SPDX-License-Identifier: AGPL-3.0-or-later
// Idempotency keys (ours; Vikunja has none).
#include "models/idempotency.hpp"

namespace vicugna::models {
namespace {

constexpr std::string_view kFind =
    "SELECT request_hash, response_status, response_headers, response_body FROM idempotency_keys"
    " WHERE user_id = ? AND api_token_id = ? AND link_share_id = ? AND idempotency_key = ? AND created >= ?";
// A conflicting live row makes the WHERE false, so nothing is returned; an expired one is taken over.
constexpr std::string_view kClaim =
    "INSERT INTO idempotency_keys (user_id, api_token_id, link_share_id, idempotency_key, request_hash,"
    " response_status, created) VALUES (?, ?, ?, ?, ?, 0, ?)"
    " ON CONFLICT (user_id, api_token_id, link_share_id, idempotency_key) DO UPDATE SET"
    " request_hash = excluded.request_hash, response_status = 0, response_headers = NULL, response_body = NULL,"
    " created = excluded.created WHERE idempotency_keys.created < ? RETURNING id";
constexpr std::string_view kStore =
    "UPDATE idempotency_keys SET response_status = ?, response_headers = ?, response_body = ?"
    " WHERE user_id = ? AND api_token_id = ? AND link_share_id = ? AND idempotency_key = ? AND request_hash = ?"
    " AND response_status = 0";
constexpr std::string_view kDeleteExpired = "DELETE FROM idempotency_keys WHERE created < ?";

util::Timestamp expiry_cutoff() { return util::now() - kIdempotencyKeyLifetime; }

}  // namespace

asio::awaitable<std::optional<IdempotencyRecord>> find_idempotency_key(db::Tx& tx, const IdempotentRequest& r) {
    auto rows = co_await tx.query(kFind, r.user_id, r.api_token_id, r.link_share_id, r.key, expiry_cutoff());
    std::optional<IdempotencyRecord> record;
    if (rows.empty()) co_return record;
    auto row = rows[0];
    record.emplace();
    record->same_request = row.get<std::string>("request_hash") == r.request_hash;
    if (auto status = row.get<int>("response_status"); status != 0) {
        record->response = IdempotentResponse{status, row.get<std::string>("response_headers"),
                                              row.get<std::string>("response_body")};
    }
    co_return record;
}

asio::awaitable<bool> claim_idempotency_key(db::Tx& tx, const IdempotentRequest& r) {
    auto rows = co_await tx.query(kClaim, r.user_id, r.api_token_id, r.link_share_id, r.key, r.request_hash,
                                  util::now(), expiry_cutoff());
    co_return !rows.empty();
}

asio::awaitable<void> store_idempotent_response(db::Tx& tx, const IdempotentRequest& r,
                                                const IdempotentResponse& response) {
    co_await tx.exec(kStore, response.status, response.headers_json, response.body, r.user_id, r.api_token_id,
                     r.link_share_id, r.key, r.request_hash);
    // Expired records are dropped here, on the (rare) requests that carry a key, rather than by a periodic job.
    co_await tx.exec(kDeleteExpired, expiry_cutoff());
}

}  // namespace vicugna::models
