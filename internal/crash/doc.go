// Package crash holds the crash and fault tests of Ponte as a whole: a real `ponte serve`
// worker process, killed with SIGKILL at random moments of a sync and restarted, against the
// partner sandboxes running in the test process, whose state outlives every kill. It has no
// code of its own.
package crash
