-- The webhook outbox (docs/architecture.md, "Webhooks"). A delivery row is inserted in the transaction of the
-- change it reports, so a rolled-back change never fires and a committed one survives a crash. `payload` is the
-- exact body sent on every attempt; `uuid` is the X-Vicugna-Delivery id, the same on every retry.
CREATE TABLE webhook_deliveries (
    id @ID@,
    webhook_id BIGINT NOT NULL,
    uuid VARCHAR(36) NOT NULL,
    event_name VARCHAR(64) NOT NULL,
    payload TEXT NOT NULL,
    status VARCHAR(16) NOT NULL,            -- pending | delivered | failed
    attempts INTEGER NOT NULL,              -- attempts made so far
    final_attempt INTEGER NOT NULL,         -- give up after this attempt; 0 = webhooks.maxattempts (a redelivery sets it)
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ NULL,          -- a worker's claim; an expired claim (crashed worker) is claimed again
    last_status_code INTEGER NULL,
    last_latency_ms INTEGER NULL,
    last_error TEXT NULL,
    delivered_at TIMESTAMPTZ NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX UQE_webhook_deliveries_uuid ON webhook_deliveries (uuid);
CREATE INDEX IDX_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX IDX_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

-- Every attempt of a delivery, for the delivery log.
CREATE TABLE webhook_delivery_attempts (
    id @ID@,
    delivery_id BIGINT NOT NULL,
    attempt INTEGER NOT NULL,
    status_code INTEGER NULL,               -- NULL when no response came (refused, timeout, connection error)
    latency_ms INTEGER NOT NULL,
    error TEXT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, attempt);

-- Periodic jobs (reminders, overdue checks) run once per minute by exactly one process: a process runs a job's
-- minute only if its conditional UPDATE moves `last_minute` forward, in the same transaction as the job's work.
CREATE TABLE periodic_jobs (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    last_minute BIGINT NOT NULL             -- Unix time / 60 of the last minute run
);
INSERT INTO periodic_jobs (name, last_minute) VALUES ('task_reminders', 0);
INSERT INTO periodic_jobs (name, last_minute) VALUES ('overdue_reminders', 0);
