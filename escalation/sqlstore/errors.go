package sqlstore

import "fmt"

// CorruptError is a ticket whose stored state or history entry cannot be
// read back: not JSON of the right shape, or another ticket's state. The
// store's other tickets are not affected. It is a plain value, safe for
// concurrent reads.
type CorruptError struct {
	Ticket string
	Entry  int64 // the history entry's number, from 1; 0 for the state
	Err    error
}

func (e *CorruptError) Error() string {
	if e.Entry > 0 {
		return fmt.Sprintf("sqlstore: ticket %q: history entry %d is corrupt: %v", e.Ticket, e.Entry, e.Err)
	}
	return fmt.Sprintf("sqlstore: ticket %q: stored state is corrupt: %v", e.Ticket, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// BusyError is SQLite refusing a write because another connection held the
// database for longer than the busy timeout, or no timeout was set. Open
// the database with a busy timeout (_pragma=busy_timeout(5000) in the DSN)
// and use it from one process. It is a plain value, safe for concurrent
// reads.
type BusyError struct {
	Err error
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("%v (SQLite is busy: give the DSN a busy timeout, e.g. _pragma=busy_timeout(5000), and use the file from one process)", e.Err)
}

func (e *BusyError) Unwrap() error { return e.Err }
