"""Apple's documentation behind each rule: linked from the rule pages, `bgsession rule` and SARIF."""

from __future__ import annotations

_DOCS = "https://developer.apple.com/documentation"
DOWNLOADING_IN_BACKGROUND = (
    "Downloading files in the background",
    f"{_DOCS}/foundation/downloading-files-in-the-background",
)
BACKGROUND_CONFIGURATION = (
    "URLSessionConfiguration.background(withIdentifier:)",
    f"{_DOCS}/foundation/urlsessionconfiguration/background(withidentifier:)",
)
DEPRECATED_CONFIGURATION = (
    "URLSessionConfiguration.backgroundSessionConfiguration(_:)",
    f"{_DOCS}/foundation/urlsessionconfiguration/backgroundsessionconfiguration(_:)",
)
SESSION_INIT = (
    "URLSession.init(configuration:delegate:delegateQueue:)",
    f"{_DOCS}/foundation/urlsession/init(configuration:delegate:delegatequeue:)",
)
DID_FINISH_EVENTS = (
    "urlSessionDidFinishEvents(forBackgroundURLSession:)",
    f"{_DOCS}/foundation/urlsessiondelegate/urlsessiondidfinishevents(forbackgroundurlsession:)",
)
DID_BECOME_INVALID = (
    "urlSession(_:didBecomeInvalidWithError:)",
    f"{_DOCS}/foundation/urlsessiondelegate/urlsession(_:didbecomeinvalidwitherror:)",
)
INVALIDATE_AND_CANCEL = (
    "URLSession.invalidateAndCancel()",
    f"{_DOCS}/foundation/urlsession/invalidateandcancel()",
)
GET_ALL_TASKS = (
    "URLSession.getAllTasks(completionHandler:)",
    f"{_DOCS}/foundation/urlsession/getalltasks(completionhandler:)",
)
HANDLE_EVENTS = (
    "application(_:handleEventsForBackgroundURLSession:completionHandler:)",
    f"{_DOCS}/uikit/uiapplicationdelegate/application(_:handleeventsforbackgroundurlsession:completionhandler:)",
)
COMPLETION_HANDLER_TASK = (
    "URLSession.downloadTask(with:completionHandler:)",
    f"{_DOCS}/foundation/urlsession/downloadtask(with:completionhandler:)",
)
URL_SESSION_TASK = ("URLSessionTask", f"{_DOCS}/foundation/urlsessiontask")
DID_FINISH_DOWNLOADING = (
    "urlSession(_:downloadTask:didFinishDownloadingTo:)",
    f"{_DOCS}/foundation/urlsessiondownloaddelegate/urlsession(_:downloadtask:didfinishdownloadingto:)",
)
SHARED_CONTAINER = (
    "URLSessionConfiguration.sharedContainerIdentifier",
    f"{_DOCS}/foundation/urlsessionconfiguration/sharedcontaineridentifier",
)
EXTENSION_SCENARIOS = (
    "App Extension Programming Guide: Performing uploads and downloads",
    "https://developer.apple.com/library/archive/documentation/General/Conceptual/ExtensibilityPG/ExtensionScenarios.html",
)
WATCH_HANDLE = ("WKApplicationDelegate.handle(_:)", f"{_DOCS}/watchkit/wkapplicationdelegate/handle(_:)")
SCENE_BACKGROUND_TASK = ("Scene.backgroundTask(_:action:)", f"{_DOCS}/swiftui/scene/backgroundtask(_:action:)")
APP_GROUPS = (
    "App Groups Entitlement (com.apple.security.application-groups)",
    f"{_DOCS}/bundleresources/entitlements/com.apple.security.application-groups",
)
APPLICATION_DELEGATE = ("UIApplication.delegate", f"{_DOCS}/uikit/uiapplication/delegate")

REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "BGS000": (),
    "BGS001": (BACKGROUND_CONFIGURATION, DOWNLOADING_IN_BACKGROUND),
    "BGS002": (DOWNLOADING_IN_BACKGROUND, HANDLE_EVENTS, DID_BECOME_INVALID),
    "BGS003": (SESSION_INIT, DOWNLOADING_IN_BACKGROUND),
    "BGS004": (BACKGROUND_CONFIGURATION,),
    "BGS005": (DEPRECATED_CONFIGURATION,),
    "BGS006": (INVALIDATE_AND_CANCEL, DID_BECOME_INVALID),
    "BGS010": (HANDLE_EVENTS, DOWNLOADING_IN_BACKGROUND),
    "BGS011": (HANDLE_EVENTS,),
    "BGS012": (HANDLE_EVENTS, DID_FINISH_EVENTS),
    "BGS013": (DID_FINISH_EVENTS, HANDLE_EVENTS),
    "BGS014": (DID_FINISH_EVENTS, DOWNLOADING_IN_BACKGROUND),
    "BGS015": (HANDLE_EVENTS,),
    "BGS016": (HANDLE_EVENTS, EXTENSION_SCENARIOS),
    "BGS017": (HANDLE_EVENTS, DOWNLOADING_IN_BACKGROUND),
    "BGS018": (HANDLE_EVENTS, DID_FINISH_EVENTS),
    "BGS019": (DID_FINISH_EVENTS, DOWNLOADING_IN_BACKGROUND),
    "BGS020": (COMPLETION_HANDLER_TASK, DOWNLOADING_IN_BACKGROUND),
    "BGS021": (URL_SESSION_TASK, DOWNLOADING_IN_BACKGROUND),
    "BGS022": (URL_SESSION_TASK,),
    "BGS023": (DID_FINISH_DOWNLOADING,),
    "BGS025": (BACKGROUND_CONFIGURATION, DOWNLOADING_IN_BACKGROUND),
    "BGS030": (SHARED_CONTAINER, EXTENSION_SCENARIOS),
    "BGS031": (WATCH_HANDLE,),
    "BGS032": (SCENE_BACKGROUND_TASK, HANDLE_EVENTS),
    "BGS033": (APPLICATION_DELEGATE, SCENE_BACKGROUND_TASK),
    "BGS034": (SHARED_CONTAINER, APP_GROUPS),
    "BGS040": (GET_ALL_TASKS, DOWNLOADING_IN_BACKGROUND),
}


def references(code: str) -> tuple[tuple[str, str], ...]:
    """(title, URL) pairs for a rule code; none for codes without Apple documentation."""
    return REFERENCES.get(code, ())
