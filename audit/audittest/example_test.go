package audittest_test

import (
	"testing"

	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/audit/audittest"
)

// A log's conformance test is one call; here audit.Memory's own.
func ExampleRun() {
	// In a _test.go file of the log's package:
	_ = func(t *testing.T) {
		audittest.Run(t, func(t *testing.T) audit.Log {
			l, err := audit.NewMemory() // generates its own SM2 signer
			if err != nil {
				t.Fatal(err)
			}
			return l
		})
	}
}
