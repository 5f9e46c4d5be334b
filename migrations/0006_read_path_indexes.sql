-- A task read asks whether the caller is subscribed to the task or to any project: with (user_id, entity_type,
-- entity_id) both are index lookups, where the user_id index alone walks all of a user's subscriptions for
-- every task of a page (most of a 50-task page's time for a user with a few hundred subscriptions).
CREATE INDEX IDX_subscriptions_user_entity ON subscriptions (user_id, entity_type, entity_id);
-- Visible labels are the labels on readable tasks: (task_id, label_id) answers that from the index alone.
CREATE INDEX IDX_label_tasks_task_label ON label_tasks (task_id, label_id);
DROP INDEX IDX_label_tasks_task_id;
