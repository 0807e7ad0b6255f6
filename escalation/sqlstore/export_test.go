package sqlstore

// Queries are the store's statements that read or claim tickets by an
// index, by name, for TestPlans to show their plans.
func Queries(s *Store) map[string]string {
	return map[string]string{
		"load": s.q.load, "update": s.q.update, "setDue": s.q.setDue, "history": s.q.history, "tail": s.q.tail,
		"claim": s.q.claim, "nextAll": s.q.nextAll, "nextLater": s.q.nextLater, "nextAfter": s.q.nextAfter, "leased": s.q.leased,
		"upcoming": s.q.upcoming, "upcomingAfter": s.q.upcomingAfter,
		"opened": s.q.opened, "openedAfter": s.q.openedAfter,
		"tenantOpened": s.q.tenantOpened, "tenantOpenedAfter": s.q.tenantOpenedAfter,
	}
}
