"""Who acts in a step of a trace: the four parties a sequence diagram of the lifecycle has lanes for.

Every sentence the model says names its acting party and the party it acts on (the same one for
something a party does by itself), so a report can draw the trace as messages between lanes.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

# "app": the app's process (its launch code, handleEvents, task creation); "ios": the system (launching,
# suspending and terminating the app, waiting for handlers); "daemon": the transfer daemon that owns
# background sessions and their transfers; "delegate": the session's delegate object receiving events.
Party = Literal["app", "ios", "daemon", "delegate"]
PARTIES: tuple[Party, ...] = ("app", "ios", "daemon", "delegate")


class Move(NamedTuple):
    """Who does a step, and to whom."""

    actor: Party
    receiver: Party


APP_ALONE = Move("app", "app")
APP_TO_IOS = Move("app", "ios")
APP_TO_DAEMON = Move("app", "daemon")
IOS_TO_APP = Move("ios", "app")
IOS_TO_DAEMON = Move("ios", "daemon")
DAEMON_ALONE = Move("daemon", "daemon")
DAEMON_TO_DELEGATE = Move("daemon", "delegate")
DELEGATE_ALONE = Move("delegate", "delegate")
DELEGATE_TO_IOS = Move("delegate", "ios")
DELEGATE_TO_DAEMON = Move("delegate", "daemon")
