; Background configurations, sessions, invalidation and option assignments.
; Capture names are the only interface to Python (bgsession/lint/swift_extract.py).

(call_expression
  (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @_config_method))
  (#any-of? @_config_method "background" "backgroundSessionConfiguration")) @config

(call_expression
  (prefix_expression target: (simple_identifier) @_config_short)
  (#any-of? @_config_short "background" "backgroundSessionConfiguration")) @config

(call_expression
  (simple_identifier) @_session_type
  (#any-of? @_session_type "URLSession" "NSURLSession")) @session

(call_expression
  (navigation_expression
    target: (simple_identifier) @_session_owner
    suffix: (navigation_suffix suffix: (simple_identifier) @_session_init))
  (#any-of? @_session_owner "URLSession" "NSURLSession")
  (#eq? @_session_init "init")) @session

(call_expression
  (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @_invalidate))
  (#any-of? @_invalidate "invalidateAndCancel" "finishTasksAndInvalidate")) @invalidate

(assignment
  target: (directly_assignable_expression
    (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @_option)))
  (#any-of? @_option "sessionSendsLaunchEvents" "sharedContainerIdentifier")) @option
