"""The evidence table on PostgreSQL, partitioned by month: a heartbeat every 10 s and a segment
every 6 s per watching learner make `pacing_evidence` by far the largest table, and monthly
partitions let retention drop a month in one statement instead of deleting billions of rows
(docs/deploy.md). SQLite keeps one plain table."""
