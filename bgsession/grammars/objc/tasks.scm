; Task creation on some session (the message is classified in recognize.task_call).

(message_expression method: (identifier) @task_name (#match? @task_name "^(dataTaskWith|downloadTaskWith|uploadTaskWith)"))
