// SPDX-License-Identifier: AGPL-3.0-or-later
/// The one process-wide listener of the webhook outbox: the delivery worker registers itself at start-up, and a
/// commit that queued deliveries wakes it so they go out at once instead of at its next poll.
#pragma once
#include <functional>

namespace vicugna::events {

/// Called once at start-up, before any request is served (an empty function unregisters, at shutdown).
void set_outbox_listener(std::function<void()> listener);
/// Wakes the listener, if any; safe from any thread.
void notify_outbox();
/// Whether a listener is registered: without one (webhooks.enabled off, or a CLI command) nothing is queued.
bool outbox_listened();

}  // namespace vicugna::events
