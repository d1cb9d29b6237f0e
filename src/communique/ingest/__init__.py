"""Reading documents in, one step a module: files, folders, URLs and plain text (read), bytes to text (decode),
HTML pages (html), publication dates (published), JSONL records (records), page furniture and captions removed
(furniture), and fetching over http(s) within size and time limits (fetch)."""
