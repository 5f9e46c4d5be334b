-- SPDX-License-Identifier: AGPL-3.0-or-later
-- PostgreSQL's own ceiling for GET /tasks/{id}: one task row by primary key, every column (see bench/ceilings.py).
--     pgbench -n -M prepared -c C -j J -T S -D max_task_id=N -f bench/pgbench/point_select.sql DBNAME
-- bench/dataset.py gives tasks the ids 1..N without gaps, so every draw hits an existing row.
\set id random(1, :max_task_id)
SELECT id, title, description, done, done_at, due_date, project_id, repeat_after, repeat_mode, priority, start_date,
       end_date, hex_color, percent_done, "index", uid, cover_image_attachment_id, created, updated, deleted_at,
       created_by_id
  FROM tasks WHERE id = :id;
