; Types, their members, functions, constants and parameters that carry identifiers.

(class_declaration) @type
(property_declaration) @property
(enum_entry) @enum_case
(function_declaration) @function
(init_declaration) @function
(import_declaration) @import

((value_argument_label (simple_identifier) @arg_label)
 (#match? @arg_label "(?i)(identifier|configuration|config|sessionid)$"))

; `T(...)`: a capitalised callee (the extractor keeps those that are the callee of a call). Nested in
; the call, so the text predicate runs on callees only, not on every identifier of the file: 9 ms more to
; compile, a third less time matching (the predicate reads each name back through the parse's callback).
(call_expression (simple_identifier) @capitalized (#match? @capitalized "^[A-Z]"))
