; Background configurations, sessions, invalidation and option assignments (Objective-C).
; Patterns capture the leaf name only; extract/objc/classify.py walks up to the message, assignment or
; cast it belongs to (nested patterns cost tens of milliseconds each to compile).

(message_expression method: (identifier) @message_name
 (#any-of? @message_name "backgroundSessionConfigurationWithIdentifier" "backgroundSessionConfiguration"
  "sessionWithConfiguration" "invalidateAndCancel" "finishTasksAndInvalidate" "setSessionSendsLaunchEvents"
  "setSharedContainerIdentifier" "alloc" "new" "delegate"))

((field_identifier) @field_name (#any-of? @field_name "sessionSendsLaunchEvents" "sharedContainerIdentifier" "delegate"))
