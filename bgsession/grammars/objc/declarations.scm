; Classes and categories, methods, constants, and messages that pass identifiers.

(class_interface) @type
(class_implementation) @type
(method_definition) @function
(declaration) @declaration
(preproc_def) @define
(preproc_include) @import
(module_import) @import

(message_expression method: (identifier) @arg_selector (#match? @arg_selector "(?i)(identifier|configuration|config)$"))
