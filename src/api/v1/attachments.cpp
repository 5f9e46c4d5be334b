// SPDX-License-Identifier: AGPL-3.0-or-later
// Task attachments (Vikunja: pkg/routes/api/v1/task_attachment.go, pkg/web/files): upload, list, download, delete.
#include <spdlog/spdlog.h>

#include "api/crud.hpp"
#include "api/errors.hpp"
#include "api/v1/handlers.hpp"
#include "http/download.hpp"
#include "models/task_attachments.hpp"
#include "util/multipart.hpp"

namespace vicugna::api::v1 {
namespace {

/// GET /tasks/{task}/attachments and DELETE /tasks/{task}/attachments/{attachment} through the CRUD pipeline.
struct AttachmentResource {
    struct Model {
        std::int64_t task_id = 0;
        std::int64_t attachment_id = 0;
        const models::FileStore* files = nullptr;
    };

    static Model bind(Context& ctx) {
        Model m;
        m.task_id = ctx.id_param("task");
        if (ctx.params.count("attachment")) m.attachment_id = ctx.id_param("attachment");
        m.files = &ctx.files();
        return m;
    }
    // Vikunja checks inside ReadAll, so a refusal is the model's 403 code 1, not the handler's code 0.
    static asio::awaitable<bool> can_read_all(db::Tx& tx, const models::Doer& doer, Model& m) {
        auto access = co_await models::task_access(tx, doer, m.task_id);
        if (!access.project.can_read()) throw Error(ErrorCode::Forbidden);
        co_return true;
    }
    static asio::awaitable<crud::Page<models::TaskAttachment>> read_all(db::Tx& tx, const models::Doer&, Model& m,
                                                                         const crud::ListQuery& q) {
        auto [items, total] = co_await models::list_attachments(tx, m.task_id, q.paging.limit(), q.paging.offset());
        co_return crud::Page<models::TaskAttachment>{std::move(items), total};
    }
    static asio::awaitable<bool> can_delete(db::Tx& tx, const models::Doer& doer, Model& m) {
        auto access = co_await models::task_access(tx, doer, m.task_id);
        co_return access.project.can_write();
    }
    static asio::awaitable<void> remove(db::Tx& tx, const models::Doer& doer, Model& m) {
        co_await models::delete_attachment(tx, *m.files, doer, m.task_id, m.attachment_id);
    }
    static void write(util::json::Writer& w, const models::TaskAttachment& a) { models::write_attachment(w, a); }
};

}  // namespace

asio::awaitable<http::Response> attachments_upload(Context& ctx) {
    auto task_id = ctx.id_param("task");
    std::vector<models::AttachmentUpload> uploads;
    try {
        // Only parts with a filename are files (Go's multipart form); the field is `files`, repeatable.
        for (auto& part : util::parse_multipart_form(ctx.request.header("Content-Type"), ctx.request.body)) {
            if (part.name == "files" && !part.filename.empty()) {
                uploads.push_back({util::file_base_name(part.filename), std::move(part.bytes)});
            }
        }
    } catch (const util::NotMultipart&) {
        throw Error(ErrorCode::BadRequest, "No multipart form provided");
    }
    // Bytes go to temporary files before the transaction, so no write lock is held during disk I/O;
    // `staged` removes them again unless the commit succeeds.
    models::StagedFiles staged(ctx.files());
    auto batch = co_await models::stage_uploads(staged, std::move(uploads), ctx.config().files_maxsize);
    auto tx = co_await ctx.begin(db::TxMode::Write);
    auto created = co_await models::attach_staged_uploads(*tx, ctx.doer(), task_id, staged, batch.files);
    co_await tx->commit();
    staged.keep();
    util::json::Writer w;
    models::write_upload_result(w, created, batch.failures);
    co_return json(200, w.take());
}

asio::awaitable<http::Response> attachments_list(Context& ctx) { return crud::read_all<AttachmentResource>(ctx); }

asio::awaitable<http::Response> attachment_download(Context& ctx) {
    auto task_id = ctx.id_param("task");
    auto attachment_id = ctx.id_param("attachment");
    models::TaskAttachment attachment;
    {
        // The transaction ends before the disk read: no connection is held while the bytes load.
        auto tx = co_await ctx.begin(db::TxMode::Read);
        auto access = co_await models::task_access(*tx, ctx.doer(), task_id);
        if (!access.project.can_read()) throw Error(ErrorCode::Forbidden);
        attachment = co_await models::attachment_of_task(*tx, task_id, attachment_id);
    }
    auto bytes = co_await ctx.files().read(attachment.file.id);
    if (!bytes) {
        spdlog::error("attachment {}: the bytes of file {} are missing", attachment.id, attachment.file.id);
        throw Error(ErrorCode::TaskAttachmentDoesNotExist);
    }
    co_return http::file_download(ctx.request, std::move(*bytes), attachment.file.mime, attachment.file.name,
                                  attachment.file.created);
}

asio::awaitable<http::Response> attachment_delete(Context& ctx) { return crud::remove<AttachmentResource>(ctx); }

}  // namespace vicugna::api::v1
