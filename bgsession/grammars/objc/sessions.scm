; Background configurations, sessions, invalidation and option assignments (Objective-C).
; Capture names are the only interface to Python (bgsession/lint/objc_extract.py).

(message_expression
  receiver: (identifier) @_config_receiver
  method: (identifier) @_config_method
  (#eq? @_config_receiver "NSURLSessionConfiguration")
  (#any-of? @_config_method "backgroundSessionConfigurationWithIdentifier" "backgroundSessionConfiguration")) @config

(message_expression
  receiver: (identifier) @_session_receiver
  method: (identifier) @_session_method
  (#eq? @_session_receiver "NSURLSession")
  (#eq? @_session_method "sessionWithConfiguration")) @session

(message_expression
  method: (identifier) @_invalidate
  (#any-of? @_invalidate "invalidateAndCancel" "finishTasksAndInvalidate")) @invalidate

(assignment_expression
  left: (field_expression field: (field_identifier) @_option)
  (#any-of? @_option "sessionSendsLaunchEvents" "sharedContainerIdentifier")) @option

(message_expression
  method: (identifier) @_option_setter
  (#any-of? @_option_setter "setSessionSendsLaunchEvents" "setSharedContainerIdentifier")) @option
