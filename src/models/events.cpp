// SPDX-License-Identifier: AGPL-3.0-or-later
// The event names webhooks may subscribe to (spec §5.1). The emitters declared in events.hpp come with the outbox.
#include "models/events.hpp"

#include <algorithm>

namespace vicugna::models {

const std::vector<std::string>& webhook_event_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all{
            "task.created", "task.updated", "task.deleted", "task.assignee.created", "task.assignee.deleted",
            "task.comment.created", "task.comment.edited", "task.comment.deleted", "task.attachment.created",
            "task.attachment.deleted", "task.relation.created", "task.relation.deleted", "project.updated",
            "project.deleted", "project.shared.user", "project.shared.team", "task.reminder.fired", "task.overdue",
            "tasks.overdue", "task.completed"};
        std::sort(all.begin(), all.end());
        return all;
    }();
    return names;
}

const std::vector<std::string>& user_webhook_event_names() {
    static const std::vector<std::string> names{"task.completed", "task.overdue", "task.reminder.fired",
                                                "tasks.overdue"};
    return names;
}

bool is_user_directed_event(std::string_view name) {
    return name == "task.reminder.fired" || name == "task.overdue" || name == "tasks.overdue";
}

}  // namespace vicugna::models
