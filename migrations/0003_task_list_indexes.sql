-- Task lists: the Favorites pseudo-project and GET /tasks look up a user's favourite tasks, and expand=subtasks
-- walks task_relations from the parent side; Vikunja's schema has no index for either.
CREATE INDEX IDX_favorites_user_kind ON favorites (user_id, kind);
CREATE INDEX IDX_task_relations_task_id_kind ON task_relations (task_id, relation_kind);
