-- Idempotency-Key (ours, docs/api-compat.md): the first answer to a write request, per caller and key, kept 24 h
-- so that a retry gets it again instead of repeating the change. A caller is a user's login (api_token_id and
-- link_share_id 0), an API token (with its owner's user_id) or a link share (user_id 0). The row is inserted by
-- the request's own write transaction, so it exists only if the change committed; `response_status` stays 0
-- until the answer is stored just after. `request_hash` is the hex SHA-256 of method, path and body: the same key
-- with another request is refused.
CREATE TABLE idempotency_keys (
    id @ID@,
    user_id BIGINT NOT NULL,
    api_token_id BIGINT NOT NULL,
    link_share_id BIGINT NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash VARCHAR(64) NOT NULL,
    response_status INTEGER NOT NULL,
    response_headers TEXT NULL,             -- JSON object of the answer's headers (Content-Type included)
    response_body TEXT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX UQE_idempotency_keys_key ON idempotency_keys (user_id, api_token_id, link_share_id, idempotency_key);
CREATE INDEX IDX_idempotency_keys_created ON idempotency_keys (created);
