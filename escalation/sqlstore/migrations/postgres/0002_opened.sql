-- When each ticket opened (State.Opened), for reports that read the
-- tickets opened in a window, in order: Unix nanoseconds like due; the
-- smallest integer for a ticket with no opening instant. Rows saved before
-- this column existed are filled in by Migrate, from their states.
ALTER TABLE ladder_tickets ADD COLUMN opened BIGINT;
CREATE INDEX ladder_tickets_opened ON ladder_tickets (opened, id);
