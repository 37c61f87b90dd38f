; Task creation on some session: classified in recognize.task_call.

(call_expression
  (navigation_expression suffix: (navigation_suffix suffix: (simple_identifier) @_task_method))
  (#any-of? @_task_method "dataTask" "downloadTask" "uploadTask" "data" "download" "upload" "bytes")) @task
