; App entry points, casts of UIKit's delegate, and parse errors (Objective-C).

(call_expression
  function: (identifier) @_uiapplicationmain
  (#eq? @_uiapplicationmain "UIApplicationMain")) @uiapplicationmain

(cast_expression
  value: (field_expression field: (field_identifier) @_delegate)
  (#eq? @_delegate "delegate")) @delegate_cast

(cast_expression
  value: (message_expression method: (identifier) @_delegate_message)
  (#eq? @_delegate_message "delegate")) @delegate_cast

(ERROR) @error
(MISSING) @error
