// SPDX-License-Identifier: AGPL-3.0-or-later
#include "events/outbox.hpp"

#include <mutex>

namespace vicugna::events {
namespace {

std::mutex listener_mutex;
std::function<void()> listener;

}  // namespace

void set_outbox_listener(std::function<void()> fn) {
    std::lock_guard lock(listener_mutex);
    listener = std::move(fn);
}

bool outbox_listened() {
    std::lock_guard lock(listener_mutex);
    return static_cast<bool>(listener);
}

void notify_outbox() {
    std::lock_guard lock(listener_mutex);
    if (listener) listener();
}

}  // namespace vicugna::events
