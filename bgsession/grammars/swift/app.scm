; App entry points, SwiftUI background tasks, delegate adaptors, casts of UIKit's delegate, and parse errors.

(attribute
  (user_type (type_identifier) @_attribute)
  (#any-of? @_attribute "main" "UIApplicationMain" "UIApplicationDelegateAdaptor" "WKApplicationDelegateAdaptor"
                        "WKExtensionDelegateAdaptor")) @attribute

(call_expression
  (simple_identifier) @_uiapplicationmain
  (#eq? @_uiapplicationmain "UIApplicationMain")) @uiapplicationmain

(call_expression
  (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @_bgtask))
  (#eq? @_bgtask "backgroundTask")) @background_task

(as_expression
  expr: (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @_delegate))
  (#eq? @_delegate "delegate")) @delegate_cast

(ERROR) @error
(MISSING) @error
