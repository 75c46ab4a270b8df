-- Every event paid for an index of events by user_id, and nothing reads the log that way: a user's history is in the
-- projections (missions, positions, slots, accounts) and the typed tables. Its inserts land all over the b-tree (user
-- ids do not grow with time as event ids do), so each commit dirtied pages across it: dropping it took the SQLite event
-- log from 75-78k to 87-98k events/s in bench events (docs/performance.md, 2026-12-04). The column stays; an operator
-- who needs the lookup can create the index again.
DROP INDEX IF EXISTS events_user;
