-- Every task list filters on project_id and deleted_at IS NULL (soft delete); with both in one index the
-- page and its COUNT are answered from the index instead of reading each task row of the project.
CREATE INDEX IDX_tasks_project_id_deleted_at ON tasks (project_id, deleted_at);
