; App entry points, SwiftUI background tasks, delegate adaptors, casts of UIKit's delegate, and parse errors.

((type_identifier) @attribute_name
 (#any-of? @attribute_name "main" "UIApplicationMain" "UIApplicationDelegateAdaptor" "WKApplicationDelegateAdaptor"
  "WKExtensionDelegateAdaptor"))

((simple_identifier) @entry_name (#eq? @entry_name "UIApplicationMain"))

((navigation_suffix suffix: (simple_identifier) @app_member) (#any-of? @app_member "backgroundTask" "delegate"))

(ERROR) @error
(MISSING) @error
