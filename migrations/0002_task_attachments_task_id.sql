-- Attachments are always read per task (a task page, a task list's page, deletion with the task); Vikunja's
-- schema has no index for it.
CREATE INDEX IDX_task_attachments_task_id ON task_attachments (task_id);
