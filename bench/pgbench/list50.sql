-- SPDX-License-Identifier: AGPL-3.0-or-later
-- PostgreSQL's own ceiling for GET /projects/{p}/views/{v}/tasks?per_page=50: the first 50 undone tasks of a
-- random project's list view (view_kind 0) in view position order, every task column (see bench/ceilings.py).
--     pgbench -n -M prepared -c C -j J -T S -D max_project_id=N -f bench/pgbench/list50.sql DBNAME
-- bench/dataset.py gives projects the ids 1..N without gaps, each with one list view. The view id comes from a
-- subquery in the same statement (one round trip, as the server's own page query): an index lookup on
-- project_views(project_id), which the server also pays when it reads the view.
-- bench/ceilings.py runs it with PGOPTIONS='-c plan_cache_mode=force_generic_plan': under "auto" the rate of a
-- connection depends on the first five projects it draws (see pg_ceiling there).
\set pid random(1, :max_project_id)
SELECT t.id, t.title, t.description, t.done, t.done_at, t.due_date, t.project_id, t.repeat_after, t.repeat_mode,
       t.priority, t.start_date, t.end_date, t.hex_color, t.percent_done, t."index", t.uid,
       t.cover_image_attachment_id, t.created, t.updated, t.deleted_at, t.created_by_id
  FROM tasks t
  JOIN task_positions tp ON tp.task_id = t.id
   AND tp.project_view_id = (SELECT v.id FROM project_views v WHERE v.project_id = :pid AND v.view_kind = 0
                              ORDER BY v.id LIMIT 1)
 WHERE t.project_id = :pid AND t.deleted_at IS NULL AND t.done = FALSE
 ORDER BY tp.position
 LIMIT 50;
