-- The tone of what a found post says about each of its subjects, joined by
-- a newline in the order of subjects: "Rival's support is great, Acme's was
-- awful" is praise for one and a complaint about the other. Posts found
-- before hold '', read as the post's one sentiment for every subject.
ALTER TABLE listen_posts ADD COLUMN sentiments TEXT NOT NULL DEFAULT '';
