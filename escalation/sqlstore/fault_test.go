package sqlstore_test

import (
	"testing"

	"github.com/ladder-go/ladder/escalation"
	"github.com/ladder-go/ladder/escalation/escalationtest"
)

// TestFaults runs the fault suite on SQLite and PostgreSQL.
func TestFaults(t *testing.T) {
	forEach(t, func(t *testing.T, b backend) {
		escalationtest.TestFaults(t, func(t *testing.T, replicas int) []escalation.Store {
			_, ss := stores(t, b, 1)
			return []escalation.Store{ss[0]}
		})
	})
}
