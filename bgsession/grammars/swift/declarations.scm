; Types, their members, functions, constants and parameters that carry identifiers.

(class_declaration) @type

(source_file (property_declaration) @property)
(class_body (property_declaration) @property)
(enum_class_body (property_declaration) @property)

(enum_entry raw_value: (line_string_literal)) @enum_case

(function_declaration) @function
(init_declaration) @function

(value_argument
  name: (value_argument_label (simple_identifier) @_arg_label)
  (#match? @_arg_label "(?i)(identifier|configuration|config|sessionid)$")) @labeled_arg

(import_declaration) @import

(call_expression
  (simple_identifier) @_constructed
  (#match? @_constructed "^[A-Z]")) @instantiation
