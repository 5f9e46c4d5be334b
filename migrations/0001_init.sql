-- Vicugna initial schema: the current Vikunja schema, same table and column names.
--
-- Runs unchanged on SQLite (>= 3.35) and PostgreSQL (>= 15). The migration runner replaces
-- the token @ID@ with the engine's auto-increment 64-bit primary key DDL.
-- Column order, types, NULL-ability and defaults follow the xorm tags of Vikunja's structs
-- (what a fresh Vikunja install creates with Sync2). Every Go time.Time is TIMESTAMPTZ,
-- every xorm json column is TEXT, longtext is TEXT, a string without a size is VARCHAR(255).
-- Index names are the ones xorm gives a fresh install: IDX_<table>_<column or name> and
-- UQE_<table>_<column or name>. Unquoted, so PostgreSQL folds them to lower case.
-- The redundant UQE_<table>_id unique indexes xorm adds next to each primary key are left out.
-- No foreign keys: Vikunja has none and deletes dependent rows in code.

-- user.User
CREATE TABLE users (
    id @ID@,
    name TEXT NULL,
    username VARCHAR(250) NOT NULL,
    password VARCHAR(250) NULL,
    email VARCHAR(250) NULL,
    pending_email VARCHAR(250) NULL,
    status INTEGER NULL DEFAULT 0,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    avatar_provider VARCHAR(255) NULL,
    avatar_file_id BIGINT NULL,
    issuer TEXT NULL,
    subject TEXT NULL,
    email_reminders_enabled BOOLEAN NULL DEFAULT TRUE,
    discoverable_by_name BOOLEAN NULL DEFAULT FALSE,
    discoverable_by_email BOOLEAN NULL DEFAULT FALSE,
    overdue_tasks_reminders_enabled BOOLEAN NULL DEFAULT TRUE,
    overdue_tasks_reminders_time VARCHAR(5) NOT NULL DEFAULT '09:00',
    default_project_id BIGINT NULL,
    bot_owner_id BIGINT NULL,
    week_start INTEGER NULL,
    language VARCHAR(50) NULL,
    timezone VARCHAR(255) NULL,
    deletion_scheduled_at TIMESTAMPTZ NULL,
    deletion_last_reminder_sent TIMESTAMPTZ NULL,
    frontend_settings TEXT NULL,
    extra_settings_links TEXT NULL,
    export_file_id BIGINT NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX UQE_users_username ON users (username);
CREATE INDEX IDX_users_discoverable_by_name ON users (discoverable_by_name);
CREATE INDEX IDX_users_discoverable_by_email ON users (discoverable_by_email);
CREATE INDEX IDX_users_overdue_tasks_reminders_enabled ON users (overdue_tasks_reminders_enabled);
CREATE INDEX IDX_users_default_project_id ON users (default_project_id);
CREATE INDEX IDX_users_bot_owner_id ON users (bot_owner_id);

-- models.Project
CREATE TABLE projects (
    id @ID@,
    title VARCHAR(250) NOT NULL,
    description TEXT NULL,
    identifier VARCHAR(10) NULL,
    hex_color VARCHAR(6) NULL,
    owner_id BIGINT NOT NULL,
    parent_project_id BIGINT NULL,
    is_archived BOOLEAN NOT NULL DEFAULT FALSE,
    background_file_id BIGINT NULL,
    background_blur_hash VARCHAR(50) NULL,
    position DOUBLE PRECISION NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_projects_owner_id ON projects (owner_id);
CREATE INDEX IDX_projects_parent_project_id ON projects (parent_project_id);

-- models.ProjectView
CREATE TABLE project_views (
    id @ID@,
    title VARCHAR(255) NOT NULL,
    project_id BIGINT NOT NULL,
    view_kind INTEGER NOT NULL,
    "filter" TEXT NULL DEFAULT NULL,
    position DOUBLE PRECISION NULL,
    bucket_configuration_mode INTEGER NULL DEFAULT 0,
    bucket_configuration TEXT NULL,
    default_bucket_id BIGINT NULL,
    done_bucket_id BIGINT NULL,
    updated TIMESTAMPTZ NOT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_project_views_project_id ON project_views (project_id);
CREATE INDEX IDX_project_views_default_bucket_id ON project_views (default_bucket_id);
CREATE INDEX IDX_project_views_done_bucket_id ON project_views (done_bucket_id);

-- models.Bucket
CREATE TABLE buckets (
    id @ID@,
    title TEXT NOT NULL,
    project_view_id BIGINT NOT NULL,
    "limit" BIGINT NULL DEFAULT 0,
    position DOUBLE PRECISION NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL,
    created_by_id BIGINT NOT NULL
);

-- models.Task
CREATE TABLE tasks (
    id @ID@,
    title TEXT NOT NULL,
    description TEXT NULL,
    done BOOLEAN NULL DEFAULT FALSE,
    done_at TIMESTAMPTZ NULL,
    due_date TIMESTAMPTZ NULL,
    project_id BIGINT NOT NULL,
    repeat_after BIGINT NULL,
    repeat_mode INTEGER NOT NULL DEFAULT 0,
    priority BIGINT NULL,
    start_date TIMESTAMPTZ NULL,
    end_date TIMESTAMPTZ NULL,
    hex_color VARCHAR(6) NULL,
    percent_done DOUBLE PRECISION NULL,
    "index" BIGINT NOT NULL DEFAULT 0,
    uid VARCHAR(250) NULL,
    cover_image_attachment_id BIGINT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ NULL,
    created_by_id BIGINT NOT NULL
);
CREATE UNIQUE INDEX UQE_tasks_tasks_project_index ON tasks (project_id, "index");
CREATE INDEX IDX_tasks_done ON tasks (done);
CREATE INDEX IDX_tasks_done_at ON tasks (done_at);
CREATE INDEX IDX_tasks_due_date ON tasks (due_date);
CREATE INDEX IDX_tasks_project_id ON tasks (project_id);
CREATE INDEX IDX_tasks_repeat_after ON tasks (repeat_after);
CREATE INDEX IDX_tasks_start_date ON tasks (start_date);
CREATE INDEX IDX_tasks_end_date ON tasks (end_date);
CREATE INDEX IDX_tasks_deleted_at ON tasks (deleted_at);
-- Vicugna: required by the operations manual (task lists of one project ordered by due date).
CREATE INDEX IDX_tasks_project_id_due_date ON tasks (project_id, due_date);

-- models.TaskPosition (no id)
CREATE TABLE task_positions (
    task_id BIGINT NOT NULL,
    project_view_id BIGINT NOT NULL,
    position DOUBLE PRECISION NOT NULL
);
CREATE UNIQUE INDEX UQE_task_positions_task_view ON task_positions (task_id, project_view_id);
CREATE INDEX IDX_task_positions_task_id ON task_positions (task_id);
CREATE INDEX IDX_task_positions_project_view_id ON task_positions (project_view_id);
CREATE INDEX IDX_task_positions_view_position ON task_positions (project_view_id, position);

-- models.TaskBucket (no id)
CREATE TABLE task_buckets (
    bucket_id BIGINT NOT NULL,
    task_id BIGINT NOT NULL,
    project_view_id BIGINT NOT NULL
);
CREATE UNIQUE INDEX UQE_task_buckets_task_view ON task_buckets (task_id, project_view_id);
CREATE INDEX IDX_task_buckets_bucket_id ON task_buckets (bucket_id);
CREATE INDEX IDX_task_buckets_task_id ON task_buckets (task_id);
CREATE INDEX IDX_task_buckets_project_view_id ON task_buckets (project_view_id);

-- models.TaskReminder
CREATE TABLE task_reminders (
    id @ID@,
    task_id BIGINT NOT NULL,
    reminder TIMESTAMPTZ NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    relative_period BIGINT NULL,
    relative_to VARCHAR(50) NULL
);
CREATE INDEX IDX_task_reminders_task_id ON task_reminders (task_id);
CREATE INDEX IDX_task_reminders_reminder ON task_reminders (reminder);

-- models.TaskAssginee (sic)
CREATE TABLE task_assignees (
    id @ID@,
    task_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_task_assignees_task_id ON task_assignees (task_id);
CREATE INDEX IDX_task_assignees_user_id ON task_assignees (user_id);

-- models.Label
CREATE TABLE labels (
    id @ID@,
    title VARCHAR(250) NOT NULL,
    description TEXT NULL,
    hex_color VARCHAR(6) NULL,
    created_by_id BIGINT NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);

-- models.LabelTask
CREATE TABLE label_tasks (
    id @ID@,
    task_id BIGINT NOT NULL,
    label_id BIGINT NOT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_label_tasks_task_id ON label_tasks (task_id);
CREATE INDEX IDX_label_tasks_label_id ON label_tasks (label_id);

-- models.TaskRelation (two rows per relation, one each way)
CREATE TABLE task_relations (
    id @ID@,
    task_id BIGINT NOT NULL,
    other_task_id BIGINT NOT NULL,
    relation_kind VARCHAR(50) NOT NULL,
    created_by_id BIGINT NOT NULL,
    created TIMESTAMPTZ NOT NULL
);

-- models.TaskAttachment
CREATE TABLE task_attachments (
    id @ID@,
    task_id BIGINT NOT NULL,
    file_id BIGINT NOT NULL,
    created_by_id BIGINT NOT NULL,
    created TIMESTAMPTZ NULL
);

-- models.TaskComment
CREATE TABLE task_comments (
    id @ID@,
    comment TEXT NOT NULL,
    author_id BIGINT NOT NULL,
    task_id BIGINT NOT NULL,
    created TIMESTAMPTZ NULL,
    updated TIMESTAMPTZ NULL
);
CREATE INDEX IDX_task_comments_task_id ON task_comments (task_id);

-- models.TaskUnreadStatus (no id)
CREATE TABLE task_unread_statuses (
    task_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL
);
CREATE UNIQUE INDEX UQE_task_unread_statuses_task_user ON task_unread_statuses (task_id, user_id);

-- files.File
CREATE TABLE files (
    id @ID@,
    name TEXT NOT NULL,
    mime TEXT NULL,
    size BIGINT NOT NULL,
    created TIMESTAMPTZ NULL,
    created_by_id BIGINT NOT NULL
);

-- models.Team
CREATE TABLE teams (
    id @ID@,
    name VARCHAR(250) NOT NULL,
    description TEXT NULL,
    created_by_id BIGINT NOT NULL,
    external_id VARCHAR(250) NULL,
    issuer TEXT NULL,
    created TIMESTAMPTZ NULL,
    updated TIMESTAMPTZ NULL,
    is_public BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX IDX_teams_created_by_id ON teams (created_by_id);

-- models.TeamMember
CREATE TABLE team_members (
    id @ID@,
    team_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    admin BOOLEAN NULL DEFAULT FALSE,
    created TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_team_members_team_id ON team_members (team_id);
CREATE INDEX IDX_team_members_user_id ON team_members (user_id);

-- models.TeamProject
CREATE TABLE team_projects (
    id @ID@,
    team_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    permission BIGINT NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_team_projects_team_id ON team_projects (team_id);
CREATE INDEX IDX_team_projects_project_id ON team_projects (project_id);
CREATE INDEX IDX_team_projects_permission ON team_projects (permission);

-- models.ProjectUser
CREATE TABLE users_projects (
    id @ID@,
    user_id BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    permission BIGINT NOT NULL DEFAULT 0,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_users_projects_user_id ON users_projects (user_id);
CREATE INDEX IDX_users_projects_project_id ON users_projects (project_id);
CREATE INDEX IDX_users_projects_permission ON users_projects (permission);

-- models.LinkSharing
CREATE TABLE link_shares (
    id @ID@,
    hash VARCHAR(40) NOT NULL,
    name TEXT NULL,
    project_id BIGINT NOT NULL,
    permission BIGINT NOT NULL DEFAULT 0,
    sharing_type BIGINT NOT NULL DEFAULT 0,
    password TEXT NULL,
    shared_by_id BIGINT NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX UQE_link_shares_hash ON link_shares (hash);
CREATE INDEX IDX_link_shares_permission ON link_shares (permission);
CREATE INDEX IDX_link_shares_sharing_type ON link_shares (sharing_type);
CREATE INDEX IDX_link_shares_shared_by_id ON link_shares (shared_by_id);

-- models.SavedFilter
CREATE TABLE saved_filters (
    id @ID@,
    filters TEXT NOT NULL,
    title VARCHAR(250) NOT NULL,
    description TEXT NULL,
    owner_id BIGINT NOT NULL,
    is_favorite BOOLEAN NULL DEFAULT FALSE,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_saved_filters_owner_id ON saved_filters (owner_id);

-- models.Subscription (entity_type 2 = project, 3 = task)
CREATE TABLE subscriptions (
    id @ID@,
    entity_type INTEGER NOT NULL,
    entity_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_subscriptions_entity_type ON subscriptions (entity_type);
CREATE INDEX IDX_subscriptions_entity_id ON subscriptions (entity_id);
CREATE INDEX IDX_subscriptions_user_id ON subscriptions (user_id);

-- models.Favorite (no id, kind 1 = task, 2 = project)
CREATE TABLE favorites (
    entity_id BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    kind INTEGER NOT NULL,
    PRIMARY KEY (entity_id, user_id, kind)
);

-- models.Reaction (entity_kind 0 = task, 1 = comment)
CREATE TABLE reactions (
    id @ID@,
    user_id BIGINT NOT NULL,
    entity_id BIGINT NOT NULL,
    entity_kind BIGINT NOT NULL,
    value VARCHAR(20) NOT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_reactions_user_id ON reactions (user_id);
CREATE INDEX IDX_reactions_entity_id ON reactions (entity_id);
CREATE INDEX IDX_reactions_entity_kind ON reactions (entity_kind);
CREATE INDEX IDX_reactions_value ON reactions (value);

-- models.APIToken
CREATE TABLE api_tokens (
    id @ID@,
    title VARCHAR(255) NOT NULL,
    token_salt VARCHAR(255) NOT NULL,
    token_hash VARCHAR(255) NOT NULL,
    token_last_eight VARCHAR(8) NOT NULL,
    permissions TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    owner_id BIGINT NOT NULL
);
CREATE UNIQUE INDEX UQE_api_tokens_token_hash ON api_tokens (token_hash);
CREATE INDEX IDX_api_tokens_token_last_eight ON api_tokens (token_last_eight);

-- models.Webhook
CREATE TABLE webhooks (
    id @ID@,
    target_url VARCHAR(255) NOT NULL,
    events TEXT NOT NULL,
    project_id BIGINT NULL,
    user_id BIGINT NULL,
    secret VARCHAR(255) NULL,
    basic_auth_user VARCHAR(255) NULL,
    basic_auth_password VARCHAR(255) NULL,
    created_by_id BIGINT NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_webhooks_project_id ON webhooks (project_id);
CREATE INDEX IDX_webhooks_user_id ON webhooks (user_id);

-- notifications.DatabaseNotification (project_id -1 = visible to nobody)
CREATE TABLE notifications (
    id @ID@,
    notifiable_id BIGINT NOT NULL,
    notification TEXT NOT NULL,
    name VARCHAR(250) NOT NULL,
    subject_id BIGINT NULL,
    project_id BIGINT NOT NULL DEFAULT 0,
    read_at TIMESTAMPTZ NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_notifications_name ON notifications (name);
CREATE INDEX IDX_notifications_project_id ON notifications (project_id);

-- models.Session (id is a UUID string, token_hash the SHA-256 hex of the refresh token)
CREATE TABLE sessions (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL,
    token_hash VARCHAR(64) NOT NULL,
    device_info TEXT NULL,
    ip_address VARCHAR(100) NULL,
    is_long_session BOOLEAN NOT NULL DEFAULT FALSE,
    oidc_id_token TEXT NULL,
    oidc_provider_key VARCHAR(250) NULL,
    last_active TIMESTAMPTZ NOT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX UQE_sessions_token_hash ON sessions (token_hash);
CREATE INDEX IDX_sessions_user_id ON sessions (user_id);

-- user.Token (kind 1 password reset, 2 email confirm, 3 account deletion, 4 CalDAV)
CREATE TABLE user_tokens (
    id @ID@,
    user_id BIGINT NOT NULL,
    token VARCHAR(450) NOT NULL,
    kind INTEGER NOT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_user_tokens_token ON user_tokens (token);

-- user.TOTP
CREATE TABLE totp (
    id @ID@,
    user_id BIGINT NOT NULL,
    secret TEXT NOT NULL,
    enabled BOOLEAN NULL DEFAULT FALSE,
    url TEXT NULL
);

-- models.UnsplashPhoto
CREATE TABLE unsplash_photos (
    id @ID@,
    file_id BIGINT NOT NULL,
    unsplash_id VARCHAR(50) NULL,
    author TEXT NULL,
    author_name TEXT NULL
);

-- models.OAuthCode
CREATE TABLE oauth_codes (
    id @ID@,
    user_id BIGINT NOT NULL,
    code VARCHAR(128) NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    client_id VARCHAR(255) NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_challenge VARCHAR(128) NOT NULL,
    code_challenge_method VARCHAR(10) NOT NULL,
    created TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX UQE_oauth_codes_code ON oauth_codes (code);

-- models.TimeEntry (end_time NULL = timer still running)
CREATE TABLE time_entries (
    id @ID@,
    user_id BIGINT NOT NULL,
    task_id BIGINT NULL,
    project_id BIGINT NULL,
    start_time TIMESTAMPTZ NOT NULL,
    end_time TIMESTAMPTZ NULL,
    comment TEXT NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX IDX_time_entries_user_id ON time_entries (user_id);
CREATE INDEX IDX_time_entries_task_id ON time_entries (task_id);
CREATE INDEX IDX_time_entries_project_id ON time_entries (project_id);
CREATE INDEX IDX_time_entries_start_time ON time_entries (start_time);

-- migration.Status (pkg/modules/migration)
CREATE TABLE migration_status (
    id @ID@,
    user_id BIGINT NOT NULL,
    migrator_name VARCHAR(255) NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NULL
);

-- license.Status
CREATE TABLE license_status (
    id @ID@,
    instance_id VARCHAR(36) NOT NULL,
    response TEXT NOT NULL,
    validated_at TIMESTAMPTZ NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);

-- Vicugna-only tables below (Vikunja has no equivalent).

-- Vicugna: instance settings such as the generated JWT secret
CREATE TABLE vicugna_settings (
    name VARCHAR(250) NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

-- Vicugna: shared counters (login throttling) so that several processes agree
CREATE TABLE vicugna_counters (
    name VARCHAR(250) NOT NULL PRIMARY KEY,
    hits BIGINT NOT NULL DEFAULT 0,
    window_start TIMESTAMPTZ NOT NULL
);
