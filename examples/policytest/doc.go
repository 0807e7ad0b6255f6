// Package policytest shows how a helpdesk team unit-tests its own
// escalation policy: policy.json is the team's policy, and policy_test.go
// states what must happen to tickets under it, on a simulated clock, with
// package escalationtest. Run it with
//
//	go test ./examples/policytest
package policytest
