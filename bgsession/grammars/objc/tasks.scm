; Task creation on some session: classified in recognize.task_call.

(message_expression
  method: (identifier) @_task_method
  (#match? @_task_method "^(dataTaskWith|downloadTaskWith|uploadTaskWith)")) @task
