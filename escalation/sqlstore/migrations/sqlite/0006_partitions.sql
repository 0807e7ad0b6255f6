-- PostgreSQL partitions its history by month here; SQLite keeps one
-- table, whose rows Prune deletes.
SELECT 1;
