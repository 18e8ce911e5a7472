//go:build unix

package postgres_test

import "syscall"

// cpuTime returns the CPU time this process has used, user and system,
// in nanoseconds (getrusage RUSAGE_SELF: every thread, the garbage
// collector's included).
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
