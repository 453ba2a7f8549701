// Package e2e holds the end-to-end tests: a whole Switchboard (built by the
// composition root, app) over real HTTP, in sandbox mode or against the
// fakes, as a client sees it. harness_test.go starts one.
package e2e
