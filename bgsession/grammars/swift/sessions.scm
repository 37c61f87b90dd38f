; Background configurations, sessions, invalidation and option assignments.
; Patterns capture the leaf name only; extract/swift/classify.py walks up to the call, assignment or
; cast it belongs to. Compiling a pattern nested in call_expression costs 20-45 ms on this grammar,
; a leaf pattern almost nothing, and one query's compile time is most of a single-file lint.

((navigation_suffix suffix: (simple_identifier) @member_name)
 (#any-of? @member_name "background" "backgroundSessionConfiguration" "init" "URLSession"
  "invalidateAndCancel" "finishTasksAndInvalidate" "sessionSendsLaunchEvents" "sharedContainerIdentifier"))

((simple_identifier) @bare_name
 (#any-of? @bare_name "URLSession" "NSURLSession" "AVAssetDownloadURLSession" "background" "backgroundSessionConfiguration"))
