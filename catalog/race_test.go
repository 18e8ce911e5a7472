//go:build race

package catalog

// raceEnabled is true when the tests run under the race detector, which
// makes some long tests too slow to run.
const raceEnabled = true
