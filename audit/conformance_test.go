package audit_test

import (
	"testing"

	"github.com/govshare/govshare/audit"
	"github.com/govshare/govshare/audit/audittest"
)

// audit.Memory passes the conformance kit every log runs, keyed and not.
func TestMemoryConformance(t *testing.T) {
	audittest.Run(t, func(t *testing.T) audit.Log {
		l, err := audit.NewMemory()
		if err != nil {
			t.Fatal(err)
		}
		return l
	})
	t.Run("keyed", func(t *testing.T) {
		audittest.Run(t, func(t *testing.T) audit.Log {
			l, err := audit.NewMemory(audit.WithKey([]byte("0123456789abcdef0123456789abcdef")), audit.WithAlgorithm(audit.SHA256))
			if err != nil {
				t.Fatal(err)
			}
			return l
		})
	})
}
