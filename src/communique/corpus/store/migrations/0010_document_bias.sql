-- communique corpus store, schema version 10: the outlet's media-bias rating, as the input gives it.
-- The AllSides corpus rates each outlet (bias_text: left, center, right); a JSONL record's `bias` (or
-- `bias_text`) is kept with its document, so the Outlets page can show the rating beside the outlet. Nothing
-- infers a rating: a document whose input has none keeps NULL.

ALTER TABLE documents ADD COLUMN bias TEXT;
