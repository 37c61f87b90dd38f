"""Every name list the analyses share, once: accessors of shared instances, handler-like names,
calls that run a closure later or in line, and calls that clear a stored value."""

from __future__ import annotations

import re

# Classes whose instances are URL sessions: AVAssetDownloadURLSession (HLS downloads) is a URLSession
# subclass created from a configuration the same way, only with an asset download delegate.
SESSION_TYPES = frozenset({"URLSession", "NSURLSession", "AVAssetDownloadURLSession"})
SHARED_ACCESSORS = {"shared", "sharedInstance", "default", "instance", "current", "main", "standard"}
HANDLER_LIKE = re.compile(r"(?i)handler|completion|callback|block")
ASYNC_WORK = {
    "async",
    "asyncAfter",
    "addOperation",
    "addOperationWithBlock:",
    "performBackgroundTask",
    "perform",
    "dispatch_async",
    "dispatch_after",
    "Task",
    "detached",
    "notify",
}
# Calls that run their closure before they return, on the caller's thread: what is called inside runs
# where the call is made. `MainActor.assumeIsolated` is one: it asserts the main thread, it does not go there.
IN_LINE_CLOSURE_CALLS = {
    "forEach",
    "map",
    "flatMap",
    "compactMap",
    "assumeIsolated",
    "enumerateKeysAndObjectsUsingBlock:",
    "enumerateObjectsUsingBlock:",
}
CLEARING_METHODS = {
    "removeValue",
    "removeAll",
    "removeObjectForKey:",
    "removeAllObjects",
    "removeValueForKey:",
    "removeObject:",
    "removeObjectsForKeys:",
}
