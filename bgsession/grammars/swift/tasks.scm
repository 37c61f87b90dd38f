; Task creation on some session (the enclosing call is classified in recognize.task_call).

((navigation_suffix suffix: (simple_identifier) @task_name)
 (#any-of? @task_name "dataTask" "downloadTask" "uploadTask" "data" "download" "upload" "bytes"))
