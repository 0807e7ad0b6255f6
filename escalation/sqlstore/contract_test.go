package sqlstore_test

import (
	"testing"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

// TestContract runs the Store contract's checks on SQLite and PostgreSQL,
// each check on a new database.
func TestContract(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		escalationtest.TestStore(t, func(t *testing.T, replicas int) []escalation.Store {
			_, ss := stores(t, b, replicas)
			out := make([]escalation.Store, len(ss))
			for i, s := range ss {
				out[i] = s
			}
			return out
		})
	})
}
