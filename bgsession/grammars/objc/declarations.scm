; Classes and categories, methods, C functions, constants, and messages that pass identifiers.

(class_interface) @type
(class_implementation) @type

(method_definition) @function
(function_definition) @cfunction

(translation_unit (declaration declarator: (init_declarator value: (string_literal))) @constant)
(translation_unit (declaration declarator: (init_declarator value: (message_expression))) @constant)
(preproc_def name: (identifier) value: (preproc_arg)) @define

(message_expression
  method: (identifier) @_arg_selector
  (#match? @_arg_selector "(?i)(identifier|configuration|config)$")) @labeled_message

(preproc_include) @import
(module_import) @import

(message_expression
  receiver: (message_expression receiver: (identifier) @_allocated method: (identifier) @_alloc)
  (#eq? @_alloc "alloc")) @instantiation

(message_expression
  receiver: (identifier) @_newed
  method: (identifier) @_new
  (#eq? @_new "new")) @instantiation
