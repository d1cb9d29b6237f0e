"""Reading documents in: files, folders, JSONL records, HTML pages and URLs, decoded, dated and titled (read), and
fetched over http(s) within size and time limits (fetch)."""
