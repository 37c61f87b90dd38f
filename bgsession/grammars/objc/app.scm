; App entry points and parse errors (Objective-C); casts of UIKit's delegate come from sessions.scm.

((identifier) @entry_name (#eq? @entry_name "UIApplicationMain"))

(ERROR) @error
(MISSING) @error
